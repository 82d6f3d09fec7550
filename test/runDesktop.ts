/**
 * Desktop runner (`npm run test:integration:desktop`): the same suite (out/test/integration/index.js) in desktop VS Code
 * through @vscode/test-electron, against the same sandbox, the environment passed via `extensionTestsEnv`.
 *
 * test-electron downloads VS Code from the internet. Machines that reach only the npm registry (this project's dev and
 * CI machines) cannot: use `npm run test:integration` (code-server runner) there. With a local VS Code, point
 * VSCODE_EXECUTABLE at it to skip the download. The browser hooks (screenshot/clickButton) are not available here and
 * say so; VS Code refuses modal dialogs in extension-tests mode anyway.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { startSandbox } from './support/sandbox';
import { startControlServer } from './support/sandbox/control';
import { CONTROL_URL_ENV } from './support/sandbox/controlClient';
import { REPO_ROOT } from './support/vscode/codeServer';
import { Cleanup } from './support/vscode/cleanup';
import { RUNNER_ENV } from './support/vscode/hookProtocol';
import { assertBuilt, EXTENSION_TESTS_PATH, makeWorkspace, sandboxEnvMarkers } from './runIntegration';

async function main(): Promise<number> {
  assertBuilt();
  const cleanup = new Cleanup();
  cleanup.onSignals();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ca-desktop-'));
  cleanup.add('scratch dir', () => fs.rmSync(tmp, { recursive: true, force: true }));
  try {
    const sandbox = await startSandbox({ log: (l) => console.log(`[sandbox] ${l}`) });
    cleanup.add('sandbox', () => sandbox.stop());
    const control = await startControlServer(sandbox);
    cleanup.add('sandbox control server', () => control.stop());
    const workspace = makeWorkspace(tmp);
    // extensionTestsEnv is merged over VS Code's environment; blank out the developer's own AWS_* variables.
    const inheritedAws = Object.fromEntries(Object.keys(process.env).filter((k) => k.startsWith('AWS_')).map((k) => [k, undefined]));
    const extensionTestsEnv: Record<string, string | undefined> = {
      ...inheritedAws,
      ...sandbox.env,
      ...sandboxEnvMarkers(sandbox.env),
      [CONTROL_URL_ENV]: control.url,
      [RUNNER_ENV]: 'test-electron',
    };
    const vscodeExecutablePath = process.env.VSCODE_EXECUTABLE;
    try {
      return await runTests({
        extensionDevelopmentPath: REPO_ROOT,
        extensionTestsPath: EXTENSION_TESTS_PATH,
        extensionTestsEnv,
        ...(vscodeExecutablePath ? { vscodeExecutablePath } : { version: '1.100.3' }),
        launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--user-data-dir', path.join(tmp, 'user-data')],
      });
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      if (!vscodeExecutablePath) {
        console.error(`[desktop] could not get desktop VS Code: ${msg}\n` +
          '[desktop] @vscode/test-electron downloads VS Code from the internet, which this machine cannot reach (only the npm registry).\n' +
          '[desktop] Run the same suite in the real VS Code workbench with `npm run test:integration` (code-server + headless chromium),\n' +
          '[desktop] or set VSCODE_EXECUTABLE=/path/to/code to use a VS Code that is already installed.');
      } else {
        console.error(`[desktop] VS Code at ${vscodeExecutablePath} failed: ${msg}`);
      }
      return 1;
    }
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
