/**
 * A README picture taken in the fresh window after the reload (no toasts left over from phase 1's suites): Refresh All
 * Tokens offers the S3 objects, the workspace's files and the user-level files in one grouped list.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { screenshot, waitForText } from '../../support/vscode/harnessClient';
import { api, requireBrowserHooks } from '../helpers';

describe('pictures after the reload', () => {
  it('refresh all tokens: S3 objects, workspace files and user-level files in one grouped list', async function () {
    requireBrowserHooks(this);
    const a = await api();
    a.deps.prompts.answerer = undefined; // the real quick pick, on screen
    await a.deps.profiles.choose('dev');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors'); // the list, not a file's text, is the subject
    const running = vscode.commands.executeCommand('codeartifact.refreshAll') as Thenable<{ kind: string; status: string }[]>;
    await waitForText('Write refreshed tokens to');
    await waitForText('User-level files');
    await screenshot('refresh-all-tokens');
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    const outcomes = await running;
    assert.ok(['user-file', 's3', 'file'].every((k) => outcomes.some((o) => o.kind === k)), 'all three kinds were offered');
    assert.ok(outcomes.every((o) => o.status !== 'written'), 'dismissed: nothing written');
  });
});
