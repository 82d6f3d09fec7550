/**
 * Moving an MWAA environment from a refreshed `codeartifact.txt` to a startup script, as three steps with the AWS
 * calls passed in as ports (so the flow is tested against any backend):
 *   planMigration   read the environment, check its bucket is versioned, read requirements.txt and the startup script
 *                   at the versions it pins (refusing when a newer version exists: that upload would be lost), read the
 *                   included DAG-folder files, and compute both new texts;
 *   applyMigration  conditional writes (requirements.txt If-Match; the script If-Match, or If-None-Match when new),
 *                   then ONE UpdateEnvironment with the new versions; a write that loses means no update at all;
 *   followUpdate    poll until AVAILABLE (done) or UPDATE_FAILED (LastUpdate.Error), reporting each status.
 * codeartifact.txt itself is never touched, so pinning the old requirements version back still works.
 */
import { isRefresherError, RefresherError } from '../errors';
import { mwaaError } from './errors';
import { dagIncludes, dagObjectKey, withoutIncludes, type DagInclude } from './requirements';
import { pipIndexes, startupScript, type PipIndex } from './script';

export interface EnvironmentInfo {
  name: string;
  region: string;
  status: string;
  sourceBucketArn?: string;
  dagS3Path?: string;
  requirementsS3Path?: string;
  requirementsS3ObjectVersion?: string;
  startupScriptS3Path?: string;
  startupScriptS3ObjectVersion?: string;
  lastUpdate?: { status?: string; createdAt?: Date; error?: { code?: string; message?: string } };
}

export interface StoredText {
  text: string;
  versionId?: string;
}

export interface EnvironmentUpdate {
  requirementsS3Path: string;
  requirementsS3ObjectVersion: string;
  startupScriptS3Path: string;
  startupScriptS3ObjectVersion: string;
}

export interface MigrationPorts<O extends StoredText> {
  getEnvironment(): Promise<EnvironmentInfo>;
  bucketVersioning(bucket: string): Promise<'Enabled' | 'Suspended' | 'Disabled'>;
  /** The object (latest version when versionId is undefined); undefined when there is none. */
  readObject(bucket: string, key: string, versionId?: string): Promise<O | undefined>;
  /** Conditional on the object that was read; throws RefresherError('ChangedSinceRead') when it changed. */
  writeObject(previous: O, text: string): Promise<{ versionId?: string }>;
  /** Only when no object has the key; throws RefresherError('ChangedSinceRead') when one appeared. */
  createObject(bucket: string, key: string, text: string): Promise<{ versionId?: string }>;
  updateEnvironment(update: EnvironmentUpdate): Promise<void>;
}

export interface MigrationPlan<O extends StoredText> {
  environment: EnvironmentInfo;
  bucket: string;
  requirements: { key: string; object: O; before: string; after: string };
  script: { key: string; object?: O; before: string; after: string };
  /** The legacy files (kept in place). */
  legacyFiles: { include: DagInclude; key: string }[];
  indexes: PipIndex[];
}

/** The startup script's key when the environment has none (MWAA's documented name, at the bucket root). */
export const DEFAULT_STARTUP_SCRIPT_KEY = 'startup.sh';
const BUSY = new Set(['CREATING', 'UPDATING', 'ROLLING_BACK', 'DELETING', 'PENDING', 'CREATING_SNAPSHOT', 'MAINTENANCE']);

export function bucketOf(env: EnvironmentInfo): string {
  const bucket = env.sourceBucketArn?.replace(/^arn:aws[a-z-]*:s3:::/, '');
  if (!bucket) throw mwaaError('UpdateRejected', `Environment "${env.name}" names no source bucket.`);
  return bucket;
}

export async function planMigration<O extends StoredText>(ports: MigrationPorts<O>): Promise<MigrationPlan<O>> {
  const environment = await ports.getEnvironment();
  const name = environment.name;
  if (BUSY.has(environment.status)) {
    throw mwaaError('UpdateRejected', `Environment "${name}" is ${environment.status}; it takes one update at a time.`, 'Wait until it is AVAILABLE, then try again.');
  }
  const bucket = bucketOf(environment);
  const versioning = await ports.bucketVersioning(bucket);
  if (versioning !== 'Enabled') {
    throw mwaaError('BucketNotVersioned', `Bucket "${bucket}" of environment "${name}" does not have versioning enabled (${versioning}); MWAA pins object versions, so nothing was changed.`,
      `Enable versioning on s3://${bucket} (MWAA requires it), then try again.`);
  }
  if (!environment.requirementsS3Path) {
    throw new RefresherError('NoEndpoints', `Environment "${name}" has no requirements.txt; there is no codeartifact.txt to move.`);
  }
  const requirementsKey = environment.requirementsS3Path;
  const requirements = await ports.readObject(bucket, requirementsKey);
  if (!requirements) throw new RefresherError('NoSuchKey', `s3://${bucket}/${requirementsKey} (the environment's requirements.txt) does not exist.`);
  pinned(requirements, environment.requirementsS3ObjectVersion, bucket, requirementsKey, name);

  const legacyFiles: MigrationPlan<O>['legacyFiles'] = [];
  const indexes: PipIndex[] = [];
  for (const include of dagIncludes(requirements.text)) {
    const key = dagObjectKey(environment.dagS3Path ?? 'dags', include.relative);
    const file = await ports.readObject(bucket, key);
    const found = file ? pipIndexes(file.text) : [];
    if (found.length === 0) continue;
    legacyFiles.push({ include, key });
    indexes.push(...found);
  }
  if (legacyFiles.length === 0) {
    throw new RefresherError('NoEndpoints', `requirements.txt of "${name}" includes no DAG-folder file with a CodeArtifact --index-url or --extra-index-url; there is nothing to move.`);
  }

  const scriptKey = environment.startupScriptS3Path ?? DEFAULT_STARTUP_SCRIPT_KEY;
  const existing = await ports.readObject(bucket, scriptKey);
  if (existing && !environment.startupScriptS3Path) {
    throw mwaaError('NewerObjectVersion', `s3://${bucket}/${scriptKey} exists but environment "${name}" does not use it; it was left alone.`,
      'Set it as the environment\'s startup script (or remove it), then try again.');
  }
  if (existing) pinned(existing, environment.startupScriptS3ObjectVersion, bucket, scriptKey, name);
  return {
    environment,
    bucket,
    requirements: { key: requirementsKey, object: requirements, before: requirements.text, after: withoutIncludes(requirements.text, legacyFiles.map((l) => l.include)) },
    script: { key: scriptKey, ...(existing ? { object: existing } : {}), before: existing?.text ?? '', after: startupScript(existing?.text, indexes) },
    legacyFiles,
    indexes,
  };
}

function pinned(object: StoredText, version: string | undefined, bucket: string, key: string, name: string): void {
  if (version !== undefined && object.versionId !== version) {
    throw mwaaError('NewerObjectVersion', `s3://${bucket}/${key} has a newer version (${object.versionId ?? 'unversioned'}) than environment "${name}" uses (${version}); nothing was changed, so that upload is not lost.`,
      'Apply or remove the newer version first, then try again.');
  }
}

/** Writes both objects (conditionally), then sends one UpdateEnvironment; returns the request it sent. */
export async function applyMigration<O extends StoredText>(plan: MigrationPlan<O>, ports: MigrationPorts<O>): Promise<EnvironmentUpdate> {
  const noVersion = (key: string) =>
    mwaaError('BucketNotVersioned', `s3://${plan.bucket}/${key} was written without a version id: the bucket is not versioned; the environment was not updated.`, `Enable versioning on s3://${plan.bucket} (MWAA requires it).`);
  // The startup script first: a new script version beside the old requirements.txt is harmless (it only exports the
  // pip index variables), whereas a requirements.txt without its `-r …/codeartifact.txt` line and no script would
  // break the next deployment of "the latest version".
  const script = plan.script.object ? await ports.writeObject(plan.script.object, plan.script.after) : await ports.createObject(plan.bucket, plan.script.key, plan.script.after);
  if (!script.versionId) throw noVersion(plan.script.key);
  let req: { versionId?: string };
  try {
    req = await ports.writeObject(plan.requirements.object, plan.requirements.after);
  } catch (e) {
    if (isRefresherError(e)) {
      throw new RefresherError(e.code, `${e.message} The new startup script is already stored as version ${script.versionId} of s3://${plan.bucket}/${plan.script.key}; the environment still uses its old objects.`, e.fix);
    }
    throw e;
  }
  if (!req.versionId) throw noVersion(plan.requirements.key);
  const update: EnvironmentUpdate = {
    requirementsS3Path: plan.requirements.key,
    requirementsS3ObjectVersion: req.versionId,
    startupScriptS3Path: plan.script.key,
    startupScriptS3ObjectVersion: script.versionId,
  };
  await ports.updateEnvironment(update);
  return update;
}

/** Polls until the update settles; resolves with AVAILABLE, throws UpdateFailed with LastUpdate.Error otherwise. */
export async function followUpdate(
  get: () => Promise<EnvironmentInfo>,
  options: {
    intervalMs: number;
    timeoutMs: number;
    onStatus?: (status: string) => void;
    sleep?: (ms: number) => Promise<void>;
    now?: () => number;
    /** When UpdateEnvironment was sent (epoch ms): an AVAILABLE whose last update started before it is the old state. */
    sentAt?: number;
  },
): Promise<EnvironmentInfo> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const deadline = now() + options.timeoutMs;
  for (;;) {
    const env = await get();
    options.onStatus?.(env.status);
    // Right after the PATCH a read may still show the environment as it was (AVAILABLE, the previous update's SUCCESS):
    // that is not this update's result. (Clocks differ: a minute of slack.)
    const stale = options.sentAt !== undefined && env.lastUpdate?.createdAt !== undefined && env.lastUpdate.createdAt.getTime() < options.sentAt - 60_000;
    if (env.status === 'AVAILABLE' && env.lastUpdate?.status !== 'FAILED' && !stale) return env;
    if (env.status === 'UPDATE_FAILED' || env.lastUpdate?.status === 'FAILED') {
      const e = env.lastUpdate?.error;
      throw mwaaError('UpdateFailed', `The update of environment "${env.name}" failed (${env.status})${e ? `: ${e.code ?? 'error'}: ${e.message ?? ''}` : ''}.`,
        'The objects written are kept as new versions; codeartifact.txt is unchanged, so pinning the previous requirements.txt version restores the old setup.');
    }
    if (!BUSY.has(env.status) && !(stale && env.status === 'AVAILABLE')) {
      throw mwaaError('UpdateFailed', `Environment "${env.name}" went to ${env.status} during the update.`);
    }
    if (now() > deadline) {
      throw new RefresherError('Timeout', `Environment "${env.name}" is still ${env.status} after ${Math.round(options.timeoutMs / 60_000)} minutes.`, 'Watch it in the MWAA console; the update goes on without this window.');
    }
    await sleep(options.intervalMs);
  }
}
