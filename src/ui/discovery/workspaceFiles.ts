/**
 * The workspace's files that hold a CodeArtifact URL: requirements/constraints files, pip-tools inputs, pip.conf,
 * .npmrc, .pypirc, pyproject.toml, uv.toml, codeartifact.txt, .netrc. Found with `workspace.findFiles` honouring
 * `files.exclude` and `search.exclude` (and never node_modules or .git); bounded in count and size. No AWS call.
 */
import { promises as fs } from 'node:fs';
import * as vscode from 'vscode';
import { WORKSPACE_FILE_GLOB } from '../../core/discovery/userFiles';

/** Candidate files looked at (by name), files kept (those that mention a CodeArtifact host), bytes per file. */
export const MAX_CANDIDATES = 10_000;
export const MAX_WORKSPACE_FILES = 500;
export const MAX_FILE_BYTES = 256 * 1024;
/** Files read at once (a monorepo has thousands of requirements files; the extension host must stay responsive). */
const READ_CONCURRENCY = 16;

export interface FoundFile {
  uri: vscode.Uri;
  text: string;
  folder?: vscode.WorkspaceFolder;
}

/** `files.exclude` + `search.exclude` patterns that are on, plus node_modules and .git, as one glob. */
export function excludeGlob(): string {
  const patterns = new Set(['**/node_modules/**', '**/.git/**']);
  for (const section of ['files', 'search']) {
    const value = vscode.workspace.getConfiguration(section).get<Record<string, unknown>>('exclude') ?? {};
    for (const [glob, on] of Object.entries(value)) if (on === true) patterns.add(glob);
  }
  return `{${[...patterns].join(',')}}`;
}

/**
 * The file's bytes, or undefined when it is larger than MAX_FILE_BYTES. Local files are read with Node directly (the
 * extension runs where the workspace is): through `workspace.fs` each read costs a round trip to the file service
 * (2,000 files took ~1.9 s that way in the bench).
 */
async function readSmall(uri: vscode.Uri): Promise<Uint8Array | undefined> {
  if (uri.scheme === 'file') {
    const handle = await fs.open(uri.fsPath, 'r');
    try {
      if ((await handle.stat()).size > MAX_FILE_BYTES) return undefined;
      return await handle.readFile();
    } finally {
      await handle.close();
    }
  }
  if ((await vscode.workspace.fs.stat(uri)).size > MAX_FILE_BYTES) return undefined;
  return vscode.workspace.fs.readFile(uri);
}

/** Files whose text mentions a CodeArtifact host (cheap substring test; callers parse them). */
export async function findWorkspaceTokenFiles(token?: vscode.CancellationToken): Promise<FoundFile[]> {
  if (!vscode.workspace.workspaceFolders?.length) return [];
  const uris = await vscode.workspace.findFiles(WORKSPACE_FILE_GLOB, excludeGlob(), MAX_CANDIDATES, token);
  const found: FoundFile[] = [];
  let next = 0;
  const worker = async () => {
    while (next < uris.length && found.length < MAX_WORKSPACE_FILES && !token?.isCancellationRequested) {
      const uri = uris[next++];
      try {
        const bytes = await readSmall(uri);
        if (!bytes) continue;
        const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
        if (text.includes('.d.codeartifact.')) found.push({ uri, text, folder: vscode.workspace.getWorkspaceFolder(uri) });
      } catch {
        // unreadable or not UTF-8: not a token file
      }
    }
  };
  await Promise.all(Array.from({ length: READ_CONCURRENCY }, worker));
  return found.sort((a, b) => a.uri.toString().localeCompare(b.uri.toString()));
}
