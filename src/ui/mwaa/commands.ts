/**
 * The MWAA view's context actions. Refresh goes through the one refresh loop (targets/build.ts s3Target +
 * refreshRun.ts refresh), exactly as "Refresh Token in S3 File…" does; "Add to remoteFiles" writes the entry with
 * its profile and a label; "Move to a startup script" runs migrate.ts for the node's environment.
 */
import { RefresherError } from '../../core/errors';
import type { Outcome } from '../../core/outcome';
import { confirmArg, isObject } from '../commands/args';
import { singleOutcome } from '../commands/outcomes';
import type { Deps } from '../deps';
import { refresh } from '../refreshRun';
import { appendRemoteFiles, configuredEntryFor } from '../remoteFiles';
import { s3Target } from '../targets/build';
import { migrateArgs, migrateToStartupScript, type MigrateArgs } from './migrate';
import type { EnvironmentNode, MwaaEnvironmentsView } from './view';

function environmentNode(v: unknown): EnvironmentNode | undefined {
  return isObject(v) && v.kind === 'environment' && isObject(v.found) ? (v as unknown as EnvironmentNode) : undefined;
}

function legacyOf(node: EnvironmentNode | undefined): EnvironmentNode {
  if (!node || node.found.legacyUris.length === 0) {
    throw new RefresherError('NoEndpoints', 'Pick an MWAA environment whose requirements.txt includes a codeartifact.txt (in the MWAA Environments view).');
  }
  return node;
}

/** Refresh the environment's codeartifact.txt (every legacy file) through the refresh loop. */
export async function refreshEnvironment(deps: Deps, view: MwaaEnvironmentsView, arg: unknown): Promise<Outcome[]> {
  const node = legacyOf(environmentNode(arg));
  const targets = await Promise.all(node.found.legacyUris.map((uri) => s3Target(deps, { uri, profile: node.found.profile })));
  const name = node.found.environment.name;
  const result = await refresh(deps, { targets, confirm: confirmArg(arg), titles: { read: `CodeArtifact: reading ${name}'s codeartifact.txt`, write: `CodeArtifact: writing ${name}'s codeartifact.txt` } });
  view.reload();
  if (targets.length === 1) {
    const o = singleOutcome(result);
    void deps.prompts.notify('info', o.status === 'written' ? `Refreshed the CodeArtifact token of MWAA environment ${name}.` : o.status === 'unchanged' ? `${o.id} already holds a current token.` : `Nothing was written to ${o.id}.`);
  }
  return result.outcomes;
}

/** Adds the environment's codeartifact.txt to `codeartifact.remoteFiles` (with its profile and a label). */
export async function addToRemoteFiles(deps: Deps, arg: unknown): Promise<string[]> {
  const node = legacyOf(environmentNode(arg));
  const added = node.found.legacyUris.filter((uri) => !configuredEntryFor(uri));
  if (added.length === 0) {
    void deps.prompts.notify('info', `${node.found.legacyUris.join(', ')} is already in codeartifact.remoteFiles.`);
    return [];
  }
  const e = node.found.environment;
  const where = await appendRemoteFiles(added.map((uri) => ({ uri, profile: node.found.profile, label: `MWAA ${e.name} (${e.region})` })));
  deps.log.info(`Added ${added.join(', ')} to codeartifact.remoteFiles (${where} settings)`);
  return added;
}

/** From the view: the node's environment; from the palette or automation: `{ environment, region?, profile?, confirm? }`. */
export async function migrateFromView(deps: Deps, view: MwaaEnvironmentsView, arg: unknown): Promise<unknown> {
  const node = environmentNode(arg);
  const args: MigrateArgs = node ? { environment: node.found.environment.name, region: node.found.environment.region, profile: node.found.profile } : migrateArgs(arg);
  try {
    return await migrateToStartupScript(deps, args);
  } finally {
    view.reload();
  }
}
