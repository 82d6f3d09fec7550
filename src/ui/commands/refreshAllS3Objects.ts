/**
 * `codeartifact.refreshAllRemoteFiles` — every configured S3 object in one run of the refresh loop: one token call
 * per domain/owner/region/profile across all of them, one review, one summary. `{ "confirm": false }` for automation.
 */
import { RefresherError } from '../../core/errors';
import type { Outcome } from '../../core/outcome';
import type { Deps } from '../deps';
import { refresh } from '../refreshRun';
import { configuredRemoteFiles } from '../remoteFiles';
import { s3Target } from '../targets/build';
import { notifySummary, plural } from './outcomes';

export async function refreshAllS3Objects(deps: Deps, confirm: boolean): Promise<Outcome[]> {
  const entries = await deps.consent.usable(configuredRemoteFiles());
  if (entries.length === 0) {
    throw new RefresherError('InvalidInput', 'No S3 objects are listed in `codeartifact.remoteFiles`.', 'Add entries like { "uri": "s3://bucket/dags/codeartifact.txt", "profile": "dev" } to your settings, or use "Refresh Token in S3 File…".');
  }
  const targets = await Promise.all(entries.map((entry) => s3Target(deps, { uri: entry.uri, entry })));
  const n = plural(targets.length, 'S3 object');
  const result = await refresh(deps, { targets, confirm, titles: { read: `CodeArtifact: reading ${n}`, write: `CodeArtifact: writing ${n}` } });
  deps.log.info(`Refreshed ${n} with ${result.tokenCalls} token call(s)`);
  notifySummary(deps, n, result);
  return result.outcomes;
}
