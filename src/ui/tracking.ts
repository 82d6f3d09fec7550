/** Records expiries in the tracker: from a refresh (the service's expiration) or from tokens found in a text. */
import { endpointKey, findTokens, readTokenExpiry } from '../core';
import type { IssuedFor } from '../core/pipeline';
import type { TargetInfo } from '../core/target';
import type { ExpiryTracker, TrackedToken } from '../core/tracker';

/** What the tracker needs to know of a target (a scanned document has no profile yet). */
export type TrackedPlace = Pick<TargetInfo, 'id' | 'kind' | 'label'> & { profile?: string };

export function recordRefresh(tracker: ExpiryTracker, target: TrackedPlace, tokens: readonly IssuedFor[]): void {
  tracker.setTarget(
    target.id,
    tokens.map((t) => entry(tracker, target, t, t.expiration.getTime(), 'refresh', target.profile)),
    endpointKey,
  );
}

/** Reads expiries from the literal tokens in `text` (no AWS call). Forgets the target when it holds none. */
export function recordScan(tracker: ExpiryTracker, target: TrackedPlace, text: string): void {
  const soonest = new Map<string, { key: { domain: string; domainOwner: string; region: string }; at: number }>();
  for (const t of findTokens(text)) {
    if (t.placeholder) continue;
    const exp = readTokenExpiry(t.token);
    if (!exp) continue;
    const k = endpointKey(t);
    const prev = soonest.get(k);
    if (!prev || exp.getTime() < prev.at) soonest.set(k, { key: t, at: exp.getTime() });
  }
  const known = tracker.forTarget(target.id);
  tracker.setTarget(
    target.id,
    // A scan keeps the profile a refresh recorded for the same token.
    [...soonest.values()].map((s) => entry(tracker, target, s.key, s.at, 'scan', target.profile ?? known.find((e) => endpointKey(e) === endpointKey(s.key))?.profile)),
    endpointKey,
  );
}

function entry(
  tracker: ExpiryTracker,
  target: TrackedPlace,
  k: { domain: string; domainOwner: string; region: string },
  at: number,
  source: TrackedToken['source'],
  profile?: string,
): Omit<TrackedToken, 'id'> {
  return {
    targetId: target.id,
    targetKind: target.kind,
    targetLabel: target.label,
    // A file in the workspace (and this window's terminal environment) is this workspace's; an S3 object and a
    // user-level file (~/.pypirc) are everyone's.
    ...((target.kind === 'file' || target.kind === 'environment') && tracker.workspace ? { workspace: tracker.workspace } : {}),
    domain: k.domain,
    domainOwner: k.domainOwner,
    region: k.region,
    ...(profile ? { profile } : {}),
    expiresAt: at,
    source,
  };
}
