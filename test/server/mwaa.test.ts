/**
 * The AWS layer's MWAA calls (signed by this extension, no client-mwaa) against the MWAA stub, and the migration
 * (core/mwaa/migration.ts through ui/mwaa/ports.ts) against the stub and radosgw: objects, versions, the exact
 * UpdateEnvironment request, status transitions, and the failures that must leave the environment alone.
 */
import assert from 'node:assert/strict';
import { GetObjectCommand, ListObjectVersionsCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { createAwsServices } from '../../src/aws';
import type { AwsServices } from '../../src/aws/api';
import { applyMigration, followUpdate, planMigration } from '../../src/core/mwaa';
import { migrationPorts } from '../../src/ui/mwaa/ports';
import { indexUrl, SANDBOX_ACCOUNT_ID, type MwaaEnvironmentSeed, type Sandbox } from '../support/sandbox';
import { syntheticToken } from '../support/servers/codeartifactStub';
import { getSandbox } from './fixture';
import { assertNoSecrets, refresherCode } from './awsHelpers';

const REQUIREMENTS = '-r /usr/local/airflow/dags/codeartifact.txt\r\napache-airflow-providers-amazon==8.25.0\r\nboto3==1.34.0\r\n';
let n = 0;

describe('aws layer + migration: Amazon MWAA (signed stub, radosgw)', function () {
  this.timeout(60_000);
  let sb: Sandbox;
  let aws: AwsServices;
  const lines: string[] = [];
  const token = () => {
    const now = Math.floor(Date.now() / 1000);
    return syntheticToken(now - 50_000, now - 3600);
  };
  const seed = async (over: Partial<MwaaEnvironmentSeed> = {}) => {
    const id = `${process.pid % 10000}-${++n}`;
    const seedTok = token();
    const env = await sb.mwaa.seedEnvironment({
      name: `env-${id}`,
      region: 'us-east-1',
      bucket: `mwaa-test-${id}`,
      requirements: { key: 'requirements.txt', text: REQUIREMENTS },
      objects: [{ key: 'dags/codeartifact.txt', text: `--extra-index-url ${indexUrl(seedTok)}\n` }],
      ...over,
    });
    return { env, bucket: env.SourceBucketArn.slice('arn:aws:s3:::'.length), seedTok };
  };
  const text = async (bucket: string, key: string, versionId?: string) => {
    const r = await sb.admin.send(new GetObjectCommand({ Bucket: bucket, Key: key, ...(versionId ? { VersionId: versionId } : {}) }));
    return r.Body!.transformToString();
  };
  const versions = async (bucket: string) => (await sb.admin.send(new ListObjectVersionsCommand({ Bucket: bucket }))).Versions ?? [];

  before(async function () {
    this.timeout(120_000);
    sb = await getSandbox();
    sb.mwaa.updateMs = 200;
    aws = createAwsServices({ env: sb.env, log: (l) => lines.push(l) });
  });
  after(() => {
    aws?.dispose();
    assertNoSecrets(lines, ['sandbox/dev/secret', 'sandbox/ops/secret']);
  });

  it('ListEnvironments / GetEnvironment are signed for `airflow` with the profile\'s key and region; each region lists its own', async () => {
    const a = await seed();
    const b = await seed({ region: 'eu-west-1' });
    const before = sb.mwaa.calls.length;
    const east = await aws.listEnvironments('us-east-1', { profile: 'dev' });
    const west = await aws.listEnvironments('eu-west-1', { profile: 'ops' });
    assert.ok(east.includes(a.env.Name) && !east.includes(b.env.Name));
    assert.ok(west.includes(b.env.Name) && !west.includes(a.env.Name));
    const got = await aws.getEnvironment(a.env.Name, 'us-east-1', { profile: 'dev' });
    assert.deepEqual(
      { status: got.status, bucket: got.sourceBucketArn, dag: got.dagS3Path, req: got.requirementsS3Path, v: got.requirementsS3ObjectVersion, version: got.airflowVersion },
      { status: 'AVAILABLE', bucket: a.env.SourceBucketArn, dag: 'dags', req: 'requirements.txt', v: a.env.RequirementsS3ObjectVersion, version: '2.10.3' },
    );
    const calls = sb.mwaa.calls.slice(before);
    assert.deepEqual(calls.map((c) => [c.operation, c.service, c.region, c.accessKeyId, c.status]), [
      ['ListEnvironments', 'airflow', 'us-east-1', sb.profiles.dev.accessKeyId, 200],
      ['ListEnvironments', 'airflow', 'eu-west-1', sb.profiles.ops.accessKeyId, 200],
      ['GetEnvironment', 'airflow', 'us-east-1', sb.profiles.dev.accessKeyId, 200],
    ]);
  });

  it('ListEnvironments follows NextToken (with base64 characters) across pages, each page signed', async () => {
    await seed({ region: 'ap-south-1' });
    await seed({ region: 'ap-south-1' });
    await seed({ region: 'ap-south-1' });
    sb.mwaa.pageSize = 1;
    try {
      const before = sb.mwaa.calls.length;
      const names = await aws.listEnvironments('ap-south-1', { profile: 'dev' });
      assert.equal(names.length, 3);
      const calls = sb.mwaa.calls.slice(before);
      assert.deepEqual(calls.map((c) => [c.operation, c.status]), [['ListEnvironments', 200], ['ListEnvironments', 200], ['ListEnvironments', 200]]);
    } finally {
      sb.mwaa.pageSize = 25;
    }
  });

  it('endpoint overrides the SDK\'s way: AWS_ENDPOINT_URL alone reaches the stub as given (no `api.` prefix added)', async () => {
    const env = { ...sb.env, AWS_ENDPOINT_URL: sb.endpoints.mwaa };
    delete (env as Record<string, string | undefined>).AWS_ENDPOINT_URL_MWAA;
    const generic = createAwsServices({ env });
    const before = sb.mwaa.calls.length;
    await generic.listEnvironments('us-east-1', { profile: 'dev' });
    generic.dispose();
    assert.equal(sb.mwaa.calls.length, before + 1);
    const off = createAwsServices({ env: { ...sb.env, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true', HTTPS_PROXY: '' }, timeouts: { connectMs: 500, requestMs: 500 }, maxAttempts: 1 });
    await assert.rejects(off.listEnvironments('us-east-1', { profile: 'dev' }), (e: unknown) => ['Network', 'Timeout'].includes((e as { code?: string }).code ?? ''));
    off.dispose();
    assert.equal(sb.mwaa.calls.length, before + 1, 'with overrides ignored the call goes to the real host, not the stub');
  });

  it('GetEnvironment of an unknown name -> EnvironmentNotFound; a unsigned or unknown-key request is rejected by the stub', async () => {
    await assert.rejects(aws.getEnvironment('no-such-env', 'us-east-1', { profile: 'dev' }), refresherCode('EnvironmentNotFound', (e) => e.message.includes('no-such-env')));
    const unsigned = await fetch(`${sb.endpoints.mwaa}/environments`);
    assert.equal(unsigned.status, 403);
    const unknownKey = await fetch(`${sb.endpoints.mwaa}/environments`, {
      headers: { authorization: `AWS4-HMAC-SHA256 Credential=AKIAUNKNOWN000000000/20260101/us-east-1/airflow/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`, 'x-amz-date': '20260101T000000Z' },
    });
    assert.equal(unknownKey.status, 403);
    assert.equal(unknownKey.headers.get('x-amzn-errortype'), 'UnrecognizedClientException');
  });

  it('migration happy path: both objects written as new versions, the exact UpdateEnvironment, UPDATING -> AVAILABLE', async () => {
    const { env, bucket, seedTok } = await seed();
    const ports = migrationPorts(aws, { name: env.Name, region: 'us-east-1', profile: 'dev' });
    const plan = await planMigration(ports);
    assert.equal(plan.requirements.after, 'apache-airflow-providers-amazon==8.25.0\r\nboto3==1.34.0\r\n');
    assert.ok(plan.script.after.startsWith('#!/usr/bin/env bash\n') && !plan.script.after.includes(seedTok));
    const before = sb.mwaa.calls.length;
    // Long enough that the checks below (six S3 reads) finish while the environment is still UPDATING on a busy machine.
    const updateMs = sb.mwaa.updateMs;
    sb.mwaa.updateMs = 3000;
    const update = await applyMigration(plan, ports).finally(() => (sb.mwaa.updateMs = updateMs));
    const req = sb.mwaa.calls.slice(before).filter((c) => c.operation === 'UpdateEnvironment');
    assert.equal(req.length, 1);
    assert.deepEqual(req[0].body, {
      RequirementsS3Path: 'requirements.txt',
      RequirementsS3ObjectVersion: update.requirementsS3ObjectVersion,
      StartupScriptS3Path: 'startup.sh',
      StartupScriptS3ObjectVersion: update.startupScriptS3ObjectVersion,
    });
    assert.equal(req[0].accessKeyId, sb.profiles.dev.accessKeyId);
    assert.equal(await text(bucket, 'requirements.txt', update.requirementsS3ObjectVersion), plan.requirements.after);
    assert.equal(await text(bucket, 'startup.sh', update.startupScriptS3ObjectVersion), plan.script.after);
    assert.equal(await text(bucket, 'requirements.txt', env.RequirementsS3ObjectVersion), REQUIREMENTS, 'the old version is still there (rollback)');
    assert.equal(await text(bucket, 'dags/codeartifact.txt'), `--extra-index-url ${indexUrl(seedTok)}\n`, 'codeartifact.txt kept');
    const seen: string[] = [];
    const done = await followUpdate(ports.getEnvironment, { intervalMs: 50, timeoutMs: 10_000, onStatus: (s) => seen.push(s) });
    assert.equal(seen[0], 'UPDATING');
    assert.equal(done.status, 'AVAILABLE');
    assert.equal(sb.mwaa.environment(env.Name)!.StartupScriptS3ObjectVersion, update.startupScriptS3ObjectVersion);
  });

  it('an existing startup script is kept and extended (If-Match on it), and pinned at its new version', async () => {
    const existing = '#!/bin/bash\nexport AIRFLOW__CORE__LAZY_LOAD_PLUGINS=False\n';
    const { env, bucket } = await seed({ startupScript: { key: 'scripts/startup.sh', text: existing } });
    const ports = migrationPorts(aws, { name: env.Name, region: 'us-east-1', profile: 'dev' });
    const update = await applyMigration(await planMigration(ports), ports);
    assert.equal(update.startupScriptS3Path, 'scripts/startup.sh');
    const written = await text(bucket, 'scripts/startup.sh', update.startupScriptS3ObjectVersion);
    assert.ok(written.startsWith(existing + '\n# >>> CodeArtifact pip index'));
  });

  it('UPDATE_FAILED: followUpdate fails with LastUpdate.Error', async () => {
    const { env } = await seed();
    sb.mwaa.setBehavior(env.Name, { kind: 'updateFails', code: 'INCORRECT_CONFIGURATION', message: 'startup script exited with status 1' });
    const ports = migrationPorts(aws, { name: env.Name, region: 'us-east-1', profile: 'dev' });
    await applyMigration(await planMigration(ports), ports);
    await assert.rejects(followUpdate(ports.getEnvironment, { intervalMs: 50, timeoutMs: 10_000 }), refresherCode('UpdateFailed', (e) => e.message.includes('INCORRECT_CONFIGURATION') && e.message.includes('exited with status 1')));
    assert.equal(sb.mwaa.environment(env.Name)!.Status, 'UPDATE_FAILED');
  });

  it('AccessDenied on UpdateEnvironment -> MwaaAccessDenied naming the action; the environment keeps its versions', async () => {
    const { env } = await seed();
    sb.mwaa.setBehavior(env.Name, { kind: 'accessDenied', operation: 'UpdateEnvironment' });
    const ports = migrationPorts(aws, { name: env.Name, region: 'us-east-1', profile: 'dev' });
    const plan = await planMigration(ports);
    await assert.rejects(applyMigration(plan, ports), refresherCode('MwaaAccessDenied', (e) => e.message.includes('airflow:UpdateEnvironment') && e.message.includes('"dev"')));
    assert.equal(sb.mwaa.environment(env.Name)!.RequirementsS3ObjectVersion, env.RequirementsS3ObjectVersion);
    assert.equal(sb.mwaa.environment(env.Name)!.Status, 'AVAILABLE');
  });

  it('an unversioned bucket is refused before anything is written, saying MWAA needs versioning', async () => {
    const { env, bucket } = await seed({ versioned: false });
    const before = (await versions(bucket)).length;
    const ports = migrationPorts(aws, { name: env.Name, region: 'us-east-1', profile: 'dev' });
    await assert.rejects(planMigration(ports), refresherCode('BucketNotVersioned', (e) => e.message.includes(bucket) && /versioning/.test(e.fix ?? '')));
    assert.equal((await versions(bucket)).length, before, 'nothing written');
  });

  it('requirements.txt changed since it was read: no UpdateEnvironment, the concurrent change stands, the environment keeps its pinned objects', async () => {
    const { env, bucket } = await seed();
    const ports = migrationPorts(aws, { name: env.Name, region: 'us-east-1', profile: 'dev' });
    const plan = await planMigration(ports);
    await sb.admin.send(new PutObjectCommand({ Bucket: bucket, Key: 'requirements.txt', Body: REQUIREMENTS + 'pandas\n' }));
    const before = sb.mwaa.calls.length;
    await assert.rejects(applyMigration(plan, ports), refresherCode('ChangedSinceRead'));
    assert.equal(sb.mwaa.calls.slice(before).filter((c) => c.operation === 'UpdateEnvironment').length, 0);
    assert.equal(await text(bucket, 'requirements.txt'), REQUIREMENTS + 'pandas\n', 'the concurrent change is not overwritten');
    // The script was written first (harmless on its own: it only exports pip index variables) and is not pinned.
    assert.equal(sb.mwaa.environment(env.Name)!.StartupScriptS3ObjectVersion, env.StartupScriptS3ObjectVersion, 'the environment still uses its old objects');
  });

  it('a requirements.txt newer than the pinned version is refused at planning (that upload would be lost)', async () => {
    const { env, bucket } = await seed();
    await sb.admin.send(new PutObjectCommand({ Bucket: bucket, Key: 'requirements.txt', Body: REQUIREMENTS + 'numpy\n' }));
    await assert.rejects(planMigration(migrationPorts(aws, { name: env.Name, region: 'us-east-1', profile: 'dev' })), refresherCode('NewerObjectVersion'));
  });

  it('readObjectVersion reads the pinned version; createObject never replaces an object that exists', async () => {
    const { env, bucket } = await seed();
    const pinnedV = env.RequirementsS3ObjectVersion!;
    await sb.admin.send(new PutObjectCommand({ Bucket: bucket, Key: 'requirements.txt', Body: 'changed\n' }));
    const old = await aws.readObjectVersion({ bucket, key: 'requirements.txt', region: 'us-east-1' }, pinnedV, { profile: 'dev' });
    assert.equal(old.text, REQUIREMENTS);
    assert.equal(old.versionId, pinnedV);
    await assert.rejects(aws.createObject({ bucket, key: 'requirements.txt', region: 'us-east-1' }, 'x', { profile: 'dev' }), refresherCode('ChangedSinceRead'));
    assert.equal(await text(bucket, 'requirements.txt'), 'changed\n');
    assert.equal(SANDBOX_ACCOUNT_ID.length, 12);
  });
});
