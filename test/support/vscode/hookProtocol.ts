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
/** Launcher mode (launcher/extension.js): the tests module to run and the file to write the result to. */
export const TESTS_MODULE_ENV = 'HARNESS_TESTS_MODULE';
export const RESULT_FILE_ENV = 'HARNESS_RESULT_FILE';
/** Comma-separated names of the sandbox variables the runner passed, and a SHA-256 of their values. */
export const SANDBOX_KEYS_ENV = 'HARNESS_SANDBOX_ENV_KEYS';
export const SANDBOX_HASH_ENV = 'HARNESS_SANDBOX_ENV_SHA256';

export type HookVerb = 'screenshot' | 'click' | 'wait';

export const HOOK_PATTERN = /\[\[harness:(screenshot|click|wait) ([^\]\n]+)\]\]/g;

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
