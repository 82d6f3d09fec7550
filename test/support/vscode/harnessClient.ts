/**
 * Test-side helpers for hooks that need the browser (screenshots, clicking a real modal's button). The test code runs
 * in the extension host and cannot reach the page, so it prints a magic line on the console; the code-server runner
 * acts on the page and writes a `.done` file that we poll for (with a deadline). Under a runner without the hooks
 * (test-electron) these fail with a clear message: a test that needs them must not pass silently.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { HOOKS_DIR_ENV, PHASE_FILE_ENV, RUNNER_ENV, hookKey, hookLine, parseDone, type HookVerb, type PhaseFile, type RenderedStatusItem } from './hookProtocol';

const POLL_MS = 50;

function hooksDir(what: string): string {
  const dir = process.env[HOOKS_DIR_ENV];
  if (!dir) {
    const runner = process.env[RUNNER_ENV] ?? 'an unknown runner';
    throw new Error(`${what} needs the code-server runner (npm run test:integration), which drives the browser; ` +
      `this extension host was started by ${runner}, which cannot.`);
  }
  return dir;
}

async function request(verb: HookVerb, arg: string, timeoutMs: number): Promise<unknown> {
  const dir = hooksDir(`harness ${verb}`);
  const done = path.join(dir, `${hookKey(verb, arg)}.done`);
  fs.rmSync(done, { force: true });
  console.log(hookLine(verb, arg));
  const deadline = Date.now() + timeoutMs;
  while (!fs.existsSync(done)) {
    if (Date.now() > deadline) throw new Error(`harness ${verb} "${arg}": the runner did not answer within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  const result = fs.readFileSync(done, 'utf8');
  fs.rmSync(done, { force: true });
  return parseDone(result, `harness ${verb} "${arg}"`);
}

/** Full-workbench screenshot (1280x800) to `<HARNESS_SCREENSHOT_DIR>/<name>.png`; returns that path. */
export async function screenshot(name: string, timeoutMs = 30_000): Promise<string> {
  if (!/^[A-Za-z0-9._-]+$/.test(name)) throw new Error(`screenshot name "${name}": use letters, digits, ".", "_" or "-"`);
  await request('screenshot', name, timeoutMs);
  return path.join(hooksDir('screenshot'), `${name}.png`);
}

/**
 * Clicks the visible button `text` in a notification or a modal dialog (e.g. answer a real "Write" modal); with
 * `inNotificationWith`, only in the notification whose message contains that text. Start the
 * command that shows it first without awaiting it, then call this, then await the command.
 */
export async function clickButton(text: string, timeoutMs = 30_000, inNotificationWith?: string): Promise<void> {
  await request('click', inNotificationWith ? `${text} @@ ${inNotificationWith}` : text, timeoutMs);
}

/** Waits until `text` is visible somewhere in the workbench (a notification, a quick pick), e.g. before a screenshot. */
export async function waitForText(text: string, timeoutMs = 30_000): Promise<void> {
  await request('wait', text, timeoutMs);
}

/**
 * A status bar item as the workbench renders it in the page (not what the extension thinks it set): its text without
 * icons, e.g. "11h 42m" for "$(key) 11h 42m", and its aria-label; both '' when the item is absent or hidden.
 * `domId` is the element id: `<publisher>.<name>` of the extension (lower case), ".", the id given to
 * createStatusBarItem, e.g. "codeartifact-tools.codeartifact-token-refresher.codeartifact.expiry".
 */
export async function statusBarText(domId: string, timeoutMs = 30_000): Promise<RenderedStatusItem> {
  return (await request('statusbar', domId, timeoutMs)) as RenderedStatusItem;
}

/**
 * Whether the command palette lists a command labelled exactly `label` ("Category: Title"), checked as a person does:
 * F1, type, look, Escape. A command whose `when` clause is false is not listed.
 */
export async function paletteHas(label: string, timeoutMs = 30_000): Promise<boolean> {
  return (await request('palette', label, timeoutMs)) === true;
}

/**
 * Acts on the real quick pick on screen (let the prompt through with the answerer returning 'passthrough'):
 * `{ button: 'Open diff', row: 'MWAA ops' }` clicks that row's item button, 'accept' clicks OK, 'dismiss' presses Escape.
 */
export async function quickPick(action: 'accept' | 'dismiss' | { button: string; row: string }, timeoutMs = 30_000): Promise<void> {
  await request('quickpick', typeof action === 'string' ? action : `button ${action.button} @@ ${action.row}`, timeoutMs);
}

/** Launcher mode: which phase this extension host runs and the results of the earlier phases (undefined otherwise). */
export function phaseInfo(): PhaseFile | undefined {
  const file = process.env[PHASE_FILE_ENV];
  return file ? (JSON.parse(fs.readFileSync(file, 'utf8')) as PhaseFile) : undefined;
}

/** True when the runner supports screenshot()/clickButton(). */
export function hooksAvailable(): boolean {
  return Boolean(process.env[HOOKS_DIR_ENV]);
}
