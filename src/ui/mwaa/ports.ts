/**
 * The migration's ports (core/mwaa/migration.ts) over the AWS layer, for one environment and profile. No `vscode`
 * here: the server tests drive the same adapter against the MWAA stub and radosgw.
 */
import { isRefresherError } from '../../core/errors';
import type { MigrationPorts } from '../../core/mwaa/migration';
import type { AwsServices, S3TextObject } from '../../aws/api';

export interface EnvironmentRef {
  name: string;
  region: string;
  profile: string;
}

export function migrationPorts(aws: AwsServices, ref: EnvironmentRef, signal?: AbortSignal): MigrationPorts<S3TextObject> {
  const call = { profile: ref.profile, ...(signal ? { signal } : {}) };
  return {
    getEnvironment: () => aws.getEnvironment(ref.name, ref.region, call),
    bucketVersioning: (bucket) => aws.bucketVersioning(bucket, ref.region, call),
    readObject: async (bucket, key, versionId) => {
      try {
        return await aws.readObjectVersion({ bucket, key, region: ref.region }, versionId, call);
      } catch (e) {
        if (isRefresherError(e) && e.code === 'NoSuchKey') return undefined;
        throw e;
      }
    },
    writeObject: (previous, text) => aws.writeObject(previous, text, call),
    createObject: (bucket, key, text) => aws.createObject({ bucket, key, region: ref.region }, text, { ...call, contentType: 'text/x-sh' }),
    updateEnvironment: (update) => aws.updateEnvironment(ref.name, ref.region, update, call),
  };
}
