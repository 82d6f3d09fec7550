/**
 * Every error path a person can hit surfaces as a short, readable notification naming the fix, with "Show Log",
 * and changes nothing. Against the real servers: the stub's per-domain behaviours, missing/oversized/binary objects,
 * SSO without a session, unknown profiles, MFA.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { DEV_OBJECT, answer, api, dismissAll, sandbox, shownSince, stubMark, type TestApi } from './helpers';

interface Failed {
  status: string;
  code?: string;
  message?: string;
}

describe('errors a person can act on', function () {
  let a: TestApi;

  before(async () => {
    a = await api();
    await sandbox().reseed();
    await a.deps.profiles.choose('dev');
  });

  afterEach(async () => {
    dismissAll(a);
    await sandbox().setBehavior('mydomain', undefined);
    await a.deps.profiles.choose('dev');
  });

  async function expectFailure(args: Record<string, unknown>, code: string, pattern: RegExp): Promise<void> {
    dismissAll(a);
    const before = await sandbox().getObject('mwaa-dev-environment', 'dags/codeartifact.txt');
    const mark = a.deps.prompts.shown.length;
    const outcome = (await vscode.commands.executeCommand('codeartifact.refreshRemoteFile', { confirm: false, ...args })) as Failed;
    assert.equal(outcome.status, 'failed', `expected a failure, got ${outcome.status}`);
    assert.equal(outcome.code, code);
    const errors = shownSince(a, mark).filter((p) => p.kind === 'error');
    assert.equal(errors.length, 1, 'exactly one error notification');
    assert.match(errors[0].message, pattern);
    assert.deepEqual(errors[0].choices, ['Show Log']);
    assert.ok(errors[0].message.length < 400, 'short enough for a notification');
    const after = await sandbox().getObject('mwaa-dev-environment', 'dags/codeartifact.txt');
    assert.equal(after.etag, before.etag, 'nothing was written');
  }

  it('domain not found', async () => {
    await sandbox().setBehavior('mydomain', { kind: 'notFound' });
    await expectFailure({ uri: DEV_OBJECT }, 'DomainNotFound', /mydomain/);
  });

  it('access denied on the token call names both permissions', async () => {
    await sandbox().setBehavior('mydomain', { kind: 'accessDenied' });
    await expectFailure({ uri: DEV_OBJECT }, 'TokenAccessDenied', /codeartifact:GetAuthorizationToken[\s\S]*sts:GetServiceBearerToken/);
  });

  it('validation error', async () => {
    await sandbox().setBehavior('mydomain', { kind: 'validation', message: 'Invalid duration' });
    await expectFailure({ uri: DEV_OBJECT }, 'ValidationFailed', /AWS rejected the request for .*mydomain.*: Invalid duration\.[\s\S]*Check the domain name/);
  });

  it('throttling that outlasts the SDK retries', async () => {
    await sandbox().setBehavior('mydomain', { kind: 'throttle', times: 50 });
    await expectFailure({ uri: DEV_OBJECT }, 'Throttled', /AWS throttled .*mydomain.*\(3 attempts\)\. Wait a minute and try again\./);
  });

  it('missing key', async () => {
    await expectFailure({ uri: 's3://mwaa-dev-environment/dags/missing.txt' }, 'NoSuchKey', /dags\/missing\.txt/);
  });

  it('missing bucket', async () => {
    await expectFailure({ uri: 's3://no-such-bucket-here/dags/codeartifact.txt' }, 'NoSuchBucket', /no-such-bucket-here/);
  });

  it('object over 1 MiB', async () => {
    await expectFailure({ uri: 's3://mwaa-dev-environment/dags/large.txt' }, 'ObjectTooLarge', /large\.txt/);
  });

  it('binary object', async () => {
    await expectFailure({ uri: 's3://mwaa-dev-environment/plugins/plugins.zip' }, 'NotText', /plugins\.zip/);
  });

  it('a malformed S3 location', async () => {
    await expectFailure({ uri: 's3://Bad_Bucket/key' }, 'InvalidInput', /bucket/i);
  });

  it('an SSO profile without a session says to run aws sso login', async () => {
    await expectFailure({ uri: DEV_OBJECT, profile: 'sso-user' }, 'SsoLoginRequired', /aws sso login --profile sso-user/);
  });

  it('an unknown profile', async () => {
    await expectFailure({ uri: DEV_OBJECT, profile: 'no-such-profile' }, 'UnknownProfile', /no-such-profile/);
  });

  it('a token lifetime outside 900–43200 is refused before any AWS call', async () => {
    const config = vscode.workspace.getConfiguration('codeartifact');
    await config.update('durationSeconds', 100, vscode.ConfigurationTarget.Global);
    try {
      const mark = await stubMark();
      const s3Requests = (await sandbox().s3proxy()).requests;
      await expectFailure({ uri: DEV_OBJECT }, 'InvalidInput', /900/);
      assert.equal((await sandbox().calls()).length, mark.calls, 'no token call');
      assert.equal((await sandbox().s3proxy()).requests, s3Requests, 'no S3 request either (not even the GetObject)');
    } finally {
      await config.update('durationSeconds', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('an MFA role: no code -> nothing happens; the right code -> a token signed by the role session', async () => {
    // The person dismisses the MFA code box (and anything else).
    answer(a, () => undefined);
    const outcome = (await vscode.commands.executeCommand('codeartifact.refreshRemoteFile', { uri: DEV_OBJECT, profile: 'mfa-admin', confirm: false })) as Failed;
    assert.equal(outcome.status, 'failed');
    assert.equal(outcome.code, 'MfaRequired');
    const asked: string[] = [];
    answer(a, (p) => {
      if (p.kind !== 'inputBox') return undefined;
      asked.push(p.message);
      return '123456';
    });
    const mark = await stubMark();
    const ok = (await vscode.commands.executeCommand('codeartifact.refreshRemoteFile', { uri: DEV_OBJECT, profile: 'mfa-admin', confirm: false })) as Failed;
    assert.equal(ok.status, 'written');
    assert.equal(asked.length, 1, 'asked for the code once');
    assert.match(asked[0], /arn:aws:iam::111122223333:mfa\/ops-person/);
    const calls = (await sandbox().calls()).slice(mark.calls).filter((c) => c.ok);
    assert.ok(calls.length === 1 && calls[0].sessionToken, 'signed with the role session');
  });
});
