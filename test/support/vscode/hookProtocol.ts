/**
 * The line protocol between tests in the extension host and the runner that drives the browser (workbench.ts).
 * No dependencies: imported on both sides.
 */

/** Directory for screenshots and `.done` handshake files; set by the code-server runner only. */
export const HOOKS_DIR_ENV = 'HARNESS_SCREENSHOT_DIR';
/** Which runner started the extension host: "code-server" or "test-electron". */
export const RUNNER_ENV = 'HARNESS_RUNNER';
/** How the code-server runner started the suite: "tests-path" (modals refused) or "launcher" (real modals). */
export const MODE_ENV = 'HARNESS_MODE';
/** Launcher mode (launcher/extension.js): the tests module to run, and the phase file (PhaseFile, JSON) the runner
 * rewrites before each phase. Every extension host the workbench starts reads it: the first runs phase 1, the one
 * started by the reload runs phase 2. */
export const TESTS_MODULE_ENV = 'HARNESS_TESTS_MODULE';
export const PHASE_FILE_ENV = 'HARNESS_PHASE_FILE';
/** Comma-separated names of the sandbox variables the runner passed, and a SHA-256 of their values. */
export const SANDBOX_KEYS_ENV = 'HARNESS_SANDBOX_ENV_KEYS';
export const SANDBOX_HASH_ENV = 'HARNESS_SANDBOX_ENV_SHA256';

/**
 * Phases of a launcher-mode run. 1: out/test/integration/*.test.js (top level). Then the runner reloads the workbench
 * ("Developer: Reload Window"), which starts a new extension host. 2: out/test/integration/afterReload/*.test.js.
 */
export type Phase = 1 | 2;

export interface PhaseResult {
  phase: Phase;
  /** 0 when every test of the phase passed (and at least one ran). */
  code: number;
  error?: string;
  summary?: { passed: number; failed: number; files: number; failures?: { title: string; error: string }[] };
  /** The extension host that ran the phase: its process id and when it started (epoch ms). */
  pid: number;
  processStartedAt: number;
  endedAt: number;
  /** Files left open in an editor for the next phase (absolute paths). */
  opened: string[];
  /** What the phase leaves for the next phase's tests (index.ts `handover()`, called after the editors opened). */
  handover?: { expiryWarnedIds?: string[] };
}

export interface PhaseFile {
  phase: Phase;
  /** Where the launcher writes this phase's PhaseResult. */
  resultFile: string;
  /** Files to open in an editor after the phase's tests, before the reload ("the file the user opened yesterday"). */
  openAfter: string[];
  /** Results of the earlier phases, for tests that compare (another extension host, editors restored). */
  previous: PhaseResult[];
}

export type HookVerb = 'screenshot' | 'click' | 'wait' | 'statusbar' | 'palette' | 'quickpick';

export const HOOK_PATTERN = /\[\[harness:(screenshot|click|wait|statusbar|palette|quickpick) ([^\]\n]+)\]\]/g;

/** What the runner writes to a hook's `.done` file: "ok", "ok <JSON value>" or "error: <message>". */
export function doneText(value?: unknown): string {
  return value === undefined ? 'ok' : `ok ${JSON.stringify(value)}`;
}

/** A `.done` file's value (undefined for a bare "ok"); throws the runner's error. */
export function parseDone(text: string, what: string): unknown {
  if (text === 'ok') return undefined;
  if (text.startsWith('ok ')) return JSON.parse(text.slice(3)) as unknown;
  throw new Error(`${what} failed: ${text.replace(/^error: /, '')}`);
}

/** A status bar item as the workbench renders it (empty strings when it is absent or hidden). */
export interface RenderedStatusItem {
  text: string;
  ariaLabel: string;
}

export function hookLine(verb: HookVerb, arg: string): string {
  if (/[\]\n]/.test(arg)) throw new Error(`harness ${verb}: "${arg}" may not contain "]" or a newline`);
  return `[[harness:${verb} ${arg}]]`;
}

/** File-safe key for the `.done` file of one hook request. */
export function hookKey(verb: string, arg: string): string {
  return `${verb}-${arg.replace(/[^A-Za-z0-9._-]/g, '_')}`;
}

/** Stable digest input for the sandbox variables (sorted keys). */
export function sandboxEnvDigestInput(env: Record<string, string | undefined>, keys: string[]): string {
  return JSON.stringify([...keys].sort().map((k) => [k, env[k] ?? null]));
}
