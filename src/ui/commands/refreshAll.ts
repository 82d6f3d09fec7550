/**
 * `codeartifact.refreshAll` — "Refresh All Tokens…": every place a token lives, in one run of the refresh loop:
 * configured S3 objects, the workspace's files and the user-level files the tools read (~/.pypirc, pip.conf, .npmrc,
 * uv.toml, .netrc). One token call per domain/owner/region/profile across all of them, one review (each place's diff
 * one click away), conditional writes, a report per place. `{ "confirm": false }` writes without asking and still never
 * clobbers a concurrent change.
 */
import { RefresherError } from '../../core/errors';
import type { Outcome } from '../../core/outcome';
import type { Target } from '../../core/target';
import type { Deps } from '../deps';
import type { Discovery } from '../discovery';
import { refresh } from '../refreshRun';
import { configuredRemoteFiles } from '../remoteFiles';
import { fileTarget, s3Target } from '../targets/build';
import { notifySummary, plural } from './outcomes';

export async function refreshAll(deps: Deps, discovery: Discovery, confirm: boolean): Promise<Outcome[]> {
  const [entries, places] = await Promise.all([deps.consent.usable(configuredRemoteFiles()), discovery.places()]);
  const targets: Target[] = [
    ...(await Promise.all(entries.map((entry) => s3Target(deps, { uri: entry.uri, entry })))),
    ...(await Promise.all(places.map((p) => fileTarget(deps, p)))),
  ];
  if (targets.length === 0) {
    throw new RefresherError(
      'NoEndpoints',
      'No CodeArtifact token found: no S3 object is listed in `codeartifact.remoteFiles`, and no workspace or user-level file (pip.conf, ~/.pypirc, ~/.npmrc, uv.toml, ~/.netrc) holds a CodeArtifact URL with a token.',
      'Run `aws codeartifact login --tool pip`, or add S3 objects to `codeartifact.remoteFiles`.',
    );
  }
  const n = plural(targets.length, 'place');
  deps.log.info(`Refresh all: ${entries.length} S3 object(s), ${places.filter((p) => p.kind === 'file').length} workspace file(s), ${places.filter((p) => p.kind === 'user-file').length} user-level file(s)`);
  const result = await refresh(deps, { targets, confirm, titles: { read: `CodeArtifact: reading ${n}`, write: `CodeArtifact: writing ${n}` } });
  notifySummary(deps, n, result);
  return result.outcomes;
}
