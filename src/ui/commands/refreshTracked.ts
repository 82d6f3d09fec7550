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
import { documentTarget, s3Target } from '../targets/build';
import { notifySummary, plural } from './outcomes';
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
    return refreshThisFile(deps, vscode.Uri.parse(e.targetId));
  }
  const targets: Target[] = await Promise.all(
    places.map(async (e) =>
      e.targetKind === 's3'
        ? s3Target(deps, { uri: e.targetId, ...(e.profile ? { profile: e.profile } : {}) })
        : documentTarget(deps, await vscode.workspace.openTextDocument(vscode.Uri.parse(e.targetId))),
    ),
  );
  const n = plural(targets.length, 'place');
  const result = await refresh(deps, { targets, confirm: true, titles: { read: `CodeArtifact: reading ${n}`, write: `CodeArtifact: writing ${n}` } });
  notifySummary(deps, n, result);
  return result.outcomes;
}
