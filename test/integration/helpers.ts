/** Shared by the UI integration tests: the extension's test API, the sandbox control channel, small waits. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Deps } from '../../src/ui/deps';
import type { ExpiryStatusBar } from '../../src/ui/statusBar';
import type { ProfileStatusItem } from '../../src/ui/profileStatus';
import type { DocumentScanner } from '../../src/ui/documentScanner';
import type { Prompt, PromptAnswer } from '../../src/ui/prompts';
import { SandboxControl } from '../support/sandbox/controlClient';
import { hooksAvailable } from '../support/vscode/harnessClient';

export const EXTENSION_ID = 'codeartifact-tools.codeartifact-token-refresher';

export interface TestApi {
  deps: Deps;
  statusBar: ExpiryStatusBar;
  profileItem: ProfileStatusItem;
  scanner: DocumentScanner;
  activationMs: number;
  context: vscode.ExtensionContext;
}

/** How long after the first api() call the extension may take to activate by itself (onStartupFinished). */
export const SELF_ACTIVATION_MS = 20_000;
let activationDeadline: number | undefined;

/**
 * The extension's test API (what activate() returns in Development/Test mode), once the extension is active BY ITSELF:
 * this never calls activate(), so a suite sees the extension as a person's window does after start-up or a reload.
 * The 20 s are counted from the first call in this extension host, so later suites do not wait again.
 */
export async function api(): Promise<TestApi> {
  const ext = vscode.extensions.getExtension<TestApi | undefined>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not installed in this editor`);
  activationDeadline ??= Date.now() + SELF_ACTIVATION_MS;
  while (!ext.isActive) {
    if (Date.now() > activationDeadline) {
      throw new Error(`the extension did not activate by itself within ${SELF_ACTIVATION_MS / 1000} s of start-up (no test calls ` +
        'activate()): a person\'s window would show no countdown and no "Refresh Tokens in This File" until a command runs; ' +
        'see "activationEvents" in package.json');
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const a = ext.exports;
  assert.ok(a?.deps, 'the extension is active but returned no test API from activate(): is it running in Development or Test mode?');
  return a;
}

/** DOM id of one of the extension's status bar items as the workbench renders it (see harnessClient.statusBarText). */
export function statusBarDomId(itemId: string): string {
  return `${EXTENSION_ID}.${itemId}`;
}

/** The status bar text without `$(icon)` parts and extra spaces: what the page shows as text. */
export function withoutIcons(text: string): string {
  return text.replace(/\$\([a-z0-9-~]+\)/gi, ' ').replace(/\s+/g, ' ').trim();
}

/** Ids of the tracked tokens that an "expires in"/"expired" warning shown so far named (by domain and target label). */
export function expiryWarnedIds(a: TestApi): string[] {
  const warnings = a.deps.prompts.shown.filter((p) => p.kind === 'warning' && /expire/i.test(p.message));
  return a.deps.tracker.all().filter((e) => warnings.some((w) => w.message.includes(e.domain) && w.message.includes(e.targetLabel))).map((e) => e.id);
}

let control: SandboxControl | undefined;
export function sandbox(): SandboxControl {
  control ??= SandboxControl.fromEnv();
  return control;
}

/** Answers prompts with `fn`; prompts it returns 'passthrough' for reach the real workbench. */
export function answer(a: TestApi, fn: (p: Prompt) => PromptAnswer | Promise<PromptAnswer>): void {
  a.deps.prompts.answerer = fn;
}

/** Default answerer for automation: dismiss everything, except notifications which need no answer. */
export function dismissAll(a: TestApi): void {
  a.deps.prompts.answerer = () => undefined;
}

export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Prompts shown since `mark` (an index into prompts.shown). */
export function shownSince(a: TestApi, mark: number): Prompt[] {
  return a.deps.prompts.shown.slice(mark);
}

/** Compares secrets without ever printing them in an assertion message. */
export function sameSecret(actual: string, expected: string, what: string): void {
  assert.ok(actual === expected, `${what}: texts differ (length ${actual.length} vs ${expected.length}); not printed because they hold tokens`);
}

export const DEV_OBJECT = 's3://mwaa-dev-environment/dags/codeartifact.txt';
export const CRLF_OBJECT = 's3://mwaa-ops-environment/dags/codeartifact.txt';

/** Token calls and issued tokens since a mark, paired (the stub issues one token per successful call, in order). */
export async function stubMark(): Promise<{ calls: number; issued: number }> {
  const [calls, issued] = await Promise.all([sandbox().calls(), sandbox().issuedTokens()]);
  return { calls: calls.length, issued: issued.length };
}

export async function tokenCallsSince(mark: { calls: number; issued: number }): Promise<{ domain: string; accessKeyId: string; sessionToken: boolean; token: string }[]> {
  const [calls, issued] = await Promise.all([sandbox().calls(), sandbox().issuedTokens()]);
  const ok = calls.slice(mark.calls).filter((c) => c.ok);
  const tokens = issued.slice(mark.issued);
  assert.equal(ok.length, tokens.length, 'every successful token call issued one token');
  return ok.map((c, i) => ({ domain: c.domain ?? '', accessKeyId: c.accessKeyId ?? '', sessionToken: c.sessionToken, token: tokens[i] }));
}

/** Replaces the password of every `aws:…@HOST` whose host starts with `domain-` (test-side, independent of src/core). */
export function withToken(text: string, domain: string, token: string): string {
  return text.replace(new RegExp(`(aws:)[^@\\s]*(@${domain}-\\d{12}\\.d\\.codeartifact\\.)`, 'g'), (_m, a: string, b: string) => `${a}${token}${b}`);
}

/**
 * For tests that need the browser (a real modal clicked, a picture taken): under a runner without the hooks
 * (test-electron) they are skipped with a line saying so — visible in the output, never silent.
 */
export function requireBrowserHooks(ctx: Mocha.Context): void {
  if (hooksAvailable()) return;
  console.log(`[skipped] "${ctx.test?.fullTitle() ?? ctx.currentTest?.fullTitle()}" needs the code-server runner's browser hooks (npm run test:integration)`);
  ctx.skip();
}

/** A file of the workspace folder the runner opens. */
export function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the runner opens a workspace folder');
  return vscode.Uri.joinPath(folder.uri, name);
}

/** Closes every editor without saving. Reverts dirty editors first: with real dialogs, closing a dirty one would ask "Save?". */
export async function closeAllWithoutSaving(): Promise<void> {
  for (const doc of vscode.workspace.textDocuments.filter((d) => d.isDirty)) {
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}
