import assert from 'node:assert/strict';
import { AccessDeniedException, ResourceNotFoundException, ThrottlingException, ValidationException } from '@aws-sdk/client-codeartifact';
import { NoSuchBucket, NoSuchKey } from '@aws-sdk/client-s3';
import { RefresherError, describeError, isRefresherError, type ErrorCode } from '../../../src/core/errors';
import { toRefresherError, type ErrorContext } from '../../../src/aws/errors';

const TOKEN = 'eyJzeW50aGV0aWMiOiJ0b2tlbiJ9.c3ludGhldGljLXBheWxvYWQtb25seQ.c2lnbmF0dXJl';
const SECRET = 'SyntheticSecretKeyForUnitTests0000000000';

const token: ErrorContext = { operation: 'getToken', profile: 'dev', domain: 'acme', domainOwner: '111122223333', region: 'eu-west-1', endpoint: 'https://codeartifact.eu-west-1.amazonaws.com' };
const read: ErrorContext = { operation: 'readObject', profile: 'ops', bucket: 'mwaa-env', key: 'requirements/codeartifact.txt', endpoint: 'http://127.0.0.1:7480' };
const write: ErrorContext = { ...read, operation: 'writeObject' };
const creds: ErrorContext = { ...token, operation: 'credentials' };

const meta = { $metadata: { httpStatusCode: 0 } };
function sdk(name: string, status: number, message = 'UnknownError', extra: Record<string, unknown> = {}) {
  return Object.assign(new Error(message), { name, Code: name, $fault: 'client', $metadata: { httpStatusCode: status, attempts: 1 }, ...extra });
}
function sys(code: string) {
  return Object.assign(new Error(`connect ${code} 127.0.0.1:1`), { code, $metadata: { attempts: 3 } });
}
function credErr(message: string) {
  return Object.assign(new Error(message), { name: 'CredentialsProviderError', tryNextLink: false });
}

interface Case {
  title: string;
  err: unknown;
  ctx: ErrorContext;
  code: ErrorCode;
  /** Every string must appear in message + fix. */
  mentions: string[];
}

const cases: Case[] = [
  { title: 'AccessDenied on the token call', err: new AccessDeniedException({ message: 'not authorized', ...meta }), ctx: token, code: 'TokenAccessDenied', mentions: ['codeartifact:GetAuthorizationToken', 'sts:GetServiceBearerToken', 'acme', '111122223333', 'dev'] },
  { title: 'AccessDenied on S3 read (radosgw shape)', err: sdk('AccessDenied', 403), ctx: read, code: 'S3AccessDenied', mentions: ['s3:GetObject', 'arn:aws:s3:::mwaa-env/requirements/codeartifact.txt', 'ops'] },
  { title: 'AccessDenied on S3 write', err: sdk('AccessDenied', 403), ctx: write, code: 'S3AccessDenied', mentions: ['s3:PutObject', 'arn:aws:s3:::mwaa-env/requirements/codeartifact.txt'] },
  { title: 'a bare 403 on S3 (HEAD has no body)', err: sdk('Forbidden', 403), ctx: read, code: 'S3AccessDenied', mentions: ['s3:GetObject'] },
  { title: 'NoSuchBucket', err: new NoSuchBucket({ message: 'UnknownError', ...meta }), ctx: read, code: 'NoSuchBucket', mentions: ['mwaa-env'] },
  { title: 'NoSuchKey', err: new NoSuchKey({ message: 'UnknownError', ...meta }), ctx: read, code: 'NoSuchKey', mentions: ['s3://mwaa-env/requirements/codeartifact.txt'] },
  { title: 'NotFound from HEAD', err: sdk('NotFound', 404), ctx: write, code: 'NoSuchKey', mentions: ['s3://mwaa-env/requirements/codeartifact.txt'] },
  { title: 'PreconditionFailed (412)', err: sdk('PreconditionFailed', 412), ctx: write, code: 'ChangedSinceRead', mentions: ['nothing was written'] },
  { title: 'ResourceNotFoundException (domain)', err: new ResourceNotFoundException({ message: 'Domain not found', ...meta }), ctx: token, code: 'DomainNotFound', mentions: ['acme', '111122223333', 'eu-west-1'] },
  { title: 'ValidationException', err: new ValidationException({ message: 'duration invalid', ...meta }), ctx: token, code: 'ValidationFailed', mentions: ['duration invalid'] },
  { title: 'ThrottlingException after retries', err: Object.assign(new ThrottlingException({ message: 'slow down', ...meta }), { $metadata: { httpStatusCode: 429, attempts: 3 } }), ctx: token, code: 'Throttled', mentions: ['3 attempts', 'try again'] },
  { title: 'S3 SlowDown', err: sdk('SlowDown', 503), ctx: write, code: 'Throttled', mentions: ['try again'] },
  ...['ExpiredToken', 'ExpiredTokenException', 'InvalidClientTokenId', 'UnrecognizedClientException', 'SignatureDoesNotMatch', 'InvalidAccessKeyId'].map(
    (name): Case => ({ title: name, err: sdk(name, 403), ctx: token, code: 'ExpiredCredentials', mentions: ['"dev"', name, 'aws sso login --profile dev'] }),
  ),
  { title: 'SSO profile without a session', err: credErr("The SSO session token associated with profile=sso-user was not found or is invalid. To refresh this SSO session run 'aws sso login' with the corresponding profile."), ctx: { ...creds, profile: 'sso-user' }, code: 'SsoLoginRequired', mentions: ['aws sso login --profile sso-user'] },
  { title: 'SSO session expired', err: credErr('The SSO session associated with this profile has expired. To refresh this SSO session run aws sso login with the corresponding profile.'), ctx: { ...creds, profile: 'sso-user' }, code: 'SsoLoginRequired', mentions: ['aws sso login --profile sso-user'] },
  { title: 'unknown profile (process provider wording)', err: credErr('Profile nope could not be found in shared credentials file.'), ctx: { ...creds, profile: 'nope' }, code: 'UnknownProfile', mentions: ['"nope"'] },
  { title: 'unknown profile (ini provider wording)', err: credErr('Could not resolve credentials using profile: [nope] in configuration/credentials file(s).'), ctx: { ...creds, profile: 'nope' }, code: 'UnknownProfile', mentions: ['"nope"'] },
  { title: 'SSO session revoked by the portal (401 UnauthorizedException from GetRoleCredentials)', err: credErr('UnauthorizedException: Session token not found or invalid'), ctx: { ...creds, profile: 'sso-user' }, code: 'SsoLoginRequired', mentions: ['"sso-user"', 'aws sso login --profile sso-user'] },
  { title: 'no credentials at all', err: credErr('Could not load credentials from any providers'), ctx: creds, code: 'NoCredentials', mentions: ['"dev"', 'aws configure --profile dev'] },
  { title: 'MFA code not given', err: credErr('Profile mfa-admin requires multi-factor authentication, but no MFA code callback was provided.'), ctx: { ...creds, profile: 'mfa-admin' }, code: 'MfaRequired', mentions: ['"mfa-admin"', 'MFA'] },
  { title: 'MFA code refused by STS', err: sdk('AccessDenied', 403, 'MultiFactorAuthentication failed with invalid MFA one time pass code.'), ctx: { ...creds, profile: 'mfa-admin' }, code: 'MfaRequired', mentions: ['not accepted'] },
  { title: 'AssumeRole denied', err: sdk('AccessDenied', 403, 'not authorized to perform sts:AssumeRole'), ctx: { ...creds, profile: 'deployer' }, code: 'NoCredentials', mentions: ['sts:AssumeRole', 'deployer'] },
  { title: 'expired source keys while assuming a role', err: sdk('InvalidClientTokenId', 403), ctx: { ...creds, profile: 'deployer' }, code: 'ExpiredCredentials', mentions: ['"deployer"'] },
  ...['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ECONNRESET'].map(
    (code): Case => ({ title: code, err: sys(code), ctx: token, code: 'Network', mentions: ['codeartifact.eu-west-1.amazonaws.com', code] }),
  ),
  { title: 'ECONNREFUSED inside an AggregateError (happy eyeballs)', err: Object.assign(new AggregateError([sys('ECONNREFUSED'), sys('ECONNREFUSED')]), { code: 'ECONNREFUSED' }), ctx: read, code: 'Network', mentions: ['127.0.0.1:7480'] },
  { title: 'ECONNREFUSED as a cause', err: Object.assign(new Error('fetch failed'), { cause: sys('ECONNREFUSED') }), ctx: read, code: 'Network', mentions: ['127.0.0.1:7480'] },
  { title: 'TimeoutError from the http handler', err: Object.assign(new Error('socket did not establish a connection'), { name: 'TimeoutError' }), ctx: read, code: 'Timeout', mentions: ['127.0.0.1:7480'] },
  { title: 'ETIMEDOUT', err: sys('ETIMEDOUT'), ctx: token, code: 'Timeout', mentions: ['codeartifact.eu-west-1.amazonaws.com'] },
  { title: 'AbortError', err: Object.assign(new Error('Request aborted'), { name: 'AbortError' }), ctx: token, code: 'Cancelled', mentions: ['acme'] },
  { title: 'any error after the signal fired', err: sys('ECONNRESET'), ctx: { ...read, aborted: true }, code: 'Cancelled', mentions: ['mwaa-env'] },
  { title: 'something else', err: sdk('InternalError', 500), ctx: read, code: 'Unexpected', mentions: ['InternalError', 'HTTP 500'] },
];

describe('aws/errors toRefresherError', () => {
  for (const c of cases) {
    it(`${c.title} -> ${c.code}`, () => {
      const e = toRefresherError(c.err, c.ctx);
      assert.ok(isRefresherError(e));
      assert.equal(e.code, c.code, `message was: ${e.message}`);
      const text = `${e.message} ${e.fix ?? ''}`;
      for (const m of c.mentions) assert.ok(text.includes(m), `"${text}" should mention ${m}`);
      assert.ok(!text.includes('UnknownError'), 'radosgw placeholder message leaked');
    });
  }

  it('never carries a token or secret key from the SDK message', () => {
    const leaky = sdk('InternalError', 500, `bad request https://aws:${TOKEN}@acme-111122223333.d.codeartifact.eu-west-1.amazonaws.com/pypi/x/simple/ key ${SECRET}`);
    const e = toRefresherError(leaky, { ...token, redact: (t) => t });
    const text = `${e.message} ${e.fix ?? ''}`;
    assert.ok(!text.includes(TOKEN), 'token leaked');
    assert.ok(!text.includes(SECRET), 'secret leaked');
    const withSecrets = toRefresherError(credErr(`bad profile: ${TOKEN}`), { ...creds, redact: (t) => t.split(TOKEN).join('***') });
    assert.ok(!textOf(withSecrets).includes(TOKEN), 'token leaked from a credentials message');
  });

  it('message and fix read as separate sentences (period and space), whatever the SDK message ends with', () => {
    for (const [err, ctx] of [
      [credErr('Could not load credentials from any providers'), creds],
      [credErr('Session token not found or invalid'), { ...creds, profile: 'sso-user' }],
      [credErr('UnauthorizedException: Session token not found or invalid'), { ...creds, profile: 'sso-user' }],
      [credErr('The SSO session associated with this profile has expired.'), { ...creds, profile: 'sso-user' }],
    ] as [unknown, ErrorContext][]) {
      const e = toRefresherError(err, ctx);
      const text = describeError(e);
      assert.match(e.message, /[.!?]$/, `message does not end a sentence: ${e.message}`);
      assert.ok(text.includes(`${e.message} ${e.fix}`), 'message and fix are joined by one space');
      assert.ok(!/[^.!?] (Run|Configure|Pick)\b/.test(text), `two sentences run together: ${text}`);
    }
  });

  it('passes a RefresherError through unchanged', () => {
    const original = new RefresherError('MfaRequired', 'x');
    assert.equal(toRefresherError(original, creds), original);
  });
});

function textOf(e: RefresherError): string {
  return `${e.message} ${e.fix ?? ''}`;
}
