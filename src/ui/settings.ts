/** Typed settings, mirroring `contributes.configuration` in package.json; read in one call. */
import * as vscode from 'vscode';

export interface RemoteFileEntry {
  uri: string;
  profile?: string;
  label?: string;
}

export interface Settings {
  /** Workspace-level default profile (a quick-pick choice overrides it). */
  profile: string | undefined;
  remoteFiles: RemoteFileEntry[];
  durationSeconds: number;
  warnBeforeExpiryMinutes: number;
  diffShowTokens: boolean;
  saveAfterRefresh: boolean;
}

export const SECTION = 'codeartifact';

export function readSettings(scope?: vscode.ConfigurationScope): Settings {
  const c = vscode.workspace.getConfiguration(SECTION, scope);
  return {
    profile: c.get<string>('profile') || undefined,
    remoteFiles: normaliseRemoteFiles(c.get<unknown>('remoteFiles')),
    durationSeconds: c.get<number>('durationSeconds', 43200),
    warnBeforeExpiryMinutes: Math.max(0, c.get<number>('warnBeforeExpiryMinutes', 60)),
    diffShowTokens: c.get<boolean>('diff.showTokens', false),
    saveAfterRefresh: c.get<boolean>('saveAfterRefresh', false),
  };
}

/** Entries may be plain strings ("s3://bucket/key") or objects; anything else is dropped. */
export function normaliseRemoteFiles(value: unknown): RemoteFileEntry[] {
  if (!Array.isArray(value)) return [];
  const out: RemoteFileEntry[] = [];
  for (const v of value) {
    if (typeof v === 'string' && v.trim()) out.push({ uri: v.trim() });
    else if (v && typeof v === 'object' && typeof (v as RemoteFileEntry).uri === 'string') {
      const e = v as RemoteFileEntry;
      out.push({
        uri: e.uri.trim(),
        ...(typeof e.profile === 'string' && e.profile ? { profile: e.profile } : {}),
        ...(typeof e.label === 'string' && e.label ? { label: e.label } : {}),
      });
    }
  }
  return out;
}

/**
 * Remote files that came from workspace (or folder) settings. In an untrusted workspace these are not used without the
 * person confirming: a cloned repository could otherwise point the refresh at any bucket with the user's credentials.
 */
export function workspaceRemoteFiles(): RemoteFileEntry[] {
  const i = vscode.workspace.getConfiguration(SECTION).inspect<unknown>('remoteFiles');
  return [
    ...normaliseRemoteFiles(i?.workspaceValue),
    ...normaliseRemoteFiles(i?.workspaceFolderValue),
  ];
}

export function userRemoteFiles(): RemoteFileEntry[] {
  const i = vscode.workspace.getConfiguration(SECTION).inspect<unknown>('remoteFiles');
  return normaliseRemoteFiles(i?.globalValue);
}
