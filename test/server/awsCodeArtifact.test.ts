/** The AWS layer's GetAuthorizationToken against the signed CodeArtifact stub and the STS stub, per profile kind. */
import assert from 'node:assert/strict';
import { createAwsServices } from '../../src/aws';
import type { AwsServices, TokenRequest } from '../../src/aws/api';
import { SANDBOX_ACCOUNT_ID, SANDBOX_MFA_CODE, SANDBOX_MFA_SERIAL, SEED, ROLE_DEPLOYER_ARN, ROLE_MFA_ADMIN_ARN, type Sandbox } from '../support/sandbox';
import { getSandbox } from './fixture';
import { assertNoSecrets, closedPort, refresherCode } from './awsHelpers';

describe('aws layer: CodeArtifact tokens (signed stub, STS stub)', function () {
  this.timeout(60_000);
  let sb: Sandbox;
  let services: AwsServices;
  const lines: string[] = [];
  const req = (domain: string = SEED.domain, region: string = SEED.region): TokenRequest => ({ domain, domainOwner: SANDBOX_ACCOUNT_ID, region });
  const callsFor = (domain: string) => sb.codeartifact.calls.filter((c) => c.domain === domain);

  before(async function () {
    this.timeout(120_000);
    sb = await getSandbox();
    services = createAwsServices({ env: sb.env, log: (l) => lines.push(l), mfaCodeProvider: async () => SANDBOX_MFA_CODE });
  });
  after(() => {
    services?.dispose();
    assertNoSecrets(lines, [...sb.codeartifact.issuedTokens, 'sandbox/dev/secret', 'sandbox/ops/secret', 'sandbox/proc/secret']);
  });

  it('signs with the chosen profile\'s key (dev vs ops) and the URL\'s region, returning the service\'s expiration', async () => {
    const dev = await services.getToken(req('sign-dev'), { profile: 'dev', durationSeconds: 3600 });
    const ops = await services.getToken(req('sign-ops', 'eu-west-1'), { profile: 'ops', durationSeconds: 43200 });
    const [cDev] = callsFor('sign-dev');
    const [cOps] = callsFor('sign-ops');
    assert.equal(cDev.accessKeyId, sb.profiles.dev.accessKeyId);
    assert.equal(cOps.accessKeyId, sb.profiles.ops.accessKeyId);
    assert.equal(cDev.region, 'us-east-1');
    assert.equal(cOps.region, 'eu-west-1');
    assert.equal(cDev.duration, 3600);
    assert.ok(sb.codeartifact.issuedTokens.includes(dev.token) && sb.codeartifact.issuedTokens.includes(ops.token), 'tokens not issued by the stub');
    const devLeft = (dev.expiration.getTime() - cDev.at.getTime()) / 1000;
    assert.ok(devLeft > 3590 && devLeft <= 3601, `expiration ${devLeft}s from the call`);
  });

  it('role profile: AssumeRole at the STS stub with the source profile\'s key, then signs with the temporary key', async () => {
    const stsBefore = sb.sts.calls.length;
    await services.getToken(req('role'), { profile: 'deployer', durationSeconds: 0 });
    const assume = sb.sts.calls.slice(stsBefore).find((c) => c.action === 'AssumeRole' && c.roleArn === ROLE_DEPLOYER_ARN);
    assert.ok(assume?.ok, 'no successful AssumeRole');
    assert.equal(assume.accessKeyId, sb.profiles.dev.accessKeyId);
    const [call] = callsFor('role');
    assert.equal(call.accessKeyId, assume.issuedAccessKeyId);
    assert.ok(call.sessionToken, 'temporary credentials carry a session token');
  });

  it('an expired role session is reported once, then re-assumed on the next call (no restart)', async () => {
    const fresh = createAwsServices({ env: sb.env });
    await fresh.getToken(req('expire'), { profile: 'deployer', durationSeconds: 900 });
    const firstKey = callsFor('expire')[0].accessKeyId!;
    sb.sts.expireSession(firstKey);
    await assert.rejects(fresh.getToken(req('expire'), { profile: 'deployer', durationSeconds: 900 }), refresherCode('ExpiredCredentials', (e) => e.message.includes('deployer')));
    await fresh.getToken(req('expire'), { profile: 'deployer', durationSeconds: 900 });
    const keys = callsFor('expire').map((c) => c.accessKeyId);
    assert.equal(keys.length, 3);
    assert.notEqual(keys[2], firstKey);
    fresh.dispose();
  });

  it('MFA role: the right code from the provider works; no code -> MfaRequired; a wrong code is refused clearly', async () => {
    const stsBefore = sb.sts.calls.length;
    const asked: string[] = [];
    const good = createAwsServices({ env: sb.env, mfaCodeProvider: async (serial, profile) => (asked.push(`${serial} ${profile}`), SANDBOX_MFA_CODE) });
    await good.getToken(req('mfa'), { profile: 'mfa-admin', durationSeconds: 900 });
    await good.getToken(req('mfa'), { profile: 'mfa-admin', durationSeconds: 900 });
    assert.deepEqual(asked, [`${SANDBOX_MFA_SERIAL} mfa-admin`], 'asked once: credentials are memoized');
    const assume = sb.sts.calls.slice(stsBefore).find((c) => c.roleArn === ROLE_MFA_ADMIN_ARN);
    assert.ok(assume?.ok && assume.serialNumber === SANDBOX_MFA_SERIAL && assume.mfaCodeGiven, 'AssumeRole without the MFA code');
    good.dispose();

    const none = createAwsServices({ env: sb.env, mfaCodeProvider: async () => '' });
    await assert.rejects(none.getToken(req('mfa'), { profile: 'mfa-admin', durationSeconds: 900 }), refresherCode('MfaRequired', (e) => e.message.includes('mfa-admin')));
    const noCallback = createAwsServices({ env: sb.env });
    await assert.rejects(noCallback.getToken(req('mfa'), { profile: 'mfa-admin', durationSeconds: 900 }), refresherCode('MfaRequired'));
    const wrong = createAwsServices({ env: sb.env, mfaCodeProvider: async () => '000000' });
    await assert.rejects(wrong.getToken(req('mfa'), { profile: 'mfa-admin', durationSeconds: 900 }), refresherCode('NoCredentials', (e) => `${e.message} ${e.fix}`.includes('MFA code')));
  });

  it('credential_process profile signs with the key the process printed', async () => {
    await services.getToken(req('proc'), { profile: 'proc', durationSeconds: 900 });
    assert.equal(callsFor('proc')[0].accessKeyId, sb.profiles.proc.accessKeyId);
  });

  it('SSO profile without a session -> SsoLoginRequired naming `aws sso login --profile sso-user`; nothing is sent', async () => {
    await assert.rejects(services.getToken(req('sso'), { profile: 'sso-user', durationSeconds: 900 }), refresherCode('SsoLoginRequired', (e) => (e.fix ?? '').includes('aws sso login --profile sso-user')));
    assert.equal(callsFor('sso').length, 0);
  });

  it('unknown profile -> UnknownProfile', async () => {
    await assert.rejects(services.getToken(req('unknown'), { profile: 'no-such-profile', durationSeconds: 900 }), refresherCode('UnknownProfile', (e) => e.message.includes('no-such-profile')));
  });

  it('stub behaviours map to DomainNotFound, TokenAccessDenied, ValidationFailed', async () => {
    sb.codeartifact.setBehavior('gone', { kind: 'notFound' });
    sb.codeartifact.setBehavior('locked', { kind: 'accessDenied' });
    sb.codeartifact.setBehavior('invalid', { kind: 'validation', message: 'domain owner is not valid' });
    await assert.rejects(services.getToken(req('gone'), { profile: 'dev', durationSeconds: 900 }), refresherCode('DomainNotFound', (e) => e.message.includes('gone') && e.message.includes(SANDBOX_ACCOUNT_ID)));
    await assert.rejects(services.getToken(req('locked'), { profile: 'dev', durationSeconds: 900 }),
      refresherCode('TokenAccessDenied', (e) => `${e.message} ${e.fix}`.includes('codeartifact:GetAuthorizationToken') && `${e.fix}`.includes('sts:GetServiceBearerToken')));
    await assert.rejects(services.getToken(req('invalid'), { profile: 'dev', durationSeconds: 900 }), refresherCode('ValidationFailed', (e) => e.message.includes('domain owner is not valid')));
    for (const d of ['gone', 'locked', 'invalid']) assert.equal(callsFor(d).length, 1, `${d}: client errors are not retried`);
  });

  it('throttling: retried with backoff inside the SDK (2 throttles then success); too many -> Throttled', async () => {
    sb.codeartifact.setBehavior('busy', { kind: 'throttle', times: 2 });
    const t0 = Date.now();
    await services.getToken(req('busy'), { profile: 'dev', durationSeconds: 900 });
    const ms = Date.now() - t0;
    const calls = callsFor('busy');
    assert.deepEqual(calls.map((c) => c.status), [429, 429, 200]);
    assert.ok(lines.some((l) => l.includes('domain=busy') && l.includes('attempts=3')), 'log line shows 3 attempts');
    console.log(`      throttled twice then success: ${calls.length} calls in ${ms} ms`);
    sb.codeartifact.setBehavior('busier', { kind: 'throttle', times: 10 });
    await assert.rejects(services.getToken(req('busier'), { profile: 'dev', durationSeconds: 900 }), refresherCode('Throttled', (e) => e.message.includes('3 attempts')));
    assert.equal(callsFor('busier').length, 3);
  });

  it('network unreachable (closed port) -> Network naming the endpoint host', async () => {
    const port = await closedPort();
    const down = createAwsServices({ env: { ...sb.env, AWS_ENDPOINT_URL_CODEARTIFACT: `http://127.0.0.1:${port}` }, maxAttempts: 2 });
    await assert.rejects(down.getToken(req(), { profile: 'dev', durationSeconds: 900 }), refresherCode('Network', (e) => e.message.includes(`127.0.0.1:${port}`)));
    down.dispose();
  });

  it('timeout: a hanging service gives Timeout after the configured request timeout', async () => {
    sb.codeartifact.setBehavior('hang-timeout', { kind: 'hang' });
    const slow = createAwsServices({ env: sb.env, timeouts: { requestMs: 300 }, maxAttempts: 1 });
    const t0 = Date.now();
    await assert.rejects(slow.getToken(req('hang-timeout'), { profile: 'dev', durationSeconds: 900 }), refresherCode('Timeout'));
    const ms = Date.now() - t0;
    assert.ok(ms >= 280 && ms < 5000, `timed out after ${ms} ms`);
    slow.dispose();
  });

  it('cancellation while the service hangs -> Cancelled at once', async () => {
    sb.codeartifact.setBehavior('hang-cancel', { kind: 'hang' });
    const before = sb.codeartifact.calls.length;
    const ac = new AbortController();
    const p = services.getToken(req('hang-cancel'), { profile: 'dev', durationSeconds: 900, signal: ac.signal });
    await sb.codeartifact.waitForCalls(before + 1, 10_000);
    const t0 = Date.now();
    ac.abort();
    await assert.rejects(p, refresherCode('Cancelled'));
    assert.ok(Date.now() - t0 < 1000, 'cancel took too long');
  });

  it('identical concurrent calls share one request', async () => {
    sb.codeartifact.setBehavior('shared', { kind: 'delay', ms: 200 });
    const [a, b] = await Promise.all([
      services.getToken(req('shared'), { profile: 'dev', durationSeconds: 900 }),
      services.getToken(req('shared'), { profile: 'dev', durationSeconds: 900 }),
    ]);
    assert.ok(a.token === b.token, 'tokens differ');
    assert.equal(callsFor('shared').length, 1);
  });
});
