/**
 * The S3 objects configured in `codeartifact.remoteFiles`, from every scope: user settings, workspace settings and
 * each workspace folder's settings (a multi-root workspace can list objects per folder, with the folder's profile).
 * One entry per object: the most specific scope wins (folder, then workspace, then user), so an object is never
 * refreshed twice with two profiles.
 */
import * as vscode from 'vscode';
import { formatS3Uri, parseS3Location } from '../core/s3location';
import type { Prompts } from './prompts';
import { normaliseRemoteFiles, readSettings, SECTION, type RemoteFileEntry } from './settings';

export interface ConfiguredRemoteFile extends RemoteFileEntry {
  /** Where the entry was set. 'workspace' and 'folder' entries come from the workspace (untrusted: ask first). */
  source: 'user' | 'workspace' | 'folder';
  /** The folder whose settings hold it ('folder' entries), for its default profile. */
  folder?: vscode.WorkspaceFolder;
  /** `s3://bucket/key`, normalised; undefined when the entry does not parse (it fails alone when refreshed). */
  normal?: string;
}

function normal(uri: string): string | undefined {
  try {
    return formatS3Uri(parseS3Location(uri));
  } catch {
    return undefined;
  }
}

/** Every configured entry, most specific first, one per object. */
export function configuredRemoteFiles(): ConfiguredRemoteFile[] {
  const all: ConfiguredRemoteFile[] = [];
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const i = vscode.workspace.getConfiguration(SECTION, folder.uri).inspect<unknown>('remoteFiles');
    // In a single-folder workspace the folder's settings are the workspace's: count them once.
    if ((vscode.workspace.workspaceFolders?.length ?? 0) > 1 || vscode.workspace.workspaceFile) {
      for (const e of normaliseRemoteFiles(i?.workspaceFolderValue)) all.push({ ...e, source: 'folder', folder });
    }
  }
  const i = vscode.workspace.getConfiguration(SECTION).inspect<unknown>('remoteFiles');
  for (const e of normaliseRemoteFiles(i?.workspaceValue)) all.push({ ...e, source: 'workspace' });
  for (const e of normaliseRemoteFiles(i?.globalValue)) all.push({ ...e, source: 'user' });
  const seen = new Set<string>();
  return all
    .map((e) => ({ ...e, normal: normal(e.uri) }))
    .filter((e) => {
      const k = e.normal ?? e.uri;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
}

/** The entry that configures `uri` (any spelling of the same object), if any. */
export function configuredEntryFor(uri: string): ConfiguredRemoteFile | undefined {
  const n = normal(uri);
  return configuredRemoteFiles().find((e) => (e.normal ?? e.uri) === (n ?? uri));
}

/**
 * The configured entry for `uri` when the person may rely on it without being asked: from user settings, or from a
 * trusted workspace's (an untrusted workspace's entries go through WorkspaceEntriesConsent).
 */
export function trustedEntryFor(uri: string): ConfiguredRemoteFile | undefined {
  const entry = configuredEntryFor(uri);
  return entry && (entry.source === 'user' || vscode.workspace.isTrusted) ? entry : undefined;
}

/** The profile setting that applies to an entry: its folder's, else the workspace's/user's. */
export function settingsProfileFor(entry: ConfiguredRemoteFile): string | undefined {
  return readSettings(entry.folder?.uri).profile;
}

/**
 * In an untrusted workspace, entries from workspace or folder settings are used only after the person agrees: a
 * cloned repository must not aim refreshes at buckets with the person's credentials. The answer holds for exactly the
 * entries that were shown; an entry added later is asked about again.
 */
export class WorkspaceEntriesConsent {
  private readonly answers = new Map<string, boolean>();

  constructor(
    private readonly prompts: Prompts,
    private readonly log: (line: string) => void,
    private readonly isTrusted: () => boolean = () => vscode.workspace.isTrusted,
  ) {}

  async usable(entries: ConfiguredRemoteFile[]): Promise<ConfiguredRemoteFile[]> {
    const fromWorkspace = entries.filter((e) => e.source !== 'user');
    if (this.isTrusted() || fromWorkspace.length === 0) return entries;
    const key = JSON.stringify(fromWorkspace.map((e) => [e.uri, e.profile ?? '', e.source]).sort());
    let ok = this.answers.get(key);
    if (ok === undefined) {
      const use = 'Use Them';
      const n = fromWorkspace.length;
      const answer = await this.prompts.confirm(
        `This workspace is not trusted, and its settings list ${n} S3 object${n === 1 ? '' : 's'} to refresh with your AWS credentials.`,
        fromWorkspace.map((w) => `${w.uri}${w.profile ? ` (profile ${w.profile})` : ''}`).join('\n') + '\n\nUse them?',
        use,
      );
      ok = answer === use;
      this.answers.set(key, ok);
      this.log(`Untrusted workspace: ${n} workspace remoteFiles entr${n === 1 ? 'y' : 'ies'} ${ok ? 'accepted' : 'ignored'} by the user`);
    }
    return ok ? entries : entries.filter((e) => e.source === 'user');
  }
}

/** Adds `uri` to `codeartifact.remoteFiles` (workspace settings when a folder is open, else user settings). */
export function saveToSettings(uri: string): Promise<'workspace' | 'user'> {
  return appendRemoteFiles([{ uri: normal(uri) ?? uri }]);
}

/** Appends entries to `codeartifact.remoteFiles`: the workspace's settings when a folder is open, else the user's. */
export async function appendRemoteFiles(entries: readonly Record<string, string>[]): Promise<'workspace' | 'user'> {
  const config = vscode.workspace.getConfiguration(SECTION);
  const target = vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  const i = config.inspect<unknown[]>('remoteFiles');
  const current = (target === vscode.ConfigurationTarget.Workspace ? i?.workspaceValue : i?.globalValue) ?? [];
  await config.update('remoteFiles', [...current, ...entries], target);
  return target === vscode.ConfigurationTarget.Workspace ? 'workspace' : 'user';
}
