/**
 * Phase 2: what a person sees after "Developer: Reload Window", with NO command run and NO activate() call in this
 * extension host. The extension is back by itself: the countdown of the tokens phase 1 tracked is rendered in the
 * status bar, the editor restored on requirements-lf.txt is scanned and offers "Refresh Tokens in This File", and an
 * expiry warning already shown before the reload is not shown again.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { paletteHas, phaseInfo, statusBarText } from '../../support/vscode/harnessClient';
import { api, expiryWarnedIds, requireBrowserHooks, SELF_ACTIVATION_MS, statusBarDomId, waitFor, withoutIcons, type TestApi } from '../helpers';

const EXPIRY_ITEM = 'codeartifact.expiry';
const COUNTDOWN = /^(\d+h )?\d+m$|^<1m$|^expired (<1m|(\d+h )?\d+m|\d+d \d+h) ago$/;

describe('after a reload, with no command run', () => {
  let a: TestApi;

  it(`the extension is active by itself within ${SELF_ACTIVATION_MS / 1000} s`, async function () {
    this.timeout(SELF_ACTIVATION_MS + 10_000);
    a = await api(); // never calls activate()
  });

  it('the status bar shows the countdown of the tokens tracked before the reload', async function () {
    requireBrowserHooks(this);
    assert.ok(a, 'the extension is not active (see the first test)');
    // S3 objects are never scanned at start-up (that would be an AWS call): an S3 entry here can only come from the
    // state phase 1 persisted.
    const persisted = a.deps.tracker.all().filter((e) => e.targetKind === 's3');
    assert.ok(persisted.length > 0, 'no S3 object tracked: phase 1 refreshed S3 objects, and no command ran since, so they must come from persisted state');
    const expected = withoutIcons(a.statusBar.state.text);
    assert.match(expected, COUNTDOWN, 'the extension set no countdown text');
    // The page shows what the extension set (a minute may tick between the two reads).
    const shown = await waitFor('the countdown in the status bar', async () => {
      const s = await statusBarText(statusBarDomId(EXPIRY_ITEM));
      return COUNTDOWN.test(s.text) ? s : undefined;
    });
    assert.ok([expected, withoutIcons(a.statusBar.state.text)].includes(shown.text), `page shows "${shown.text}", the extension set "${expected}"`);
    assert.ok(shown.ariaLabel.length > 0, 'the countdown has no aria-label');
  });

  it('the restored requirements editor is scanned and the palette lists "Refresh Tokens in This File"', async function () {
    requireBrowserHooks(this);
    assert.ok(a, 'the extension is not active (see the first test)');
    const opened = phaseInfo()?.previous[0]?.opened ?? [];
    assert.ok(opened.length > 0, 'phase 1 left no editor open');
    const file = vscode.Uri.file(opened[opened.length - 1]);
    const editor = await waitFor('the restored editor', () => vscode.window.visibleTextEditors.find((e) => e.document.uri.path === file.path));
    const uri = editor.document.uri.toString();
    await waitFor(`tracked tokens of ${file.path.split('/').pop()}`, () => a.deps.tracker.all().some((e) => e.targetId === uri));
    assert.equal(await paletteHas('CodeArtifact: Refresh Tokens in This File'), true, 'not listed in the command palette for the restored editor');
  });

  it('does not warn again about a token it already warned about before the reload', async () => {
    assert.ok(a, 'the extension is not active (see the first test)');
    const warnedBefore = phaseInfo()?.previous[0]?.handover?.expiryWarnedIds ?? [];
    assert.ok(warnedBefore.length > 0, 'phase 1 showed no expiry warning for a tracked token: nothing to check');
    // The first render (at activation) and the first tick have happened once the countdown shows (previous test).
    const again = expiryWarnedIds(a).filter((id) => warnedBefore.includes(id));
    assert.deepEqual(again, [], `warned again after the reload about ${again.length} of the ${warnedBefore.length} tokens warned about before`);
    console.log(`[after reload] ${warnedBefore.length} tokens were warned about before the reload; none again`);
  });
});
