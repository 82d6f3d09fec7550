/**
 * Issue 9 in the real editor: every refresh goes through one loop, and the defects found by reading the code and by
 * trying it stay fixed — each test here failed before the fix it names.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { PREVIEW_SCHEME } from '../../src/ui/preview';
import { syntheticToken } from '../support/servers/codeartifactStub';
import { clickButton, quickPick, waitForText } from '../support/vscode/harnessClient';
import { WorkspaceEntriesConsent, configuredRemoteFiles } from '../../src/ui/remoteFiles';
import { closeAllWithoutSaving, DEV_OBJECT, answer, api, dismissAll, workspaceFile, sandbox, shownSince, stubMark, tokenCallsSince, waitFor, type TestApi } from './helpers';

const BUCKET = 'mwaa-dev-environment';
const KEY = 'dags/codeartifact.txt';
const MIN = 60_000;

describe('one refresh pipeline (issue 9)', function () {
  let a: TestApi;

  before(async () => {
    a = await api();
    await sandbox().reseed();
    await a.deps.profiles.choose('dev');
  });

  afterEach(async () => {
    dismissAll(a);
    await sandbox().setBehavior('mydomain', undefined);
    await closeAllWithoutSaving();
  });

  describe('settings', () => {
    it('an object listed in user settings with another profile is refreshed once, with the workspace entry\'s profile', async () => {
      dismissAll(a);
      await sandbox().reseed();
      const config = vscode.workspace.getConfiguration('codeartifact');
      await config.update('remoteFiles', [{ uri: DEV_OBJECT, profile: 'ops' }], vscode.ConfigurationTarget.Global);
      try {
        const puts = (await sandbox().s3proxy()).conditionalPuts;
        const outcomes = (await vscode.commands.executeCommand('codeartifact.refreshAllRemoteFiles', { confirm: false })) as { id: string; status: string; profile: string }[];
        const dev = outcomes.filter((o) => o.id === DEV_OBJECT);
        assert.equal(dev.length, 1, 'one outcome for the object, not one per settings scope');
        assert.equal(dev[0].profile, 'dev', 'the most specific scope (workspace) wins');
        assert.equal((await sandbox().s3proxy()).conditionalPuts - puts, 2, 'two objects written (dev + ops), the dev object once');
      } finally {
        await config.update('remoteFiles', undefined, vscode.ConfigurationTarget.Global);
      }
    });

    it('untrusted workspace: "Use Them" holds for the entries shown, not for one added later', async () => {
      const asked: string[] = [];
      answer(a, (p) => {
        if (p.kind !== 'modal') return undefined;
        asked.push(p.detail ?? '');
        return 'Use Them';
      });
      const consent = new WorkspaceEntriesConsent(a.deps.prompts, () => undefined, () => false);
      const entries = configuredRemoteFiles();
      assert.equal((await consent.usable(entries)).length, entries.length);
      assert.equal((await consent.usable(entries)).length, entries.length);
      assert.equal(asked.length, 1, 'asked once for the same entries');
      const added = [...entries, { uri: 's3://attacker-bucket/dags/codeartifact.txt', source: 'workspace' as const }];
      answer(a, (p) => {
        if (p.kind !== 'modal') return undefined;
        asked.push(p.detail ?? '');
        return undefined; // the person says no this time
      });
      const usable = await consent.usable(added);
      assert.equal(asked.length, 2, 'a new workspace entry is asked about again');
      assert.match(asked[1], /attacker-bucket/);
      assert.deepEqual(usable.filter((e) => e.source !== 'user'), [], 'declined: no workspace entry is used');
    });
  });

  describe('S3 review', () => {
    beforeEach(() => sandbox().reseed());

    it('the diff opens beside the person\'s preview tab (never replacing it), the modal gives the time zone, the diff closes after', async () => {
      const notes = workspaceFile('notes.txt');
      await vscode.window.showTextDocument(notes, { preview: true });
      let detail = '';
      let tabsDuringReview: string[] = [];
      answer(a, async (p) => {
        if (p.kind !== 'modal') return undefined;
        detail = p.detail ?? '';
        await waitFor('the diff tab', () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).some((t) => t.input instanceof vscode.TabInputTextDiff));
        tabsDuringReview = vscode.window.tabGroups.all.flatMap((g) => g.tabs).map((t) => t.label);
        return 'Write';
      });
      const outcome = (await vscode.commands.executeCommand('codeartifact.refreshRemoteFile', { uri: DEV_OBJECT })) as { status: string };
      assert.equal(outcome.status, 'written');
      assert.ok(tabsDuringReview.includes('notes.txt'), `the person's preview tab stays open (tabs: ${JSON.stringify(tabsDuringReview)})`);
      assert.match(detail, /new tokens expire \d{4}-\d\d-\d\d \d\d:\d\d \(UTC([+-]\d\d:\d\d)?\)/, 'the expiry names its time zone');
      const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs);
      assert.ok(tabs.some((t) => t.label === 'notes.txt'), 'still open after the write');
      assert.ok(!tabs.some((t) => t.input instanceof vscode.TabInputTextDiff), 'the diff closed');
    });

    it('Refresh All, changed since read, confirm on: the second review shows the new content; nothing is clobbered', async () => {
      const concurrent = '# pinned by a colleague';
      let picks = 0;
      let second: { message: string; detail?: string } | undefined;
      answer(a, async (p) => {
        if (p.kind === 'quickPick') {
          picks++;
          const current = await sandbox().getObject(BUCKET, KEY);
          await sandbox().putObject(BUCKET, KEY, current.text + concurrent + '\n');
          return p.choices;
        }
        if (p.kind !== 'modal') return undefined;
        // Round 2: only the changed object is left, so it is asked about on its own, with its new diff.
        second = p;
        return 'Write';
      });
      const outcomes = (await vscode.commands.executeCommand('codeartifact.refreshAllRemoteFiles')) as { id: string; status: string }[];
      assert.equal(picks, 1);
      assert.ok(second, 'asked again after the conflict');
      assert.match(second.message, /mwaa-dev-environment\/dags\/codeartifact\.txt/);
      assert.match(second.detail ?? '', /It changed since the last diff/);
      assert.equal(outcomes.find((o) => o.id === DEV_OBJECT)?.status, 'written');
      const after = await sandbox().getObject(BUCKET, KEY);
      assert.ok(after.text.includes(concurrent), 'the concurrent change is kept');
      assert.ok(shownSince(a, 0).some((p) => p.kind === 'warning' && /changed since it was read/.test(p.message)));
    });

    it('Refresh All, changed since read, confirm off: the token is applied to the new content', async () => {
      dismissAll(a);
      const concurrent = '# added while the token was being fetched';
      await sandbox().setBehavior('mydomain', { kind: 'delay', ms: 1500 });
      const mark = await stubMark();
      const running = vscode.commands.executeCommand('codeartifact.refreshAllRemoteFiles', { confirm: false }) as Thenable<{ id: string; status: string }[]>;
      await waitFor('the token call', async () => (await sandbox().calls()).length > mark.calls);
      const current = await sandbox().getObject(BUCKET, KEY);
      await sandbox().putObject(BUCKET, KEY, current.text + concurrent + '\n');
      const outcomes = await running;
      assert.equal(outcomes.find((o) => o.id === DEV_OBJECT)?.status, 'written');
      const after = await sandbox().getObject(BUCKET, KEY);
      assert.ok(after.text.includes(concurrent), 'the concurrent change is kept');
      const calls = await tokenCallsSince(mark);
      assert.ok(calls.some((c) => after.text.includes(c.token)), 'the new content got the new token');
    });

    it('Refresh All, Cancel while reading: nothing written, the summary counts the cancelled ones', async () => {
      await sandbox().setBehavior('mydomain', { kind: 'hang' });
      const puts = (await sandbox().s3proxy()).conditionalPuts;
      const mark = a.deps.prompts.shown.length;
      dismissAll(a);
      const running = vscode.commands.executeCommand('codeartifact.refreshAllRemoteFiles') as Thenable<{ status: string }[]>;
      await clickButton('Cancel', 30_000, 'reading 3 S3 objects');
      const outcomes = await running;
      assert.ok(outcomes.some((o) => o.status === 'cancelled'), JSON.stringify(outcomes.map((o) => o.status)));
      assert.equal((await sandbox().s3proxy()).conditionalPuts, puts, 'no PUT was sent');
      const summary = shownSince(a, mark).find((p) => /3 S3 objects/.test(p.message));
      assert.ok(summary, 'one summary');
      assert.match(summary.message, /\d+ cancelled/);
    });

    it('Refresh All on screen: diffs opened with the rows\' "Open diff" buttons, in any order, close when the list is dismissed or accepted', async () => {
      const previewDiffs = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputTextDiff && t.input.modified.scheme === PREVIEW_SCHEME);
      answer(a, (p) => (p.kind === 'quickPick' ? 'passthrough' : undefined)); // the real list, clicked in the page
      const puts = (await sandbox().s3proxy()).conditionalPuts;
      // Dismissed: two diffs, opened bottom row first.
      const dismissed = vscode.commands.executeCommand('codeartifact.refreshAllRemoteFiles') as Thenable<{ id: string; status: string }[]>;
      await waitForText('Write refreshed tokens to 2 S3 objects'); // the third object has no CodeArtifact URL
      await quickPick({ button: 'Open diff', row: 'MWAA ops' });
      await waitFor('the first diff', () => previewDiffs().length === 1);
      await quickPick({ button: 'Open diff', row: 'MWAA dev' });
      await waitFor('the second diff', () => previewDiffs().length === 2);
      await quickPick('dismiss');
      const outcomes = await dismissed;
      const statuses = (list: { id: string; status: string }[]) => list.filter((o) => o.id.endsWith('/codeartifact.txt')).map((o) => `${o.id.split('/')[2]} ${o.status}`).sort();
      assert.deepEqual(statuses(outcomes), ['mwaa-dev-environment declined', 'mwaa-ops-environment declined']);
      assert.equal((await sandbox().s3proxy()).conditionalPuts, puts, 'nothing written');
      await waitFor('the diffs to close', () => previewDiffs().length === 0);
      assert.equal(a.deps.preview.held, 0, 'no text held after the list was dismissed');
      // Accepted: one diff open when OK is clicked.
      const accepted = vscode.commands.executeCommand('codeartifact.refreshAllRemoteFiles') as Thenable<{ id: string; status: string }[]>;
      await waitForText('Write refreshed tokens to 2 S3 objects');
      await quickPick({ button: 'Open diff', row: 'MWAA ops' });
      await waitFor('the diff', () => previewDiffs().length === 1);
      await quickPick('accept');
      const written = await accepted;
      assert.deepEqual(statuses(written), ['mwaa-dev-environment written', 'mwaa-ops-environment written']);
      assert.equal((await sandbox().s3proxy()).conditionalPuts, puts + 2, 'two conditional writes');
      await waitFor('the diff to close', () => previewDiffs().length === 0);
      assert.equal(a.deps.preview.held, 0, 'no text held after the list was accepted');
    });

    it('with diff.showTokens on, the diff shows the real token and is forgotten when closed', async () => {
      const config = vscode.workspace.getConfiguration('codeartifact');
      await config.update('diff.showTokens', true, vscode.ConfigurationTarget.Global);
      try {
        const mark = await stubMark();
        let shownText = '';
        answer(a, async (p) => {
          if (p.kind !== 'modal') return undefined;
          const tab = await waitFor('the diff tab', () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputTextDiff));
          shownText = (await vscode.workspace.openTextDocument((tab.input as vscode.TabInputTextDiff).modified)).getText();
          return 'Write';
        });
        await vscode.commands.executeCommand('codeartifact.refreshRemoteFile', { uri: DEV_OBJECT });
        const [call] = await tokenCallsSince(mark);
        assert.ok(shownText.includes(call.token), 'the diff shows the real new token when asked to');
        assert.equal(a.deps.preview.held, 0, 'nothing held after the diff closed');
      } finally {
        await config.update('diff.showTokens', undefined, vscode.ConfigurationTarget.Global);
      }
    });
  });

  describe('token list', () => {
    it('"Open" shows an S3 object read-only (never an untitled document), "Stop tracking" forgets it', async () => {
      dismissAll(a);
      await sandbox().reseed();
      await vscode.commands.executeCommand('codeartifact.refreshRemoteFile', { uri: DEV_OBJECT, confirm: false });
      const entry = a.deps.tracker.forTarget(DEV_OBJECT)[0];
      assert.ok(entry, 'tracked');
      answer(a, (p) => {
        if (p.kind !== 'quickPick') return undefined;
        if (p.message === 'CodeArtifact tokens') return p.choices.find((c) => c.includes('MWAA dev'));
        return p.choices.find((c) => c.includes('Open'));
      });
      await vscode.commands.executeCommand('codeartifact.showTokenStatus');
      const opened = await waitFor('the read-only view', () => vscode.window.activeTextEditor?.document);
      assert.equal(opened.uri.scheme, PREVIEW_SCHEME, 'a read-only document of the extension, not untitled:');
      assert.ok(!vscode.workspace.textDocuments.some((d) => d.isUntitled && d.getText().includes('codeartifact')), 'no untitled document holds the object');
      assert.match(opened.getText(), /‹token, expires/, 'masked');
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      answer(a, (p) => {
        if (p.kind !== 'quickPick') return undefined;
        if (p.message === 'CodeArtifact tokens') return p.choices.find((c) => c.includes('MWAA dev'));
        return p.choices.find((c) => c.includes('Stop tracking'));
      });
      await vscode.commands.executeCommand('codeartifact.showTokenStatus');
      assert.equal(a.deps.tracker.all().filter((e) => e.id === entry.id).length, 0, 'forgotten');
    });

    it('the profile quick pick highlights the current profile (Enter keeps it)', async () => {
      let active: string | undefined;
      answer(a, (p) => {
        if (p.kind === 'quickPick') active = p.active;
        return undefined;
      });
      await vscode.commands.executeCommand('codeartifact.selectProfile');
      assert.equal(active, '$(check) dev');
      assert.equal(a.deps.profiles.chosen, 'dev');
    });

    it('input validation never echoes what was pasted (a pip line would show its token)', async () => {
      const now = Math.floor(Date.now() / 1000);
      const secret = syntheticToken(now, now + 3600);
      answer(a, (p) => (p.kind === 'inputBox' ? `--extra-index-url https://aws:${secret}@mydomain-111122223333.d.codeartifact.us-east-1.amazonaws.com/pypi/r/simple/` : p.kind === 'quickPick' ? p.choices.at(-1) : undefined));
      const mark = a.deps.prompts.shown.length;
      await vscode.commands.executeCommand('codeartifact.refreshRemoteFile');
      const shown = shownSince(a, mark);
      const problem = shown.find((p) => p.kind === 'error');
      assert.ok(problem, 'the validation message was shown');
      assert.match(problem.message, /not an S3 location/);
      assert.ok(!JSON.stringify(shown).includes(secret.slice(0, 40)), 'no part of the token in any prompt');
    });
  });

  describe('expiry warnings', () => {
    it('twenty tokens crossing the threshold at once make one notification, shown once', async () => {
      const now = Date.now();
      const ids: string[] = [];
      const shown = a.deps.prompts.shown.length;
      for (let i = 0; i < 20; i++) {
        const id = `s3://bulk-${i}/dags/codeartifact.txt`;
        ids.push(id);
        a.deps.tracker.setTarget(id, [{ targetId: id, targetKind: 's3', targetLabel: `bulk ${i}`, domain: 'mydomain', domainOwner: '111122223333', region: 'us-east-1', expiresAt: now + 30 * MIN, source: 'scan' }], (e) => e.domain);
      }
      try {
        a.deps.clock.set(new Date(now));
        a.deps.clock.set(new Date(now + MIN));
        await waitFor('the warning', () => shownSince(a, shown).some((p) => p.kind === 'warning' && /bulk/.test(p.message)));
        await new Promise((r) => setTimeout(r, 1000)); // time for a second notification to (wrongly) appear
        const warnings = shownSince(a, shown).filter((p) => p.kind === 'warning' && /bulk/.test(p.message));
        assert.equal(warnings.length, 1, `one notification, not 20: ${JSON.stringify(warnings.map((w) => w.message))}`);
        assert.match(warnings[0].message, /^20 CodeArtifact tokens need a refresh: bulk \d+ \(mydomain\) expires in \d+m; .*; and 17 more\.$/);
        assert.deepEqual(warnings[0].choices, ['Refresh now']);
        const stored = a.context.globalState.get<string[]>('codeartifact.warnedTokens') ?? [];
        assert.equal(ids.filter((id) => stored.some((k) => k.startsWith(`${id}#`))).length, 20, 'remembered across reloads');
      } finally {
        a.deps.clock.set(undefined);
        for (const id of ids) a.deps.tracker.setTarget(id, [], () => '');
      }
    });
  });

  describe('open documents', () => {
    it('a document edited while its token is fetched is planned again on the new text; the edit is kept', async () => {
      dismissAll(a);
      const doc = await vscode.workspace.openTextDocument(workspaceFile('requirements-lf.txt'));
      const editor = await vscode.window.showTextDocument(doc);
      await sandbox().setBehavior('mydomain', { kind: 'delay', ms: 1500 });
      const mark = await stubMark();
      const running = vscode.commands.executeCommand('codeartifact.refreshActiveFile') as Thenable<{ status: string }>;
      await waitFor('the token call', async () => (await sandbox().calls()).length > mark.calls);
      await editor.edit((e) => e.insert(new vscode.Position(0, 0), '# typed during the refresh\n'));
      const outcome = await running;
      assert.equal(outcome.status, 'written');
      assert.ok(doc.getText().startsWith('# typed during the refresh\n'), 'the person\'s edit is kept');
      const [call] = await tokenCallsSince(mark);
      assert.ok(doc.getText().includes(call.token), 'the new text got the token');
    });

    it('a document closed during the refresh: a clear message, nothing changed', async () => {
      dismissAll(a);
      const doc = await vscode.workspace.openTextDocument({ content: `--extra-index-url https://aws:${syntheticToken(0, 1)}@mydomain-111122223333.d.codeartifact.us-east-1.amazonaws.com/pypi/my-repo/simple/\n` });
      await vscode.window.showTextDocument(doc);
      await sandbox().setBehavior('mydomain', { kind: 'delay', ms: 1500 });
      const mark = await stubMark();
      const running = vscode.commands.executeCommand('codeartifact.refreshActiveFile') as Thenable<{ status: string; code?: string; message?: string }>;
      await waitFor('the token call', async () => (await sandbox().calls()).length > mark.calls);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      const outcome = await running;
      assert.equal(outcome.status, 'failed');
      assert.match(outcome.message ?? '', /was closed during the refresh; nothing was changed/);
    });

    it('saveAfterRefresh on: the refreshed file is saved', async () => {
      dismissAll(a);
      const uri = workspaceFile('requirements-lf.txt');
      const config = vscode.workspace.getConfiguration('codeartifact');
      await config.update('saveAfterRefresh', true, vscode.ConfigurationTarget.Global);
      const original = await vscode.workspace.fs.readFile(uri);
      try {
        const doc = await vscode.workspace.openTextDocument(uri);
        await vscode.window.showTextDocument(doc);
        const outcome = (await vscode.commands.executeCommand('codeartifact.refreshActiveFile')) as { status: string; saved: boolean };
        assert.equal(outcome.status, 'written');
        assert.equal(outcome.saved, true);
        assert.equal(doc.isDirty, false);
        assert.equal(Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8'), doc.getText(), 'the file on disk holds the refreshed text');
      } finally {
        await config.update('saveAfterRefresh', undefined, vscode.ConfigurationTarget.Global);
        await vscode.workspace.fs.writeFile(uri, original);
      }
    });

    it('the palette offers "Refresh Tokens in This File" for a plain file, which says there is no CodeArtifact URL', async () => {
      dismissAll(a);
      const pkg = vscode.extensions.getExtension('codeartifact-tools.codeartifact-token-refresher')!.packageJSON as { contributes: { menus: { commandPalette: { command: string; when: string }[] } } };
      const when = pkg.contributes.menus.commandPalette.find((m) => m.command === 'codeartifact.refreshActiveFile')?.when;
      assert.equal(when, 'editorIsOpen', 'not hidden behind a key only a running extension sets');
      await vscode.window.showTextDocument(workspaceFile('notes.txt'));
      const outcome = (await vscode.commands.executeCommand('codeartifact.refreshActiveFile')) as { status: string; code: string; message: string };
      assert.equal(outcome.code, 'NoEndpoints');
      assert.match(outcome.message, /notes\.txt has no CodeArtifact repository URL/);
    });
  });
});
