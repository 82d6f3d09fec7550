/**
 * The README's pictures, taken from the real workbench while the real UI is on screen (no prompt is answered by the
 * test here: notifications and quick picks are the workbench's own). Each step also checks what it shows.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { screenshot, waitForText } from '../support/vscode/harnessClient';
import { DEV_OBJECT, api, requireBrowserHooks, sandbox, type TestApi } from './helpers';

/**
 * Closes pickers and editors. Notifications are left to the workbench: after "Clear All Notifications" or
 * "Hide Notifications" this code-server showed no toast for the next notification (seen in a screenshot).
 */
async function clearScreen(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
  for (const doc of vscode.workspace.textDocuments.filter((d) => d.isDirty)) {
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

describe('pictures of the real UI', function () {
  let a: TestApi;

  before(async function () {
    requireBrowserHooks(this);
    a = await api();
    await sandbox().reseed();
    await a.deps.profiles.choose('dev');
    a.deps.prompts.answerer = undefined;
  });

  afterEach(clearScreen);

  it('local refresh: the edit and its notification', async () => {
    const folder = vscode.workspace.workspaceFolders![0].uri;
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder, 'requirements-lf.txt'));
    await vscode.window.showTextDocument(doc);
    const outcome = (await vscode.commands.executeCommand('codeartifact.refreshActiveFile')) as { status: string };
    assert.equal(outcome.status, 'written');
    await waitForText('Replaced 1 CodeArtifact token in requirements-lf.txt');
    await screenshot('local-refresh');
  });

  it('an error names the missing permissions', async () => {
    await sandbox().setBehavior('mydomain', { kind: 'accessDenied' });
    try {
      const outcome = (await vscode.commands.executeCommand('codeartifact.refreshRemoteFile', { uri: DEV_OBJECT, confirm: false })) as { code: string };
      assert.equal(outcome.code, 'TokenAccessDenied');
      await waitForText('sts:GetServiceBearerToken');
      await screenshot('error-access-denied');
    } finally {
      await sandbox().setBehavior('mydomain', undefined);
    }
  });
  it('the profile quick pick', async () => {
    const running = vscode.commands.executeCommand('codeartifact.selectProfile');
    await waitForText('Select the AWS profile for CodeArtifact');
    await waitForText('assume role with MFA');
    await screenshot('profile-pick');
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    assert.equal(await running, undefined, 'dismissed: nothing chosen');
    assert.equal(a.deps.profiles.chosen, 'dev', 'the choice is unchanged');
  });

  it('refresh all: one list, each diff one click away', async () => {
    const running = vscode.commands.executeCommand('codeartifact.refreshAllRemoteFiles') as Thenable<{ status: string }[]>;
    await waitForText('Write refreshed tokens to 2 S3 objects?');
    await screenshot('refresh-all-pick');
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    const outcomes = await running;
    assert.deepEqual(outcomes.map((o) => o.status), ['declined', 'declined', 'failed']);
  });

  it('token status', async () => {
    await vscode.commands.executeCommand('codeartifact.refreshRemoteFile', { uri: DEV_OBJECT, confirm: false });
    const running = vscode.commands.executeCommand('codeartifact.showTokenStatus');
    await waitForText('CodeArtifact tokens');
    await screenshot('token-status');
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await running;
  });


});
