/**
 * SDK errors -> RefresherError a person can act on. Maps on `name` / `Code` / `code` / HTTP status, never on the
 * message (radosgw answers with message "UnknownError"). Every message passes through `redact`.
 */
import { RefresherError, isRefresherError, type ErrorCode } from '../core/errors';
import { redactPatterns } from './redaction';

export type AwsOperation = 'credentials' | 'getToken' | 'readObject' | 'writeObject';

export interface ErrorContext {
  operation: AwsOperation;
  profile: string;
  /** CodeArtifact. */
  domain?: string;
  domainOwner?: string;
  region?: string;
  /** S3. */
  bucket?: string;
  key?: string;
  /** The S3 actions the call needs, when more than the operation's own (a tagged object's write: s3:PutObjectTagging). */
  s3Actions?: string;
  /** The endpoint (URL or host) the call went to, for network errors. */
  endpoint?: string;
  /** Whether the caller's AbortSignal fired (an abort can surface as other errors). */
  aborted?: boolean;
  redact?: (text: string) => string;
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'EPIPE', 'ENETDOWN', 'EHOSTDOWN']);
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ESOCKETTIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT']);
const THROTTLING = new Set(['ThrottlingException', 'Throttling', 'ThrottledException', 'SlowDown', 'TooManyRequestsException', 'RequestLimitExceeded', 'RequestThrottled', 'RequestThrottledException', 'ProvisionedThroughputExceededException']);
const BAD_CREDENTIALS = new Set(['ExpiredToken', 'ExpiredTokenException', 'InvalidClientTokenId', 'UnrecognizedClientException', 'SignatureDoesNotMatch', 'InvalidAccessKeyId', 'InvalidSignatureException', 'InvalidToken', 'TokenRefreshRequired', 'RequestExpired']);
const ACCESS_DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'Forbidden', 'AllAccessDisabled']);

interface ErrorShape {
  name?: string;
  Code?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number; attempts?: number };
  $response?: { statusCode?: number };
  cause?: unknown;
  errors?: unknown[];
}

function shape(e: unknown): ErrorShape {
  return typeof e === 'object' && e !== null ? (e as ErrorShape) : { message: String(e) };
}

/** The first system error code (ECONNREFUSED...) on the error, its cause chain or an AggregateError's parts. */
export function systemCode(e: unknown, depth = 0): string | undefined {
  if (depth > 4 || typeof e !== 'object' || e === null) return undefined;
  const s = shape(e);
  if (typeof s.code === 'string' && /^E[A-Z_]+$|^UND_ERR/.test(s.code)) return s.code;
  for (const inner of [s.cause, ...(Array.isArray(s.errors) ? s.errors : [])]) {
    const c = systemCode(inner, depth + 1);
    if (c) return c;
  }
  return undefined;
}

function hostOf(endpoint: string | undefined): string {
  if (!endpoint) return 'the AWS endpoint';
  try {
    return new URL(endpoint).host;
  } catch {
    return endpoint;
  }
}

export function toRefresherError(err: unknown, ctx: ErrorContext): RefresherError {
  if (isRefresherError(err)) return err;
  const s = shape(err);
  const redact = (t: string) => redactPatterns(ctx.redact ? ctx.redact(t) : t);
  const make = (code: ErrorCode, message: string, fix?: string) =>
    new RefresherError(code, redact(message), fix === undefined ? undefined : redact(fix), { cause: err });
  const name = s.name ?? '';
  const awsCode = s.Code ?? (typeof s.code === 'string' && !/^E[A-Z_]+$/.test(s.code) ? s.code : undefined) ?? name;
  const status = s.$metadata?.httpStatusCode ?? s.$response?.statusCode;
  const p = ctx.profile;
  const what = describeTarget(ctx);
  const attempts = s.$metadata?.attempts;

  if (name === 'AbortError' || ctx.aborted) return make('Cancelled', `Cancelled: ${what}.`);

  const sys = systemCode(err);
  if (name === 'TimeoutError' || (sys && TIMEOUT_CODES.has(sys))) {
    return make('Timeout', `No answer from ${hostOf(ctx.endpoint)} in time (${what}).`, 'Check the network connection, VPN or proxy, then try again.');
  }
  if (sys && NETWORK_CODES.has(sys)) {
    return make('Network', `Cannot reach ${hostOf(ctx.endpoint)} (${sys}) for ${what}.`, 'Check the network connection, VPN or proxy, and any endpoint_url / AWS_ENDPOINT_URL setting, then try again.');
  }

  if (name === 'CredentialsProviderError' || ctx.operation === 'credentials') {
    const credential = credentialError(s.message ?? '', p, make, name, awsCode);
    if (credential) return credential;
  }

  if (BAD_CREDENTIALS.has(awsCode)) {
    return make('ExpiredCredentials', `The credentials of profile "${p}" were rejected (${awsCode}): they are invalid or expired.`,
      `Renew them (for an SSO profile run \`aws sso login --profile ${p}\`; otherwise update the keys in the credentials file), then try again.`);
  }
  if (THROTTLING.has(awsCode) || status === 429 || (status === 503 && awsCode === 'SlowDown')) {
    return make('Throttled', `AWS throttled ${what}${attempts ? ` (${attempts} attempts)` : ''}.`, 'Wait a minute and try again.');
  }
  if (ACCESS_DENIED.has(awsCode) || (status === 403 && !awsCode.endsWith('Exception') && awsCode !== 'PreconditionFailed')) {
    if (ctx.operation === 'getToken') {
      return make('TokenAccessDenied', `Profile "${p}" may not get a CodeArtifact token for domain "${ctx.domain}" (owner ${ctx.domainOwner}).`,
        'Its IAM policy needs codeartifact:GetAuthorizationToken on that domain and sts:GetServiceBearerToken (condition sts:AWSServiceName = codeartifact.amazonaws.com); use a profile that has them.');
    }
    if (ctx.operation === 'readObject' || ctx.operation === 'writeObject') {
      const action = ctx.s3Actions ?? (ctx.operation === 'readObject' ? 's3:GetObject' : 's3:PutObject');
      return make('S3AccessDenied', `Profile "${p}" may not ${ctx.operation === 'readObject' ? 'read' : 'write'} arn:aws:s3:::${ctx.bucket}/${ctx.key}.`,
        `Its IAM policy (and the bucket policy / KMS key policy) must allow ${action} on arn:aws:s3:::${ctx.bucket}/${ctx.key}; use a profile that has it.`);
    }
  }
  if (awsCode === 'NoSuchBucket') {
    return make('NoSuchBucket', `Bucket "${ctx.bucket}" does not exist (or is not visible to profile "${p}").`, 'Check the bucket name in the S3 location.');
  }
  if (awsCode === 'NoSuchKey' || (awsCode === 'NotFound' && ctx.bucket)) {
    return make('NoSuchKey', `Object s3://${ctx.bucket}/${ctx.key} does not exist.`, 'Check the key in the S3 location (keys are case-sensitive).');
  }
  if (awsCode === 'PreconditionFailed' || status === 412) {
    return make('ChangedSinceRead', `s3://${ctx.bucket}/${ctx.key} changed after it was read; nothing was written.`, 'Refresh again to see the current content.');
  }
  if (awsCode === 'ResourceNotFoundException') {
    return make('DomainNotFound', `CodeArtifact domain "${ctx.domain}" (owner ${ctx.domainOwner}) was not found in ${ctx.region}.`,
      'Check the domain, the owner account and the region in the URL, and that profile "' + p + '" belongs to an account that can see the domain.');
  }
  if (awsCode === 'ValidationException' || awsCode === 'InvalidRequest' || awsCode === 'InvalidArgument') {
    return make('ValidationFailed', `AWS rejected the request for ${what}: ${s.message && s.message !== 'UnknownError' ? s.message : awsCode}.`,
      'Check the domain name, owner account (12 digits) and duration.');
  }
  const label = awsCode && awsCode !== 'Error' ? awsCode : 'error';
  return make('Unexpected', `${what} failed (${label}${status ? `, HTTP ${status}` : ''})${s.message && s.message !== 'UnknownError' ? `: ${s.message}` : ''}.`);
}

function credentialError(
  message: string,
  p: string,
  make: (code: ErrorCode, message: string, fix?: string) => RefresherError,
  name: string,
  awsCode: string,
): RefresherError | undefined {
  if (ACCESS_DENIED.has(awsCode) && /multi-?factor/i.test(message)) {
    return make('MfaRequired', `The MFA code for profile "${p}" was not accepted.`, 'Run the command again with a fresh code from your MFA device.');
  }
  if (/multi-?factor/i.test(message)) {
    return make('MfaRequired', `Profile "${p}" needs an MFA code and none was given.`, 'Run the command again and enter the code from your MFA device.');
  }
  // GetRoleCredentials answers 401 UnauthorizedException ("Session token not found or invalid") when the portal has
  // revoked the session or the token belongs to another region's portal; fromSSO wraps it as "UnauthorizedException: ...".
  if (awsCode === 'UnauthorizedException' || /^UnauthorizedException\b|Session token not found or invalid/.test(message)) {
    return make('SsoLoginRequired', `The SSO session of profile "${p}" was refused by the IAM Identity Center portal (expired or signed out).`,
      `Run \`aws sso login --profile ${p}\` in a terminal, then try again.`);
  }
  if (/\bSSO\b|sso login|sso_/i.test(message)) {
    return make('SsoLoginRequired', `Profile "${p}" has no valid SSO session.`, `Run \`aws sso login --profile ${p}\` in a terminal, then try again.`);
  }
  if (/could not be found|was not found\.|Could not resolve credentials using profile/i.test(message) && message.includes(p)) {
    return make('UnknownProfile', `Profile "${p}" was not found in the AWS config or credentials file, or has no credentials.`,
      'Pick another profile, or add it with `aws configure --profile ' + p + '`.');
  }
  if (ACCESS_DENIED.has(awsCode)) {
    return make('NoCredentials', `Profile "${p}" could not assume its role (sts:AssumeRole was denied).`,
      'Check role_arn and source_profile (and the MFA code) in the AWS config file, and the role\'s trust policy.');
  }
  if (BAD_CREDENTIALS.has(awsCode)) return undefined; // handled by the caller's general mapping
  if (name === 'CredentialsProviderError' || /credential/i.test(message)) {
    return make('NoCredentials', `No usable credentials for profile "${p}": ${sentence(message)}`, `Configure the profile (\`aws configure --profile ${p}\` or \`aws sso login --profile ${p}\`), then try again.`);
  }
  return undefined;
}

/** Ends `text` as a sentence, so the fix that follows it in a notification reads as the next one. */
function sentence(text: string): string {
  const t = text.trim();
  return /[.!?]$/.test(t) ? t : `${t}.`;
}

function describeTarget(ctx: ErrorContext): string {
  switch (ctx.operation) {
    case 'getToken':
      return `the CodeArtifact token for ${ctx.domain}-${ctx.domainOwner} (${ctx.region}, profile "${ctx.profile}")`;
    case 'readObject':
      return `reading s3://${ctx.bucket}/${ctx.key} (profile "${ctx.profile}")`;
    case 'writeObject':
      return `writing s3://${ctx.bucket}/${ctx.key} (profile "${ctx.profile}")`;
    case 'credentials':
      return `loading credentials for profile "${ctx.profile}"`;
  }
}
