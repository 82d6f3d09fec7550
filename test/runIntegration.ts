/**
 * Integration runner (`npm run test:integration`): the real VS Code 1.100.3 workbench (code-server) in headless
 * chromium, the extension under development loaded into the remote Node extension host, the mocha suite in
 * out/test/integration run there, against the local sandbox (S3 + CodeArtifact + STS stubs) reached only through the
 * standard AWS_* variables. Exits with the suite's code; 2 when the run hangs past INTEGRATION_TIMEOUT_MS.
 *
 * Two ways to start the suite (INTEGRATION_MODE):
 *   tests-path: the classic `extensionTestsPath` payload + codeAutomationExit, as test-electron does. The
 *     extension runs in ExtensionMode.Test. VS Code then refuses every modal dialog ("DialogService: refused to show
 *     dialog in tests") and auto-confirms confirmations: a modal can only be answered through the extension's own hooks.
 *   launcher (default, so the tests can answer real modals): the extension under development plus test/support/vscode/launcher (a harness-only extension installed
 *     into the scratch extensions dir that runs out/test/integration/index.js after start-up). VS Code is NOT in
 *     extension-tests mode, so modal dialogs are real and clickButton() can answer them; the extension then runs in
 *     ExtensionMode.Development, not Test.
 *
 * Launcher mode runs two phases with a real reload between them:
 *   phase 1: out/test/integration/*.test.js; then the launcher leaves two requirements files open (OPEN_BEFORE_RELOAD);
 *   reload:  "Developer: Reload Window" from the palette, as a person does; the workbench restores its editors and
 *            starts a new extension host (checked: another process id);
 *   phase 2: out/test/integration/afterReload/*.test.js in that new extension host, before anything else ran there.
 * The run fails when a phase fails, when phase 2 ran no test, or when the extension host did not restart.
 * tests-path mode runs phase 1 only and says so.
 *
 * Env: INTEGRATION_TIMEOUT_MS (default 300000, the whole run), INTEGRATION_MODE, INTEGRATION_PHASES=1 (launcher mode:
 * stop after phase 1, said in the output), INTEGRATION_GREP (both phases), KEEP_TMP=1 keeps the scratch dir,
 * VERBOSE=1 prints code-server's own logs too.
 */
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startSandbox } from './support/sandbox';
import { startControlServer } from './support/sandbox/control';
import { CONTROL_URL_ENV } from './support/sandbox/controlClient';
import { expiredToken, indexUrl } from './support/sandbox/seed';
import { assertCodeServerInstalled, REPO_ROOT, scratchDirs, startCodeServer, type CodeServer } from './support/vscode/codeServer';
import {
  HOOKS_DIR_ENV, MODE_ENV, PHASE_FILE_ENV, RUNNER_ENV, SANDBOX_HASH_ENV, SANDBOX_KEYS_ENV, sandboxEnvDigestInput, TESTS_MODULE_ENV,
  type Phase, type PhaseFile, type PhaseResult,
} from './support/vscode/hookProtocol';
import { Cleanup } from './support/vscode/cleanup';
import { CANARY_ENV, scanStorage } from './support/vscode/storageScan';
import { seedUserHome } from './support/vscode/userHome';
import { launchChromiumWithProfile, payloadUrl, startTestRun, writeAtomically, type TestRun } from './support/vscode/workbench';

export const EXTENSION_TESTS_PATH = path.join(REPO_ROOT, 'out', 'test', 'integration', 'index.js');
export const SCREENSHOT_DIR = path.join(REPO_ROOT, '.vscode-test', 'screenshots');
export const LAUNCHER_PATH = path.join(REPO_ROOT, 'test', 'support', 'vscode', 'launcher');
const TIMEOUT_MS = Number(process.env.INTEGRATION_TIMEOUT_MS ?? 300_000);
const MODE = process.env.INTEGRATION_MODE ?? 'launcher';
const LOG_CAP = 20_000;
/**
 * Left open in editors at the end of phase 1 (the last one active), so the reload restores them: "the files the user
 * opened yesterday". The second is written by the runner with a synthetic token that expired 30 minutes before the
 * run started: the extension warns about it in phase 1 and must not warn again after the reload.
 */
export const OPEN_BEFORE_RELOAD = ['requirements-lf.txt', 'requirements-opened-yesterday.txt'];

function writeExpiredRequirements(file: string): void {
  fs.writeFileSync(file, `# opened yesterday, token expired since\n--extra-index-url ${indexUrl(expiredToken())}\nrequests==2.32.3\n`);
}

class RunTimeout extends Error {}

function elapsed(t0: number): string {
  return `${((Date.now() - t0) / 1000).toFixed(1)}s`;
}

function log(line: string): void {
  console.log(line);
}

/** Fails early, with the command to run, when the bundle or the compiled tests are missing. */
export function assertBuilt(): void {
  const bundle = path.join(REPO_ROOT, 'dist', 'extension.js');
  if (!fs.existsSync(bundle)) throw new Error('dist/extension.js is missing: run `npm run build` first');
  if (!fs.existsSync(EXTENSION_TESTS_PATH)) throw new Error('out/test/integration/index.js is missing: run `npm run compile-tests` first');
}

/** The throwaway workspace: a copy of test/fixtures/workspace when it exists, else an empty folder. */
export function makeWorkspace(dir: string): string {
  const fixture = path.join(REPO_ROOT, 'test', 'fixtures', 'workspace');
  const ws = path.join(dir, 'workspace');
  if (fs.existsSync(fixture)) fs.cpSync(fixture, ws, { recursive: true });
  else fs.mkdirSync(ws, { recursive: true });
  return ws;
}

/** Variables that let a test check, without printing values, that the sandbox env reached the extension host. */
export function sandboxEnvMarkers(env: Record<string, string>): Record<string, string> {
  const keys = Object.keys(env).sort();
  return {
    [SANDBOX_KEYS_ENV]: keys.join(','),
    [SANDBOX_HASH_ENV]: createHash('sha256').update(sandboxEnvDigestInput(env, keys)).digest('hex'),
  };
}

function capped(s: string): string {
  return s.length > LOG_CAP ? `… (${s.length - LOG_CAP} chars cut)\n${s.slice(-LOG_CAP)}` : s;
}

function dumpLogs(cs: CodeServer | undefined, run: TestRun | undefined): void {
  if (cs) {
    log('----- code-server output -----');
    log(capped(cs.output()));
    for (const f of cs.logFiles()) {
      log(`----- ${path.relative(cs.dirs.userData, f.path)} -----`);
      log(capped(f.contents));
    }
  }
  for (const l of run?.exitLogs() ?? []) {
    log(`----- ${l.relativePath} (from the workbench) -----`);
    log(capped(l.contents));
  }
}

/** Writes the phase file the launcher reads in every extension host it starts (atomically: it may read it any time). */
function writePhaseFile(file: string, spec: PhaseFile): void {
  writeAtomically(file, JSON.stringify(spec, null, 2));
}

function phaseLine(r: PhaseResult): string {
  const s = r.summary;
  return `[runner] phase ${r.phase}: ${s ? `${s.passed} passed, ${s.failed} failed (${s.files} files)` : 'no summary'}` +
    `${r.error ? `; ${r.error}` : ''} in extension host pid ${r.pid}`;
}

function printFailures(r: PhaseResult): void {
  for (const f of r.summary?.failures ?? []) log(`[failed] (phase ${r.phase}) ${f.title}\n${f.error}`);
}

async function main(): Promise<number> {
  const t0 = Date.now();
  assertBuilt();
  assertCodeServerInstalled();
  const cleanup = new Cleanup();
  cleanup.onSignals();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ca-integration-'));
  // Another SIGINT handler (the sandbox's) may exit first; the scratch dir still goes.
  process.on('exit', () => process.env.KEEP_TMP || fs.rmSync(tmp, { recursive: true, force: true }));
  cleanup.add('scratch dir', () => {
    if (process.env.KEEP_TMP) log(`[runner] kept ${tmp}`);
    else fs.rmSync(tmp, { recursive: true, force: true });
  });
  let cs: CodeServer | undefined;
  let run: TestRun | undefined;
  let summary: string | undefined;
  // One deadline for the whole run (sandbox, code-server, workbench, suite): a hang anywhere ends with exit code 2.
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), TIMEOUT_MS)));
  cleanup.add('deadline', () => clearTimeout(timer));
  const within = async <T>(p: Promise<T>): Promise<T> => {
    const r = await Promise.race([p, timedOut]);
    if (r === 'timeout') throw new RunTimeout();
    return r as T;
  };
  try {
    const sandbox = await within(startSandbox({ log: (l) => log(`[sandbox] ${l}`) }));
    cleanup.add('sandbox', () => sandbox.stop());
    const control = await within(startControlServer(sandbox));
    cleanup.add('sandbox control server', () => control.stop());
    log(`[runner] sandbox up (${elapsed(t0)})`);

    const workspace = makeWorkspace(tmp);
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    if (MODE !== 'tests-path' && MODE !== 'launcher') throw new Error(`INTEGRATION_MODE=${MODE}: use tests-path or launcher`);
    const launcher = MODE === 'launcher';
    const phaseFile = path.join(tmp, 'phase.json');
    const resultFile = (phase: Phase) => path.join(tmp, `result-${phase}.json`);
    if (launcher) {
      writeExpiredRequirements(path.join(workspace, OPEN_BEFORE_RELOAD[1]));
      writePhaseFile(phaseFile, { phase: 1, resultFile: resultFile(1), openAfter: OPEN_BEFORE_RELOAD.map((f) => path.join(workspace, f)), previous: [] });
    }
    const env: Record<string, string> = {
      ...sandbox.env,
      ...sandboxEnvMarkers(sandbox.env),
      [CONTROL_URL_ENV]: control.url,
      [RUNNER_ENV]: 'code-server',
      [CANARY_ENV]: `canary.${randomBytes(48).toString('base64url')}`,
      [MODE_ENV]: MODE,
      [HOOKS_DIR_ENV]: SCREENSHOT_DIR,
      ...(launcher ? { [TESTS_MODULE_ENV]: EXTENSION_TESTS_PATH, [PHASE_FILE_ENV]: phaseFile } : {}),
    };
    // The developer's user-level files (~/.pypirc, pip.conf, .npmrc, .netrc, uv.toml) exist before the editor starts.
    const userTokenFiles = await within(seedUserHome(scratchDirs(path.join(tmp, 'code-server')).home, sandbox));
    log(`[runner] HOME seeded by the real aws codeartifact login (pip, twine, npm) + .netrc + uv.toml (${elapsed(t0)})`);
    cs = await within(startCodeServer({ dir: path.join(tmp, 'code-server'), env, folder: workspace, extraExtensions: launcher ? [LAUNCHER_PATH] : [] }));
    cleanup.add('code-server', () => cs?.stop());
    log(`[runner] code-server ${cs.url} ready (${elapsed(t0)})`);

    // A profile folder of our own: the web workbench keeps extensions' state in the browser (IndexedDB); it is scanned.
    const browserProfile = path.join(tmp, 'chromium-profile');
    const browser = await within(launchChromiumWithProfile(browserProfile));
    cleanup.add('chromium', () => browser.close());
    const url = payloadUrl(cs.url, workspace, [REPO_ROOT], launcher ? undefined : EXTENSION_TESTS_PATH);
    // tests-path mode: keep mocha's closing counts to print them as the closing line (CI reads "N passed, N failed").
    const onLog = (line: string) => {
      const m = /integration phase 1: (\d+) passed, (\d+) failed/.exec(line);
      if (m) summary = `integration: ${m[1]} passed, ${m[2]} failed`;
      log(line);
    };
    run = await within(startTestRun({ browser, url, hooksDir: SCREENSHOT_DIR, onLog, launcher }));
    const testRun = run;
    cleanup.add('result poll', () => testRun.dispose());
    log(`[runner] workbench loaded (${MODE} mode), tests running (${elapsed(t0)})`);

    if (!launcher) {
      const result = await within(run.exitCode);
      if (process.env.VERBOSE) dumpLogs(cs, run);
      log('[runner] phase 2 (after a workbench reload) skipped: tests-path mode cannot reload (INTEGRATION_MODE=launcher runs it)');
      log(summary ?? 'integration: no summary printed by the suite');
      log(`[runner] suite finished with exit code ${result} in ${elapsed(t0)}${result === 0 ? '' : ' (VERBOSE=1 prints all logs)'}`);
      return result;
    }

    const results: PhaseResult[] = [];
    const problems: string[] = [];
    const r1 = await within(run.phaseResult(resultFile(1)));
    results.push(r1);
    printFailures(r1);
    log(`${phaseLine(r1)} (${elapsed(t0)})`);
    if (r1.code !== 0) problems.push(`phase 1 failed${r1.error ? `: ${r1.error}` : ''}`);
    if (process.env.INTEGRATION_PHASES === '1') {
      log('[runner] phase 2 (after a workbench reload) skipped: INTEGRATION_PHASES=1');
    } else {
      writePhaseFile(phaseFile, { phase: 2, resultFile: resultFile(2), openAfter: [], previous: [r1] });
      const reloadT0 = Date.now();
      const { ms } = await within(run.reload());
      log(`[runner] reloaded the workbench ("Developer: Reload Window") in ${(ms / 1000).toFixed(1)}s; phase 2 running (${elapsed(t0)})`);
      const r2 = await within(run.phaseResult(resultFile(2)));
      results.push(r2);
      printFailures(r2);
      log(`${phaseLine(r2)}; reload to phase 2 started: ${((r2.processStartedAt - reloadT0) / 1000).toFixed(1)}s (${elapsed(t0)})`);
      if (r2.code !== 0) problems.push(`phase 2 failed${r2.error ? `: ${r2.error}` : ''}`);
      const ran = (r2.summary?.passed ?? 0) + (r2.summary?.failed ?? 0);
      if (ran === 0) problems.push('phase 2 (after the reload) ran no test');
      if (r2.pid === r1.pid || r2.processStartedAt <= r1.endedAt) problems.push(`the extension host did not restart on reload (pid ${r1.pid} -> ${r2.pid})`);
    }
    // Nothing of a token in what the editor keeps on disk (the browser profile's IndexedDB, the server's user-data,
    // HOME), whatever the tests did. The browser closes first so its storage is flushed to disk.
    await browser.close();
    const scan = scanStorage([cs.dirs.userData, cs.dirs.home, browserProfile], sandbox.codeartifact.issuedTokens, env[CANARY_ENV], userTokenFiles);
    log(`[runner] storage scan: ${sandbox.codeartifact.issuedTokens.length} issued tokens looked for in ${scan.files} files (${(scan.bytes / 1024 / 1024).toFixed(1)} MiB) of the browser profile, the editor's user-data and HOME (not the ${userTokenFiles.length} user-level token files, which hold tokens by design): ${scan.leaks.length} found; ` +
      `the state canary found in ${scan.canary.length} file(s)${scan.history.length ? `; local history holds ${scan.history.length} saved copies of files refreshed with saveAfterRefresh (by design)` : ''}`);
    if (scan.files === 0) problems.push('storage scan found no files to scan (wrong folders?)');
    if (scan.canary.length === 0) problems.push('storage scan could not see the extension\'s stored state (the canary the suite stored was not found on disk)');
    for (const l of scan.leaks) problems.push(`a token issued during the run is stored in ${l}`);
    if (process.env.VERBOSE) dumpLogs(cs, run);
    const passed = results.reduce((n, r) => n + (r.summary?.passed ?? 0), 0);
    const failed = results.reduce((n, r) => n + (r.summary?.failed ?? 0), 0);
    for (const p of problems) log(`[runner] FAILED: ${p}`);
    const code = problems.length === 0 ? 0 : 1;
    log(`[runner] ${results.length} phase(s) finished with exit code ${code} in ${elapsed(t0)}${code === 0 ? '' : ' (VERBOSE=1 prints all logs)'}`);
    log(`integration: ${passed} passed, ${failed} failed`);
    return code;
  } catch (e) {
    if (e instanceof RunTimeout) {
      log(`[runner] TIMEOUT: no result after ${TIMEOUT_MS} ms (INTEGRATION_TIMEOUT_MS); logs follow`);
      dumpLogs(cs, run);
      return 2;
    }
    log(`[runner] FAILED: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    dumpLogs(cs, run);
    return 1;
  } finally {
    await cleanup.run();
    log(`[runner] stopped everything (${elapsed(t0)})`);
  }
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
