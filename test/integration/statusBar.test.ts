/**
 * The countdown in the real status bar, with the extension's settable clock: ok / warning / expired text and colour,
 * the tooltip, one notification when the warning threshold is crossed, and tokens tracked from open documents.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { formatRemaining } from '../../src/core/expiry';
import { hooksAvailable, screenshot } from '../support/vscode/harnessClient';
import { DEV_OBJECT, api, dismissAll, sandbox, waitFor, type TestApi } from './helpers';

const MIN = 60_000;

describe('status bar countdown', function () {
  let a: TestApi;

  before(async () => {
    a = await api();
    dismissAll(a);
    await sandbox().reseed();
    await a.deps.profiles.choose('dev');
    // Start from one tracked token: earlier suites leave others (some already expired and warned about).
    for (const e of a.deps.tracker.all()) a.deps.tracker.remove(e.id);
    const outcome = (await vscode.commands.executeCommand('codeartifact.refreshRemoteFile', { uri: DEV_OBJECT, confirm: false })) as { status: string };
    assert.equal(outcome.status, 'written');
  });

  after(() => a.deps.clock.set(undefined));

  it('shows the soonest expiry with no colour while it is far off', async () => {
    const soonest = a.deps.tracker.all()[0];
    assert.ok(soonest, 'the refresh is tracked');
    assert.equal(a.deps.tracker.all().length, 1);
    assert.equal(soonest.source, 'refresh');
    const now = new Date(soonest.expiresAt - (11 * 60 + 42) * MIN - 30_000);
    a.deps.clock.set(now);
    const s = a.statusBar.state;
    assert.equal(s.visible, true);
    assert.equal(s.text, '$(key) 11h 42m');
    assert.equal(s.background, undefined);
    assert.match(s.tooltip, /MWAA dev|mwaa-dev-environment/);
    assert.match(s.tooltip, /command:codeartifact\.refreshTracked/);
    assert.match(s.tooltip, /command:codeartifact\.selectProfile/);
    if (hooksAvailable()) await screenshot('status-ok'); // README picture; the assertions above do not need it
  });

  it('turns to the warning colour under the threshold and notifies once with "Refresh now"', async () => {
    const soonest = a.deps.tracker.all()[0]!;
    const mark = a.deps.prompts.shown.length;
    a.deps.clock.set(new Date(soonest.expiresAt - 42 * MIN));
    assert.equal(a.statusBar.state.background, 'statusBarItem.warningBackground');
    assert.equal(a.statusBar.state.text, `$(key) ${formatRemaining(a.deps.clock.now(), new Date(soonest.expiresAt))}`);
    await waitFor('the warning', () => a.deps.prompts.shown.slice(mark).some((p) => p.kind === 'warning'));
    a.deps.clock.set(new Date(soonest.expiresAt - 41 * MIN));
    a.deps.clock.set(new Date(soonest.expiresAt - 40 * MIN));
    await new Promise((r) => setTimeout(r, 1000)); // time for a second notification to (wrongly) appear
    const warnings = a.deps.prompts.shown.slice(mark).filter((p) => p.kind === 'warning' && p.message.includes(soonest.domain) && p.message.includes(soonest.targetLabel));
    assert.equal(warnings.length, 1, `one notification, not one per tick; soonest ${soonest.targetLabel} (${soonest.domain}); shown: ${JSON.stringify(a.deps.prompts.shown.slice(mark).map((p) => `${p.kind}: ${p.message}`))}`);
    assert.deepEqual(warnings[0].choices, ['Refresh now']);
    assert.match(warnings[0].message, /expires in 42m/);
    if (hooksAvailable()) await screenshot('status-warning'); // README picture; the assertions above do not need it
  });

  it('turns to the error colour once expired', async () => {
    const soonest = a.deps.tracker.all()[0]!;
    a.deps.clock.set(new Date(soonest.expiresAt + 3 * MIN + 10_000));
    assert.equal(a.statusBar.state.text, '$(key) expired 3m ago');
    assert.equal(a.statusBar.state.background, 'statusBarItem.errorBackground');
    if (hooksAvailable()) await screenshot('status-expired'); // README picture; the assertions above do not need it
  });

  it('tracks tokens found in an open document without any AWS call', async () => {
    a.deps.clock.set(undefined);
    const exp = Math.floor(Date.now() / 1000) + 3 * 3600;
    const b = (s: string) => Buffer.from(s).toString('base64url');
    const token = [b(JSON.stringify({ ver: 1, isu: exp - 43200, enc: 'A128GCM', tag: b('t'), exp, alg: 'A128GCMKW', iv: b('i') })), b('k'), b('i'), b('c'), b('t')].join('.');
    const calls = (await sandbox().calls()).length;
    const doc = await vscode.workspace.openTextDocument({ content: `--extra-index-url https://aws:${token}@scanned-111122223333.d.codeartifact.us-west-2.amazonaws.com/pypi/r/simple/\n` });
    await vscode.window.showTextDocument(doc);
    const entry = await (async () => {
      const deadline = Date.now() + 10_000;
      for (;;) {
        const e = a.deps.tracker.forTarget(doc.uri.toString())[0];
        if (e || Date.now() > deadline) return e;
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    assert.ok(entry, 'the document token is tracked');
    assert.equal(entry.domain, 'scanned');
    assert.equal(entry.source, 'scan');
    assert.equal(entry.expiresAt, exp * 1000);
    assert.equal((await sandbox().calls()).length, calls, 'no AWS call');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('persists expiries (never tokens) in global state', async () => {
    // Saved at most once a second.
    const stored = await waitFor('the S3 target in global state', () => {
      const s = JSON.stringify(a.context.globalState.get('codeartifact.trackedTokens') ?? null);
      return s.includes('mwaa-dev-environment') && s;
    });
    assert.ok(!/aws:[^@]*@/.test(stored) && !/eyJ[\w-]+\.[\w-]+\.[\w-]+\.[\w-]+\.[\w-]+/.test(stored), 'no token-shaped text');
  });
});
