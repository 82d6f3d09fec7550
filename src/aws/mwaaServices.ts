/** The MWAA members of AwsServices: the signed REST calls (mwaa.ts) and the S3 reads/writes the MWAA features add. */
import type { AwsServices, AwsServicesOptions } from './api';
import { DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_MAX_ATTEMPTS, DEFAULT_REQUEST_TIMEOUT_MS, type AwsClients } from './clients';
import { MwaaApi } from './mwaa';
import { MwaaObjects } from './mwaaObjects';

type MwaaMembers = Pick<AwsServices, 'listEnvironments' | 'getEnvironment' | 'updateEnvironment' | 'readObjectVersion' | 'createObject' | 'bucketVersioning'>;

export function mwaaServices(clients: AwsClients, options: AwsServicesOptions): MwaaMembers {
  const api = new MwaaApi(clients, {
    connectMs: options.timeouts?.connectMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    requestMs: options.timeouts?.requestMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    maxAttempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
  });
  const objects = new MwaaObjects(clients);
  return {
    listEnvironments: (region, call) => api.listEnvironments(region, call),
    getEnvironment: (name, region, call) => api.getEnvironment(name, region, call),
    updateEnvironment: (name, region, update, call) => api.updateEnvironment(name, region, update, call),
    readObjectVersion: (location, versionId, call) => objects.readVersion(location, versionId, call),
    createObject: (location, text, call) => objects.create(location, text, call),
    bucketVersioning: (bucket, region, call) => objects.versioning(bucket, region, call),
  };
}
