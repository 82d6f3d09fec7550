/** Token fetches shared by every target of one command run, cancellable through the current signal. */
import { TokenBatch } from '../core/tokenBatch';
import type { IssuedToken } from '../aws/api';
import type { Deps } from './deps';

export function tokenBatch(deps: Deps, signalRef: { signal?: AbortSignal }): TokenBatch<IssuedToken> {
  return new TokenBatch(async (key, profile) => {
    const t = await deps.aws.get().getToken(key, { profile, durationSeconds: deps.settings().durationSeconds, signal: signalRef.signal });
    // From now on the log hides this token wherever it turns up.
    deps.log.addSecret(t.token);
    deps.log.info(`Token issued for ${key.domain}-${key.domainOwner} (${key.region}) with profile ${profile}; expires ${t.expiration.toISOString()}`);
    return t;
  });
}
