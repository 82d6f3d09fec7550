/**
 * `codeartifact.refreshTracked` (hidden; status bar links, the expiry warning's "Refresh now", the token list):
 * refreshes the places where the given tracked tokens live. One place goes through its own command's flow; several
 * go through one run of the refresh loop (S3 objects and documents side by side) with one summary.
 */
import * as vscode from 'vscode';
import type { Outcome } from '../../core/outcome';
import type { Target } from '../../core/target';
import type { TrackedToken } from '../../core/tracker';
import { CommandId } from '../commandIds';
import type { Deps } from '../deps';
import { refresh } from '../refreshRun';
import { documentTarget, fileTarget, inEditorTab, s3Target } from '../targets/build';
import { expiresText, notifySummary, plural, singleOutcome } from './outcomes';
import { refreshS3Object } from './refreshS3Object';
import { refreshThisFile } from './refreshThisFile';

export async function refreshTracked(deps: Deps, entries: readonly TrackedToken[]): Promise<Outcome | Outcome[] | undefined> {
  // The terminal environment refreshes through its own command (one run for every folder).
  const env = entries.some((e) => e.targetKind === 'environment') ? await vscode.commands.executeCommand<unknown>(CommandId.refreshTerminalEnvironment) : undefined;
  // One entry per place (a place with two domains has two entries).
  const places = [...new Map(entries.filter((e) => e.targetKind !== 'environment').map((e) => [e.targetId, e])).values()];
  if (places.length === 0 && env !== undefined) return env as Outcome;
  if (places.length === 0) return undefined;
  if (places.length === 1) {
    const e = places[0];
    if (e.targetKind === 's3') return refreshS3Object(deps, { uri: e.targetId, ...(e.profile ? { profile: e.profile } : {}) });
    const uri = vscode.Uri.parse(e.targetId);
    // Through its editor only when it is in a tab or has unsaved edits (fileTarget's rule); a document VS Code merely
    // keeps loaded would take the edit while the file pip reads kept the expired token.
    if (uri.scheme !== 'file' || inEditorTab(e.targetId) || vscode.workspace.textDocuments.some((d) => d.uri.toString() === e.targetId && d.isDirty)) return refreshThisFile(deps, uri);
  }
  const targets: Target[] = await Promise.all(
    places.map(async (e) => {
      if (e.targetKind === 's3') return s3Target(deps, { uri: e.targetId, ...(e.profile ? { profile: e.profile } : {}) });
      const uri = vscode.Uri.parse(e.targetId);
      // A file that is not open is refreshed on disk (atomic replace), not opened.
      return uri.scheme === 'file' ? fileTarget(deps, { uri, kind: e.targetKind === 'user-file' ? 'user-file' : 'file', label: e.targetLabel }) : documentTarget(deps, await vscode.workspace.openTextDocument(uri));
    }),
  );
  if (targets.length === 1) {
    const title = `CodeArtifact: refreshing ${targets[0].info.label}`;
    const outcome = singleOutcome(await refresh(deps, { targets, confirm: true, titles: { read: title, write: title } }));
    const text = outcome.status === 'written' ? `Refreshed ${plural(outcome.replaced ?? 0, 'CodeArtifact token')} in ${outcome.label}${expiresText(outcome)}.` : outcome.status === 'unchanged' ? `${outcome.label} already holds current CodeArtifact tokens.` : `Nothing was written to ${outcome.label}.`;
    void deps.prompts.notify('info', text);
    return outcome;
  }
  const n = plural(targets.length, 'place');
  const result = await refresh(deps, { targets, confirm: true, titles: { read: `CodeArtifact: reading ${n}`, write: `CodeArtifact: writing ${n}` } });
  notifySummary(deps, n, result);
  return result.outcomes;
}
