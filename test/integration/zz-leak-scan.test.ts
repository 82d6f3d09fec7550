/**
 * Runs last (files run in name order): every token the stub issued during the whole suite must be absent from
 * everything the extension logged or showed — notifications, modals, quick picks, the status bar tooltip, tab titles,
 * document URIs, settings, and persisted state. The diff documents hold masked tokens only.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api, sandbox } from './helpers';

describe('no token leaks', () => {
  it('stores the runner\'s canary where the extension keeps its state (the runner then scans the disk for it and for every token)', async () => {
    const canary = process.env.HARNESS_STORAGE_CANARY;
    if (!canary) {
      console.log('[skipped] no HARNESS_STORAGE_CANARY: this runner does not scan the editor\'s storage afterwards');
      return;
    }
    const a = await api();
    await a.context.globalState.update('codeartifact.harnessCanary', canary);
    await a.context.workspaceState.update('codeartifact.harnessCanary', canary);
    assert.equal(a.context.globalState.get('codeartifact.harnessCanary'), canary);
  });

  it('no issued token appears in anything logged or shown', async () => {
    const a = await api();
    const issued = await sandbox().issuedTokens();
    assert.ok(issued.length >= 10, `the suite issued tokens to look for (got ${issued.length})`);
    const places: Record<string, string> = {
      log: a.deps.log.recent.join('\n'),
      prompts: a.deps.prompts.shown.map((p) => [p.message, p.detail ?? '', ...p.choices].join('\n')).join('\n'),
      statusBar: JSON.stringify(a.statusBar.state),
      tabs: vscode.window.tabGroups.all.flatMap((g) => g.tabs.map((t) => t.label)).join('\n'),
      documentUris: vscode.workspace.textDocuments.map((d) => d.uri.toString()).join('\n'),
      previewDocuments: vscode.workspace.textDocuments.filter((d) => d.uri.scheme === 'codeartifact-preview').map((d) => d.getText()).join('\n'),
      settings: JSON.stringify(vscode.workspace.getConfiguration('codeartifact')),
      globalState: JSON.stringify(a.context.globalState.keys().map((k) => [k, a.context.globalState.get(k)])),
      workspaceState: JSON.stringify(a.context.workspaceState.keys().map((k) => [k, a.context.workspaceState.get(k)])),
    };
    assert.ok(places.log.length > 1000, 'the log has content to scan');
    assert.ok(places.prompts.length > 500, 'prompts were recorded');
    const leaks: string[] = [];
    for (const [where, text] of Object.entries(places)) {
      issued.forEach((t, i) => {
        // Whole token, or any 40-character slice of its secret part (a truncated leak is still a leak).
        const secret = t.split('.').slice(1).join('.');
        if (text.includes(t) || (secret.length > 40 && text.includes(secret.slice(0, 40)))) leaks.push(`${where}: issued token #${i}`);
      });
    }
    assert.deepEqual(leaks, [], 'tokens found (by index; values not printed)');
  });
});
