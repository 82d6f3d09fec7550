/**
 * Starts the real editor (code-server 1.100.3 in headless chromium, the integration harness's pieces) against a running
 * sandbox, with out/test/bench/editor/index.js as `extensionTestsPath` (so the extension runs in test mode and returns
 * its test API), waits for it to finish, and returns what it measured.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Sandbox } from '../../support/sandbox';
import { startControlServer } from '../../support/sandbox/control';
import { CONTROL_URL_ENV } from '../../support/sandbox/controlClient';
import { Cleanup } from '../../support/vscode/cleanup';
import { assertCodeServerInstalled, REPO_ROOT, startCodeServer } from '../../support/vscode/codeServer';
import { HOOKS_DIR_ENV, RUNNER_ENV } from '../../support/vscode/hookProtocol';
import { launchChromium, payloadUrl, startTestRun } from '../../support/vscode/workbench';
import { makeWorkspace, sandboxEnvMarkers } from '../../runIntegration';
import { BENCH_LATENCY_CA_ENV, BENCH_LATENCY_S3_ENV, BENCH_RESULT_FILE_ENV, type EditorResult } from '../shared';

export const BENCH_TESTS_PATH = path.join(REPO_ROOT, 'out', 'test', 'bench', 'editor', 'index.js');

export async function runEditorBench(
  sandbox: Sandbox,
  latency: { s3: string; codeartifact: string },
  log: (line: string) => void,
  timeoutMs = 240_000,
): Promise<{ result?: EditorResult; notMeasured?: string; startupMs?: number }> {
  try {
    assertCodeServerInstalled();
  } catch (e) {
    return { notMeasured: (e as Error).message };
  }
  const t0 = Date.now();
  const cleanup = new Cleanup();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ca-bench-editor-'));
  cleanup.add('scratch dir', () => fs.rmSync(tmp, { recursive: true, force: true }));
  const lines: string[] = [];
  try {
    const control = await startControlServer(sandbox);
    cleanup.add('control server', () => control.stop());
    const workspace = makeWorkspace(tmp);
    const resultFile = path.join(tmp, 'bench-result.json');
    const hooks = path.join(tmp, 'hooks');
    fs.mkdirSync(hooks);
    const env: Record<string, string> = {
      ...sandbox.env,
      ...sandboxEnvMarkers(sandbox.env),
      [CONTROL_URL_ENV]: control.url,
      [RUNNER_ENV]: 'code-server',
      [HOOKS_DIR_ENV]: hooks,
      [BENCH_RESULT_FILE_ENV]: resultFile,
      [BENCH_LATENCY_S3_ENV]: latency.s3,
      [BENCH_LATENCY_CA_ENV]: latency.codeartifact,
    };
    // The fixture's pip.conf references ${CODEARTIFACT_AUTH_TOKEN}: the terminal environment would fetch a token at
    // start-up and load the SDK before the bench's first refresh, which then measures neither the lazy load nor its own
    // requests alone. Off here (a user setting: the fixture's workspace settings do not set it); the integration tier
    // covers that start-up call.
    const userSettings = { 'codeartifact.terminalEnvironment.enabled': false };
    const cs = await startCodeServer({ dir: path.join(tmp, 'code-server'), env, folder: workspace, userSettings });
    cleanup.add('code-server', () => cs.stop());
    const browser = await launchChromium();
    cleanup.add('chromium', () => browser.close());
    const run = await startTestRun({
      browser,
      url: payloadUrl(cs.url, workspace, [REPO_ROOT], BENCH_TESTS_PATH),
      hooksDir: hooks,
      onLog: (l) => lines.push(l),
    });
    cleanup.add('test run', () => run.dispose());
    const startupMs = Date.now() - t0;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), timeoutMs)));
    const code = await Promise.race([run.exitCode, timedOut]);
    clearTimeout(timer);
    if (code !== 0 || !fs.existsSync(resultFile)) {
      const tail = lines.filter((l) => /error|fail|Error/.test(l)).slice(-5).join(' | ');
      return { notMeasured: `editor bench ${code === 'timeout' ? `timed out after ${timeoutMs} ms` : `exited with ${code}`}${tail ? `: ${tail}` : ''}` };
    }
    return { result: JSON.parse(fs.readFileSync(resultFile, 'utf8')) as EditorResult, startupMs };
  } catch (e) {
    return { notMeasured: `editor bench failed: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}` };
  } finally {
    if (process.env.VERBOSE) for (const l of lines) log(l);
    await cleanup.run();
  }
}
