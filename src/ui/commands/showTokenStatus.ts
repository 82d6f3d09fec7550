/** `codeartifact.showTokenStatus`: every tracked token, where it lives, its exact local expiry, and what to do. */
import * as vscode from 'vscode';
import { formatLocal, formatRemaining } from '../../core/expiry';
import { parseS3Location } from '../../core/s3location';
import type { TrackedToken } from '../../core/tracker';
import type { Deps } from '../deps';
import { kindIcon } from '../places';
import { refreshTracked } from './refreshTracked';

export async function showTokenStatus(deps: Deps): Promise<void> {
  const entries = deps.tracker.all();
  if (entries.length === 0) {
    void deps.prompts.notify('info', 'No CodeArtifact tokens are tracked yet. Refresh a file, or open one that holds a CodeArtifact URL.');
    return;
  }
  const now = deps.clock.now();
  const items = entries.map((e) => ({
    label: `$(${kindIcon(e.targetKind)}) ${e.targetLabel}`,
    description: `${e.domain} · ${e.domainOwner} · ${e.region}${e.profile ? ` · ${e.profile}` : ''}`,
    detail: `${formatRemaining(now, new Date(e.expiresAt))} — ${formatLocal(new Date(e.expiresAt))}${e.targetLabel !== e.targetId && e.targetKind === 's3' ? ` — ${e.targetId}` : ''}`,
    entry: e,
  }));
  const picked = await deps.prompts.pick(items, { title: 'CodeArtifact tokens', placeHolder: 'Pick one to refresh it or open it', matchOnDescription: true, matchOnDetail: true });
  if (!picked) return;
  const open = picked.entry.targetKind === 's3' ? '$(eye) Open (read-only)' : picked.entry.targetKind === 'file' ? '$(go-to-file) Open' : undefined;
  const actions = ['$(sync) Refresh', ...(open ? [open] : []), '$(close) Stop tracking'];
  const action = await deps.prompts.pick(actions.map((label) => ({ label })), { title: picked.entry.targetLabel });
  if (!action) return;
  if (action.label === actions[0]) await refreshTracked(deps, [picked.entry]);
  else if (action.label === open) await openTracked(deps, picked.entry);
  else deps.tracker.remove(picked.entry.id);
}

async function openTracked(deps: Deps, entry: TrackedToken): Promise<void> {
  if (entry.targetKind !== 's3') {
    await vscode.window.showTextDocument(vscode.Uri.parse(entry.targetId));
    return;
  }
  // An S3 object opens as a read-only view of what it holds now (never an untitled document, which hot exit saves).
  const profile = await deps.profiles.resolve(entry.profile);
  const object = await deps.aws.get().readObject(parseS3Location(entry.targetId), { profile });
  await deps.preview.showText(entry.targetId.split('/').pop() || 'object', object.text, deps.settings().diffShowTokens);
}
