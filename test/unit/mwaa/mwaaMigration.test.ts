/** core/mwaa/migration.ts with fake ports: what is read, refused, written and sent, in order. */
import * as assert from 'node:assert/strict';
import { applyMigration, followUpdate, planMigration, type EnvironmentInfo, type MigrationPorts, type StoredText } from '../../../src/core/mwaa';
import { isRefresherError, RefresherError } from '../../../src/core';

type Obj = StoredText & { key: string };
const code = (c: string) => (e: unknown) => isRefresherError(e) && (e.code as string) === c;

function fake(env: Partial<EnvironmentInfo>, objects: Record<string, string>, options: { versioning?: 'Enabled' | 'Disabled'; conflictOn?: string } = {}) {
  const log: string[] = [];
  const store = new Map(Object.entries(objects).map(([k, text]) => [k, { key: k, text, versionId: `v1-${k}` }]));
  let version = 1;
  const ports: MigrationPorts<Obj> = {
    getEnvironment: async () => ({ name: 'e', region: 'us-east-1', status: 'AVAILABLE', sourceBucketArn: 'arn:aws:s3:::b', dagS3Path: 'dags', requirementsS3Path: 'requirements.txt', requirementsS3ObjectVersion: 'v1-requirements.txt', ...env }),
    bucketVersioning: async () => options.versioning ?? 'Enabled',
    readObject: async (_b, key) => {
      log.push(`read ${key}`);
      return store.get(key);
    },
    writeObject: async (prev, text) => {
      log.push(`write ${prev.key}`);
      if (options.conflictOn === prev.key) throw new RefresherError('ChangedSinceRead', 'changed');
      const o = { key: prev.key, text, versionId: `v${++version}-${prev.key}` };
      store.set(prev.key, o);
      return { versionId: o.versionId };
    },
    createObject: async (_b, key, text) => {
      log.push(`create ${key}`);
      const o = { key, text, versionId: `v${++version}-${key}` };
      store.set(key, o);
      return { versionId: o.versionId };
    },
    updateEnvironment: async (u) => {
      log.push(`update ${JSON.stringify(u)}`);
    },
  };
  return { ports, log, store };
}

const legacy = { 'requirements.txt': '-r /usr/local/airflow/dags/codeartifact.txt\nboto3\n', 'dags/codeartifact.txt': '--extra-index-url https://aws:T0KEN@mydomain-111122223333.d.codeartifact.us-east-1.amazonaws.com/pypi/r/simple/\n' };

describe('core/mwaa: migration flow (fake ports)', () => {
  it('plans, then creates startup.sh, writes requirements.txt (in that order), and sends one update with both new versions', async () => {
    const { ports, log } = fake({}, legacy);
    const plan = await planMigration(ports);
    assert.equal(plan.requirements.after, 'boto3\n');
    const update = await applyMigration(plan, ports);
    assert.deepEqual(update, { requirementsS3Path: 'requirements.txt', requirementsS3ObjectVersion: update.requirementsS3ObjectVersion, startupScriptS3Path: 'startup.sh', startupScriptS3ObjectVersion: update.startupScriptS3ObjectVersion });
    assert.ok(update.requirementsS3ObjectVersion && update.startupScriptS3ObjectVersion, 'both new versions');
    // The script first: a new script beside the old requirements.txt is harmless; the reverse order is not.
    assert.deepEqual(log, ['read requirements.txt', 'read dags/codeartifact.txt', 'read startup.sh', 'create startup.sh', 'write requirements.txt', `update ${JSON.stringify(update)}`]);
  });

  it('refuses: a busy environment, an unversioned bucket, a stray unpinned startup.sh, nothing to move', async () => {
    await assert.rejects(planMigration(fake({ status: 'UPDATING' }, legacy).ports), code('UpdateRejected'));
    await assert.rejects(planMigration(fake({}, legacy, { versioning: 'Disabled' }).ports), code('BucketNotVersioned'));
    await assert.rejects(planMigration(fake({}, { ...legacy, 'startup.sh': '#!/bin/bash\n' }).ports), code('NewerObjectVersion'));
    await assert.rejects(planMigration(fake({}, { 'requirements.txt': 'boto3\n' }).ports), code('NoEndpoints'));
  });

  it('a lost conditional write sends no update, and says which new script version is already stored', async () => {
    const { ports, log } = fake({}, legacy, { conflictOn: 'requirements.txt' });
    await assert.rejects(applyMigration(await planMigration(ports), ports), (e: unknown) => {
      assert.ok(isRefresherError(e) && e.code === 'ChangedSinceRead');
      assert.match(e.message, /new startup script is already stored as version \S+ of s3:\/\/\S+\/startup\.sh; the environment still uses its old objects/);
      return true;
    });
    assert.ok(!log.some((l) => l.startsWith('update')), 'no UpdateEnvironment');
  });

  it('followUpdate reports each status; UPDATE_FAILED carries LastUpdate.Error; a deadline gives up with Timeout', async () => {
    const statuses = ['UPDATING', 'UPDATING', 'AVAILABLE'];
    const seen: string[] = [];
    const env = (status: string, extra: Partial<EnvironmentInfo> = {}): EnvironmentInfo => ({ name: 'e', region: 'r', status, ...extra });
    const done = await followUpdate(async () => env(statuses.shift()!), { intervalMs: 1, timeoutMs: 1000, onStatus: (s) => seen.push(s), sleep: async () => undefined });
    assert.equal(done.status, 'AVAILABLE');
    assert.deepEqual(seen, ['UPDATING', 'UPDATING', 'AVAILABLE']);
    await assert.rejects(
      followUpdate(async () => env('UPDATE_FAILED', { lastUpdate: { status: 'FAILED', error: { code: 'X', message: 'boom' } } }), { intervalMs: 1, timeoutMs: 1000, sleep: async () => undefined }),
      (e: unknown) => code('UpdateFailed')(e) && (e as Error).message.includes('X: boom'),
    );
    let t = 0;
    await assert.rejects(followUpdate(async () => env('UPDATING'), { intervalMs: 1, timeoutMs: 10, sleep: async () => undefined, now: () => (t += 6) }), code('Timeout'));
  });
  it('followUpdate does not take the old AVAILABLE (last update started before the PATCH) for this update\'s result', async () => {
    const sentAt = 10_000_000;
    const old = { name: 'e', region: 'us-east-1', status: 'AVAILABLE', lastUpdate: { status: 'SUCCESS', createdAt: new Date(sentAt - 3_600_000) } };
    const fresh = { name: 'e', region: 'us-east-1', status: 'AVAILABLE', lastUpdate: { status: 'SUCCESS', createdAt: new Date(sentAt + 1000) } };
    const answers: EnvironmentInfo[] = [old, old, { ...fresh, status: 'UPDATING' }, fresh];
    const seen: string[] = [];
    const done = await followUpdate(async () => answers.shift()!, { intervalMs: 1, timeoutMs: 60_000, sentAt, sleep: async () => undefined, onStatus: (s) => seen.push(s) });
    assert.deepEqual(seen, ['AVAILABLE', 'AVAILABLE', 'UPDATING', 'AVAILABLE']);
    assert.equal(done.lastUpdate?.createdAt?.getTime(), sentAt + 1000);
  });
});
