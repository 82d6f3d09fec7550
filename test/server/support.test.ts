/**
 * Self-tests of the local servers every other tier relies on (test/support): if these fail, nothing else can be trusted.
 * Tokens are never passed to assert.equal & co (their failure messages print values): compare with assert.ok.
 */
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import { promisify } from 'node:util';
import { CodeartifactClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-codeartifact';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { fromIni } from '@aws-sdk/credential-providers';
import { HttpRequest } from '@smithy/protocol-http';
import type { AwsCredentialIdentity } from '@smithy/types';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';
import { getSandbox } from './fixture';
import { Sandbox, SANDBOX_ACCOUNT_ID, SANDBOX_MFA_CODE, SEED, sandboxProcessEnv } from '../support/sandbox';
import { startLatencyProxy } from '../support/servers/latencyProxy';

const execFileP = promisify(execFile);

describe('test/support servers', function () {
  this.timeout(120_000);
  let sb: Sandbox;
  const savedEnv: Record<string, string | undefined> = {};

  before(async function () {
    sb = await getSandbox();
    // fromIni's STS client reads AWS_ENDPOINT_URL_STS from the process environment, as the product will.
    for (const [k, v] of Object.entries(sb.env)) {
      savedEnv[k] = process.env[k];
      process.env[k] = v;
    }
  });
  after(function () {
    for (const [k, v] of Object.entries(savedEnv)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });
  beforeEach(function () {
    sb?.codeartifact.reset();
    sb?.sts.reset();
  });

  const profileCreds = (profile: string, extra: Parameters<typeof fromIni>[0] = {}) =>
    fromIni({ profile, filepath: sb.credentialsFile, configFilepath: sb.configFile, ...extra });
  const ca = (credentials: AwsCredentialIdentity | ReturnType<typeof fromIni>, region = 'us-east-1') =>
    new CodeartifactClient({ region, endpoint: sb.endpoints.codeartifact, credentials, maxAttempts: 3 });
  const getToken = (client: CodeartifactClient, domain: string = SEED.domain, opts: { abortSignal?: AbortSignal } = {}) =>
    client.send(new GetAuthorizationTokenCommand({ domain, domainOwner: SANDBOX_ACCOUNT_ID, durationSeconds: 900 }), opts);
  const s3 = (credentials: AwsCredentialIdentity | ReturnType<typeof fromIni>) => new S3Client({ region: 'us-east-1', endpoint: sb.endpoints.s3, forcePathStyle: true, credentials });

  describe('CodeArtifact stub', function () {
    it('accepts the SDK signature, records which profile key signed, issues real-shaped unique tokens', async function () {
      const dev = await getToken(ca(profileCreds('dev')));
      const ops = await getToken(ca(profileCreds('ops'), 'eu-west-1'));
      assert.equal(sb.codeartifact.calls.length, 2);
      assert.deepEqual(
        sb.codeartifact.calls.map((c) => [c.accessKeyId, c.region, c.domain, c.domainOwner, c.duration, c.ok]),
        [
          [sb.profiles.dev.accessKeyId, 'us-east-1', SEED.domain, SANDBOX_ACCOUNT_ID, 900, true],
          [sb.profiles.ops.accessKeyId, 'eu-west-1', SEED.domain, SANDBOX_ACCOUNT_ID, 900, true],
        ],
      );
      assert.ok(dev.authorizationToken && ops.authorizationToken && dev.authorizationToken !== ops.authorizationToken, 'tokens must be present and unique');
      assert.ok(sb.codeartifact.issuedTokens.includes(dev.authorizationToken), 'issued token recorded');
      const segments = dev.authorizationToken.split('.');
      assert.equal(segments.length, 5);
      assert.ok(segments.every((s) => /^[A-Za-z0-9_-]+$/.test(s)), 'segments are base64url');
      const header = JSON.parse(Buffer.from(segments[0], 'base64url').toString()) as Record<string, unknown>;
      assert.deepEqual(Object.keys(header).sort(), ['alg', 'enc', 'exp', 'isu', 'iv', 'tag', 'ver']);
      const expSec = Math.round(dev.expiration!.getTime() / 1000);
      assert.equal(header.exp, expSec);
      assert.ok(Math.abs(expSec - Date.now() / 1000 - 900) < 5, 'expiration = now + duration');
    });

    it('rejects a wrong secret (InvalidSignatureException), an unknown key and an unsigned request', async function () {
      const wrong = ca({ accessKeyId: sb.profiles.dev.accessKeyId!, secretAccessKey: 'not-the-secret' });
      await assert.rejects(getToken(wrong), (e: Error & { $metadata?: { httpStatusCode?: number } }) => e.name === 'InvalidSignatureException' && e.$metadata?.httpStatusCode === 403);
      const unknown = ca({ accessKeyId: 'AKIAUNKNOWN000000000', secretAccessKey: 'whatever' });
      await assert.rejects(getToken(unknown), { name: 'UnrecognizedClientException' });
      const unsigned = await fetch(`${sb.endpoints.codeartifact}/v1/authorization-token?domain=${SEED.domain}&domain-owner=${SANDBOX_ACCOUNT_ID}`, { method: 'POST' });
      assert.equal(unsigned.status, 403);
      assert.equal(unsigned.headers.get('x-amzn-errortype'), 'UnrecognizedClientException');
      assert.deepEqual(sb.codeartifact.calls.map((c) => c.ok), [false, false, false]);
      assert.equal(sb.codeartifact.issuedTokens.length, 0);
    });

    it('gives awscli (an independent client) a token for the dev profile', async function () {
      const env = sandboxProcessEnv(sb, { PATH: process.env.PATH, HOME: sb.dir });
      const { stdout } = await execFileP('/usr/bin/aws', ['codeartifact', 'get-authorization-token', '--profile', 'dev', '--domain', SEED.domain, '--domain-owner', SANDBOX_ACCOUNT_ID, '--endpoint-url', sb.endpoints.codeartifact, '--query', 'authorizationToken', '--output', 'text'], { env });
      assert.ok(sb.codeartifact.issuedTokens.includes(stdout.trim()), 'awscli printed a token the stub issued');
      assert.equal(sb.codeartifact.calls[0].accessKeyId, sb.profiles.dev.accessKeyId);
    });

    it('plays per-domain behaviours: errors, throttling then success, expiration override, hang', async function () {
      const client = ca(profileCreds('dev'));
      sb.codeartifact.setBehavior('gone', { kind: 'notFound' });
      sb.codeartifact.setBehavior('locked', { kind: 'accessDenied' });
      await assert.rejects(getToken(client, 'gone'), { name: 'ResourceNotFoundException' });
      await assert.rejects(getToken(client, 'locked'), { name: 'AccessDeniedException' });
      sb.codeartifact.setBehavior('busy', { kind: 'throttle', times: 1 });
      await getToken(client, 'busy'); // the SDK retries the 429
      assert.deepEqual(sb.codeartifact.calls.filter((c) => c.domain === 'busy').map((c) => c.status), [429, 200]);
      sb.codeartifact.setBehavior('short', { kind: 'expiresIn', seconds: 300 });
      const short = await getToken(client, 'short');
      assert.ok(Math.abs(short.expiration!.getTime() - Date.now() - 300_000) < 5_000, 'expires in 5 minutes');
      sb.codeartifact.setBehavior('stuck', { kind: 'hang' });
      const abort = new AbortController();
      const pending = getToken(client, 'stuck', { abortSignal: abort.signal });
      await sb.codeartifact.waitForCalls(sb.codeartifact.calls.length + 1);
      abort.abort();
      await assert.rejects(pending, { name: 'AbortError' });
    });
  });

  describe('STS stub and role profiles (fromIni through AWS_ENDPOINT_URL_STS)', function () {
    it('resolves a role profile (source_profile + role_arn) to temporary keys the CodeArtifact stub accepts', async function () {
      const creds = await profileCreds('deployer')();
      assert.match(creds.accessKeyId, /^ASIA/);
      assert.ok(creds.sessionToken, 'session token present');
      assert.equal(sb.sts.calls.length, 1);
      assert.equal(sb.sts.calls[0].accessKeyId, sb.profiles.dev.accessKeyId, 'dev (the source profile) signed AssumeRole');
      assert.equal(sb.sts.calls[0].roleArn, sb.profiles.deployer.roleArn);
      await getToken(ca(creds));
      assert.equal(sb.codeartifact.calls[0].accessKeyId, creds.accessKeyId);
      assert.equal(sb.codeartifact.calls[0].sessionToken, true);
      // An expired session is refused like the real service does.
      sb.sts.expireSession(creds.accessKeyId);
      await assert.rejects(getToken(ca(creds)), { name: 'ExpiredTokenException' });
    });

    it('requires the MFA code for mfa-admin: right code works, wrong code is AccessDenied', async function () {
      const ok = await profileCreds('mfa-admin', { mfaCodeProvider: async () => SANDBOX_MFA_CODE })();
      assert.match(ok.accessKeyId, /^ASIA/);
      assert.equal(sb.sts.calls[0].serialNumber, sb.profiles['mfa-admin'].mfaSerial);
      assert.equal(sb.sts.calls[0].accessKeyId, sb.profiles.ops.accessKeyId);
      await assert.rejects(profileCreds('mfa-admin', { mfaCodeProvider: async () => '000000' })(), (e: Error) => /AccessDenied|not authorized/.test(`${e.name} ${e.message}`));
      assert.deepEqual(sb.sts.calls.map((c) => [c.mfaCodeGiven, c.ok, c.errorCode]), [
        [true, true, undefined],
        [true, false, 'AccessDenied'],
      ]);
    });

    it('answers GetCallerIdentity (query protocol, SigV4) with the signer and refuses a bad signature', async function () {
      const call = async (secretAccessKey: string) => {
        const url = new URL(sb.endpoints.sts);
        const body = 'Action=GetCallerIdentity&Version=2011-06-15';
        const req = new HttpRequest({ method: 'POST', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: '/', body,
          headers: { host: url.host, 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' } });
        const signer = new SignatureV4({ service: 'sts', region: 'us-east-1', sha256: Sha256, credentials: { accessKeyId: sb.profiles.dev.accessKeyId!, secretAccessKey } });
        const signed = await signer.sign(req);
        const res = await fetch(sb.endpoints.sts, { method: 'POST', headers: signed.headers, body });
        return { status: res.status, text: await res.text() };
      };
      const secret = /aws_secret_access_key = (\S+)/.exec(fs.readFileSync(sb.credentialsFile, 'utf8').split('[dev]')[1])![1];
      const ok = await call(secret);
      assert.equal(ok.status, 200);
      assert.match(ok.text, /<Arn>arn:aws:iam::111122223333:user\/dev<\/Arn>/);
      const bad = await call('wrong');
      assert.equal(bad.status, 403);
      assert.match(bad.text, /<Code>SignatureDoesNotMatch<\/Code>/);
    });

    it('resolves credential_process, and the SSO profile without a cached token fails', async function () {
      const proc = await profileCreds('proc')();
      assert.equal(proc.accessKeyId, sb.profiles.proc.accessKeyId);
      await assert.rejects(profileCreds('sso-user')(), (e: Error) => /sso/i.test(e.message));
    });
  });

  describe('S3 through the If-Match proxy (radosgw, versioned bucket)', function () {
    const key = 'tests/support/conditional.txt';

    it('a matching quoted ETag wins, a stale one gets 412, a missing key 404; the seeded metadata is there', async function () {
      const client = s3(profileCreds('dev'));
      const first = await client.send(new PutObjectCommand({ Bucket: sb.bucket, Key: key, Body: 'v1\n' }));
      assert.match(first.ETag ?? '', /^"[0-9a-f]+"$/);
      const second = await client.send(new PutObjectCommand({ Bucket: sb.bucket, Key: key, Body: 'v2\n', IfMatch: first.ETag }));
      assert.ok(second.VersionId && second.VersionId !== first.VersionId, 'a new version was written');
      await assert.rejects(client.send(new PutObjectCommand({ Bucket: sb.bucket, Key: key, Body: 'v3\n', IfMatch: first.ETag })), (e: Error & { $metadata?: { httpStatusCode?: number } }) => e.name === 'PreconditionFailed' && e.$metadata?.httpStatusCode === 412);
      await assert.rejects(client.send(new PutObjectCommand({ Bucket: sb.bucket, Key: 'tests/support/absent.txt', Body: 'x', IfMatch: first.ETag })), { name: 'NoSuchKey' });
      await assert.rejects(client.send(new PutObjectCommand({ Bucket: sb.bucket, Key: key, Body: 'x', IfNoneMatch: '*' })), (e: Error & { $metadata?: { httpStatusCode?: number } }) => e.$metadata?.httpStatusCode === 412);
      const fresh = `tests/support/fresh-${Date.now()}.txt`;
      await client.send(new PutObjectCommand({ Bucket: sb.bucket, Key: fresh, Body: 'new', IfNoneMatch: '*' }));
      const got = await client.send(new GetObjectCommand({ Bucket: sb.bucket, Key: key }));
      assert.equal(await got.Body!.transformToString(), 'v2\n');
      assert.ok(sb.s3proxy.conditionalPuts >= 5 && sb.s3proxy.preconditionFailures >= 2, 'proxy counted the conditional PUTs');
      const meta = await client.send(new HeadObjectCommand({ Bucket: sb.bucket, Key: SEED.metadataKey }));
      assert.equal(meta.CacheControl, 'no-cache, max-age=0');
      assert.deepEqual(meta.Metadata, { owner: 'data-team', purpose: 'pip-config' });
      if (sb.sseKms) assert.equal(meta.ServerSideEncryption, 'aws:kms');
    });

    it('4 concurrent writers with the same ETag: exactly one wins, every round', async function () {
      const clients = ['dev', 'ops', 'default', 'proc'].map((p) => s3(profileCreds(p)));
      let etag = (await clients[0].send(new PutObjectCommand({ Bucket: sb.bucket, Key: key, Body: 'round 0\n' }))).ETag!;
      for (let round = 1; round <= 5; round++) {
        const results = await Promise.allSettled(clients.map((c, i) => c.send(new PutObjectCommand({ Bucket: sb.bucket, Key: key, Body: `round ${round} writer ${i}\n`, IfMatch: etag }))));
        const won = results.filter((r) => r.status === 'fulfilled');
        const lost = results.filter((r) => r.status === 'rejected' && (r.reason as Error).name === 'PreconditionFailed');
        assert.equal(won.length, 1, `round ${round}: winners`);
        assert.equal(lost.length, 3, `round ${round}: 412s`);
        etag = (won[0] as PromiseFulfilledResult<{ ETag?: string }>).value.ETag!;
        const now = await clients[0].send(new HeadObjectCommand({ Bucket: sb.bucket, Key: key }));
        assert.equal(now.ETag, etag, `round ${round}: the winner's body is what is stored`);
      }
    });

    it('a role profile (temporary keys) reads and conditionally writes through the proxy', async function () {
      const client = s3(profileCreds('deployer'));
      const got = await client.send(new GetObjectCommand({ Bucket: sb.bucket, Key: SEED.codeartifactKey }));
      const text = await got.Body!.transformToString();
      assert.ok(text.includes(sb.seedTokens.primary), 'seeded object holds the seed token');
      const put = await client.send(new PutObjectCommand({ Bucket: sb.bucket, Key: key, Body: 'by role\n' }));
      await client.send(new PutObjectCommand({ Bucket: sb.bucket, Key: key, Body: 'by role 2\n', IfMatch: put.ETag }));
      const creds = await profileCreds('deployer')();
      sb.sts.expireSession(creds.accessKeyId);
      await assert.rejects(s3(creds).send(new HeadObjectCommand({ Bucket: sb.bucket, Key: key })), (e: Error & { $metadata?: { httpStatusCode?: number } }) => e.$metadata?.httpStatusCode === 400);
      await assert.rejects(s3(creds).send(new GetObjectCommand({ Bucket: sb.bucket, Key: key })), { name: 'ExpiredToken' });
    });
  });

  describe('latency proxy', function () {
    it('adds the configured latency per round trip and counts requests', async function () {
      const target = http.createServer((_req, res) => res.end('ok'));
      await new Promise<void>((r) => target.listen(0, '127.0.0.1', () => r()));
      const port = (target.address() as { port: number }).port;
      const proxy = await startLatencyProxy({ target: `http://127.0.0.1:${port}`, latencyMs: 120 });
      try {
        const t0 = Date.now();
        const res = await fetch(proxy.endpoint + '/x');
        assert.equal(await res.text(), 'ok');
        assert.ok(Date.now() - t0 >= 115, `round trip took ${Date.now() - t0} ms`);
        await fetch(proxy.endpoint + '/y').then((r) => r.text());
        assert.equal(proxy.requests, 2);
      } finally {
        await proxy.stop();
        await new Promise((r) => target.close(r));
      }
    });
  });
});
