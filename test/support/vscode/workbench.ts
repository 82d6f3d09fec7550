/**
 * Opens code-server's workbench in Debian's headless chromium (playwright-core) and, for test runs, loads the
 * extension under development plus its tests through the `payload` URL parameter (the mechanism @vscode/test-web and
 * VS Code's own browser tests use). The workbench forwards the extension host's console to `codeAutomationLog` and the
 * suite's result to `codeAutomationExit`.
 *
 * Test hooks: code inside the extension host cannot reach the browser, so it prints magic lines that this driver acts
 * on, then writes `<hooksDir>/<key>.done` ("ok" or "error: ...") that the test polls for (see harnessClient.ts):
 *   [[harness:screenshot NAME]]  full workbench screenshot to <hooksDir>/NAME.png
 *   [[harness:click TEXT]]       click the visible button TEXT in a notification or a modal dialog
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as util from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';
import { hookKey, HOOK_PATTERN } from './hookProtocol';

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
export const VIEWPORT = { width: 1280, height: 800 };

export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`chromium not found at ${CHROMIUM}: apt-get install chromium (or run node test/support/setup.js --for test)`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run',
    ],
  });
}

/** URL that opens FOLDER and runs the extension under development with its tests in the remote extension host. */
export function payloadUrl(serverUrl: string, folder: string, extensionDevelopmentPath: string, extensionTestsPath?: string): string {
  const authority = new URL(serverUrl).host; // code-server uses the page's host as the remote authority
  const payload: [string, string][] = [['extensionDevelopmentPath', `vscode-remote://${authority}${extensionDevelopmentPath}`]];
  if (extensionTestsPath) payload.push(['extensionTestsPath', `vscode-remote://${authority}${extensionTestsPath}`]);
  return `${serverUrl}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

export interface TestRunOptions {
  browser: Browser;
  url: string;
  /** Where screenshots and `.done` files go; the tests get it as HARNESS_HOOKS_DIR. */
  hooksDir: string;
  /** One line of extension-host console output. */
  onLog: (line: string) => void;
}

export interface TestRun {
  page: Page;
  /** Resolves with the suite's exit code (codeAutomationExit). */
  exitCode: Promise<number>;
  /** Log files the workbench attached to codeAutomationExit. */
  exitLogs(): { relativePath: string; contents: string }[];
}

/** Clicks the visible button TEXT in a notification toast, the notification centre or a modal dialog. */
export async function clickButton(page: Page, text: string, timeoutMs = 15_000): Promise<void> {
  const scope = page.locator('.notifications-toasts, .notifications-center, .monaco-dialog-box');
  const button = scope.locator('.monaco-button').filter({ hasText: new RegExp(`^\\s*${escapeRegExp(text)}\\s*$`) }).filter({ visible: true });
  await button.first().waitFor({ state: 'visible', timeout: timeoutMs });
  await button.first().click();
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export async function screenshot(page: Page, file: string): Promise<void> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  await page.screenshot({ path: file });
}

export async function startTestRun(opts: TestRunOptions): Promise<TestRun> {
  const page = await opts.browser.newPage({ viewport: VIEWPORT });
  let resolveExit!: (code: number) => void;
  const exitCode = new Promise<number>((r) => (resolveExit = r));
  let logs: { relativePath: string; contents: string }[] = [];
  // Hooks run one at a time, in the order the tests asked for them.
  let queue: Promise<void> = Promise.resolve();

  const runHook = (verb: string, arg: string) => {
    queue = queue.then(async () => {
      const done = path.join(opts.hooksDir, `${hookKey(verb, arg)}.done`);
      try {
        if (verb === 'screenshot') await screenshot(page, path.join(opts.hooksDir, `${arg}.png`));
        else await clickButton(page, arg);
        fs.writeFileSync(done, 'ok');
        opts.onLog(`[harness] ${verb} ${arg}: done`);
      } catch (e) {
        const msg = e instanceof Error ? e.message.split('\n')[0] : String(e);
        fs.writeFileSync(done, `error: ${msg}`);
        opts.onLog(`[harness] ${verb} ${arg}: FAILED ${msg}`);
      }
    });
  };

  page.on('pageerror', (e) => opts.onLog(`[pageerror] ${e.message}`));
  await page.exposeFunction('codeAutomationLog', (type: string, args: unknown) => {
    const line = util.format(...(Array.isArray(args) ? args : [args]));
    opts.onLog(`[exthost ${type}] ${line}`);
    for (const m of line.matchAll(HOOK_PATTERN)) runHook(m[1], m[2]);
  });
  await page.exposeFunction('codeAutomationExit', (code: number, exitLogs?: { relativePath: string; contents: string }[]) => {
    logs = Array.isArray(exitLogs) ? exitLogs : [];
    // Let pending hooks finish so a test's last screenshot is written before we close the browser.
    void queue.then(() => resolveExit(typeof code === 'number' ? code : 1));
  });
  await page.goto(opts.url);
  return { page, exitCode, exitLogs: () => logs };
}
