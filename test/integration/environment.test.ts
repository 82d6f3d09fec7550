/**
 * The terminal environment in the real editor: terminals and tasks started after activation get the variables the
 * workspace's files reference (CODEARTIFACT_AUTH_TOKEN, another `${NAME}`, uv's per-index variables), each holding a
 * token the local CodeArtifact endpoint issued for the domain its URL names; a forced refresh gives NEW terminals the
 * new token; the off switch removes them. Tokens are compared in memory, never printed; the dump files the child
 * processes write are deleted at once.
 *
 * `runInNewTerminal(argv)` / `runAsTask(argv)` run any command as a person's terminal/task would (with the environment
 * VS Code gives it); more checks (e.g. a real pip install) add a command, not a new mechanism.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AutoRefresh } from '../../src/ui/environment/autoRefresh';
import type { TerminalEnvironment } from '../../src/ui/environment/service';
import { pypiStandInFromControl, redactOutput } from '../support/clients/pip';
import { syntheticToken } from '../support/servers/codeartifactStub';
import { api, dismissAll, sandbox, stubMark, tokenCallsSince, waitFor, type TestApi } from './helpers';

type EnvApi = TestApi & { environment: TerminalEnvironment; autoRefresh: AutoRefresh };

const HOST = 'mydomain-111122223333.d.codeartifact.us-east-1.amazonaws.com';
const HOST2 = 'otherdomain-444455556666.d.codeartifact.eu-west-1.amazonaws.com';
const VARS = ['CODEARTIFACT_AUTH_TOKEN', 'OTHER_DOMAIN_TOKEN', 'UV_INDEX_INTERNAL_PROXY_USERNAME', 'UV_INDEX_INTERNAL_PROXY_PASSWORD'];
/** Files this suite adds to the workspace (removed afterwards). */
const FILES: Record<string, string> = {
  'requirements-env.txt': `--index-url https://aws:\${CODEARTIFACT_AUTH_TOKEN}@${HOST}/pypi/my-repo/simple/\n--extra-index-url https://aws:\${OTHER_DOMAIN_TOKEN}@${HOST2}/pypi/other-repo/simple/\nrequests==2.32.3\n`,
  'pyproject.toml': `[project]\nname = "env-test"\nversion = "0"\n\n[[tool.uv.index]]\nname = "internal-proxy"\nurl = "https://${HOST2}/pypi/other-repo/simple/"\n`,
};

/** Writes `{ NAME: value | null }` for the names given, to the file given, atomically (tmp + rename). */
const RECORD_ENV = `const [out, ...names] = process.argv.slice(1);
const fs = require('node:fs');
fs.writeFileSync(out + '.tmp', JSON.stringify(Object.fromEntries(names.map((n) => [n, process.env[n] ?? null]))));
fs.renameSync(out + '.tmp', out);`;

function folder(): vscode.WorkspaceFolder {
  const f = vscode.workspace.workspaceFolders?.[0];
  assert.ok(f, 'the runner opens a workspace folder');
  return f;
}

/** Runs `argv` in a new terminal in the workspace folder, as a person's terminal runs it; resolves with its exit code. */
export async function runInNewTerminal(argv: string[], name = 'codeartifact-test', timeoutMs = 30_000): Promise<number | undefined> {
  const closed = new Promise<number | undefined>((resolve) => {
    const sub = vscode.window.onDidCloseTerminal((t) => {
      if (t !== terminal) return;
      sub.dispose();
      resolve(t.exitStatus?.code);
    });
  });
  const terminal = vscode.window.createTerminal({ name, shellPath: argv[0], shellArgs: argv.slice(1), cwd: folder().uri.fsPath });
  return withTimeout(closed, timeoutMs, `the terminal "${name}" to exit`);
}

/** Runs `argv` as a task (ProcessExecution) in the workspace folder; resolves with its exit code. */
export async function runAsTask(argv: string[], name = 'codeartifact-test', timeoutMs = 30_000): Promise<number | undefined> {
  const task = new vscode.Task({ type: 'codeartifact-test' }, folder(), name, 'codeartifact-test', new vscode.ProcessExecution(argv[0], argv.slice(1), { cwd: folder().uri.fsPath }));
  task.presentationOptions = { reveal: vscode.TaskRevealKind.Never, close: true };
  // Matched by name (unique per call): the process may end before executeTask() resolves.
  const ended = new Promise<number | undefined>((resolve) => {
    const sub = vscode.tasks.onDidEndTaskProcess((e) => {
      if (e.execution.task.name !== name) return;
      sub.dispose();
      resolve(e.exitCode);
    });
  });
  await vscode.tasks.executeTask(task);
  return withTimeout(ended, timeoutMs, `the task "${name}" to end`);
}

async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms)));
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

let dumpDir: string;
let dumps = 0;

/** The variables `names` as a new terminal (or task) sees them. The dump file is read and deleted at once. */
async function environmentIn(where: 'terminal' | 'task', names: readonly string[]): Promise<Record<string, string | null>> {
  if (!dumpDir || !fs.existsSync(dumpDir)) dumpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'codeartifact-env-'));
  const out = path.join(dumpDir, `env-${++dumps}.json`);
  const argv = [process.execPath, '-e', RECORD_ENV, out, ...names];
  const code = where === 'terminal' ? await runInNewTerminal(argv, `record env ${dumps}`) : await runAsTask(argv, `record env ${dumps}`);
  assert.equal(code, 0, `the ${where} process exited with ${code}`);
  await waitFor(`the ${where}'s environment dump`, () => fs.existsSync(out), 5_000);
  try {
    return JSON.parse(fs.readFileSync(out, 'utf8')) as Record<string, string | null>;
  } finally {
    fs.rmSync(out, { force: true });
  }
}

/** Every token the stub issued so far, with the domain of the call that issued it. */
async function issuedByDomain(): Promise<Map<string, string>> {
  const all = await tokenCallsSince({ calls: 0, issued: 0 });
  return new Map(all.map((c) => [c.token, c.domain]));
}

/** Checks without printing: the value is a token the stub issued for `domain`. */
function assertIssuedFor(issued: Map<string, string>, value: string | null | undefined, domain: string, what: string): void {
  assert.ok(typeof value === 'string' && value.length > 0, `${what} is not set in the new process`);
  const d = issued.get(value);
  assert.ok(d !== undefined, `${what} holds something the CodeArtifact endpoint never issued (length ${value.length}; not printed)`);
  assert.equal(d, domain, `${what} holds a token issued for ${d}, not ${domain}`);
}

describe('terminal environment', function () {
  let a: EnvApi;

  before(async () => {
    a = (await api()) as EnvApi;
    dismissAll(a);
    await a.deps.profiles.choose('dev');
    dumpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'codeartifact-env-'));
  });

  after(async () => {
    for (const name of Object.keys(FILES)) await vscode.workspace.fs.delete(vscode.Uri.joinPath(folder().uri, name)).then(undefined, () => undefined);
    const runs = a.environment.stats.runs;
    await vscode.workspace.getConfiguration('codeartifact.terminalEnvironment').update('enabled', undefined, vscode.ConfigurationTarget.Workspace);
    // The setting change starts a run by itself: wait for it here, so its token call cannot land in the next suite.
    await waitFor('the run the setting change starts', () => a.environment.stats.runs > runs);
    await a.environment.start(); // joins that run: back to what the fixture workspace references
    fs.rmSync(dumpDir, { recursive: true, force: true });
  });

  it('at activation, with no command run: a new terminal has CODEARTIFACT_AUTH_TOKEN (pip.conf references it), issued for its domain', async () => {
    const last = await waitFor('the injection at activation', () => (a.environment.last?.status === 'written' ? a.environment.last : undefined), 20_000);
    assert.deepEqual(last.variables, ['CODEARTIFACT_AUTH_TOKEN']);
    assert.deepEqual(last.domains, ['mydomain']);
    await waitFor('the first run to be timed', () => a.environment.stats.startMs !== undefined);
    console.log(`[environment] activate() took ${a.activationMs.toFixed(1)} ms with the AWS SDK ${(a as { awsLoadedAtActivation?: boolean }).awsLoadedAtActivation ? 'loaded' : 'not loaded'}; ` +
      `the injection after it (file search, SDK load, credentials, ${a.environment.stats.tokenCalls} token call(s)) took ${a.environment.stats.startMs?.toFixed(0)} ms`);
    assert.equal((a as { awsLoadedAtActivation?: boolean }).awsLoadedAtActivation, false, 'activate() itself loaded the AWS SDK');
    const env = await environmentIn('terminal', ['CODEARTIFACT_AUTH_TOKEN']);
    assertIssuedFor(await issuedByDomain(), env.CODEARTIFACT_AUTH_TOKEN, 'mydomain', 'CODEARTIFACT_AUTH_TOKEN');
  });

  it('every referenced variable reaches new terminals and tasks, one token call per domain, each token for its own domain', async () => {
    for (const [name, text] of Object.entries(FILES)) await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder().uri, name), Buffer.from(text));
    const mark = await stubMark();
    const result = (await vscode.commands.executeCommand('codeartifact.refreshTerminalEnvironment')) as { status: string; variables: string[]; tokenCalls: number };
    assert.equal(result.status, 'written', JSON.stringify(result));
    assert.deepEqual([...result.variables].sort(), [...VARS].sort());
    const calls = await tokenCallsSince(mark);
    assert.deepEqual(calls.map((c) => c.domain).sort(), ['mydomain', 'otherdomain'], 'one token call per domain');
    assert.equal(result.tokenCalls, 2);
    const byToken = new Map(calls.map((c) => [c.token, c.domain]));
    for (const where of ['terminal', 'task'] as const) {
      const env = await environmentIn(where, VARS);
      assertIssuedFor(byToken, env.CODEARTIFACT_AUTH_TOKEN, 'mydomain', `${where}: CODEARTIFACT_AUTH_TOKEN`);
      assertIssuedFor(byToken, env.OTHER_DOMAIN_TOKEN, 'otherdomain', `${where}: OTHER_DOMAIN_TOKEN`);
      assertIssuedFor(byToken, env.UV_INDEX_INTERNAL_PROXY_PASSWORD, 'otherdomain', `${where}: UV_INDEX_INTERNAL_PROXY_PASSWORD`);
      assert.equal(env.UV_INDEX_INTERNAL_PROXY_USERNAME, 'aws', `${where}: UV_INDEX_INTERNAL_PROXY_USERNAME`);
    }
    // The description names the domains and says to open a new terminal; it holds no token.
    const description = String(a.context.environmentVariableCollection.getScoped({ workspaceFolder: folder() }).description ?? '');
    assert.match(description, /mydomain/);
    assert.match(description, /otherdomain/);
    assert.match(description, /Open a new terminal/);
    assert.ok(calls.every((c) => !description.includes(c.token)), 'the description holds a token');
    assert.equal(a.context.environmentVariableCollection.persistent, false, 'the collection would be stored on disk');
    // The token list shows the environment like any other place.
    const tracked = a.deps.tracker.all().filter((e) => e.targetKind === 'environment');
    assert.deepEqual(tracked.map((e) => e.domain).sort(), ['mydomain', 'otherdomain']);
  });

  it('after a forced refresh a NEW terminal gets the new token', async () => {
    const before = await environmentIn('terminal', ['CODEARTIFACT_AUTH_TOKEN']);
    const mark = await stubMark();
    await vscode.commands.executeCommand('codeartifact.refreshTerminalEnvironment');
    const calls = await tokenCallsSince(mark);
    const fresh = calls.find((c) => c.domain === 'mydomain');
    assert.ok(fresh, 'no new token for mydomain');
    const after = await environmentIn('terminal', ['CODEARTIFACT_AUTH_TOKEN']);
    assert.ok(after.CODEARTIFACT_AUTH_TOKEN !== before.CODEARTIFACT_AUTH_TOKEN, 'the new terminal still has the old token');
    assert.ok(after.CODEARTIFACT_AUTH_TOKEN === fresh.token, 'the new terminal does not have the token just issued (not printed)');
    assert.ok(a.environment.dueAt !== undefined && a.environment.dueAt > Date.now(), 'no refresh scheduled before expiry');
  });

  it('a real pip (Debian python3-pip) started in a new terminal installs with a requirements file that says ${CODEARTIFACT_AUTH_TOKEN}', async () => {
    const name = 'requirements-pip.txt';
    const file = vscode.Uri.joinPath(folder().uri, name);
    await vscode.workspace.fs.writeFile(file, Buffer.from(`--index-url https://aws:\${CODEARTIFACT_AUTH_TOKEN}@${HOST}/pypi/my-repo/simple/\nca-probe==1.0\n`));
    const target = fs.mkdtempSync(path.join(os.tmpdir(), 'codeartifact-pip-'));
    try {
      const standIn = await pypiStandInFromControl(sandbox());
      const before = (await standIn.requests()).length;
      const env = await environmentIn('terminal', ['CODEARTIFACT_AUTH_TOKEN']);
      // The stand-in's proxy and CA are the test's wiring (no real DNS here); the token comes from the terminal's own
      // environment, which the extension gave it.
      const log = path.join(target, 'pip.log');
      // This machine's own environment sets REQUESTS_CA_BUNDLE/CURL_CA_BUNDLE (pip's requests then ignores PIP_CERT) and
      // PIP_FIND_LINKS: unset here, as on a developer's machine; everything else is the terminal's environment as is.
      const pip = ['/usr/bin/env', '-u', 'REQUESTS_CA_BUNDLE', '-u', 'CURL_CA_BUNDLE', '-u', 'PIP_FIND_LINKS', `HTTPS_PROXY=${standIn.proxyUrl}`, `https_proxy=${standIn.proxyUrl}`, `PIP_CERT=${standIn.caFile}`, '/usr/bin/python3', '-m', 'pip', 'install', '--no-cache-dir', '--disable-pip-version-check', '--no-input', '--target', path.join(target, 'site'), '-r', name];
      const code = await runInNewTerminal(['/bin/sh', '-c', '"$@" > "$0" 2>&1', log, ...pip], 'pip install', 120_000);
      const requests = (await standIn.requests()).slice(before);
      const output = fs.existsSync(log) ? redactOutput(fs.readFileSync(log, 'utf8')).split('\n').slice(-15).join('\n') : '(no output)';
      assert.equal(code, 0, `pip exited with ${code}; the stand-in saw ${JSON.stringify(requests.map((r) => [r.path, r.status, r.auth]))}; pip said:\n${output}`);
      assert.ok(fs.existsSync(path.join(target, 'site', 'ca_probe', '__init__.py')), 'the package was installed');
      const issued = await sandbox().issuedTokens();
      assert.ok(requests.length > 0 && requests.every((r) => r.auth === 'ok' && r.tokenIndex !== undefined && issued[r.tokenIndex] === env.CODEARTIFACT_AUTH_TOKEN), 'pip sent the token the terminal environment holds');
    } finally {
      fs.rmSync(target, { recursive: true, force: true });
      await vscode.workspace.fs.delete(file).then(undefined, () => undefined);
    }
  });

  it('no SSO session: ONE notification naming `aws sso login --profile sso-user` over several failed runs; then it recovers', async () => {
    await a.deps.profiles.choose('sso-user'); // the sandbox has no cached SSO token for it
    const mark = a.deps.prompts.shown.length;
    const stub = await stubMark();
    for (let i = 0; i < 3; i++) await a.environment.start();
    const warnings = a.deps.prompts.shown.slice(mark).filter((p) => p.kind === 'warning' && /terminal environment/.test(p.message));
    assert.equal(warnings.length, 1, `one notification, not one per failed run: ${JSON.stringify(warnings.map((w) => w.message))}`);
    assert.match(warnings[0].message, /aws sso login --profile sso-user/);
    assert.equal((await sandbox().calls()).length, stub.calls, 'no token call without credentials');
    assert.ok(a.environment.dueAt !== undefined && a.environment.dueAt - Date.now() <= 10 * 60_000, 'a retry is scheduled (backoff)');
    // Picking a profile that has credentials is tried at once: no command, no waiting for the backoff retry.
    const runs = a.environment.stats.runs;
    const calls = (await sandbox().calls()).length;
    await a.deps.profiles.choose('dev');
    await waitFor('a run started by the profile switch', () => a.environment.stats.runs > runs, 10_000);
    await waitFor('the streak to end', () => a.environment.dueAt !== undefined && a.environment.dueAt - Date.now() > 60 * 60_000, 20_000);
    assert.equal(a.environment.last?.status, 'written');
    assert.ok((await sandbox().calls()).length > calls, 'a token was fetched with the new profile');
    // A working environment is not refreshed by a profile switch (its tokens stay valid until they are due).
    const settled = a.environment.stats.runs;
    await a.deps.profiles.choose('dev');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(a.environment.stats.runs, settled, 'no run for a switch while the environment works');
  });

  it('the off switch removes the variables from new terminals, with no token call', async () => {
    const mark = await stubMark();
    await vscode.workspace.getConfiguration('codeartifact.terminalEnvironment').update('enabled', false, vscode.ConfigurationTarget.Workspace);
    await waitFor('the environment to be cleared', () => a.environment.last?.status === 'off');
    const env = await environmentIn('terminal', VARS);
    assert.deepEqual(env, Object.fromEntries(VARS.map((v) => [v, null])));
    assert.equal((await sandbox().calls()).length, mark.calls, 'no token call');
    assert.equal(a.deps.tracker.all().filter((e) => e.targetKind === 'environment').length, 0, 'the token list still shows the environment');
  });
});

describe('automatic refresh (codeartifact.autoRefresh)', function () {
  let a: EnvApi;
  const name = 'requirements-auto.txt';
  const uri = () => vscode.Uri.joinPath(folder().uri, name);

  before(async () => {
    a = (await api()) as EnvApi;
    dismissAll(a);
    await a.deps.profiles.choose('dev');
  });

  after(async () => {
    await vscode.workspace.getConfiguration('codeartifact').update('autoRefresh', undefined, vscode.ConfigurationTarget.Workspace);
    for (const doc of vscode.workspace.textDocuments.filter((d) => d.uri.toString() === uri().toString() && d.isDirty)) {
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.fs.delete(uri()).then(undefined, () => undefined);
    a.deps.tracker.setTarget(uri().toString(), [], () => '');
  });

  it('an open file whose token is near expiry is refreshed by itself once the setting is on, with no question, on disk', async () => {
    const now = Math.floor(Date.now() / 1000);
    await vscode.workspace.fs.writeFile(uri(), Buffer.from(`--index-url https://aws:${syntheticToken(now - 43_000, now + 5 * 60)}@${HOST}/pypi/my-repo/simple/\nrequests\n`));
    const doc = await vscode.workspace.openTextDocument(uri());
    await vscode.window.showTextDocument(doc);
    const entry = await waitFor('the scan of the open file', () => a.deps.tracker.forTarget(uri().toString())[0]);
    assert.ok(entry.expiresAt - Date.now() < 10 * 60_000, 'the token expires within the margin');
    assert.equal(a.autoRefresh.dueAt, undefined, 'off by default: no timer');
    const mark = await stubMark();
    const prompts = a.deps.prompts.shown.length;
    await vscode.workspace.getConfiguration('codeartifact').update('autoRefresh', true, vscode.ConfigurationTarget.Workspace);
    const refreshed = await waitFor('the automatic refresh', () => {
      const e = a.deps.tracker.forTarget(uri().toString())[0];
      return e && e.source === 'refresh' && e.expiresAt - Date.now() > 60 * 60_000 ? e : undefined;
    }, 20_000);
    assert.equal(refreshed.domain, 'mydomain');
    const calls = await tokenCallsSince(mark);
    assert.deepEqual(calls.map((c) => c.domain), ['mydomain'], 'one token call');
    // Written to the file pip reads (an edit left unsaved in the editor would not reach it); the unmodified editor
    // shows the new text.
    assert.ok(Buffer.from(await vscode.workspace.fs.readFile(uri())).toString('utf8').includes(`aws:${calls[0].token}@`), 'the file on disk holds the token just issued (not printed)');
    await waitFor('the editor to show the file\'s new text', () => doc.getText().includes(`aws:${calls[0].token}@`));
    assert.equal(doc.isDirty, false, 'nothing left unsaved');
    assert.deepEqual(a.deps.prompts.shown.slice(prompts).filter((p) => p.kind === 'modal' || p.kind === 'quickPick'), [], 'nothing was asked');
    assert.ok(a.autoRefresh.dueAt !== undefined && a.autoRefresh.dueAt > Date.now() + 60 * 60_000, 'the next run waits for the new expiry');
  });
});

interface UseVariableResult {
  status: string;
  replaced: number;
  saved?: boolean;
  variables: string[];
  environment?: { status: string; variables: string[] };
}

/**
 * Runs a command whose edit waits in VS Code's refactor preview and answers the preview as a person does: tick the
 * change (edits marked needsConfirmation start unticked) and press Apply — the view's own commands. Applying before
 * the preview has listed the change applies nothing (the command reports "declined" and changed nothing), so that
 * case is tried again, at most 3 times.
 */
async function applyInRefactorPreview(run: () => Thenable<unknown>): Promise<UseVariableResult> {
  let result: UseVariableResult | undefined;
  for (let attempt = 1; attempt <= 3 && result?.status !== 'applied'; attempt++) {
    let settled = false;
    const running = Promise.resolve(run()).finally(() => (settled = true));
    await waitFor('the refactor preview to be answered', async () => {
      for (const id of ['refactorPreview.focus', 'list.focusFirst', 'refactorPreview.toggleCheckedState', 'refactorPreview.apply']) {
        if (settled) break;
        await vscode.commands.executeCommand(id).then(undefined, () => undefined);
      }
      return settled;
    }, 20_000);
    result = (await running) as UseVariableResult;
  }
  return result!;
}

describe('"Use an environment variable instead"', function () {
  const offered = () => vscode.Uri.joinPath(folder().uri, 'requirements-literal.txt');
  const moved = () => vscode.Uri.joinPath(folder().uri, 'requirements-move.txt');

  afterEach(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  after(async () => {
    for (const u of [offered(), moved()]) await vscode.workspace.fs.delete(u).then(undefined, () => undefined);
    const a = (await api()) as EnvApi;
    await a.environment.start(); // back to what the fixture workspace references
  });

  const titles = async (target: vscode.Uri, line: number) =>
    ((await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', target, new vscode.Range(line, 0, line, 0))) ?? []).map((c) => c.title);

  it('is offered as a code action on a literal token in a requirements file, not on other lines nor on a ${VAR} reference', async () => {
    const now = Math.floor(Date.now() / 1000);
    await vscode.workspace.fs.writeFile(offered(), Buffer.from(`# deps\n--index-url https://aws:${syntheticToken(now, now + 3600)}@${HOST}/pypi/my-repo/simple/\nrequests\n`));
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(offered()));
    assert.ok((await titles(offered(), 1)).includes('Use an environment variable instead'), 'not offered on the token line');
    assert.ok(!(await titles(offered(), 2)).includes('Use an environment variable instead'), 'offered on a line without a token');
    const pipConf = vscode.Uri.joinPath(folder().uri, 'pip.conf'); // holds ${CODEARTIFACT_AUTH_TOKEN} already
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(pipConf));
    assert.ok(!(await titles(pipConf, 1)).includes('Use an environment variable instead'), 'offered on a ${VAR} reference');
  });

  it('rewrites the token to ${CODEARTIFACT_AUTH_TOKEN} after the refactor preview is applied, saves, and new terminals get the variable', async () => {
    const a = (await api()) as EnvApi;
    dismissAll(a);
    await a.deps.profiles.choose('dev');
    const now = Math.floor(Date.now() / 1000);
    const literal = syntheticToken(now, now + 3600);
    await vscode.workspace.fs.writeFile(moved(), Buffer.from(`# deps\r\n--index-url https://aws:${literal}@${HOST}/pypi/my-repo/simple/\r\nrequests\r\n`));
    const expected = `# deps\r\n--index-url https://aws:\${CODEARTIFACT_AUTH_TOKEN}@${HOST}/pypi/my-repo/simple/\r\nrequests\r\n`;
    const mark = await stubMark();
    const result = await applyInRefactorPreview(() => vscode.commands.executeCommand('codeartifact.useEnvironmentVariable', moved()));
    assert.equal(result.status, 'applied', JSON.stringify(result));
    assert.equal(result.replaced, 1);
    assert.equal(result.saved, true, 'the file was not saved');
    assert.deepEqual(result.variables, ['CODEARTIFACT_AUTH_TOKEN']);
    const onDisk = Buffer.from(await vscode.workspace.fs.readFile(moved())).toString('utf8');
    assert.ok(onDisk === expected, `the saved file differs from the expected bytes (length ${onDisk.length} vs ${expected.length}; not printed)`);
    assert.ok(!onDisk.includes(literal), 'the literal token is still on disk');
    assert.equal(result.environment?.status, 'written');
    assert.ok(result.environment?.variables.includes('CODEARTIFACT_AUTH_TOKEN'));
    const byToken = new Map((await tokenCallsSince(mark)).map((c) => [c.token, c.domain]));
    const env = await environmentIn('terminal', ['CODEARTIFACT_AUTH_TOKEN']);
    assertIssuedFor(byToken, env.CODEARTIFACT_AUTH_TOKEN, 'mydomain', 'CODEARTIFACT_AUTH_TOKEN');
  });
});
