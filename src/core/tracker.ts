/**
 * The expiries the status bar counts down to. Holds where each token lives and when it expires — never the token.
 * Pure: persistence is an injected store, time is passed in.
 *
 * Several windows share one store (VS Code's global state). Each window lists the entries that are not tied to a
 * workspace (S3 objects, user-level files) plus those of its own workspace, and never overwrites another window's
 * entries: `persist()` re-reads the store and merges this window's changes (whole targets) into it before writing.
 */
import { TARGET_KINDS, type TargetKind } from './target';

export type { TargetKind } from './target';

export interface TrackedToken {
  /** `${targetId}#${endpointKey}`: one entry per token position group in one target. */
  id: string;
  /** `s3://bucket/key`, or a document URI. */
  targetId: string;
  targetKind: TargetKind;
  /** What a person recognises: the remoteFiles label, or a file name. */
  targetLabel: string;
  /** The workspace the entry belongs to (a local file is listed only in its own workspace's windows); absent: every window. */
  workspace?: string;
  domain: string;
  domainOwner: string;
  region: string;
  profile?: string;
  /** Epoch milliseconds. */
  expiresAt: number;
  /** 'refresh': the service's `expiration`; 'scan': read from a token found in the text. */
  source: 'refresh' | 'scan';
}

export interface TrackerStore {
  load(): unknown;
  save(entries: TrackedToken[]): void;
}

/** Entries that expired longer ago than this are dropped. */
export const FORGET_AFTER_MS = 24 * 60 * 60 * 1000;

export class ExpiryTracker {
  /** Every entry known, this window's and other workspaces' (those are kept only to be written back unchanged). */
  private entries = new Map<string, TrackedToken>();
  /** Targets this window changed since the last persist(). */
  private readonly dirty = new Set<string>();
  private readonly listeners = new Set<() => void>();

  /** `workspace`: this window's workspace; entries of other workspaces are not listed here. */
  constructor(
    private readonly store?: TrackerStore,
    readonly workspace?: string,
  ) {
    for (const e of parseEntries(store?.load())) this.entries.set(e.id, e);
  }

  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** The entries this window lists, soonest expiry first. */
  all(): TrackedToken[] {
    return [...this.entries.values()].filter((e) => this.visible(e)).sort((a, b) => a.expiresAt - b.expiresAt);
  }

  /** Replace everything known about one target with `entries` (an empty list forgets the target). */
  setTarget(targetId: string, entries: readonly Omit<TrackedToken, 'id'>[], key: (e: Omit<TrackedToken, 'id'>) => string): void {
    const before = JSON.stringify(this.forTarget(targetId));
    for (const id of [...this.entries.keys()]) if (this.entries.get(id)!.targetId === targetId) this.entries.delete(id);
    for (const e of entries) this.entries.set(`${targetId}#${key(e)}`, { ...e, id: `${targetId}#${key(e)}` });
    if (JSON.stringify(this.forTarget(targetId)) !== before) this.changed([targetId]);
  }

  forTarget(targetId: string): TrackedToken[] {
    return this.all().filter((e) => e.targetId === targetId);
  }

  remove(id: string): void {
    const e = this.entries.get(id);
    if (e && this.entries.delete(id)) this.changed([e.targetId]);
  }

  /** Forget entries that expired more than FORGET_AFTER_MS before `now`; true when any was (listeners were told). */
  prune(now: Date): boolean {
    // Not a change of the targets (another window may have refreshed one meanwhile): persist() and sync() drop what is
    // this old from whatever the store holds.
    this.forgetBefore = Math.max(this.forgetBefore, now.getTime() - FORGET_AFTER_MS);
    let removed = false;
    for (const [id, e] of this.entries) {
      if (e.expiresAt < this.forgetBefore) {
        this.entries.delete(id);
        removed = true;
      }
    }
    if (removed) {
      this.pruneUnsaved = true;
      for (const l of this.listeners) l();
    }
    return removed;
  }

  /** Entries that expired before this are forgotten (set by prune). */
  private forgetBefore = -Infinity;
  /** prune() removed entries that the store still holds. */
  private pruneUnsaved = false;

  /** True when this window has changes that persist() has not written yet. */
  get unsaved(): boolean {
    return this.dirty.size > 0 || this.pruneUnsaved;
  }

  /**
   * Writes this window's changes: re-reads the store, replaces the targets this window changed (and only those),
   * writes the result, and adopts what other windows wrote meanwhile.
   */
  persist(): void {
    if (!this.store || (this.dirty.size === 0 && !this.pruneUnsaved)) return;
    this.pruneUnsaved = false;
    const merged = this.mergedWithStore();
    this.dirty.clear();
    this.store.save([...merged.values()]);
    this.adopt(merged);
  }

  /** Takes in what other windows persisted (targets this window changed and has not written keep this window's view). */
  sync(): void {
    if (this.store) this.adopt(this.mergedWithStore());
  }

  private mergedWithStore(): Map<string, TrackedToken> {
    const merged = new Map(parseEntries(this.store?.load()).filter((e) => e.expiresAt >= this.forgetBefore).map((e) => [e.id, e]));
    for (const [id, e] of merged) if (this.dirty.has(e.targetId)) merged.delete(id);
    for (const e of this.entries.values()) if (this.dirty.has(e.targetId)) merged.set(e.id, e);
    return merged;
  }

  private adopt(merged: Map<string, TrackedToken>): void {
    const before = JSON.stringify(this.all());
    this.entries = merged;
    if (JSON.stringify(this.all()) !== before) for (const l of this.listeners) l();
  }

  private visible(e: TrackedToken): boolean {
    return e.workspace === undefined || e.workspace === this.workspace;
  }

  private changed(targetIds: string[]): void {
    for (const t of targetIds) this.dirty.add(t);
    for (const l of this.listeners) l();
  }
}

/** Reads persisted entries defensively: anything malformed is dropped, never trusted. */
export function parseEntries(raw: unknown): TrackedToken[] {
  if (!Array.isArray(raw)) return [];
  const out: TrackedToken[] = [];
  for (const r of raw) {
    if (!r || typeof r !== 'object') continue;
    const e = r as Record<string, unknown>;
    const str = (k: string) => typeof e[k] === 'string' && (e[k] as string).length > 0;
    if (!str('id') || !str('targetId') || !str('targetLabel') || !str('domain') || !str('domainOwner') || !str('region')) continue;
    if (!TARGET_KINDS.includes(e.targetKind as TargetKind)) continue;
    if (e.source !== 'refresh' && e.source !== 'scan') continue;
    if (typeof e.expiresAt !== 'number' || !Number.isFinite(e.expiresAt)) continue;
    out.push({
      id: e.id as string,
      targetId: e.targetId as string,
      targetKind: e.targetKind as TargetKind,
      targetLabel: e.targetLabel as string,
      ...(str('workspace') ? { workspace: e.workspace as string } : {}),
      domain: e.domain as string,
      domainOwner: e.domainOwner as string,
      region: e.region as string,
      ...(str('profile') ? { profile: e.profile as string } : {}),
      expiresAt: e.expiresAt,
      source: e.source,
    });
  }
  return out;
}
