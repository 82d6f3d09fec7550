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

/** URL that opens FOLDER with the extensions under development (and, if given, their tests) in the remote extension host. */
export function payloadUrl(serverUrl: string, folder: string, extensionDevelopmentPaths: string[], extensionTestsPath?: string): string {
  const authority = new URL(serverUrl).host; // code-server uses the page's host as the remote authority
  const payload: [string, string][] = extensionDevelopmentPaths.map((p) => ['extensionDevelopmentPath', `vscode-remote://${authority}${p}`]);
  if (extensionTestsPath) payload.push(['extensionTestsPath', `vscode-remote://${authority}${extensionTestsPath}`]);
  return `${serverUrl}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

export interface TestRunOptions {
  browser: Browser;
  url: string;
  /** Where screenshots and `.done` files go; the tests get it as HARNESS_SCREENSHOT_DIR. */
  hooksDir: string;
  /**
   * Launcher mode (no extensionTestsPath, see launcher/extension.js): the suite's result arrives in this file and the
   * extension host's console in the page's console. Without it the workbench's codeAutomationLog/-Exit are used.
   */
  resultFile?: string;
  /** One line of extension-host / workbench console output. */
  onLog: (line: string) => void;
}

export interface TestRun {
  page: Page;
  /** Resolves with the suite's exit code. */
  exitCode: Promise<number>;
  /** Log files the workbench attached to codeAutomationExit (extensionTestsPath mode only). */
  exitLogs(): { relativePath: string; contents: string }[];
  /** Stops waiting for the result file. */
  dispose(): void;
}

/** Clicks the visible button TEXT in a notification toast, the notification centre or a modal dialog. */
/**
 * Clicks the visible button `text` in a notification or a modal dialog. `text @@ context` narrows the search to the
 * notification whose message contains `context` (several progress notifications can each show "Cancel").
 * Afterwards the pointer moves off the notifications: toasts under the pointer are never hidden, so finished
 * progress notifications would pile up there and later clicks could hit a stale one.
 */
export async function clickButton(page: Page, arg: string, timeoutMs = 15_000): Promise<void> {
  const [text, context] = arg.split(' @@ ');
  const scope = context
    ? page.locator('.notifications-toasts .notification-list-item, .notifications-center .notification-list-item').filter({ hasText: context })
    : page.locator('.notifications-toasts, .notifications-center, .monaco-dialog-box');
  const button = scope.locator('.monaco-button').filter({ hasText: new RegExp(`^\\s*${escapeRegExp(text)}\\s*$`) }).filter({ visible: true });
  try {
    await button.first().waitFor({ state: 'visible', timeout: timeoutMs });
  } catch (e) {
    // Say what was on screen instead: the notifications' texts and the buttons they offered.
    const seen = await page.locator('.notification-list-item, .monaco-dialog-box').allInnerTexts().catch(() => []);
    throw new Error(`${(e as Error).message.split('\n')[0]}; visible: ${JSON.stringify(seen.map((t) => t.replace(/\s+/g, ' ').trim()))}`);
  }
  await button.first().click();
  await page.mouse.move(VIEWPORT.width / 2, 10);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export async function screenshot(page: Page, file: string): Promise<void> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // Finish CSS transitions first (toasts fade in): the picture shows the settled UI.
  await page.screenshot({ path: file, animations: 'disabled' });
}

/**
 * The workbench prints an extension-host console call as console.log('%c[Extension Host] %c' + fmt, 'color: blue',
 * 'color: ', ...args); rebuild the original line. Returns undefined for other messages (the caller uses m.text()).
 */
export function formatConsoleArgs(args: unknown[]): string | undefined {
  const head = args[0];
  const prefix = '%c[Extension Host] %c';
  if (typeof head !== 'string' || !head.startsWith(prefix)) return undefined;
  const fmt = head.slice(prefix.length).replace(/ %c\(.*\)$/s, '');
  const rest = args.slice(3).filter((a) => !(typeof a === 'string' && /^color: /.test(a)));
  return util.format(fmt, ...rest);
}

/** Atomically (write, then rename): the test polls for the file and must never read it half-written. */
function writeDone(file: string, text: string): void {
  fs.writeFileSync(`${file}.tmp`, text);
  fs.renameSync(`${file}.tmp`, file);
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
        // Only where a person would read it: toasts, quick picks, dialogs (not the screen reader's live region).
        else if (verb === 'wait') await page.locator('.notifications-toasts, .quick-input-widget, .monaco-dialog-box').getByText(arg, { exact: false }).filter({ visible: true }).first().waitFor({ state: 'visible', timeout: 15_000 });
        else await clickButton(page, arg);
        writeDone(done, 'ok');
        opts.onLog(`[harness] ${verb} ${arg}: done`);
      } catch (e) {
        const msg = e instanceof Error ? e.message.split('\n')[0] : String(e);
        writeDone(done, `error: ${msg}`);
        opts.onLog(`[harness] ${verb} ${arg}: FAILED ${msg}`);
      }
    });
  };
  const onLine = (prefix: string, line: string) => {
    opts.onLog(`${prefix} ${line}`);
    for (const m of line.matchAll(HOOK_PATTERN)) runHook(m[1], m[2]);
  };
  let consoleChain: Promise<void> = Promise.resolve();
  const finish = (code: number) => void consoleChain.then(() => queue).then(() => resolveExit(code));

  page.on('pageerror', (e) => opts.onLog(`[pageerror] ${e.message}`));
  let poll: NodeJS.Timeout | undefined;
  let lastConsoleAt = Date.now();
  if (opts.resultFile) {
    const resultFile = opts.resultFile;
    // Console messages are read in order (their arguments are fetched asynchronously).
    page.on('console', (m) => {
      lastConsoleAt = Date.now();
      consoleChain = consoleChain.then(async () => {
        const args = await Promise.all(m.args().map((a) => a.jsonValue().catch(() => '<unserializable>')));
        const exthost = formatConsoleArgs(args);
        // The workbench's own chatter (iframe warnings, ...) only with VERBOSE; its errors always.
        if (exthost !== undefined) onLine(`[exthost ${m.type()}]`, exthost);
        else if (process.env.VERBOSE || m.type() === 'error') opts.onLog(`[workbench ${m.type()}] ${m.text()}`);
      });
    });
    let resultSeenAt: number | undefined;
    poll = setInterval(() => {
      if (!fs.existsSync(resultFile)) return;
      // The extension host's console reaches the page asynchronously: let it drain (quiet for 500 ms, at most 5 s).
      resultSeenAt ??= Date.now();
      if (Date.now() - lastConsoleAt < 500 && Date.now() - resultSeenAt < 5_000) return;
      clearInterval(poll);
      try {
        const r = JSON.parse(fs.readFileSync(resultFile, 'utf8')) as { code?: unknown; summary?: { passed: number; failed: number; failures?: { title: string; error: string }[] } };
        for (const f of r.summary?.failures ?? []) opts.onLog(`[failed] ${f.title}\n${f.error}`);
        if (r.summary) opts.onLog(`integration: ${r.summary.passed} passed, ${r.summary.failed} failed`);
        finish(typeof r.code === 'number' ? r.code : 1);
      } catch {
        finish(1);
      }
    }, 200);
  } else {
    await page.exposeFunction('codeAutomationLog', (type: string, args: unknown) => {
      onLine(`[vscode ${type}]`, util.format(...(Array.isArray(args) ? args : [args])));
    });
    await page.exposeFunction('codeAutomationExit', (code: number, exitLogs?: { relativePath: string; contents: string }[]) => {
      logs = Array.isArray(exitLogs) ? exitLogs : [];
      // Let pending hooks finish so a test's last screenshot is written before the browser closes.
      finish(typeof code === 'number' ? code : 1);
    });
  }
  await page.goto(opts.url);
  return { page, exitCode, exitLogs: () => logs, dispose: () => clearInterval(poll) };
}
