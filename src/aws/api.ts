/**
 * The contract between the UI and the AWS layer. Types only: the UI imports this file with `import type`,
 * and loads the implementation (dist/aws.js, which carries the SDK) on first use, so activation stays cheap.
 */
import type { EnvironmentInfo } from '../core/mwaa/migration';
import type { S3Location } from '../core/s3location';

export type ProfileKind = 'static' | 'sso' | 'role' | 'role-mfa' | 'process' | 'web-identity' | 'unknown';

export interface ProfileInfo {
  name: string;
  kind: ProfileKind;
  /** `region` from the config file, when it says. */
  region?: string;
  /** From `sso_account_id`, or the account in `role_arn`. */
  accountId?: string;
}

/** What identifies one CodeArtifact token: the region comes from the URL's host, never from the profile. */
export interface TokenRequest {
  domain: string;
  domainOwner: string;
  region: string;
}

export interface IssuedToken {
  token: string;
  /** The `expiration` the service returned. */
  expiration: Date;
}

export interface S3TextObject {
  location: S3Location;
  text: string;
  /** Exactly as S3 returned it (quotes included): it is sent back as If-Match. */
  etag: string;
  versionId?: string;
  contentType?: string;
  cacheControl?: string;
  contentEncoding?: string;
  contentDisposition?: string;
  contentLanguage?: string;
  metadata: Record<string, string>;
  serverSideEncryption?: string;
  sseKmsKeyId?: string;
  bucketKeyEnabled?: boolean;
  /** As S3 reported it (absent for STANDARD); carried over so a refresh does not move the object to STANDARD. */
  storageClass?: string;
  /** The object's tags (read with GetObjectTagging only when GetObject reported some); carried over on write. */
  tags?: { key: string; value: string }[];
  /** How many tags the object has that the profile may not read (s3:GetObjectTagging denied): a write is refused. */
  unreadableTags?: number;
  lastModified?: Date;
  /** Bytes as stored (the text is UTF-8 decoded from these). */
  size: number;
}

export interface WriteResult {
  etag: string;
  versionId?: string;
}

export interface CallOptions {
  /** Profile name from the shared config/credentials files. */
  profile: string;
  /** Aborting stops the work; a write that has not been sent is never sent. */
  signal?: AbortSignal;
}

export interface AwsServicesOptions {
  /** Environment to read AWS_* from (defaults to process.env). */
  env?: Record<string, string | undefined>;
  /** Asked for a one-time code when a role profile has `mfa_serial`. Reject or return '' to cancel. */
  mfaCodeProvider?: (mfaSerial: string, profile: string) => Promise<string>;
  /** Receives one line per AWS step. Lines never contain a token or a secret key. */
  log?: (line: string) => void;
  /**
   * Network limits for every AWS call (defaults: 10 000 ms to connect, 30 000 ms for a request to answer).
   * A timed-out call is retried like any transient failure, then fails with RefresherError('Timeout').
   */
  timeouts?: { connectMs?: number; requestMs?: number };
  /** Attempts per call, first included, with the SDK's standard retry mode (exponential backoff + jitter). Default 3. */
  maxAttempts?: number;
}

/**
 * An Amazon MWAA environment as GetEnvironment describes it: what the migration uses (core's EnvironmentInfo: name,
 * region it was listed in, status, bucket, paths and pinned versions, last update) plus what the view shows.
 */
export interface MwaaEnvironment extends EnvironmentInfo {
  arn?: string;
  airflowVersion?: string;
  executionRoleArn?: string;
}

/** The fields of UpdateEnvironment this extension sends (only those given are sent). */
export interface MwaaUpdate {
  requirementsS3Path?: string;
  requirementsS3ObjectVersion?: string;
  startupScriptS3Path?: string;
  startupScriptS3ObjectVersion?: string;
}

export type BucketVersioning = 'Enabled' | 'Suspended' | 'Disabled';

export interface AwsServices {
  listProfiles(): Promise<ProfileInfo[]>;
  /** AWS_PROFILE, else `default` when it exists, else undefined. */
  defaultProfile(): Promise<string | undefined>;
  /** One GetAuthorizationToken call. durationSeconds: 0 or 900..43200, else RefresherError('InvalidInput') before any call. */
  getToken(request: TokenRequest, options: CallOptions & { durationSeconds: number }): Promise<IssuedToken>;
  /** GetObject: refuses > 1 MiB and non-text with RefresherError ObjectTooLarge / NotText. */
  readObject(location: S3Location, options: CallOptions): Promise<S3TextObject>;
  /**
   * PutObject with If-Match = the ETag that was read, carrying over the object's settings.
   * 412 -> RefresherError('ChangedSinceRead'); 409 ConditionalRequestConflict -> re-read and retry once (only if the
   * re-read ETag still equals the one read), then ChangedSinceRead.
   */
  writeObject(previous: S3TextObject, text: string, options: CallOptions): Promise<WriteResult>;
  /** MWAA ListEnvironments (every page) in `region`: environment names. */
  listEnvironments(region: string, options: CallOptions): Promise<string[]>;
  /** MWAA GetEnvironment. */
  getEnvironment(name: string, region: string, options: CallOptions): Promise<MwaaEnvironment>;
  /** MWAA UpdateEnvironment with the given fields; resolves when the update was accepted (the environment is UPDATING). */
  updateEnvironment(name: string, region: string, update: MwaaUpdate, options: CallOptions): Promise<void>;
  /** GetObject of one version (undefined: the current one), with readObject's checks. */
  readObjectVersion(location: S3Location, versionId: string | undefined, options: CallOptions): Promise<S3TextObject>;
  /** PutObject with If-None-Match: * (only when no object has that key): 412 -> RefresherError('ChangedSinceRead'). */
  createObject(location: S3Location, text: string, options: CallOptions & { contentType?: string }): Promise<WriteResult>;
  /** GetBucketVersioning: 'Disabled' when versioning was never turned on. */
  bucketVersioning(bucket: string, region: string, options: CallOptions): Promise<BucketVersioning>;
  /** Forget cached credentials (all profiles, or one), so a fresh `aws sso login` is picked up. */
  invalidateCredentials(profile?: string): void;
  dispose(): void;
}
