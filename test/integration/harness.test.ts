/**
 * Self-tests of the runner's browser hooks that read what the page shows: a status bar item's rendered text and
 * aria-label, and whether the command palette lists a command. (The reload is proved in afterReload/harness.test.ts.)
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { paletteHas, statusBarText } from '../support/vscode/harnessClient';
import { EXTENSION_ID, requireBrowserHooks, statusBarDomId } from './helpers';

describe('harness: status bar and palette hooks', () => {
  it('reads a status bar item as rendered (text without icons, aria-label), and "" once it is hidden', async function () {
    requireBrowserHooks(this);
    // Created through this test file's `vscode` API, which belongs to the extension the file lives in.
    const item = vscode.window.createStatusBarItem('harness.selftest', vscode.StatusBarAlignment.Left, -1000);
    try {
      item.text = '$(check) harness self-test 42';
      item.accessibilityInformation = { label: 'Harness self-test item, 42' };
      item.show();
      const domId = statusBarDomId('harness.selftest');
      assert.equal(domId, `${EXTENSION_ID}.harness.selftest`);
      let seen = await statusBarText(domId);
      for (const deadline = Date.now() + 10_000; seen.text === '' && Date.now() < deadline;) seen = await statusBarText(domId);
      assert.deepEqual(seen, { text: 'harness self-test 42', ariaLabel: 'Harness self-test item, 42' });
      item.hide();
      for (const deadline = Date.now() + 10_000; seen.text !== '' && Date.now() < deadline;) seen = await statusBarText(domId);
      assert.deepEqual(seen, { text: '', ariaLabel: '' });
    } finally {
      item.dispose();
    }
  });

  it('answers "" for a status bar item that does not exist', async function () {
    requireBrowserHooks(this);
    assert.deepEqual(await statusBarText(statusBarDomId('harness.no-such-item')), { text: '', ariaLabel: '' });
  });

  it('finds a command in the palette, and not one hidden by its `when` clause or unknown', async function () {
    requireBrowserHooks(this);
    assert.equal(await paletteHas('CodeArtifact: Show Log'), true, '"CodeArtifact: Show Log" has no when clause: it is always listed');
    assert.equal(await paletteHas('CodeArtifact: Refresh Tracked Token'), false, 'its when clause is "false": never listed');
    assert.equal(await paletteHas('CodeArtifact: No Such Command'), false);
  });
});
