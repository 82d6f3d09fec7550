/**
 * One credential provider per profile, memoized here (not per client) so a role profile with MFA asks once for all
 * clients, and refreshed 5 minutes before expiry. A failed resolution drops the provider, so the next call rebuilds it
 * and re-reads the files: a fresh `aws sso login` or an edited credentials file is picked up without restarting.
 */
import { fromIni, fromSSO } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentity } from '@smithy/types';
import { RefresherError } from '../core/errors';
import { endpointOverride } from './endpoints';
import { readSharedFiles, sharedFilePaths, type Env } from './files';
import { profileKind } from './profiles';

const REFRESH_BEFORE_MS = 5 * 60_000;

export type MfaCodeProvider = (mfaSerial: string, profile: string) => Promise<string>;

export interface CredentialCacheOptions {
  env: Env;
  mfaCodeProvider?: MfaCodeProvider;
  /** Client settings for the inner STS/SSO clients (timeouts). */
  requestHandler?: unknown;
  /** Called with every secret resolved, so it can be redacted from logs. */
  onSecret?: (secret: string | undefined) => void;
}

interface Entry {
  provider: () => Promise<AwsCredentialIdentity>;
  pending?: Promise<AwsCredentialIdentity>;
  value?: AwsCredentialIdentity;
}

export class CredentialCache {
  private readonly entries = new Map<string, Promise<Entry>>();

  constructor(private readonly options: CredentialCacheOptions) {}

  async get(profile: string): Promise<AwsCredentialIdentity> {
    let entryPromise = this.entries.get(profile);
    if (!entryPromise) {
      entryPromise = this.build(profile);
      this.entries.set(profile, entryPromise);
      entryPromise.catch(() => this.drop(profile, entryPromise));
    }
    const entry = await entryPromise;
    if (entry.pending) return entry.pending;
    if (entry.value && !expiresSoon(entry.value)) return entry.value;
    const pending = entry.provider().then(
      (value) => {
        entry.value = value;
        entry.pending = undefined;
        this.options.onSecret?.(value.secretAccessKey);
        this.options.onSecret?.(value.sessionToken);
        return value;
      },
      (err: unknown) => {
        entry.pending = undefined;
        this.drop(profile, entryPromise);
        throw err;
      },
    );
    entry.pending = pending;
    return pending;
  }

  /** A provider for SDK clients: the memoized credentials of one profile. */
  providerFor(profile: string): () => Promise<AwsCredentialIdentity> {
    return () => this.get(profile);
  }

  invalidate(profile?: string): void {
    if (profile === undefined) this.entries.clear();
    else this.entries.delete(profile);
  }

  private drop(profile: string, entry: Promise<Entry> | undefined): void {
    if (this.entries.get(profile) === entry) this.entries.delete(profile);
  }

  private async build(profile: string): Promise<Entry> {
    const { env } = this.options;
    const files = await readSharedFiles(env);
    const paths = sharedFilePaths(env);
    const config = files.config[profile];
    const region = config?.region || env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1';
    const kind = profileKind(config, files.credentials[profile]);
    // The inner client of an SSO profile is the IAM Identity Center portal's: it lives in sso_region (from the profile
    // or its [sso-session] section), which may differ from the profile's region; fromSSO would take clientConfig.region
    // over it. Its endpoint override is AWS_ENDPOINT_URL_SSO (the SDK's service id "SSO"), never the STS one.
    const ssoRegion = config?.sso_region || (config?.sso_session ? files.config[`sso-session.${config.sso_session}`]?.sso_region : undefined);
    const innerEndpoint = endpointOverride(kind === 'sso' ? 'sso' : 'sts', env, files, profile);
    const clientConfig: Record<string, unknown> = { region: kind === 'sso' && ssoRegion ? ssoRegion : region };
    if (innerEndpoint) clientConfig.endpoint = innerEndpoint;
    if (this.options.requestHandler) clientConfig.requestHandler = this.options.requestHandler;
    const common = { profile, ...paths, ignoreCache: true, clientConfig };
    // fromIni hands SSO profiles to fromSSO without the file paths, so it would read the default files:
    // call fromSSO directly with them instead.
    const provider = kind === 'sso' ? fromSSO(common) : fromIni({ ...common, mfaCodeProvider: (serial) => this.mfaCode(serial, profile) });
    return { provider: () => provider() };
  }

  private async mfaCode(serial: string, profile: string): Promise<string> {
    const ask = this.options.mfaCodeProvider;
    const mfaRequired = () =>
      new RefresherError('MfaRequired', `Profile "${profile}" needs an MFA code (${serial}) and none was given.`, 'Run the command again and enter the code from your MFA device.');
    if (!ask) throw mfaRequired();
    let code: string;
    try {
      code = (await ask(serial, profile))?.trim() ?? '';
    } catch {
      throw mfaRequired();
    }
    if (!code) throw mfaRequired();
    return code;
  }
}

function expiresSoon(c: AwsCredentialIdentity): boolean {
  return c.expiration !== undefined && c.expiration.getTime() - Date.now() < REFRESH_BEFORE_MS;
}
