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
 *   [[harness:wait TEXT]]        wait until TEXT shows in a notification, quick pick or dialog
 *   [[harness:statusbar DOM-ID]] the text and aria-label of a status bar item as rendered ('' when absent or hidden)
 *   [[harness:palette TEXT]]     open the command palette, type TEXT, answer whether a command labelled TEXT is listed
 *   [[harness:quickpick ACTION]] in the open quick pick: `button TOOLTIP @@ ROW` clicks a row's item button (e.g. "Open
 *                                diff"), `accept` clicks OK, `dismiss` presses Escape in it
 * A value travels back in the `.done` file ("ok <JSON>", see hookProtocol.ts).
 *
 * Launcher mode runs in phases (see runIntegration.ts): TestRun.phaseResult() waits for a phase's result file and
 * TestRun.reload() reloads the workbench the way a person does ("Developer: Reload Window" from the palette), which
 * starts a new extension host.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as util from 'node:util';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { doneText, hookKey, HOOK_PATTERN, type PhaseResult, type RenderedStatusItem } from './hookProtocol';

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
export const VIEWPORT = { width: 1280, height: 800 };

/** Headless chromium's switches for every launch here. */
const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run',
];

function assertChromium(): void {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`chromium not found at ${CHROMIUM}: apt-get install chromium (or run node test/support/setup.js --for test)`);
  }
}

export async function launchChromium(): Promise<Browser> {
  assertChromium();
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...CHROMIUM_ARGS] });
}

/**
 * Chromium with its profile in `userDataDir` (the integration runner scans it afterwards: in the web workbench,
 * extensions' global and workspace state live in the browser's IndexedDB).
 */
export async function launchChromiumWithProfile(userDataDir: string): Promise<BrowserContext> {
  assertChromium();
  return chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, headless: true, viewport: VIEWPORT, args: [...CHROMIUM_ARGS] });
}

/** URL that opens FOLDER with the extensions under development (and, if given, their tests) in the remote extension host. */
export function payloadUrl(serverUrl: string, folder: string, extensionDevelopmentPaths: string[], extensionTestsPath?: string): string {
  const authority = new URL(serverUrl).host; // code-server uses the page's host as the remote authority
  const payload: [string, string][] = extensionDevelopmentPaths.map((p) => ['extensionDevelopmentPath', `vscode-remote://${authority}${p}`]);
  if (extensionTestsPath) payload.push(['extensionTestsPath', `vscode-remote://${authority}${extensionTestsPath}`]);
  return `${serverUrl}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

export interface TestRunOptions {
  /** A browser, or a persistent context (launchChromiumWithProfile). */
  browser: Browser | BrowserContext;
  url: string;
  /** Where screenshots and `.done` files go; the tests get it as HARNESS_SCREENSHOT_DIR. */
  hooksDir: string;
  /**
   * Launcher mode (no extensionTestsPath, see launcher/extension.js): each phase's result arrives in a file
   * (phaseResult()) and the extension host's console in the page's console. Without it the workbench's
   * codeAutomationLog/-Exit are used and exitCode resolves.
   */
  launcher?: boolean;
  /** One line of extension-host / workbench console output. */
  onLog: (line: string) => void;
}

export interface TestRun {
  page: Page;
  /** Resolves with the suite's exit code (extensionTestsPath mode; never in launcher mode: use phaseResult). */
  exitCode: Promise<number>;
  /** Launcher mode: waits for the phase's result file, lets the console drain and pending hooks finish, returns it. */
  phaseResult(file: string): Promise<PhaseResult>;
  /** Reloads the workbench as a person does (palette, "Developer: Reload Window"); resolves once it shows again. */
  reload(): Promise<{ ms: number }>;
  /** Log files the workbench attached to codeAutomationExit (extensionTestsPath mode only). */
  exitLogs(): { relativePath: string; contents: string }[];
  /** Stops waiting for the result file. */
  dispose(): void;
}

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

/** The status bar item with DOM id `id` (extension items: `<publisher>.<name>.<item id>`), as a person sees it. */
export async function statusBarText(page: Page, id: string): Promise<RenderedStatusItem> {
  const item = page.locator(`.part.statusbar .statusbar-item[id="${id.replace(/["\\]/g, '\\$&')}"]`);
  if ((await item.count()) === 0 || !(await item.first().isVisible())) return { text: '', ariaLabel: '' };
  const label = item.first().locator('.statusbar-item-label');
  const text = (await label.innerText()).replace(/\s+/g, ' ').trim();
  const ariaLabel = (await label.getAttribute('aria-label')) ?? (await item.first().getAttribute('aria-label')) ?? '';
  return { text, ariaLabel };
}

/**
 * Acts on the open quick pick as a person does with the mouse and keyboard: `button TOOLTIP @@ ROW` hovers the row
 * whose label is ROW and clicks its item button titled TOOLTIP; `accept` clicks the OK button (multi-select picks);
 * `dismiss` presses Escape in its input.
 */
export async function quickPickAction(page: Page, arg: string, timeoutMs = 15_000): Promise<void> {
  const widget = page.locator('.quick-input-widget').filter({ visible: true }).first();
  await widget.waitFor({ state: 'visible', timeout: timeoutMs });
  if (arg === 'accept') {
    await widget.locator('.quick-input-action .monaco-button').filter({ hasText: /^\s*OK\s*$/ }).first().click({ timeout: timeoutMs });
  } else if (arg === 'dismiss') {
    await widget.locator('.quick-input-box input').first().focus();
    await page.keyboard.press('Escape');
  } else if (arg.startsWith('button ')) {
    const [tooltip, label] = arg.slice('button '.length).split(' @@ ');
    const rows = widget.locator('.quick-input-list .monaco-list-row');
    const row = rows.filter({ has: page.locator('.label-name', { hasText: new RegExp(`^\\s*${escapeRegExp(label)}\\s*$`) }) }).first();
    try {
      await row.waitFor({ state: 'visible', timeout: timeoutMs });
    } catch (e) {
      const seen = await rows.allInnerTexts().catch(() => []);
      throw new Error(`${(e as Error).message.split('\n')[0]}; rows: ${JSON.stringify(seen.map((t) => t.split('\n')[0]))}`);
    }
    await row.hover();
    await row.locator(`.action-label[aria-label="${tooltip.replace(/["\\]/g, '\\$&')}"]`).first().click({ timeout: timeoutMs });
  } else {
    throw new Error(`quickpick: unknown action "${arg}" (button TOOLTIP @@ ROW, accept, dismiss)`);
  }
}

const PALETTE_INPUT = '.quick-input-widget .quick-input-box input';
const PALETTE_ROWS = '.quick-input-widget .quick-input-list .monaco-list-row';

/** Opens the command palette (F1) and types `text` after its ">"; the palette is left open. */
async function typeInPalette(page: Page, text: string): Promise<void> {
  await page.keyboard.press('Escape'); // close a quick pick or palette left open
  await page.keyboard.press('F1');
  const input = page.locator(PALETTE_INPUT).filter({ visible: true });
  await input.first().waitFor({ state: 'visible', timeout: 15_000 });
  await input.first().fill(`>${text}`);
}

/** The palette row whose label is exactly `text`, waiting up to `timeoutMs` for the list to show it. */
async function paletteRow(page: Page, text: string, timeoutMs: number): Promise<import('playwright-core').Locator | undefined> {
  const rows = page.locator(PALETTE_ROWS).filter({ visible: true });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const texts = await rows.allInnerTexts().catch(() => [] as string[]);
    const i = texts.findIndex((t) => t.split('\n').some((line) => line.trim() === text));
    if (i >= 0) return rows.nth(i);
    if (Date.now() > deadline) return undefined;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Whether the command palette lists a command labelled exactly `text` (e.g. "CodeArtifact: Refresh Tokens in This
 * File"), as a person would check: F1, type, look, Escape. A command hidden by its `when` clause is not listed.
 */
export async function paletteHas(page: Page, text: string, timeoutMs = 3_000): Promise<boolean> {
  await typeInPalette(page, text);
  try {
    return (await paletteRow(page, text, timeoutMs)) !== undefined;
  } finally {
    await page.keyboard.press('Escape');
  }
}

/** Runs the command labelled `text` from the command palette (fails when the palette does not list it). */
export async function runFromPalette(page: Page, text: string, timeoutMs = 15_000): Promise<void> {
  await typeInPalette(page, text);
  const row = await paletteRow(page, text, timeoutMs);
  if (!row) {
    const seen = await page.locator(PALETTE_ROWS).allInnerTexts().catch(() => []);
    await page.keyboard.press('Escape');
    throw new Error(`the command palette does not list "${text}"; listed: ${JSON.stringify(seen.slice(0, 10))}`);
  }
  await row.click();
}

/**
 * "Developer: Reload Window" from the palette, as a person does: the workbench shuts down (saving its editors and
 * state), the page loads again and connects a new extension host. Resolves once the new page's workbench shows.
 */
export async function reloadWorkbench(page: Page, timeoutMs = 60_000): Promise<void> {
  const oldDocument = await page.evaluate(() => performance.timeOrigin);
  const loaded = page.waitForEvent('load', { timeout: timeoutMs });
  await runFromPalette(page, 'Developer: Reload Window');
  await loaded;
  const newDocument = await page.evaluate(() => performance.timeOrigin);
  if (newDocument === oldDocument) throw new Error('the page did not load again after "Developer: Reload Window"');
  await page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout: timeoutMs });
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

/**
 * Writes `<file>.tmp`, then renames it to `file`: a reader polling for the file never sees it half-written (the tests
 * poll for `.done` files, the launcher reads the phase file).
 */
export function writeAtomically(file: string, text: string): void {
  fs.writeFileSync(`${file}.tmp`, text);
  fs.renameSync(`${file}.tmp`, file);
}

export async function startTestRun(opts: TestRunOptions): Promise<TestRun> {
  const page = 'newContext' in opts.browser ? await opts.browser.newPage({ viewport: VIEWPORT }) : await opts.browser.newPage();
  let resolveExit!: (code: number) => void;
  const exitCode = new Promise<number>((r) => (resolveExit = r));
  let logs: { relativePath: string; contents: string }[] = [];
  // Hooks run one at a time, in the order the tests asked for them.
  let queue: Promise<void> = Promise.resolve();

  const runHook = (verb: string, arg: string) => {
    queue = queue.then(async () => {
      const done = path.join(opts.hooksDir, `${hookKey(verb, arg)}.done`);
      try {
        let value: unknown;
        if (verb === 'screenshot') await screenshot(page, path.join(opts.hooksDir, `${arg}.png`));
        // Only where a person would read it: toasts, quick picks, dialogs (not the screen reader's live region).
        else if (verb === 'wait') await page.locator('.notifications-toasts, .quick-input-widget, .monaco-dialog-box').getByText(arg, { exact: false }).filter({ visible: true }).first().waitFor({ state: 'visible', timeout: 15_000 });
        else if (verb === 'statusbar') value = await statusBarText(page, arg);
        else if (verb === 'palette') value = await paletteHas(page, arg);
        else if (verb === 'quickpick') await quickPickAction(page, arg);
        else await clickButton(page, arg);
        writeAtomically(done, doneText(value));
        opts.onLog(`[harness] ${verb} ${arg}: done${value === undefined ? '' : ` (${JSON.stringify(value)})`}`);
      } catch (e) {
        const msg = e instanceof Error ? e.message.split('\n')[0] : String(e);
        writeAtomically(done, `error: ${msg}`);
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
  const polls = new Set<NodeJS.Timeout>();
  let lastConsoleAt = Date.now();
  if (opts.launcher) {
    // Console messages are read in order (their arguments are fetched asynchronously). The listener stays across
    // reloads: Playwright's page outlives the document.
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

  const phaseResult = (file: string) =>
    new Promise<PhaseResult>((resolve, reject) => {
      let seenAt: number | undefined;
      const poll = setInterval(() => {
        if (!fs.existsSync(file)) return;
        // The extension host's console reaches the page asynchronously: let it drain (quiet for 500 ms, at most 5 s).
        seenAt ??= Date.now();
        if (Date.now() - lastConsoleAt < 500 && Date.now() - seenAt < 5_000) return;
        clearInterval(poll);
        polls.delete(poll);
        try {
          const r = JSON.parse(fs.readFileSync(file, 'utf8')) as PhaseResult;
          void consoleChain.then(() => queue).then(() => resolve(r));
        } catch (e) {
          reject(new Error(`unreadable phase result ${file}: ${(e as Error).message}`));
        }
      }, 200);
      polls.add(poll);
    });

  const reload = async () => {
    await consoleChain.then(() => queue); // no hook in flight: it would act on the page being unloaded
    const t = Date.now();
    await reloadWorkbench(page);
    return { ms: Date.now() - t };
  };

  await page.goto(opts.url);
  return {
    page,
    exitCode,
    phaseResult,
    reload,
    exitLogs: () => logs,
    dispose: () => {
      for (const p of polls) clearInterval(p);
      polls.clear();
    },
  };
}
