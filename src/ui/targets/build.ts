/** Builds targets from what a command gets: an S3 location (typed, configured or tracked) or an open document. */
import * as vscode from 'vscode';
import { formatS3Uri, parseS3Location } from '../../core/s3location';
import type { Target } from '../../core/target';
import type { Deps } from '../deps';
import { trustedEntryFor, settingsProfileFor, type ConfiguredRemoteFile } from '../remoteFiles';
import { readSettings } from '../settings';
import { FileOnDiskTarget } from './fileOnDisk';
import { DocumentTarget } from './openDocument';
import { S3ObjectTarget } from './s3Object';
import { UnusableTarget } from './unusable';

export interface S3Request {
  uri: string;
  /** A profile given explicitly (command argument); else the entry's, else the workspace's. */
  profile?: string;
  /** The configured entry, when the object came from settings. */
  entry?: ConfiguredRemoteFile;
}

/** Never throws: a bad location or a missing profile becomes a target that fails alone with that reason. */
export async function s3Target(deps: Deps, request: S3Request): Promise<Target> {
  // An entry found by URI counts only when the person may rely on it (entries passed in came through the
  // untrusted-workspace consent already).
  const entry = request.entry ?? trustedEntryFor(request.uri);
  const label = entry?.label;
  try {
    const location = parseS3Location(request.uri);
    const uri = formatS3Uri(location);
    const profile = await deps.profiles.resolve(request.profile ?? entry?.profile, entry ? settingsProfileFor(entry) : undefined);
    return new S3ObjectTarget({ id: uri, kind: 's3', label: label ?? uri, profile }, location, deps.aws, (l) => deps.log.info(l));
  } catch (e) {
    // What was given did not parse: shown and logged only redacted and shortened (a pasted presigned URL holds a key).
    const shown = deps.log.redact(request.uri).slice(0, 120);
    return new UnusableTarget({ id: shown, kind: 's3', label: label ?? shown, profile: request.profile ?? entry?.profile ?? '' }, e);
  }
}

/** Whether the file `id` (a URI string) is in an editor tab: the person's view of it, unlike a document VS Code merely keeps loaded. */
export function inEditorTab(id: string): boolean {
  return vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === id));
}

/**
 * A file found on disk: its open editor when there is one (unsaved edits are never lost, one undo reverts), else the
 * file itself (atomic replace). Never throws: a missing profile becomes a target that fails alone.
 */
export async function fileTarget(deps: Deps, place: { uri: vscode.Uri; kind: 'file' | 'user-file'; label: string }, options: { unattended?: boolean } = {}): Promise<Target> {
  // "Open" means in an editor tab, or holding unsaved edits; a document VS Code merely keeps loaded is not the
  // person's view of the file, so the file itself is written (an unmodified editor then shows the new text).
  const id = place.uri.toString();
  const inTab = inEditorTab(id);
  // Unattended (auto refresh), an unmodified editor is not used: an edit there would stay unsaved while pip reads the
  // file; the file is written and the editor shows the new text. (A file with unsaved edits is not refreshed unattended.)
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === id && (d.isDirty || (inTab && !options.unattended)));
  const info = { id: place.uri.toString(), kind: place.kind, label: place.label };
  try {
    if (open) return await documentTarget(deps, open);
    const profile = await deps.profiles.resolve(undefined, readSettings(place.uri).profile);
    return new FileOnDiskTarget({ ...info, profile }, place.uri.fsPath);
  } catch (e) {
    return new UnusableTarget({ ...info, profile: '' }, e);
  }
}

/** The document's folder decides the profile setting and whether to save after the refresh. */
export async function documentTarget(deps: Deps, doc: vscode.TextDocument): Promise<Target> {
  const settings = readSettings(doc.uri);
  const profile = await deps.profiles.resolve(undefined, settings.profile);
  return new DocumentTarget(doc, profile, settings.saveAfterRefresh);
}
