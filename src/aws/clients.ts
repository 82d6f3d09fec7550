/**
 * The client and credential cache shared by tokens.ts and objects.ts: one S3Client / CodeartifactClient per
 * (profile, region), reused; credentials memoized per profile (credentials.ts); each profile's settings (region,
 * endpoint overrides) read once from the shared files; the secrets seen so far (for redaction) and the log.
 *
 * Endpoints and files come from `options.env` (process.env in the extension): endpoint overrides are resolved the
 * SDK's way (endpoints.ts) and passed to the clients explicitly, so the environment the caller gave is the one used.
 * Timeouts: 10 s to connect, 30 s for an answer (options.timeouts). Retries: standard mode, 3 attempts.
 * Checksums: only when an operation requires one (S3-compatible servers reject the newer default checksum headers).
 */
import { CodeartifactClient } from '@aws-sdk/client-codeartifact';
import { S3Client } from '@aws-sdk/client-s3';
import type { AwsCredentialIdentity } from '@smithy/types';
import type { RefresherError } from '../core/errors';
import type { S3Location } from '../core/s3location';
import type { AwsServicesOptions } from './api';
import { raceAbort } from './abort';
import { ClientPool, type Lease } from './clientPool';
import { CredentialCache } from './credentials';
import { endpointOverride } from './endpoints';
import { toRefresherError, type ErrorContext } from './errors';
import { readSharedFiles, type Env } from './files';
import { SecretSet } from './redaction';

export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_ATTEMPTS = 3;

export interface ProfileSettings {
  region?: string;
  s3Endpoint?: string;
  codeartifactEndpoint?: string;
  mwaaEndpoint?: string;
}

export class AwsClients {
  readonly env: Env;
  readonly secrets = new SecretSet();
  /** Timeouts and attempts of every call: the SDK clients', and those mwaa.ts signs itself. */
  readonly requestHandler: { connectionTimeout: number; requestTimeout: number; throwOnRequestTimeout: true };
  readonly maxAttempts: number;
  private readonly credentials: CredentialCache;
  private readonly settings = new Map<string, Promise<ProfileSettings>>();
  private readonly s3Clients = new ClientPool<S3Client>();
  private readonly caClients = new ClientPool<CodeartifactClient>();

  constructor(private readonly options: AwsServicesOptions) {
    this.env = options.env ?? process.env;
    this.requestHandler = {
      connectionTimeout: options.timeouts?.connectMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
      requestTimeout: options.timeouts?.requestMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      throwOnRequestTimeout: true,
    };
    this.maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    this.credentials = new CredentialCache({
      env: this.env,
      mfaCodeProvider: options.mfaCodeProvider,
      requestHandler: this.requestHandler,
      onSecret: (s) => this.secrets.add(s),
    });
  }

  /** Forgets one profile's (or every profile's) credentials and settings, and retires its clients. */
  invalidate(profile?: string): void {
    this.credentials.invalidate(profile);
    if (profile === undefined) this.settings.clear();
    else this.settings.delete(profile);
    // Each client memoizes the identity it was given until its expiration: retire the profile's clients so the next
    // call builds new ones with fresh credentials (calls in flight finish on theirs, then the old clients close).
    const matches = (key: string) => profile === undefined || key.startsWith(`${profile}\n`);
    this.s3Clients.retire(matches);
    this.caClients.retire(matches);
  }

  dispose(): void {
    this.s3Clients.dispose();
    this.caClients.dispose();
    this.credentials.invalidate();
    this.settings.clear();
  }

  async resolveCredentials(profile: string, signal: AbortSignal | undefined, target: ErrorContext): Promise<void> {
    const started = Date.now();
    try {
      await raceAbort(this.credentials.get(profile), signal, `loading credentials for profile "${profile}"`);
    } catch (err) {
      this.settings.delete(profile);
      const mapped = toRefresherError(err, { ...target, operation: 'credentials', aborted: signal?.aborted, redact: (t) => this.secrets.redact(t) });
      this.log(`credentials profile=${profile} failed code=${mapped.code} ${Date.now() - started}ms`);
      throw mapped;
    }
  }

  /** The memoized credentials of one profile, for requests this layer signs itself (mwaa.ts). */
  credentialsFor(profile: string): Promise<AwsCredentialIdentity> {
    return this.credentials.get(profile);
  }

  profileSettings(profile: string): Promise<ProfileSettings> {
    let s = this.settings.get(profile);
    if (!s) {
      s = readSharedFiles(this.env).then((files) => ({
        region: files.config[profile]?.region,
        s3Endpoint: endpointOverride('s3', this.env, files, profile),
        codeartifactEndpoint: endpointOverride('codeartifact', this.env, files, profile),
        mwaaEndpoint: endpointOverride('mwaa', this.env, files, profile),
      }));
      this.settings.set(profile, s);
      s.catch(() => this.settings.delete(profile));
    }
    return s;
  }

  /**
   * Everything an S3 call on `location` needs: the profile's settings, the region (the location's, else the
   * profile's, else us-east-1), credentials resolved, and the (profile, region) client lent for this call (release the
   * lease when done). `ctx` names the call in error messages.
   */
  async s3For(location: S3Location, operation: 'readObject' | 'writeObject', profile: string, signal: AbortSignal): Promise<{ lease: Lease<S3Client>; ctx: ErrorContext }> {
    const settings = await this.profileSettings(profile);
    const region = location.region ?? settings.region ?? 'us-east-1';
    const endpoint = settings.s3Endpoint ?? `https://s3.${region}.amazonaws.com`;
    const ctx: ErrorContext = { operation, profile, bucket: location.bucket, key: location.key, region, endpoint };
    await this.resolveCredentials(profile, signal, ctx);
    return { lease: this.s3(profile, region, settings), ctx };
  }

  /** The (profile, region) S3 client, lent for one call: release() the lease when the call is done. */
  s3(profile: string, region: string, settings: ProfileSettings): Lease<S3Client> {
    return this.s3Clients.acquire(`${profile}\n${region}`, () => new S3Client({
      region,
      credentials: this.credentials.providerFor(profile),
      ...(settings.s3Endpoint ? { endpoint: settings.s3Endpoint, forcePathStyle: true } : {}),
      followRegionRedirects: true,
      maxAttempts: this.maxAttempts,
      retryMode: 'standard',
      requestHandler: this.requestHandler,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    }));
  }

  /** The (profile, region) CodeArtifact client, lent for one call: release() the lease when the call is done. */
  codeartifact(profile: string, region: string, settings: ProfileSettings): Lease<CodeartifactClient> {
    return this.caClients.acquire(`${profile}\n${region}`, () => new CodeartifactClient({
      region,
      credentials: this.credentials.providerFor(profile),
      ...(settings.codeartifactEndpoint ? { endpoint: settings.codeartifactEndpoint } : {}),
      maxAttempts: this.maxAttempts,
      retryMode: 'standard',
      requestHandler: this.requestHandler,
    }));
  }

  /** Maps an SDK error for the caller, retires the profile's clients when its credentials were rejected, logs it. */
  fail(err: unknown, ctx: ErrorContext, step: string, started: number): RefresherError {
    const mapped = toRefresherError(err, { ...ctx, redact: (t) => this.secrets.redact(t) });
    if (mapped.code === 'ExpiredCredentials') this.invalidate(ctx.profile);
    const status = (err as { $metadata?: { httpStatusCode?: number; attempts?: number } })?.$metadata;
    this.log(`${step} failed code=${mapped.code}${status?.httpStatusCode ? ` status=${status.httpStatusCode}` : ''}${status?.attempts ? ` attempts=${status.attempts}` : ''} ${Date.now() - started}ms`);
    return mapped;
  }

  log(line: string): void {
    this.options.log?.(this.secrets.redact(line));
  }
}
