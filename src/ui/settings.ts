/**
 * Typed settings, mirroring `contributes.configuration` in package.json; read in one call, each value's type checked
 * (a hand-edited settings.json can hold anything). `codeartifact.profile` and `codeartifact.remoteFiles` are
 * resource-scoped: read them with the folder or document the work is about (a multi-root workspace can set them per
 * folder).
 */
import * as vscode from 'vscode';

export interface RemoteFileEntry {
  uri: string;
  profile?: string;
  label?: string;
}

export interface Settings {
  /** Default profile at this scope (a quick-pick choice overrides it). */
  profile: string | undefined;
  remoteFiles: RemoteFileEntry[];
  /** As set: validated (0 or 900..43200) before the first AWS call of a refresh. */
  durationSeconds: unknown;
  warnBeforeExpiryMinutes: number;
  diffShowTokens: boolean;
  saveAfterRefresh: boolean;
}

export const SECTION = 'codeartifact';

export function readSettings(scope?: vscode.ConfigurationScope): Settings {
  const c = vscode.workspace.getConfiguration(SECTION, scope);
  const warn = c.get<unknown>('warnBeforeExpiryMinutes');
  return {
    profile: nonEmpty(c.get<unknown>('profile')),
    remoteFiles: normaliseRemoteFiles(c.get<unknown>('remoteFiles')),
    durationSeconds: c.get<unknown>('durationSeconds', 43200),
    warnBeforeExpiryMinutes: typeof warn === 'number' && Number.isFinite(warn) ? Math.min(720, Math.max(0, warn)) : 60,
    diffShowTokens: c.get<unknown>('diff.showTokens') === true,
    saveAfterRefresh: c.get<unknown>('saveAfterRefresh') === true,
  };
}

function nonEmpty(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}

/** Entries may be plain strings ("s3://bucket/key") or objects; anything else is dropped. */
export function normaliseRemoteFiles(value: unknown): RemoteFileEntry[] {
  if (!Array.isArray(value)) return [];
  const out: RemoteFileEntry[] = [];
  for (const v of value) {
    if (typeof v === 'string' && v.trim()) out.push({ uri: v.trim() });
    else if (v && typeof v === 'object' && typeof (v as RemoteFileEntry).uri === 'string') {
      const e = v as Record<string, unknown>;
      const profile = nonEmpty(e.profile);
      const label = nonEmpty(e.label);
      out.push({ uri: (e.uri as string).trim(), ...(profile ? { profile } : {}), ...(label ? { label } : {}) });
    }
  }
  return out;
}
