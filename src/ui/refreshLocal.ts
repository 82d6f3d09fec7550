/**
 * Refresh every CodeArtifact token in the active editor as one WorkspaceEdit (one undo reverts it). Works on unsaved
 * and untitled documents; saves only when `codeartifact.saveAfterRefresh` is on.
 */
import * as vscode from 'vscode';
import { RefresherError } from '../core/errors';
import { planRefresh, type RefreshPlan } from '../core/pipeline';
import type { Deps } from './deps';
import { withCancellableProgress } from './progress';
import { formatLocal } from './statusBar';
import { tokenBatch } from './tokenSource';
import { recordRefresh, type TargetRef } from './tracking';

export interface LocalOutcome {
  uri: string;
  status: 'written' | 'unchanged';
  replaced: number;
  saved: boolean;
}

const MAX_ROUNDS = 3;

export function documentTarget(doc: vscode.TextDocument): TargetRef {
  return { id: doc.uri.toString(), kind: 'file', label: doc.isUntitled ? doc.uri.path : vscode.workspace.asRelativePath(doc.uri, false) };
}

export async function refreshActiveFile(deps: Deps, uri?: vscode.Uri): Promise<LocalOutcome> {
  const doc = uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
  if (!doc) {
    throw new RefresherError('InvalidInput', 'No file is open in the editor.', 'Open the requirements.txt, pip.conf or .npmrc that holds the CodeArtifact URL, then run the command again.');
  }
  const target = documentTarget(doc);
  const name = doc.isUntitled ? 'This untitled file' : vscode.workspace.asRelativePath(doc.uri, false);
  const profile = await deps.profiles.resolve();
  const signalRef: { signal?: AbortSignal } = {};
  const batch = tokenBatch(deps, signalRef);
  deps.log.info(`Refreshing ${target.label} with profile ${profile}`);

  // The person may keep typing while tokens are fetched: plan against the text as it is when the edit is applied.
  for (let round = 1; ; round++) {
    const version = doc.version;
    const plan: RefreshPlan = await withCancellableProgress(`CodeArtifact: refreshing tokens in ${target.label}`, (signal) => {
      signalRef.signal = signal;
      return planRefresh(doc.getText(), name, (k) => batch.get(k, profile));
    });
    if (doc.isClosed) throw new RefresherError('InvalidInput', `${name} was closed during the refresh; nothing was changed.`);
    if (doc.version !== version) {
      if (round >= MAX_ROUNDS) throw new RefresherError('ChangedSinceRead', `${name} kept changing during the refresh; nothing was changed.`, 'Run the command again.');
      continue;
    }
    if (plan.edits.length === 0) {
      recordRefresh(deps.tracker, target, profile, plan.tokens);
      void deps.prompts.notify('info', `${name} already holds current CodeArtifact tokens.`);
      return { uri: doc.uri.toString(), status: 'unchanged', replaced: 0, saved: false };
    }
    const edit = new vscode.WorkspaceEdit();
    for (const e of plan.edits) edit.replace(doc.uri, new vscode.Range(doc.positionAt(e.start), doc.positionAt(e.end)), e.text);
    const applied = await vscode.workspace.applyEdit(edit);
    if (!applied) throw new RefresherError('Unexpected', `The editor did not accept the change to ${name}; nothing was changed.`, 'Make sure the file is not read-only and try again.');
    recordRefresh(deps.tracker, target, profile, plan.tokens);
    const saved = deps.settings().saveAfterRefresh && !doc.isUntitled ? await doc.save() : false;
    const n = plan.edits.length;
    deps.log.info(`Replaced ${n} token(s) in ${target.label}${saved ? ' and saved it' : ''}`);
    const soonest = Math.min(...plan.tokens.map((t) => t.expiration.getTime()));
    void deps.prompts.notify('info', `Replaced ${n} CodeArtifact token${n === 1 ? '' : 's'} in ${name}${saved ? ' and saved it' : ''}; expires ${formatLocal(new Date(soonest))}.`);
    return { uri: doc.uri.toString(), status: 'written', replaced: n, saved };
  }
}
