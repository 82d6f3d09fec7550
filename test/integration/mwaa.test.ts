/**
 * Amazon MWAA in the real editor, against the MWAA stub (SigV4 `airflow`), radosgw and the CodeArtifact stub: the view
 * lists the environments of two profiles (each in its own region), flags an expired codeartifact.txt and refreshes it
 * through the refresh loop; the migration to a startup script writes both objects as new versions and sends exactly
 * one UpdateEnvironment, and fails cleanly on UPDATE_FAILED, AccessDenied, an unversioned bucket and a concurrent edit.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { MwaaEnvironmentsView, MwaaNode, EnvironmentNode } from '../../src/ui/mwaa/view';
import type { MigrateResult } from '../../src/ui/mwaa/migrate';
import type { MwaaEnvironmentSeed } from '../support/sandbox';
import { answer, api, dismissAll, sandbox, shownSince, stubMark, tokenCallsSince, type TestApi } from './helpers';

const REQUIREMENTS = '-r /usr/local/airflow/dags/codeartifact.txt\napache-airflow-providers-amazon==8.25.0\nboto3==1.34.0\n';
const GO = 'Write and Update Environment';
const run = `${Date.now() % 100000}`;
let n = 0;

function seedFor(region: string, over: Partial<MwaaEnvironmentSeed> = {}): MwaaEnvironmentSeed {
  const id = `${run}-${++n}`;
  return { name: `it-env-${id}`, region, bucket: `mwaa-it-${id}`, requirements: { key: 'requirements.txt', text: REQUIREMENTS }, ...over };
}

describe('Amazon MWAA', function () {
  this.timeout(60_000);
  let a: TestApi;
  let view: MwaaEnvironmentsView;

  before(async () => {
    a = await api();
    view = (a as TestApi & { mwaaView: MwaaEnvironmentsView }).mwaaView;
    assert.ok(view, 'activate() returns the MWAA view in test mode');
    await a.deps.profiles.choose('dev');
  });
  afterEach(async () => {
    dismissAll(a);
    await vscode.workspace.getConfiguration('codeartifact').update('mwaa.profiles', undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  async function environments(): Promise<EnvironmentNode[]> {
    view.reload();
    const roots = await view.getChildren();
    const children = await Promise.all(roots.map((r) => view.getChildren(r)));
    return children.flat().filter((c: MwaaNode): c is EnvironmentNode => c.kind === 'environment');
  }

  describe('the view', () => {
    it('lists the environments of two profiles (each in its region), flags the expired codeartifact.txt, and refreshes it through the loop', async () => {
      const legacy = await sandbox().mwaaSeed(seedFor('us-east-1'), 'expired');
      const scripted = await sandbox().mwaaSeed(seedFor('eu-west-1', { requirements: { key: 'requirements.txt', text: 'boto3\n' }, startupScript: { key: 'startup.sh', text: '#!/bin/bash\nexport PIP_EXTRA_INDEX_URL="x"\n' } }));
      await vscode.workspace.getConfiguration('codeartifact').update('mwaa.profiles', ['dev', 'ops'], vscode.ConfigurationTarget.Workspace);
      const roots = (await view.getChildren()).filter((r) => r.kind === 'profile');
      assert.deepEqual(roots.map((r) => r.kind === 'profile' && [r.profile, r.regions]), [['dev', ['us-east-1']], ['ops', ['eu-west-1']]]);
      const envs = await environments();
      const l = envs.find((e) => e.found.environment.name === legacy.Name);
      const s = envs.find((e) => e.found.environment.name === scripted.Name);
      assert.ok(l && s, 'both environments are listed');
      assert.equal(l.found.profile, 'dev');
      assert.equal(s.found.profile, 'ops');
      const li = view.getTreeItem(l);
      const si = view.getTreeItem(s);
      assert.match(String(li.description), /^AVAILABLE · Airflow 2\.10\.3 · us-east-1 · codeartifact\.txt \(refreshed token\); token expired: new workers will fail to install packages$/);
      assert.equal(li.contextValue, 'mwaaEnvironment.legacy.expired');
      assert.match(String(si.description), /startup script \(fresh token per container\)$/);
      assert.equal(si.contextValue, 'mwaaEnvironment');
      const bucket = legacy.SourceBucketArn.slice('arn:aws:s3:::'.length);
      assert.deepEqual(l.found.legacyUris, [`s3://${bucket}/dags/codeartifact.txt`]);
      // Listed means tracked: the expired token is in the status bar and the token list (read from the token).
      const tracked = a.deps.tracker.forTarget(`s3://${bucket}/dags/codeartifact.txt`);
      assert.equal(tracked.length, 1, 'the codeartifact.txt token is tracked');
      assert.equal(tracked[0].targetLabel, `MWAA ${legacy.Name}`);
      assert.equal(tracked[0].source, 'scan');
      assert.ok(tracked[0].expiresAt < Date.now(), 'tracked as expired');

      const mark = await stubMark();
      const before = a.deps.prompts.shown.length;
      answer(a, (p) => (p.kind === 'modal' && p.choices.includes('Write') ? 'Write' : undefined));
      const outcomes = (await vscode.commands.executeCommand('codeartifact.mwaa.refreshEnvironment', l)) as { status: string; id: string }[];
      assert.deepEqual(outcomes.map((o) => [o.status, o.id]), [['written', `s3://${bucket}/dags/codeartifact.txt`]]);
      assert.ok(shownSince(a, before).some((p) => p.kind === 'modal' && p.message.includes('codeartifact.txt')), 'the diff was confirmed in the modal');
      const calls = await tokenCallsSince(mark);
      assert.equal(calls.length, 1);
      const now = await sandbox().getObject(bucket, 'dags/codeartifact.txt');
      assert.ok(now.text.includes(calls[0].token), 'codeartifact.txt holds the token the stub just issued');
      const again = (await environments()).find((e) => e.found.environment.name === legacy.Name)!;
      assert.doesNotMatch(String(view.getTreeItem(again).description), /expired/);
    });

    it('"Add to remoteFiles" writes the object with its profile and a label', async () => {
      const legacy = await sandbox().mwaaSeed(seedFor('us-east-1'), 'valid');
      const node = (await environments()).find((e) => e.found.environment.name === legacy.Name)!;
      const config = vscode.workspace.getConfiguration('codeartifact');
      const before = config.inspect<unknown[]>('remoteFiles')?.workspaceValue;
      try {
        const added = (await vscode.commands.executeCommand('codeartifact.mwaa.addToRemoteFiles', node)) as string[];
        assert.equal(added.length, 1);
        const entries = vscode.workspace.getConfiguration('codeartifact').inspect<{ uri: string; profile?: string; label?: string }[]>('remoteFiles')?.workspaceValue ?? [];
        assert.deepEqual(entries.find((e) => e.uri === added[0]), { uri: added[0], profile: 'dev', label: `MWAA ${legacy.Name} (us-east-1)` });
      } finally {
        await config.update('remoteFiles', before, vscode.ConfigurationTarget.Workspace);
      }
    });
  });

  describe('migrateToStartupScript', () => {
    const migrate = (name: string, confirmAnswer: (p: { kind: string; choices: string[] }) => Promise<string | undefined> | string | undefined = () => GO) => {
      answer(a, (p) => (p.kind === 'modal' ? confirmAnswer(p) : undefined));
      return vscode.commands.executeCommand('codeartifact.mwaa.migrateToStartupScript', { environment: name, region: 'us-east-1', profile: 'dev' }) as Promise<MigrateResult & { code?: string; message?: string }>;
    };
    const updatesSince = async (mark: number) => (await sandbox().mwaaCalls()).slice(mark).filter((c) => c.operation === 'UpdateEnvironment');

    it('happy path: both diffs shown, both objects written as new versions, exactly one UpdateEnvironment, followed to AVAILABLE', async () => {
      const env = await sandbox().mwaaSeed(seedFor('us-east-1'), 'expired');
      const bucket = env.SourceBucketArn.slice('arn:aws:s3:::'.length);
      const legacyBefore = await sandbox().getObject(bucket, 'dags/codeartifact.txt');
      const mark = (await sandbox().mwaaCalls()).length;
      let diffTabs = 0;
      const result = await migrate(env.Name, () => {
        diffTabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputTextDiff).length;
        return GO;
      });
      assert.equal(result.status, 'migrated', result.message);
      assert.equal(result.finalStatus, 'AVAILABLE');
      assert.equal(diffTabs, 2, 'the startup script and requirements.txt diffs were open when asked');
      const updates = await updatesSince(mark);
      assert.equal(updates.length, 1);
      const info = await sandbox().info();
      assert.equal(updates[0].accessKeyId, info.profiles.dev.accessKeyId);
      assert.deepEqual(updates[0].body, {
        RequirementsS3Path: 'requirements.txt',
        RequirementsS3ObjectVersion: result.update!.requirementsS3ObjectVersion,
        StartupScriptS3Path: 'startup.sh',
        StartupScriptS3ObjectVersion: result.update!.startupScriptS3ObjectVersion,
      });
      const req = await sandbox().versionedText(bucket, 'requirements.txt', result.update!.requirementsS3ObjectVersion);
      assert.equal(req.text, 'apache-airflow-providers-amazon==8.25.0\nboto3==1.34.0\n');
      const script = await sandbox().versionedText(bucket, 'startup.sh', result.update!.startupScriptS3ObjectVersion);
      assert.ok(script.text.startsWith('#!/usr/bin/env bash\n\n# >>> CodeArtifact pip index'));
      assert.ok(script.text.includes('export PIP_EXTRA_INDEX_URL="https://aws:${CODEARTIFACT_TOKEN_1}@mydomain-111122223333.d.codeartifact.us-east-1.amazonaws.com/pypi/my-repo/simple/"\n'));
      assert.equal((await sandbox().versionedText(bucket, 'requirements.txt', env.RequirementsS3ObjectVersion)).text, REQUIREMENTS, 'the old version is kept');
      assert.equal((await sandbox().getObject(bucket, 'dags/codeartifact.txt')).etag, legacyBefore.etag, 'codeartifact.txt untouched');
      const after = await sandbox().mwaaEnvironment(env.Name);
      assert.equal(after?.Status, 'AVAILABLE');
      assert.equal(after?.StartupScriptS3ObjectVersion, result.update!.startupScriptS3ObjectVersion);
    });

    it('UPDATE_FAILED: the command fails with LastUpdate.Error', async () => {
      const env = await sandbox().mwaaSeed(seedFor('us-east-1'), 'expired');
      await sandbox().mwaaBehavior(env.Name, { kind: 'updateFails', code: 'INCORRECT_CONFIGURATION', message: 'startup script exited with status 1' });
      const result = await migrate(env.Name);
      assert.equal(result.status, 'failed');
      assert.equal(result.code, 'UpdateFailed');
      assert.match(result.message ?? '', /INCORRECT_CONFIGURATION: startup script exited with status 1/);
      assert.equal((await sandbox().mwaaEnvironment(env.Name))?.Status, 'UPDATE_FAILED');
    });

    it('AccessDenied on UpdateEnvironment: fails naming airflow:UpdateEnvironment; the environment keeps its versions', async () => {
      const env = await sandbox().mwaaSeed(seedFor('us-east-1'), 'expired');
      await sandbox().mwaaBehavior(env.Name, { kind: 'accessDenied', operation: 'UpdateEnvironment' });
      const result = await migrate(env.Name);
      assert.equal(result.code, 'MwaaAccessDenied');
      assert.match(result.message ?? '', /airflow:UpdateEnvironment/);
      const after = await sandbox().mwaaEnvironment(env.Name);
      assert.equal(after?.RequirementsS3ObjectVersion, env.RequirementsS3ObjectVersion);
      assert.equal(after?.StartupScriptS3Path, undefined);
    });

    it('an unversioned bucket: refused before any diff or write, saying MWAA requires versioning', async () => {
      const env = await sandbox().mwaaSeed(seedFor('us-east-1', { versioned: false }), 'expired');
      const before = a.deps.prompts.shown.length;
      const mark = (await sandbox().mwaaCalls()).length;
      const result = await migrate(env.Name);
      assert.equal(result.code, 'BucketNotVersioned');
      assert.match(result.message ?? '', /versioning/);
      assert.ok(!shownSince(a, before).some((p) => p.kind === 'modal'), 'no confirmation was asked');
      assert.equal((await updatesSince(mark)).length, 0);
    });

    it('requirements.txt changed after the diff: nothing is updated (ChangedSinceRead, no UpdateEnvironment)', async () => {
      const env = await sandbox().mwaaSeed(seedFor('us-east-1'), 'expired');
      const bucket = env.SourceBucketArn.slice('arn:aws:s3:::'.length);
      const mark = (await sandbox().mwaaCalls()).length;
      const result = await migrate(env.Name, async () => {
        await sandbox().putObject(bucket, 'requirements.txt', REQUIREMENTS + 'pandas\n');
        return GO;
      });
      assert.equal(result.code, 'ChangedSinceRead');
      assert.equal((await updatesSince(mark)).length, 0);
      assert.equal((await sandbox().mwaaEnvironment(env.Name))?.StartupScriptS3Path, undefined);
    });
  });
});
