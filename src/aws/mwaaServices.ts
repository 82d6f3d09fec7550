/** The MWAA members of AwsServices: the signed REST calls (mwaa.ts) and the S3 reads/writes the MWAA features add. */
import type { AwsServices } from './api';
import type { AwsClients } from './clients';
import { MwaaApi } from './mwaa';
import { MwaaObjects } from './mwaaObjects';

type MwaaMembers = Pick<AwsServices, 'listEnvironments' | 'getEnvironment' | 'updateEnvironment' | 'readObjectVersion' | 'createObject' | 'bucketVersioning'>;

export function mwaaServices(clients: AwsClients): MwaaMembers {
  const api = new MwaaApi(clients); // the timeouts and attempts of AwsClients
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
