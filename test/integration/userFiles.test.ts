/**
 * Issue 10 in the real editor: the user-level files the tools read (~/.config/pip/pip.conf, ~/.pypirc, ~/.npmrc,
 * ~/.netrc, uv.toml — written into HOME before the editor started, each with a token that expired 30 minutes ago) are
 * found at start-up without any command or AWS call; "Refresh All Tokens…" refreshes every place at once on disk
 * (atomic replace, mode kept), through an open editor where one is open (unsaved edits kept); the git guard.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { findTokens } from '../../src/core';
import { GIT_WARNING } from '../../src/ui/gitGuard';
import { pipInstall, pypiStandInFromControl } from '../support/clients/pip';
import { closeAllWithoutSaving, answer, api, dismissAll, workspaceFile, sandbox, stubMark, tokenCallsSince, waitFor, type TestApi } from './helpers';

const HOME = process.env.HOME ?? '';
const USER_FILES = ['.config/pip/pip.conf', '.pypirc', '.npmrc', '.netrc', '.config/uv/uv.toml'];
const abs = (rel: string) => path.join(HOME, rel);

/** Literal tokens of a text (test side: core's findTokens is what the extension uses too, so compare with bytes). */
function literalTokens(text: string): string[] {
  return [...new Set(findTokens(text).filter((t) => !t.placeholder).map((t) => t.token))];
}

describe('user-level files and Refresh All Tokens (issue 10)', function () {
  let a: TestApi;
  const original = new Map<string, string>();

  before(async () => {
    a = await api();
    await sandbox().reseed();
    await a.deps.profiles.choose('dev');
    for (const rel of USER_FILES) original.set(rel, fs.readFileSync(abs(rel), 'utf8'));
  });

  /** Debian's real pip, with this HOME (its pip.conf, .netrc), through the HTTPS stand-in that checks the token. */
  async function pip(args: string[], env: Record<string, string>) {
    const standIn = await pypiStandInFromControl(sandbox());
    const r = await pipInstall({ cwd: HOME, args, env: { HOME, ...env }, standIn });
    fs.rmSync(r.target, { recursive: true, force: true });
    return r;
  }

  afterEach(async () => {
    dismissAll(a);
    await closeAllWithoutSaving();
  });

  it('Refresh All Tokens { confirm: false }: every place on disk, one token call per domain/owner/region/profile, bytes and modes kept', async () => {
    dismissAll(a);
    const netrcMode = fs.statSync(abs('.netrc')).mode & 0o777;
    const mark = await stubMark();
    const outcomes = (await vscode.commands.executeCommand('codeartifact.refreshAll', { confirm: false })) as { id: string; kind: string; status: string; code?: string; message?: string }[];
    const byId = new Map(outcomes.map((o) => [o.id, o]));
    for (const rel of USER_FILES) {
      const o = byId.get(vscode.Uri.file(abs(rel)).toString());
      assert.equal(o?.status, 'written', `${rel}: ${JSON.stringify(o)}`);
      assert.equal(o?.kind, 'user-file');
    }
    assert.ok(outcomes.some((o) => o.kind === 's3' && o.status === 'written'), 'the configured S3 objects are part of it');
    assert.ok(outcomes.some((o) => o.kind === 'file' && o.status === 'written'), 'the workspace files are part of it');
    assert.ok(!outcomes.some((o) => o.id.endsWith('requirements-opened-yesterday.txt')), 'a file matched by search.exclude is left out');
    const calls = await tokenCallsSince(mark);
    const keys = new Set(calls.map((c) => `${c.accessKeyId}/${c.domain}`));
    assert.equal(calls.length, keys.size, 'one call per domain and profile, shared by every place');
    const devToken = calls.find((c) => c.domain === 'mydomain' && c.accessKeyId === 'AKIASANDBOXDEV000001')?.token;
    assert.ok(devToken, 'the dev profile got a mydomain token');
    for (const rel of USER_FILES) {
      const old = original.get(rel)!;
      const [oldToken] = literalTokens(old);
      const now = fs.readFileSync(abs(rel), 'utf8');
      assert.ok(now === old.split(oldToken).join(devToken), `${rel}: exactly the token bytes changed (not printed: holds tokens)`);
      assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.fsPath === abs(rel)), `${rel} was written on disk, not opened`);
    }
    assert.equal(fs.statSync(abs('.netrc')).mode & 0o777, netrcMode, '.netrc keeps its mode');
    assert.deepEqual(fs.readdirSync(HOME).filter((f) => f.includes('.codeartifact-')), [], 'no temp file left');
    for (const rel of USER_FILES) original.set(rel, fs.readFileSync(abs(rel), 'utf8'));
  });

  it('what was written works for the real pip: ~/.config/pip/pip.conf, and ~/.netrc with a bare index URL', async () => {
    const issued = await sandbox().issuedTokens();
    const viaConf = await pip(['ca-probe'], { XDG_CONFIG_HOME: path.join(HOME, '.config') });
    assert.equal(viaConf.code, 0, viaConf.output);
    assert.ok(viaConf.installed, 'the package was installed');
    assert.ok(viaConf.requests.length > 0 && viaConf.requests.every((r) => r.auth === 'ok'), JSON.stringify(viaConf.requests.map((r) => [r.path, r.status, r.auth])));
    const idx = viaConf.requests[0].tokenIndex;
    assert.ok(idx !== undefined && fs.readFileSync(abs('.config/pip/pip.conf'), 'utf8').includes(issued[idx]), 'pip sent the token the extension wrote');
    const viaNetrc = await pip(['--index-url', 'https://mydomain-111122223333.d.codeartifact.us-east-1.amazonaws.com/pypi/my-repo/simple/', 'ca-probe'], { PIP_CONFIG_FILE: '/dev/null' });
    assert.equal(viaNetrc.code, 0, viaNetrc.output);
    assert.ok(viaNetrc.requests.every((r) => r.auth === 'ok') && viaNetrc.requests.some((r) => r.tokenIndex !== undefined && fs.readFileSync(abs('.netrc'), 'utf8').includes(issued[r.tokenIndex])), 'pip read the refreshed ~/.netrc');
  });

  it('a user-level file open in an editor with unsaved edits is refreshed in the editor: the edits stay, the disk is untouched', async () => {
    dismissAll(a);
    await sandbox().setBehavior('mydomain', { kind: 'expiresIn', seconds: 7200 });
    try {
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(abs('.npmrc')));
      const editor = await vscode.window.showTextDocument(doc);
      await editor.edit((e) => e.insert(new vscode.Position(0, 0), '; unsaved note\n'));
      const onDisk = fs.readFileSync(abs('.npmrc'), 'utf8');
      const mark = await stubMark();
      const outcomes = (await vscode.commands.executeCommand('codeartifact.refreshAll', { confirm: false })) as { id: string; status: string }[];
      assert.equal(outcomes.find((o) => o.id === doc.uri.toString())?.status, 'written');
      assert.ok(doc.getText().startsWith('; unsaved note\n'), 'the unsaved edit is kept');
      assert.ok(doc.isDirty, 'left unsaved (one undo reverts the token edit)');
      const calls = await tokenCallsSince(mark);
      assert.ok(calls.some((c) => doc.getText().includes(c.token)), 'the editor got the new token');
      assert.ok(fs.readFileSync(abs('.npmrc'), 'utf8') === onDisk, 'the file on disk is untouched');
      await vscode.commands.executeCommand('undo');
      assert.ok(doc.getText().startsWith('; unsaved note\n') && !calls.some((c) => doc.getText().includes(c.token)), 'one undo reverts the token edit only');
    } finally {
      await sandbox().setBehavior('mydomain', undefined);
    }
  });

  it('the ~/.pypirc the AWS CLI wrote, open in an editor: "Refresh Tokens in This File" changes exactly the password', async () => {
    dismissAll(a);
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(abs('.pypirc')));
    await vscode.window.showTextDocument(doc);
    const before = doc.getText();
    assert.match(before, /^\[distutils\]\nindex-servers = \n\tpypi\n\tcodeartifact\n\n\[codeartifact\]\nrepository = https:\/\/mydomain-111122223333\.d\.codeartifact\.us-east-1\.amazonaws\.com\/pypi\/my-repo\/\nusername = aws\npassword = \S+\n/, 'the bytes awscli 2.9 writes');
    const [oldToken] = literalTokens(before);
    const mark = await stubMark();
    const outcome = (await vscode.commands.executeCommand('codeartifact.refreshActiveFile')) as { status: string; replaced: number };
    assert.equal(outcome.status, 'written');
    assert.equal(outcome.replaced, 1);
    const [call] = await tokenCallsSince(mark);
    assert.ok(doc.getText() === before.split(oldToken).join(call.token), 'exactly the password changed (texts not printed)');
  });

  it('with review: one list grouped by kind, each place with its current expiry; unchecked places are left alone', async () => {
    let pick: { choices: string[]; details?: string[] } | undefined;
    const pypirc = fs.readFileSync(abs('.pypirc'), 'utf8');
    answer(a, (p) => {
      if (p.kind !== 'quickPick') return undefined;
      pick = p;
      return p.choices.filter((c) => c !== '~/.pypirc');
    });
    await sandbox().setBehavior('mydomain', { kind: 'expiresIn', seconds: 5400 });
    try {
      const outcomes = (await vscode.commands.executeCommand('codeartifact.refreshAll')) as { id: string; status: string }[];
      assert.ok(pick, 'one review');
      assert.ok(pick.choices.includes('~/.pypirc') && pick.choices.includes('~/.netrc') && pick.choices.includes('MWAA dev'), JSON.stringify(pick.choices));
      const i = pick.choices.indexOf('~/.netrc');
      assert.match(pick.details?.[i] ?? '', /current token expires in \d+h \d+m → 1 token position \(mydomain\); new tokens expire \d{4}-/);
      assert.equal(outcomes.find((o) => o.id === vscode.Uri.file(abs('.pypirc')).toString())?.status, 'declined');
      assert.equal(fs.readFileSync(abs('.pypirc'), 'utf8'), pypirc, 'the unchecked file is untouched');
    } finally {
      await sandbox().setBehavior('mydomain', undefined);
    }
  });

  it('git guard: a token file git does not ignore gets a warning on the token line and in the review; an ignored one does not', async () => {
    const folder = vscode.workspace.workspaceFolders![0].uri.fsPath;
    const git = (...args: string[]) => execFileSync('git', ['-C', folder, ...args], { encoding: 'utf8' });
    git('init', '-q');
    fs.writeFileSync(path.join(folder, '.gitignore'), 'requirements-crlf.txt\n');
    const gitApi = (await vscode.extensions.getExtension<{ getAPI(v: 1): { openRepository(u: vscode.Uri): Promise<unknown>; getRepository(u: vscode.Uri): unknown } }>('vscode.git')!.activate()).getAPI(1);
    await gitApi.openRepository(vscode.Uri.file(folder));
    await waitFor('git to know the repository', () => gitApi.getRepository(workspaceFile('requirements-lf.txt')));
    dismissAll(a);
    const outcomes = (await vscode.commands.executeCommand('codeartifact.refreshAll', { confirm: false })) as { id: string; status: string }[];
    assert.equal(outcomes.find((o) => o.id === workspaceFile('requirements-lf.txt').toString())?.status, 'written');
    const exposed = await waitFor('the diagnostic', () => {
      const d = vscode.languages.getDiagnostics(workspaceFile('requirements-lf.txt')).filter((x) => x.source === 'CodeArtifact');
      return d.length > 0 && d;
    });
    assert.equal(exposed[0].severity, vscode.DiagnosticSeverity.Warning);
    assert.match(exposed[0].message, /could be committed.*~\/\.netrc.*\$\{CODEARTIFACT_AUTH_TOKEN\}/);
    const lfText = (await vscode.workspace.fs.readFile(workspaceFile('requirements-lf.txt'))).toString();
    const tokenLine = lfText.split(/\r?\n/).findIndex((l) => l.includes('.d.codeartifact.'));
    assert.equal(exposed[0].range.start.line, tokenLine, 'on the token line');
    assert.deepEqual(vscode.languages.getDiagnostics(workspaceFile('requirements-crlf.txt')).filter((x) => x.source === 'CodeArtifact'), [], 'an ignored file is not flagged');
    let details: string[] = [];
    let choices: string[] = [];
    answer(a, (p) => {
      if (p.kind !== 'quickPick') return undefined;
      choices = p.choices;
      details = (p.details ?? []).filter((_, i) => /requirements-(lf|crlf)\.txt/.test(p.choices[i]));
      return undefined; // dismiss: nothing written
    });
    await sandbox().setBehavior('mydomain', { kind: 'expiresIn', seconds: 3600 });
    try {
      await vscode.commands.executeCommand('codeartifact.refreshAll');
    } finally {
      await sandbox().setBehavior('mydomain', undefined);
    }
    assert.equal(details.filter((d) => d.includes(GIT_WARNING)).length, 1, `only the file git would commit carries the warning: ${JSON.stringify(details.map((d) => d.slice(0, 60)))} of ${JSON.stringify(choices)}`);
    // The repository stays (removing .git under the git extension's feet breaks its processes); later suites do not mind.
  });
});
