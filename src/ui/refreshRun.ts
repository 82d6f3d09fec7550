/**
 * Runs the one refresh loop (core/refresh.ts) with the editor's ports: token calls through the lazily loaded AWS
 * layer (each token added to the log's redactor), progress notifications (Cancel while reading, none while writing),
 * the review (diff + confirm), expiry tracking and the log. Every refresh command goes through `refresh()`.
 */
import { setMaxListeners } from 'node:events';
import { describeError } from '../core/errors';
import { validateDuration } from '../core/expiry';
import { runRefresh, type RefreshPorts, type RunResult, type Target } from '../core/refresh';
import type { IssuedToken } from '../aws/api';
import type { Deps } from './deps';
import { withCancellableProgress } from './progress';
import { recordRefresh, recordScan } from './tracking';

export interface RefreshRequest {
  targets: readonly Target[];
  /** false: no diff, no question (automation); a concurrent change is still never overwritten. */
  confirm: boolean;
  /** Progress titles ("CodeArtifact: reading s3://…"). */
  titles: { read: string; write: string };
}

export async function refresh(deps: Deps, request: RefreshRequest): Promise<RunResult> {
  const settings = deps.settings();
  // Refused before any AWS call (nothing is read with a duration that cannot be used).
  const durationSeconds = validateDuration(settings.durationSeconds);
  const ports: RefreshPorts<IssuedToken> = {
    fetchToken: async (key, profile, signal) => {
      const t = await deps.aws.get().getToken(key, { profile, durationSeconds, signal });
      // From now on the log hides this token wherever it turns up.
      deps.log.addSecret(t.token);
      deps.log.info(`Token issued for ${key.domain}-${key.domainOwner} (${key.region}) with profile ${profile}; expires ${t.expiration.toISOString()}`);
      return t;
    },
    stage: (stage, title, work) =>
      withCancellableProgress(
        title,
        (signal) => {
          // Many targets share one signal (every S3 call listens to it): no MaxListenersExceededWarning.
          setMaxListeners(0, signal);
          return work(signal);
        },
        stage === 'read',
      ),
    review: (proposals) => deps.review.review(proposals),
    recordTokens: (info, tokens) => recordRefresh(deps.tracker, info, tokens),
    recordText: (info, text) => recordScan(deps.tracker, info, text),
    onConflict: (info, round, next) => {
      deps.log.warn(`${info.id} changed since it was read (round ${round}); nothing was written; ${next === 'give-up' ? 'giving up' : 'reading it again'}`);
      if (next === 'review' || (next === 'reapply' && !info.undoable)) {
        void deps.prompts.notify(
          'warning',
          next === 'review'
            ? `${info.label} changed since it was read, so nothing was written. Showing the diff against the new content.`
            : `${info.label} changed since it was read, so nothing was written; applying the token to the new content.`,
        );
      }
    },
    // While a target is read, ask for the tokens it needed last time (one round trip saved after the first refresh).
    expectedKeys: (info) => deps.tracker.forTarget(info.id).filter((e) => e.profile === undefined || e.profile === info.profile),
    describe: (e) => deps.log.redact(describeError(e)),
  };
  const result = await runRefresh(request.targets, ports, { confirm: request.confirm, titles: request.titles });
  for (const o of result.outcomes) deps.log.info(`${o.id}: ${o.status}${o.message ? ` — ${o.message}` : ''}`);
  return result;
}

