/**
 * `codeartifact.refreshActiveFile` — "Refresh Tokens in This File": the active editor's document (or the file the
 * context menu was opened on) through the refresh loop. An open document is undoable: no question, one WorkspaceEdit
 * (one undo reverts it), saved only when `codeartifact.saveAfterRefresh` is on.
 */
import * as vscode from 'vscode';
import { RefresherError } from '../../core/errors';
import type { Outcome } from '../../core/outcome';
import type { Deps } from '../deps';
import { refresh } from '../refreshRun';
import { documentTarget } from '../targets/build';
import { expiresText, plural, singleOutcome } from './outcomes';

export async function refreshThisFile(deps: Deps, uri?: vscode.Uri): Promise<Outcome> {
  const doc = uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
  if (!doc) {
    throw new RefresherError('InvalidInput', 'No file is open in the editor.', 'Open the requirements.txt, pip.conf or .npmrc that holds the CodeArtifact URL, then run the command again.');
  }
  const target = await documentTarget(deps, doc);
  const name = doc.isUntitled ? 'This untitled file' : target.info.label;
  deps.log.info(`Refreshing ${target.info.label} with profile ${target.info.profile}`);
  const title = `CodeArtifact: refreshing tokens in ${target.info.label}`;
  const outcome = singleOutcome(await refresh(deps, { targets: [target], confirm: true, titles: { read: title, write: title } }));
  if (outcome.status === 'unchanged') {
    void deps.prompts.notify('info', `${name} already holds current CodeArtifact tokens.`);
  } else {
    const saved = outcome.saved ? ' and saved it' : '';
    deps.log.info(`Replaced ${outcome.replaced} token(s) in ${target.info.label}${saved}`);
    void deps.prompts.notify('info', `Replaced ${plural(outcome.replaced ?? 0, 'CodeArtifact token')} in ${name}${saved}${expiresText(outcome)}.`);
  }
  return outcome;
}
