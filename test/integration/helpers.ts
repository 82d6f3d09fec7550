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

export async function api(): Promise<TestApi> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, 'extension not installed');
  const a = (await ext.activate()) as TestApi | undefined;
  assert.ok(a?.deps, 'activate() returned no test API: is the extension running in test mode?');
  return a;
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
