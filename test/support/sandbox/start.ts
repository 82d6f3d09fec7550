/**
 * `npm start`: try the extension without an AWS account. Starts the local sandbox (radosgw S3 + CodeArtifact and STS
 * stubs + temporary AWS config/credentials), writes a sample workspace (.sandbox/workspace), packages the extension
 * as a .vsix (the same bundle users install) and installs it into a scratch code-server, then prints the URL to open.
 * Ctrl-C stops everything.
 *
 *   --headless-check (or SANDBOX_HEADLESS_CHECK=1): start everything, open the URL once in headless chromium, check
 *   that the workbench shows the extension's commands, save .vscode-test/screenshots/sandbox-*.png, stop, exit 0/1.
 *   SANDBOX_PORT=NNNN picks the port (default: a free one).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { indexUrl, startSandbox, type Sandbox } from './index';
import { REPO_ROOT, runCodeServerCli, scratchDirs, startCodeServer } from '../vscode/codeServer';
import { Cleanup } from '../vscode/cleanup';
import type { Page } from 'playwright-core';
import { launchChromium, payloadUrl, runFromPalette, VIEWPORT } from '../vscode/workbench';

const EXTENSION_ID = 'codeartifact-tools.codeartifact-token-refresher';
const WORKSPACE = path.join(REPO_ROOT, '.sandbox', 'workspace');
const SCREENSHOTS = path.join(REPO_ROOT, '.vscode-test', 'screenshots');
/** User settings of the sandbox's workbench, over codeServer.ts's QUIET_SETTINGS. */
export const SANDBOX_SETTINGS: Record<string, unknown> = { 'files.autoSave': 'off' };

/**
 * The sandbox's wiring for pip in the workbench's terminals: CodeArtifact hosts reach the PyPI stand-in through its
 * proxy, trusting its throwaway CA (there is no real DNS or AWS here). Variables a machine may set that would override
 * PIP_CERT or add other package sources are removed. The token is not here: the extension provides it.
 */
export function sandboxTerminalEnv(sandbox: Pick<Sandbox, 'pypi'>): Record<string, string | null> {
  return {
    HTTPS_PROXY: sandbox.pypi.proxyUrl,
    https_proxy: sandbox.pypi.proxyUrl,
    PIP_CERT: sandbox.pypi.caFile,
    REQUESTS_CA_BUNDLE: null,
    CURL_CA_BUNDLE: null,
    PIP_FIND_LINKS: null,
    PIP_INDEX_URL: null,
    PIP_EXTRA_INDEX_URL: null,
    NO_PROXY: null,
    no_proxy: null,
  };
}

function elapsed(t0: number): string {
  return `${((Date.now() - t0) / 1000).toFixed(1)}s`;
}

/**
 * requirements.txt, pip.conf and .vscode/settings.json pointing at the sandbox (synthetic, expired tokens only), and
 * requirements-env.txt, which names no token but `${CODEARTIFACT_AUTH_TOKEN}`: the extension gives new terminals that
 * variable, so `pip install -r requirements-env.txt` works in a terminal you open (through the sandbox's PyPI stand-in).
 */
export function writeSampleWorkspace(dir: string, sandbox: Pick<Sandbox, 'bucket' | 'seedTokens' | 'pypi'>): void {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, '.vscode'), { recursive: true });
  const url = indexUrl(sandbox.seedTokens.primary);
  fs.writeFileSync(path.join(dir, 'requirements.txt'), `--extra-index-url ${url}\nrequests==2.32.3\n`);
  fs.writeFileSync(path.join(dir, 'pip.conf'), `[global]\nextra-index-url = ${url}\n`);
  fs.writeFileSync(path.join(dir, 'requirements-env.txt'), `--index-url ${indexUrl('${CODEARTIFACT_AUTH_TOKEN}')}\n${sandbox.pypi.probe.name}==${sandbox.pypi.probe.version}\n`);
  const settings = {
    'codeartifact.remoteFiles': [{ uri: `s3://${sandbox.bucket}/dags/codeartifact.txt`, profile: 'dev', label: 'MWAA dev (sandbox)' }],
    'codeartifact.profile': 'dev',
  };
  fs.writeFileSync(path.join(dir, '.vscode', 'settings.json'), `${JSON.stringify(settings, null, 2)}\n`);
}

/** Packages the extension like a release (vsce runs vscode:prepublish = production bundle). */
function packageVsix(out: string): { ok: boolean; output: string } {
  const r = spawnSync('npx', ['--no-install', 'vsce', 'package', '--no-dependencies', '--no-rewrite-relative-links', '--allow-missing-repository', '--out', out], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 180_000,
  });
  return { ok: r.status === 0 && fs.existsSync(out), output: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

async function headlessCheck(url: string): Promise<void> {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: VIEWPORT });
    await page.goto(url);
    await page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout: 60_000 });
    await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ state: 'visible', timeout: 30_000 });
    // The installed extension wakes up by itself (no command run) and shows the countdown of the tokens it found in the
    // workspace's files (their expiry is read from the tokens: no AWS call).
    const countdown = page.locator('[id="codeartifact-tools.codeartifact-token-refresher.codeartifact.expiry"]');
    try {
      await countdown.waitFor({ state: 'visible', timeout: 30_000 });
    } catch (e) {
      fs.mkdirSync(SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: path.join(SCREENSHOTS, 'sandbox-workbench-failed.png') });
      throw new Error(`no CodeArtifact countdown in the status bar after start-up (see sandbox-workbench-failed.png): ${(e as Error).message.split('\n')[0]}`);
    }
    const countdownText = (await countdown.innerText()).trim();
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'sandbox-workbench.png') });
    // The command palette lists the extension's commands: the installed bundle's contributions reached the workbench.
    // The installed extension's contributions reach the palette a little after the workbench shows: reopen the
    // palette until its commands are listed, with a deadline.
    const rows = page.locator('.quick-input-list .monaco-list-row', { hasText: 'CodeArtifact' });
    const deadline = Date.now() + 60_000;
    for (;;) {
      await page.locator('.monaco-workbench .part.editor').click(); // keyboard focus into the workbench
      await page.keyboard.press('Escape');
      await page.keyboard.press('F1');
      await page.locator('.quick-input-widget input').waitFor({ state: 'visible', timeout: 15_000 });
      await page.keyboard.type('CodeArtifact');
      try {
        await rows.first().waitFor({ state: 'visible', timeout: 5_000 });
        break;
      } catch (e) {
        if (Date.now() < deadline) continue;
        await page.screenshot({ path: path.join(SCREENSHOTS, 'sandbox-palette-failed.png') });
        throw new Error(`the command palette shows no CodeArtifact command (see sandbox-palette-failed.png): ${(e as Error).message.split('\n')[0]}`);
      }
    }
    const count = await rows.count();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'sandbox-palette.png') });
    await page.keyboard.press('Escape');
    const terminal = await pipInNewTerminal(page);
    console.log(`[start] headless check: workbench loaded, countdown "${countdownText}" in the status bar with no command run, ${count} CodeArtifact commands in the palette; ` +
      `${terminal}; screenshots in ${path.relative(REPO_ROOT, SCREENSHOTS)}/sandbox-{workbench,palette,terminal}.png`);
  } finally {
    await browser.close();
  }
}

/**
 * As a person would: "Terminal: Create New Terminal" from the palette, then type a pip install of requirements-env.txt
 * (which says ${CODEARTIFACT_AUTH_TOKEN}) and Enter. A terminal opened before the extension set the variable does not
 * have it (VS Code marks such terminals as needing a relaunch): then open another one, until a deadline.
 */
async function pipInNewTerminal(page: Page): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ca-start-pip-'));
  const deadline = Date.now() + 120_000;
  try {
    for (let attempt = 1; ; attempt++) {
      const out = path.join(dir, `result-${attempt}.txt`);
      await runFromPalette(page, 'Terminal: Create New Terminal');
      await page.locator('.terminal-wrapper.active .xterm').waitFor({ state: 'visible', timeout: 30_000 });
      await new Promise((r) => setTimeout(r, 1_500)); // the shell's prompt
      // The token is never printed: only whether the variable is set.
      const q = (p: string) => `'${p.replace(/'/g, `'\\''`)}'`;
      const command = `python3 -m pip install --no-cache-dir --disable-pip-version-check --no-input --target ${q(`${dir}/site-${attempt}`)} -r requirements-env.txt > ${q(`${out}.log`)} 2>&1; ` +
        `echo "exit=$? token=\${CODEARTIFACT_AUTH_TOKEN:+set}" > ${q(`${out}.tmp`)}; mv ${q(`${out}.tmp`)} ${q(out)}`;
      await page.keyboard.type(command);
      await page.keyboard.press('Enter');
      const until = Date.now() + 90_000;
      while (!fs.existsSync(out) && Date.now() < until) await new Promise((r) => setTimeout(r, 500));
      const result = fs.existsSync(out) ? fs.readFileSync(out, 'utf8').trim() : 'no result';
      if (result === 'exit=0 token=set') {
        await page.screenshot({ path: path.join(SCREENSHOTS, 'sandbox-terminal.png') });
        return `a new terminal (attempt ${attempt}) had CODEARTIFACT_AUTH_TOKEN and the real pip installed requirements-env.txt through the stand-in`;
      }
      if (Date.now() > deadline || result.includes('token=set')) {
        await page.screenshot({ path: path.join(SCREENSHOTS, 'sandbox-terminal-failed.png') });
        const log = fs.existsSync(`${out}.log`) ? fs.readFileSync(`${out}.log`, 'utf8').replace(/aws:[^@\s]+@/g, 'aws:***@').split('\n').slice(-12).join('\n') : '';
        throw new Error(`pip in a new terminal: ${result} (see sandbox-terminal-failed.png)\n${log}`);
      }
      await new Promise((r) => setTimeout(r, 3_000)); // the variable is not set yet: a new terminal will have it
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  const t0 = Date.now();
  const check = process.argv.includes('--headless-check') || process.env.SANDBOX_HEADLESS_CHECK === '1';
  const cleanup = new Cleanup();
  cleanup.onSignals();
  // One scratch folder for everything: code-server's dirs, the .vsix, and the sandbox's (AWS config and credentials,
  // radosgw data, ~40 MB). Removed on every exit path: normal end, error, Ctrl-C (the sandbox's own SIGINT handler
  // exits before its stop() has removed anything, hence the 'exit' handlers, which run synchronously).
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ca-start-'));
  const removeTmp = () => process.env.KEEP_TMP || fs.rmSync(tmp, { recursive: true, force: true });
  process.on('exit', removeTmp);
  cleanup.add('scratch dir', removeTmp);
  try {
    console.log('[start] starting the local sandbox (radosgw S3, CodeArtifact and STS stubs), ~20 s ...');
    const sandbox = await startSandbox({ dir: path.join(tmp, 'sandbox'), log: (l) => console.log(`[start] ${l}`) });
    // Again after the sandbox's 'exit' handler (it kills radosgw), so no daemon writes into the folder after it went.
    process.on('exit', removeTmp);
    cleanup.add('sandbox', () => sandbox.stop());
    writeSampleWorkspace(WORKSPACE, sandbox);

    const csDir = path.join(tmp, 'code-server');
    const dirs = scratchDirs(csDir);
    const vsix = path.join(tmp, 'codeartifact-token-refresher.vsix');
    let how: string;
    let devPath: string | undefined;
    const packaged = packageVsix(vsix);
    const installed = packaged.ok ? runCodeServerCli(dirs, ['--install-extension', vsix]) : undefined;
    if (packaged.ok && installed?.ok) {
      how = `installed from the packaged .vsix (${(fs.statSync(vsix).size / 1024).toFixed(0)} KiB), as users get it`;
    } else {
      console.log(`[start] WARNING: packaging/installing the .vsix failed; loading the extension from source instead.\n` +
        `${packaged.output}${installed?.output ?? ''}`);
      how = 'loaded from source (extensionDevelopmentPath): packaging the .vsix failed';
      devPath = REPO_ROOT;
    }
    const port = process.env.SANDBOX_PORT ? Number(process.env.SANDBOX_PORT) : undefined;
    // The web workbench auto-saves by default ("afterDelay"): a refreshed file would be saved without being asked.
    // bash: the headless check types a POSIX command into a new terminal.
    const userSettings = { ...SANDBOX_SETTINGS, 'terminal.integrated.env.linux': sandboxTerminalEnv(sandbox), 'terminal.integrated.defaultProfile.linux': 'bash' };
    const cs = await startCodeServer({ dir: csDir, env: sandbox.env, folder: WORKSPACE, userSettings, ...(port ? { port } : {}) });
    cleanup.add('code-server', () => cs.stop());
    const url = devPath ? payloadUrl(cs.url, WORKSPACE, [devPath]) : `${cs.url}/?folder=${encodeURIComponent(WORKSPACE)}`;
    const listed = runCodeServerCli(dirs, ['--list-extensions']).output;
    if (!devPath && !listed.includes(EXTENSION_ID)) throw new Error(`code-server does not list ${EXTENSION_ID}:\n${listed}`);

    const bar = '='.repeat(78);
    console.log([
      '', bar,
      '  LOCAL SANDBOX — no AWS account is used',
      bar,
      `  Open in a browser:  ${url}`,
      `  Extension:          ${how}`,
      `  Workspace:          ${path.relative(REPO_ROOT, WORKSPACE)} (requirements.txt, pip.conf, requirements-env.txt, .vscode/settings.json)`,
      `  Try in a terminal:  python3 -m pip install --target /tmp/ca-try -r requirements-env.txt   (the token comes from the extension)`,
      `  S3 object:          s3://${sandbox.bucket}/dags/codeartifact.txt (profile "dev")`,
      `  AWS profiles:       ${Object.keys(sandbox.profiles).join(', ')} (from ${sandbox.configFile})`,
      `  Local endpoints:    S3 ${sandbox.endpoints.s3}, CodeArtifact ${sandbox.endpoints.codeartifact}, STS ${sandbox.endpoints.sts}`,
      `  PyPI stand-in:      for pip: HTTPS_PROXY=${sandbox.pypi.proxyUrl} PIP_CERT=${sandbox.pypi.caFile} (CodeArtifact hosts only; serves ${sandbox.pypi.probe.name} ${sandbox.pypi.probe.version} for a token issued here)`,
      `  Ready in ${elapsed(t0)}.  Ctrl-C stops everything.`,
      bar, '',
    ].join('\n'));

    if (check) {
      await headlessCheck(url);
      return 0;
    }
    return await new Promise<never>(() => undefined); // until Ctrl-C (Cleanup.onSignals stops everything and exits)
  } catch (e) {
    console.error(`[start] FAILED: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    return 1;
  } finally {
    await cleanup.run();
  }
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
