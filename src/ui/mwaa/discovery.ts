/**
 * What the MWAA view shows for one environment: GetEnvironment, then its objects at the versions it pins
 * (requirements.txt, the startup script) and the DAG-folder files requirements.txt includes, classified by
 * core/mwaa/classify.ts. No token call: the expiry is read from the token in codeartifact.txt.
 */
import { isRefresherError } from '../../core/errors';
import { classifySetup, type IncludedFile, type Setup } from '../../core/mwaa/classify';
import { dagIncludes, dagObjectKey } from '../../core/mwaa/requirements';
import { bucketOf } from '../../core/mwaa/migration';
import type { AwsServices, MwaaEnvironment } from '../../aws/api';
import { migrationPorts } from './ports';

export interface DiscoveredEnvironment {
  profile: string;
  environment: MwaaEnvironment;
  bucket?: string;
  setup?: Setup;
  /** `s3://bucket/key` of each legacy file. */
  legacyUris: string[];
  /** What each legacy file holds (its tokens' expiry goes to the status bar; no token call). */
  legacyTexts?: { uri: string; text: string }[];
  /** Why the objects could not be read (the environment itself was). */
  problem?: string;
}

export async function listEnvironments(aws: AwsServices, profile: string, regions: readonly string[], signal?: AbortSignal): Promise<{ found: DiscoveredEnvironment[]; failures: { region: string; message: string }[] }> {
  const call = { profile, ...(signal ? { signal } : {}) };
  const found: DiscoveredEnvironment[] = [];
  const failures: { region: string; message: string }[] = [];
  await Promise.all(
    regions.map(async (region) => {
      try {
        const names = await aws.listEnvironments(region, call);
        const envs = await Promise.all(names.map((n) => aws.getEnvironment(n, region, call)));
        found.push(...(await Promise.all(envs.map((e) => describe(aws, profile, e, signal)))));
      } catch (e) {
        failures.push({ region, message: isRefresherError(e) ? e.message : String(e) });
      }
    }),
  );
  found.sort((a, b) => a.environment.region.localeCompare(b.environment.region) || a.environment.name.localeCompare(b.environment.name));
  return { found, failures };
}

async function describe(aws: AwsServices, profile: string, environment: MwaaEnvironment, signal?: AbortSignal): Promise<DiscoveredEnvironment> {
  const objects = migrationPorts(aws, { name: environment.name, region: environment.region, profile }, signal);
  let bucket: string | undefined;
  try {
    bucket = bucketOf(environment);
    const b = bucket;
    const read = async (key: string | undefined, version?: string) => (key ? (await objects.readObject(b, key, version))?.text : undefined);
    const requirements = await read(environment.requirementsS3Path, environment.requirementsS3ObjectVersion);
    const included: IncludedFile[] = [];
    for (const include of requirements === undefined ? [] : dagIncludes(requirements)) {
      const text = await read(dagObjectKey(environment.dagS3Path ?? 'dags', include.relative));
      included.push({ include, ...(text !== undefined ? { text } : {}) });
    }
    const startupScript = await read(environment.startupScriptS3Path, environment.startupScriptS3ObjectVersion);
    const setup = classifySetup({ ...(requirements !== undefined ? { requirements } : {}), included, ...(startupScript !== undefined ? { startupScript } : {}) });
    const uriOf = (relative: string) => `s3://${b}/${dagObjectKey(environment.dagS3Path ?? 'dags', relative)}`;
    const legacyUris = setup.legacyFiles.map((f) => uriOf(f.relative));
    const legacyTexts = included.filter((i) => i.text !== undefined && setup.legacyFiles.some((f) => f.relative === i.include.relative)).map((i) => ({ uri: uriOf(i.include.relative), text: i.text! }));
    return { profile, environment, bucket, setup, legacyUris, legacyTexts };
  } catch (e) {
    return { profile, environment, ...(bucket ? { bucket } : {}), legacyUris: [], problem: isRefresherError(e) ? e.message : String(e) };
  }
}
