/**
 * Phase 2 (after the runner's "Developer: Reload Window"): the reload really restarted the extension host, and the
 * workbench restored the editor phase 1 left open. These check the harness itself, not the extension.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { phaseInfo } from '../../support/vscode/harnessClient';
import { waitFor } from '../helpers';

function phase1() {
  const info = phaseInfo();
  assert.ok(info, 'no phase file: phase 2 runs only under the launcher-mode runner');
  assert.equal(info.phase, 2);
  const r1 = info.previous.find((r) => r.phase === 1);
  assert.ok(r1, 'the phase file holds no phase 1 result');
  return r1;
}

describe('harness: after the reload', () => {
  it('runs in a new extension host, started after phase 1 ended', () => {
    const r1 = phase1();
    const startedAt = Date.now() - process.uptime() * 1000;
    assert.notEqual(process.pid, r1.pid, 'same extension host process as phase 1');
    assert.ok(startedAt > r1.endedAt, `this extension host started ${Math.round(r1.endedAt - startedAt)} ms before phase 1 ended`);
  });

  it('the workbench restored the editor phase 1 left open, as the active editor', async () => {
    const opened = phase1().opened;
    assert.ok(opened.length > 0, 'phase 1 left no editor open');
    const last = opened[opened.length - 1];
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    assert.ok(tab?.input instanceof vscode.TabInputText, `the active tab is not a text editor (${tab?.label ?? 'no tab'})`);
    assert.equal(tab.input.uri.path, vscode.Uri.file(last).path, 'the active tab is another file');
    const editor = await waitFor(`a visible editor on ${path.basename(last)}`, () =>
      vscode.window.visibleTextEditors.find((e) => e.document.uri.path === vscode.Uri.file(last).path));
    assert.match(editor.document.getText(), /\.d\.codeartifact\./, 'the restored file holds no CodeArtifact URL');
  });
});
