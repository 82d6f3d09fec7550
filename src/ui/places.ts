/** How the places where tokens live are named and shown: kind from a file's location, icons, labels. */
import * as os from 'node:os';
import * as vscode from 'vscode';
import type { TargetKind } from '../core/target';

/** A file inside a workspace folder (or untitled) is the workspace's; any other file is the user's. */
export function fileKind(uri: vscode.Uri): TargetKind {
  return uri.scheme === 'untitled' || vscode.workspace.getWorkspaceFolder(uri) ? 'file' : 'user-file';
}

export function kindIcon(kind: TargetKind): string {
  return kind === 's3' ? 'cloud' : kind === 'user-file' ? 'home' : kind === 'environment' ? 'terminal' : 'file';
}

/** `~/.pypirc` for files under the home folder, the workspace-relative path for workspace files. */
export function fileLabel(uri: vscode.Uri): string {
  if (uri.scheme === 'untitled') return uri.path;
  if (vscode.workspace.getWorkspaceFolder(uri)) return vscode.workspace.asRelativePath(uri, false);
  const home = os.homedir();
  const p = uri.fsPath;
  return home && (p === home || p.startsWith(home + '/')) ? `~${p.slice(home.length)}` : p;
}
