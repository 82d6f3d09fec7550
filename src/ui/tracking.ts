/** Records expiries in the tracker: from a refresh (the service's expiration) or from tokens found in a text. */
import { endpointKey, findTokens, readTokenExpiry } from '../core';
import type { IssuedFor } from '../core/pipeline';
import type { ExpiryTracker, TargetKind, TrackedToken } from '../core/tracker';

export interface TargetRef {
  id: string;
  kind: TargetKind;
  label: string;
}

export function recordRefresh(tracker: ExpiryTracker, target: TargetRef, profile: string, tokens: readonly IssuedFor[]): void {
  tracker.setTarget(
    target.id,
    tokens.map((t) => entry(target, t, t.expiration.getTime(), 'refresh', profile)),
    endpointKey,
  );
}

/** Reads expiries from the literal tokens in `text` (no AWS call). Forgets the target when it holds none. */
export function recordScan(tracker: ExpiryTracker, target: TargetRef, text: string, profile?: string): void {
  const soonest = new Map<string, { key: { domain: string; domainOwner: string; region: string }; at: number }>();
  for (const t of findTokens(text)) {
    if (t.placeholder) continue;
    const exp = readTokenExpiry(t.token);
    if (!exp) continue;
    const k = endpointKey(t);
    const prev = soonest.get(k);
    if (!prev || exp.getTime() < prev.at) soonest.set(k, { key: t, at: exp.getTime() });
  }
  // A scan must not override a fresher refresh record for the same token (same expiry either way).
  tracker.setTarget(
    target.id,
    [...soonest.values()].map((s) => entry(target, s.key, s.at, 'scan', profile ?? tracker.forTarget(target.id).find((e) => endpointKey(e) === endpointKey(s.key))?.profile)),
    endpointKey,
  );
}

function entry(target: TargetRef, k: { domain: string; domainOwner: string; region: string }, at: number, source: TrackedToken['source'], profile?: string): Omit<TrackedToken, 'id'> {
  return {
    targetId: target.id,
    targetKind: target.kind,
    targetLabel: target.label,
    domain: k.domain,
    domainOwner: k.domainOwner,
    region: k.region,
    ...(profile ? { profile } : {}),
    expiresAt: at,
    source,
  };
}
