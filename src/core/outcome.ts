/** What one refresh did to one target, and the one way every command sums outcomes up. */
import type { ErrorCode } from './errors';
import type { TargetKind } from './target';

export type OutcomeStatus = 'written' | 'unchanged' | 'declined' | 'changed-since-read' | 'cancelled' | 'failed';

/** One per target. Safe to hand to automation and to log: no token, no text. */
export interface Outcome {
  id: string;
  kind: TargetKind;
  label: string;
  profile: string;
  status: OutcomeStatus;
  /** Token positions written (written only). */
  replaced?: number;
  /** Soonest expiry (epoch ms) of the tokens the target now holds (written/unchanged). */
  expiresAt?: number;
  /** Domains whose tokens were written or found current. */
  domains?: string[];
  etag?: string;
  versionId?: string;
  saved?: boolean;
  /** failed / cancelled / changed-since-read: what happened and what to do (redacted by the caller's `redact`). */
  code?: ErrorCode;
  message?: string;
}

/** Whether the target did not end well: it failed, was cancelled, or changed after it was read (nothing written). */
export function endedBadly(o: Outcome): boolean {
  return o.status === 'failed' || o.status === 'cancelled' || o.status === 'changed-since-read';
}

/** Epoch ms of the soonest expiration among `tokens`, undefined for none. */
export function soonestExpiry(tokens: readonly { expiration: Date }[]): number | undefined {
  let soonest: number | undefined;
  for (const t of tokens) {
    const at = t.expiration.getTime();
    if (Number.isFinite(at) && (soonest === undefined || at < soonest)) soonest = at;
  }
  return soonest;
}

/** Counts per status, in a fixed order, for summaries. */
export function countOutcomes(outcomes: readonly Outcome[]): Record<OutcomeStatus, number> {
  const counts: Record<OutcomeStatus, number> = { written: 0, unchanged: 0, declined: 0, 'changed-since-read': 0, cancelled: 0, failed: 0 };
  for (const o of outcomes) counts[o.status]++;
  return counts;
}

/** "2 written, 1 already current, 1 cancelled": every non-zero count, in one order (nothing left out). */
export function describeCounts(outcomes: readonly Outcome[]): string {
  const c = countOutcomes(outcomes);
  return [
    c.written && `${c.written} written`,
    c.unchanged && `${c.unchanged} already current`,
    c.declined && `${c.declined} left alone`,
    c['changed-since-read'] && `${c['changed-since-read']} changed since read (run again to see the new diff)`,
    c.cancelled && `${c.cancelled} cancelled`,
    c.failed && `${c.failed} failed`,
  ]
    .filter(Boolean)
    .join(', ');
}
