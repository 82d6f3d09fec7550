/**
 * The AWS layer behind the AwsServices contract (api.ts): a thin facade over the client and credential cache
 * (clients.ts), CodeArtifact tokens (tokens.ts) and S3 text objects (objects.ts).
 */
import type { AwsServices, AwsServicesOptions } from './api';
import { AwsClients } from './clients';
import { mwaaServices } from './mwaaServices';
import { S3Objects } from './objects';
import { defaultProfileFrom, listProfiles } from './profiles';
import { TokenIssuer } from './tokens';

export function createAwsServices(options: AwsServicesOptions = {}): AwsServices {
  const clients = new AwsClients(options);
  const tokens = new TokenIssuer(clients);
  const objects = new S3Objects(clients);
  return {
    listProfiles: () => listProfiles(clients.env),
    defaultProfile: async () => defaultProfileFrom(clients.env, await listProfiles(clients.env)),
    getToken: (request, callOptions) => tokens.getToken(request, callOptions),
    readObject: (location, callOptions) => objects.readObject(location, callOptions),
    writeObject: (previous, text, callOptions) => objects.writeObject(previous, text, callOptions),
    // Amazon MWAA (mwaa.ts, mwaaObjects.ts)
    ...mwaaServices(clients),
    invalidateCredentials: (profile) => clients.invalidate(profile),
    dispose: () => clients.dispose(),
  };
}
