/**
 * The refresh commands in the real editor against radosgw and the signed CodeArtifact stub: local files (bytes, one
 * undo), S3 objects (diff, real modal, conditional write, concurrent edit, cancel, profiles), all configured objects.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { clickButton, screenshot } from '../support/vscode/harnessClient';
import { PREVIEW_SCHEME } from '../../src/ui/preview';
import { closeAllWithoutSaving, CRLF_OBJECT, DEV_OBJECT, answer, api, dismissAll, workspaceFile, requireBrowserHooks, sameSecret, sandbox, shownSince, stubMark, tokenCallsSince, waitFor, withToken, type TestApi } from './helpers';

const BUCKET = 'mwaa-dev-environment';
const KEY = 'dags/codeartifact.txt';

async function bytes(uri: vscode.Uri): Promise<Buffer> {
  return Buffer.from(await vscode.workspace.fs.readFile(uri));
}

function previewTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputTextDiff && t.input.modified.scheme === PREVIEW_SCHEME);
}

describe('refresh', function () {
  let a: TestApi;

  before(async () => {
    a = await api();
    await sandbox().reseed();
    await a.deps.profiles.choose('dev');
  });

  afterEach(async () => {
    dismissAll(a);
    await closeAllWithoutSaving();
  });

  describe('in the active editor', () => {
    it('replaces the token in an LF file as one edit, keeps every other byte, and one undo restores it', async () => {
      dismissAll(a);
      const uri = workspaceFile('requirements-lf.txt');
      const original = await bytes(uri);
      const doc = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(doc);
      const mark = await stubMark();
      const outcome = (await vscode.commands.executeCommand('codeartifact.refreshActiveFile')) as { status: string; replaced: number };
      assert.equal(outcome.status, 'written');
      assert.equal(outcome.replaced, 1);
      const calls = await tokenCallsSince(mark);
      assert.deepEqual(calls.map((c) => c.domain), ['mydomain']);
      const expected = withToken(original.toString('utf8'), 'mydomain', calls[0].token);
      assert.ok(expected !== original.toString('utf8'), 'the expected text differs from the original');
      sameSecret(doc.getText(), expected, 'document after refresh');
      assert.ok(doc.isDirty, 'not saved (saveAfterRefresh is off)');

      await vscode.commands.executeCommand('undo');
      sameSecret(doc.getText(), original.toString('utf8'), 'document after one undo');
      await vscode.commands.executeCommand('redo');
      await doc.save();
      const after = await bytes(uri);
      assert.ok(after.equals(Buffer.from(expected, 'utf8')), 'bytes on disk: original with only the token replaced');
    });

    it('keeps CRLF endings, the BOM and the missing final newline, giving each domain its own token', async () => {
      dismissAll(a);
      const uri = workspaceFile('requirements-crlf.txt');
      const original = await bytes(uri);
      assert.deepEqual([...original.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'fixture starts with a BOM');
      const doc = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(doc);
      assert.equal(doc.eol, vscode.EndOfLine.CRLF);
      const mark = await stubMark();
      const outcome = (await vscode.commands.executeCommand('codeartifact.refreshActiveFile')) as { status: string; replaced: number };
      assert.equal(outcome.status, 'written');
      assert.equal(outcome.replaced, 2);
      const calls = await tokenCallsSince(mark);
      assert.deepEqual(calls.map((c) => c.domain).sort(), ['mydomain', 'otherdomain'], 'one token call per domain');
      const tokenOf = (d: string) => calls.find((c) => c.domain === d)!.token;
      const expected = withToken(withToken(original.toString('utf8'), 'mydomain', tokenOf('mydomain')), 'otherdomain', tokenOf('otherdomain'));
      await doc.save();
      const after = await bytes(uri);
      assert.ok(after.equals(Buffer.from(expected, 'utf8')), 'bytes on disk: BOM, CRLF and no final newline kept; each line has its own domain\'s token');
      await vscode.commands.executeCommand('undo');
      sameSecret(doc.getText(), original.toString('utf8').replace(/^\uFEFF/, ''), 'one undo restores both lines');
    });

    it('refuses a file whose token is a ${VAR} reference, changes nothing and calls nothing', async () => {
      dismissAll(a);
      const doc = await vscode.workspace.openTextDocument(workspaceFile('pip.conf'));
      await vscode.window.showTextDocument(doc);
      const before = doc.getText();
      const mark = await stubMark();
      const shown = a.deps.prompts.shown.length;
      const outcome = (await vscode.commands.executeCommand('codeartifact.refreshActiveFile')) as { status: string; code: string };
      assert.equal(outcome.status, 'failed');
      assert.equal(outcome.code, 'OnlyEnvReferences');
      assert.equal(doc.getText(), before);
      assert.equal(doc.isDirty, false);
      assert.equal((await sandbox().calls()).length, mark.calls, 'no token call');
      const error = shownSince(a, shown).find((p) => p.kind === 'error');
      assert.ok(error, 'an error notification is shown');
      assert.match(error.message, /environment reference/);
      assert.deepEqual(error.choices, ['Show Log']);
    });

    it('says clearly when the file has no CodeArtifact URL (a look-alike aws: URL is not one)', async () => {
      dismissAll(a);
      const doc = await vscode.workspace.openTextDocument(workspaceFile('notes.txt'));
      await vscode.window.showTextDocument(doc);
      const shown = a.deps.prompts.shown.length;
      const outcome = (await vscode.commands.executeCommand('codeartifact.refreshActiveFile')) as { status: string; code: string };
      assert.equal(outcome.code, 'NoEndpoints');
      assert.match(shownSince(a, shown).find((p) => p.kind === 'error')?.message ?? '', /has no CodeArtifact repository URL/);
      assert.equal(doc.isDirty, false);
    });

    it('works on an untitled document', async () => {
      dismissAll(a);
      const doc = await vscode.workspace.openTextDocument({ content: '-i https://aws:{auth_token}@mydomain-111122223333.d.codeartifact.us-east-1.amazonaws.com/pypi/my-repo/simple/\n' });
      await vscode.window.showTextDocument(doc);
      const outcome = (await vscode.commands.executeCommand('codeartifact.refreshActiveFile')) as { status: string; replaced: number; saved: boolean };
      assert.equal(outcome.status, 'written');
      assert.equal(outcome.replaced, 1);
      assert.equal(outcome.saved, false);
      assert.ok(!doc.getText().includes('{auth_token}'));
      await vscode.commands.executeCommand('undo');
      assert.ok(doc.getText().includes('{auth_token}'));
    });
  });

  describe('in an S3 object', () => {
    beforeEach(() => sandbox().reseed());

    it('shows a masked diff, asks, and writes the object conditionally, keeping its settings', async () => {
      const before = await sandbox().getObject(BUCKET, KEY);
      const mark = await stubMark();
      let modal: { message: string; detail?: string } | undefined;
      let diffText = '';
      let diffLabel = '';
      answer(a, async (p) => {
        if (p.kind !== 'modal') return undefined;
        modal = p;
        const tab = await waitFor('the diff tab', () => previewTabs()[0]);
        diffLabel = tab.label;
        const input = tab.input as vscode.TabInputTextDiff;
        diffText = (await vscode.workspace.openTextDocument(input.modified)).getText();
        return 'Write';
      });
      const outcome = (await vscode.commands.executeCommand('codeartifact.refreshRemoteFile', { uri: DEV_OBJECT })) as { status: string; etag: string; versionId?: string };
      assert.equal(outcome.status, 'written');
      assert.ok(modal, 'a modal asked before writing');
      assert.match(modal.message, /Write the refreshed CodeArtifact token to s3:\/\/mwaa-dev-environment\/dags\/codeartifact\.txt\?/);
      assert.match(diffLabel, /codeartifact\.txt/);
      assert.match(diffText, /‹new token, expires \d{4}-\d\d-\d\d \d\d:\d\d UTC›/, 'tokens are masked in the diff');
      const calls = await tokenCallsSince(mark);
      assert.equal(calls.length, 1);
      assert.ok(!diffText.includes(calls[0].token) && !diffLabel.includes(calls[0].token), 'no token in the diff text or title');
      const after = await sandbox().getObject(BUCKET, KEY);
      sameSecret(after.text, withToken(before.text, 'mydomain', calls[0].token), 'object text');
      assert.notEqual(after.etag, before.etag, 'ETag changed');
      assert.equal(after.etag, outcome.etag);
      assert.ok(after.versionId && after.versionId !== before.versionId, 'a new version in the versioned bucket');
      assert.equal(after.contentType, before.contentType);
      assert.equal(previewTabs().length, 0, 'the diff closes after the write');
    });

    it('carries over content type, cache control, disposition, user metadata and SSE', async () => {
      dismissAll(a);
      const key = 'dags/with-metadata.txt';
      const before = await sandbox().getObject(BUCKET, key);
      const outcome = (await vscode.commands.executeCommand('codeartifact.refreshRemoteFile', { uri: `s3://${BUCKET}/${key}`, confirm: false })) as { status: string };
      assert.equal(outcome.status, 'written');
      const after = await sandbox().getObject(BUCKET, key);
      assert.notEqual(after.etag, before.etag);
      assert.equal(after.contentType, before.contentType);
      assert.equal(after.cacheControl, before.cacheControl);
      assert.equal(after.contentDisposition, before.contentDisposition);
      assert.deepEqual(after.metadata, before.metadata);
      assert.equal(after.serverSideEncryption, before.serverSideEncryption);
      assert.equal(after.sseKmsKeyId, before.sseKmsKeyId);
    });

    it('answers the real modal in the workbench (clicked through the browser)', async function () {
      requireBrowserHooks(this);
      a.deps.prompts.answerer = undefined; // everything reaches the real workbench
      const before = await sandbox().getObject(BUCKET, KEY);
      const running = vscode.commands.executeCommand('codeartifact.refreshRemoteFile', { uri: DEV_OBJECT }) as Thenable<{ status: string }>;
      await waitFor('the diff tab', () => previewTabs()[0]);
      await waitFor('the modal', () => a.deps.prompts.shown.at(-1)?.kind === 'modal');
      await screenshot('remote-diff-and-confirm');
      await clickButton('Write');
      const outcome = await running;
      assert.equal(outcome.status, 'written');
      assert.notEqual((await sandbox().getObject(BUCKET, KEY)).etag, before.etag);
    });

    it('writes nothing when the person says no', async () => {
      answer(a, (p) => (p.kind === 'modal' ? undefined : undefined));
      const before = await sandbox().getObject(BUCKET, KEY);
      const puts = (await sandbox().s3proxy()).conditionalPuts;
      const outcome = (await vscode.commands.executeCommand('codeartifact.refreshRemoteFile', { uri: DEV_OBJECT })) as { status: string };
      assert.equal(outcome.status, 'declined');
      const after = await sandbox().getObject(BUCKET, KEY);
      assert.equal(after.etag, before.etag);
      assert.equal((await sandbox().s3proxy()).conditionalPuts, puts, 'no PUT was sent');
      assert.equal(previewTabs().length, 0, 'the diff closes');
    });

    it('never clobbers an edit made between the diff and the write: re-reads and shows the new diff', async () => {
      const concurrentLine = 'added-by-a-colleague==1.0.0';
      let modals = 0;
      const shown = a.deps.prompts.shown.length;
      answer(a, async (p) => {
        if (p.kind !== 'modal') return undefined;
        modals++;
        if (modals === 1) {
          // A colleague (or the MWAA console) changes the object while the diff is open.
          const current = await sandbox().getObject(BUCKET, KEY);
          await sandbox().putObject(BUCKET, KEY, current.text + concurrentLine + '\n');
        }
        return 'Write';
      });
      const outcome = (await vscode.commands.executeCommand('codeartifact.refreshRemoteFile', { uri: DEV_OBJECT })) as { status: string };
      assert.equal(outcome.status, 'written');
      assert.equal(modals, 2, 'asked again with the new diff');
      assert.ok(shownSince(a, shown).some((p) => p.kind === 'warning' && /changed since it was read, so nothing was written/.test(p.message)));
      const after = await sandbox().getObject(BUCKET, KEY);
      assert.ok(after.text.includes(concurrentLine), 'the concurrent edit survived');
      assert.ok(!after.text.includes(`aws:{auth_token}`) && /aws:[A-Za-z0-9_-]+\./.test(after.text), 'and the token was refreshed');
    });

    it('cancel stops the work and writes nothing', async function () {
      requireBrowserHooks(this);
      dismissAll(a);
      // An object no earlier test refreshed, so its progress notification is the only one with this text
      // (finished progress notifications of earlier tests can still be on screen for a moment).
      const bucket = 'mwaa-ops-environment';
      const before = await sandbox().getObject(bucket, KEY);
      const puts = (await sandbox().s3proxy()).conditionalPuts;
      const mark = await stubMark();
      await sandbox().setBehavior('mydomain', { kind: 'hang' });
      try {
        a.deps.prompts.answerer = (p) => (p.kind === 'info' || p.kind === 'error' ? undefined : 'passthrough');
        const running = vscode.commands.executeCommand('codeartifact.refreshRemoteFile', { uri: CRLF_OBJECT, confirm: false }) as Thenable<{ status: string }>;
        await waitFor('the token call to reach the stub', async () => (await sandbox().calls()).slice(mark.calls).some((c) => c.domain === 'mydomain'));
        await screenshot('cancel-progress');
        await clickButton('Cancel', 30_000, `reading ${CRLF_OBJECT}`);
        const outcome = await running;
        assert.equal(outcome.status, 'cancelled');
      } finally {
        await sandbox().setBehavior('mydomain', undefined);
      }
      assert.equal((await sandbox().getObject(bucket, KEY)).etag, before.etag, 'object unchanged');
      assert.equal((await sandbox().s3proxy()).conditionalPuts, puts, 'no PUT was sent');
    });

    it('signs the token call with the chosen profile, and a switch takes effect at once', async () => {
      dismissAll(a);
      const info = await sandbox().info();
      // An object no setting lists: the chosen profile applies (a configured one keeps its own, see below).
      const unlisted = `s3://${BUCKET}/dags/with-metadata.txt`;
      for (const profile of ['ops', 'dev']) {
        await a.deps.profiles.choose(profile);
        const mark = await stubMark();
        const outcome = (await vscode.commands.executeCommand('codeartifact.refreshRemoteFile', { uri: unlisted, confirm: false })) as { status: string };
        assert.equal(outcome.status, 'written');
        const calls = await tokenCallsSince(mark);
        assert.equal(calls.length, 1);
        assert.equal(calls[0].accessKeyId, info.profiles[profile].accessKeyId, `signed by ${profile}'s key`);
      }
      // A role profile: the call is signed by the temporary key STS issued, with its session token.
      await a.deps.profiles.choose('deployer');
      const mark = await stubMark();
      await vscode.commands.executeCommand('codeartifact.refreshRemoteFile', { uri: unlisted, confirm: false });
      const [call] = await tokenCallsSince(mark);
      assert.ok(call, 'the role profile got a token');
      assert.ok(call.sessionToken, 'signed with temporary credentials');
      assert.ok(!Object.values(info.profiles).some((p) => p.accessKeyId === call.accessKeyId), 'not a static key');
      await a.deps.profiles.choose('dev');
    });

    it('a configured object is refreshed with its own profile, whichever profile is chosen, and offers no "Save to Settings"', async () => {
      dismissAll(a);
      const info = await sandbox().info();
      await a.deps.profiles.choose('ops');
      try {
        const mark = await stubMark();
        const shown = a.deps.prompts.shown.length;
        const outcome = (await vscode.commands.executeCommand('codeartifact.refreshRemoteFile', { uri: DEV_OBJECT, confirm: false })) as { status: string; profile: string };
        assert.equal(outcome.status, 'written');
        assert.equal(outcome.profile, 'dev');
        const calls = await tokenCallsSince(mark);
        assert.deepEqual(calls.map((c) => c.accessKeyId), [info.profiles.dev.accessKeyId], "signed by the entry's profile (dev)");
        const done = a.deps.prompts.shown.slice(shown).filter((p) => p.kind === 'info' && /Refreshed/.test(p.message));
        assert.equal(done.length, 1);
        assert.deepEqual(done[0].choices, [], 'an object already in the settings is not offered again');
      } finally {
        await a.deps.profiles.choose('dev');
      }
    });

    it('the profile quick pick lists the profiles (no sso-session/services sections) and persists the choice', async () => {
      let choices: string[] = [];
      answer(a, (p) => {
        if (p.kind !== 'quickPick') return undefined;
        choices = p.choices;
        return p.choices.find((c) => c.replace('$(check) ', '') === 'ops');
      });
      const picked = await vscode.commands.executeCommand('codeartifact.selectProfile');
      assert.equal(picked, 'ops');
      const names = choices.map((c) => c.replace('$(check) ', ''));
      assert.deepEqual([...names].sort(), ['default', 'deployer', 'dev', 'mfa-admin', 'ops', 'proc', 'sso-user']);
      assert.equal(names[0], 'dev', 'most recently used first');
      assert.ok(choices.includes('$(check) dev'), 'the current one is marked');
      assert.equal(a.deps.profiles.chosen, 'ops');
      assert.equal(a.profileItem.text, '$(account) ops', 'the status bar shows it');
      await a.deps.profiles.choose('dev');
    });
  });

  describe('all configured S3 objects', () => {
    beforeEach(() => sandbox().reseed());

    it('reads all, makes one token call per domain/owner/region/profile, writes, and reports per object', async () => {
      dismissAll(a);
      const mark = await stubMark();
      const outcomes = (await vscode.commands.executeCommand('codeartifact.refreshAllRemoteFiles', { confirm: false })) as { id: string; status: string; code?: string }[];
      assert.deepEqual(outcomes.map((o) => [o.id, o.status, o.code]), [
        [DEV_OBJECT, 'written', undefined],
        [CRLF_OBJECT, 'written', undefined],
        ['s3://mwaa-dev-environment/dags/requirements.txt', 'failed', 'NoEndpoints'],
      ]);
      const calls = await tokenCallsSince(mark);
      // dev: mydomain; ops: mydomain + otherdomain (profiles differ, so mydomain is fetched once per profile).
      assert.equal(calls.length, 3);
      const crlf = await sandbox().getObject('mwaa-ops-environment', KEY);
      assert.ok(/\r\n/.test(crlf.text) && !/[^\r]\n/.test(crlf.text), 'CRLF endings kept');
      const summary = a.deps.prompts.shown.filter((p) => /3 S3 objects/.test(p.message)).at(-1);
      assert.ok(summary, 'one summary notification');
      assert.match(summary.message, /2 written, 1 failed/);
    });

    it('writes only the objects the person keeps checked', async () => {
      const before = await sandbox().getObject('mwaa-ops-environment', KEY);
      answer(a, (p) => (p.kind === 'quickPick' ? ['MWAA dev'] : undefined));
      const outcomes = (await vscode.commands.executeCommand('codeartifact.refreshAllRemoteFiles')) as { status: string }[];
      assert.deepEqual(outcomes.map((o) => o.status), ['written', 'declined', 'failed']);
      assert.equal((await sandbox().getObject('mwaa-ops-environment', KEY)).etag, before.etag, 'the unchecked object is untouched');
    });
  });
});
