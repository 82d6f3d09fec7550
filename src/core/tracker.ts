/**
 * The expiries the status bar counts down to. Holds where each token lives and when it expires — never the token.
 * Pure: persistence is an injected store, time is passed in.
 */
export type TargetKind = 's3' | 'file';

export interface TrackedToken {
  /** `${targetId}#${endpointKey}`: one entry per token position group in one target. */
  id: string;
  /** `s3://bucket/key`, or a document URI. */
  targetId: string;
  targetKind: TargetKind;
  /** What a person recognises: the remoteFiles label, or a file name. */
  targetLabel: string;
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
  private entries = new Map<string, TrackedToken>();
  private readonly listeners = new Set<() => void>();

  constructor(private readonly store?: TrackerStore) {
    for (const e of parseEntries(store?.load())) this.entries.set(e.id, e);
  }

  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  all(): TrackedToken[] {
    return [...this.entries.values()].sort((a, b) => a.expiresAt - b.expiresAt);
  }

  soonest(): TrackedToken | undefined {
    return this.all()[0];
  }

  /** Replace everything known about one target with `entries` (an empty list forgets the target). */
  setTarget(targetId: string, entries: readonly Omit<TrackedToken, 'id'>[], key: (e: Omit<TrackedToken, 'id'>) => string): void {
    const before = JSON.stringify(this.forTarget(targetId));
    for (const id of [...this.entries.keys()]) if (this.entries.get(id)!.targetId === targetId) this.entries.delete(id);
    for (const e of entries) this.entries.set(`${targetId}#${key(e)}`, { ...e, id: `${targetId}#${key(e)}` });
    if (JSON.stringify(this.forTarget(targetId)) !== before) this.changed();
  }

  forTarget(targetId: string): TrackedToken[] {
    return this.all().filter((e) => e.targetId === targetId);
  }

  remove(id: string): void {
    if (this.entries.delete(id)) this.changed();
  }

  /** Forget entries that expired more than FORGET_AFTER_MS before `now`; true when any was (listeners were told). */
  prune(now: Date): boolean {
    let removed = false;
    for (const [id, e] of this.entries) {
      if (e.expiresAt < now.getTime() - FORGET_AFTER_MS) {
        this.entries.delete(id);
        removed = true;
      }
    }
    if (removed) this.changed();
    return removed;
  }

  private changed(): void {
    this.store?.save(this.all());
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
    if (e.targetKind !== 's3' && e.targetKind !== 'file') continue;
    if (e.source !== 'refresh' && e.source !== 'scan') continue;
    if (typeof e.expiresAt !== 'number' || !Number.isFinite(e.expiresAt)) continue;
    out.push({
      id: e.id as string,
      targetId: e.targetId as string,
      targetKind: e.targetKind,
      targetLabel: e.targetLabel as string,
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
