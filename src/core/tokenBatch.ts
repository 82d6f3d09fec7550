/**
 * One token per (domain, owner, region, profile) across a whole refresh, however many lines or targets share it.
 * Concurrent callers asking for the same key share one in-flight request; a failure is shared too (every target that
 * needs that token reports the same error) and is not retried within the batch.
 */
import { endpointKey } from './endpoints';

export interface TokenKey {
  domain: string;
  domainOwner: string;
  region: string;
}

export interface BatchToken {
  token: string;
  expiration: Date;
}

export class TokenBatch<T extends BatchToken = BatchToken> {
  private readonly pending = new Map<string, Promise<T>>();

  constructor(private readonly fetch: (key: TokenKey, profile: string) => Promise<T>) {}

  get(key: TokenKey, profile: string): Promise<T> {
    const id = `${profile}\u0000${endpointKey(key)}`;
    let p = this.pending.get(id);
    if (!p) {
      p = this.fetch({ domain: key.domain, domainOwner: key.domainOwner, region: key.region }, profile);
      // Avoid an unhandled rejection when nobody awaits this key again; callers still see the error.
      p.catch(() => undefined);
      this.pending.set(id, p);
    }
    return p;
  }

  /** Distinct token calls made so far. */
  get size(): number {
    return this.pending.size;
  }
}

/** The distinct keys among a list of endpoints, in first-seen order. */
export function distinctKeys(endpoints: readonly TokenKey[]): TokenKey[] {
  const seen = new Map<string, TokenKey>();
  for (const e of endpoints) {
    const k = endpointKey(e);
    if (!seen.has(k)) seen.set(k, { domain: e.domain, domainOwner: e.domainOwner, region: e.region });
  }
  return [...seen.values()];
}
