/**
 * Typed errors a person can act on. Every error the extension shows is a RefresherError: `message` says what
 * failed, `fix` says what to do. Neither ever contains a token (callers pass text through `redact` first).
 *
 * The AWS layer is bundled separately from the UI (so the SDK loads lazily), which means two copies of this
 * class can exist at run time: never test with `instanceof`, use `isRefresherError` (it checks a brand).
 */
export type ErrorCode =
  | 'InvalidInput' // bad S3 location, bad duration, malformed setting
  | 'NoEndpoints' // the text holds no CodeArtifact URL
  | 'OnlyEnvReferences' // only ${VAR} references: nothing to write
  | 'UnknownProfile'
  | 'NoProfiles' // no AWS_PROFILE, no [default], nothing chosen
  | 'NoCredentials'
  | 'ConfigFileUnreadable' // the shared AWS config/credentials file cannot be read or parsed
  | 'SsoLoginRequired'
  | 'MfaRequired' // MFA code was asked for and not given
  | 'ExpiredCredentials' // ExpiredToken / InvalidClientTokenId / signature problems
  | 'TokenAccessDenied' // codeartifact:GetAuthorizationToken / sts:GetServiceBearerToken
  | 'DomainNotFound'
  | 'ValidationFailed'
  | 'Throttled'
  | 'S3AccessDenied'
  | 'NoSuchBucket'
  | 'NoSuchKey'
  | 'ObjectTooLarge'
  | 'NotText'
  | 'ChangedSinceRead' // conditional write lost: the object changed after it was read; nothing was written
  | 'Network' // endpoint unreachable, DNS, connection refused
  | 'Timeout'
  | 'Cancelled'
  | 'MwaaAccessDenied' // airflow:ListEnvironments / GetEnvironment / UpdateEnvironment denied
  | 'EnvironmentNotFound'
  | 'BucketNotVersioned' // MWAA needs a versioned bucket; a write there would have no version to pin
  | 'NewerObjectVersion' // the object has a version newer than the one the environment pins
  | 'UpdateRejected' // UpdateEnvironment answered ValidationException / ConflictException
  | 'UpdateFailed' // the environment ended in UPDATE_FAILED (LastUpdate.Error)
  | 'Unexpected';

const BRAND = Symbol.for('codeartifact-token-refresher.RefresherError');

export class RefresherError extends Error {
  readonly [BRAND] = true;
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** What the person should do about it, one sentence. */
    readonly fix?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'RefresherError';
  }
}

export function isRefresherError(e: unknown): e is RefresherError {
  return typeof e === 'object' && e !== null && (e as Record<symbol, unknown>)[BRAND] === true;
}

/** Full sentence for a notification: message plus fix. */
export function describeError(e: unknown): string {
  if (isRefresherError(e)) return e.fix ? `${e.message} ${e.fix}` : e.message;
  return e instanceof Error ? e.message : String(e);
}
