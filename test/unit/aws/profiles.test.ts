import assert from 'node:assert/strict';
import { createAwsServices } from '../../../src/aws';
import { listProfiles } from '../../../src/aws/profiles';
import { tempAws, type TempAws } from './tempAws';

const CONFIG = `
[default]
region = us-west-2

[profile dev]
region = eu-west-1

[profile sso-user]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = Dev
region = eu-central-1

[profile legacy-sso]
sso_start_url = https://example.awsapps.com/start
sso_region = us-east-1
sso_account_id = 444455556666
sso_role_name = Dev

[sso-session corp]
sso_start_url = https://example.awsapps.com/start
sso_region = us-east-1

[services local]
s3 =
  endpoint_url = http://127.0.0.1:9

[profile deployer]
role_arn = arn:aws:iam::210987654321:role/deploy
source_profile = dev

[profile ec2role]
role_arn = arn:aws:iam::777788889999:role/fromInstance
credential_source = Ec2InstanceMetadata

[profile mfa-admin]
role_arn = arn:aws:iam::123456789012:role/admin
source_profile = dev
mfa_serial = arn:aws:iam::000000000000:mfa/me

[profile proc]
credential_process = /bin/echo {}

[profile webid]
role_arn = arn:aws:iam::333344445555:role/web
web_identity_token_file = /tmp/token

[profile cfgkeys]
aws_access_key_id = AKIDEXAMPLECONFIG001
aws_secret_access_key = synthetic-secret-config

[profile empty]
output = json
`;

const CREDENTIALS = `
[dev]
aws_access_key_id = AKIDEXAMPLEDEV000001
aws_secret_access_key = synthetic-secret-dev

[ops]
aws_access_key_id = AKIDEXAMPLEOPS000001
aws_secret_access_key = synthetic-secret-ops
`;

describe('aws/profiles', () => {
  let t: TempAws;
  beforeEach(() => {
    t = tempAws();
  });
  afterEach(() => t.remove());

  it('lists every profile with its kind, region and account; sso-session and services sections are left out', async () => {
    t.writeConfig(CONFIG);
    t.writeCredentials(CREDENTIALS);
    const profiles = await listProfiles(t.env);
    const byName = Object.fromEntries(profiles.map((p) => [p.name, p]));
    assert.deepEqual(Object.keys(byName).sort(), ['cfgkeys', 'default', 'deployer', 'dev', 'ec2role', 'empty', 'legacy-sso', 'mfa-admin', 'ops', 'proc', 'sso-user', 'webid']);
    assert.deepEqual(byName['dev'], { name: 'dev', kind: 'static', region: 'eu-west-1' });
    assert.deepEqual(byName['ops'], { name: 'ops', kind: 'static' });
    assert.deepEqual(byName['cfgkeys'], { name: 'cfgkeys', kind: 'static' });
    assert.deepEqual(byName['sso-user'], { name: 'sso-user', kind: 'sso', region: 'eu-central-1', accountId: '111122223333' });
    assert.deepEqual(byName['legacy-sso'], { name: 'legacy-sso', kind: 'sso', accountId: '444455556666' });
    assert.deepEqual(byName['deployer'], { name: 'deployer', kind: 'role', accountId: '210987654321' });
    assert.deepEqual(byName['ec2role'], { name: 'ec2role', kind: 'role', accountId: '777788889999' });
    assert.deepEqual(byName['mfa-admin'], { name: 'mfa-admin', kind: 'role-mfa', accountId: '123456789012' });
    assert.deepEqual(byName['proc'], { name: 'proc', kind: 'process' });
    assert.deepEqual(byName['webid'], { name: 'webid', kind: 'web-identity', accountId: '333344445555' });
    assert.deepEqual(byName['empty'], { name: 'empty', kind: 'unknown' });
    assert.deepEqual(byName['default'], { name: 'default', kind: 'unknown', region: 'us-west-2' });
  });

  it('re-reads a file edited between two calls', async () => {
    t.writeConfig('[profile first]\nregion = us-east-1\n');
    assert.deepEqual((await listProfiles(t.env)).map((p) => p.name), ['first']);
    t.writeConfig('[profile first]\nregion = us-east-2\n[profile second]\nregion = us-east-1\n');
    const again = await listProfiles(t.env);
    assert.deepEqual(again.map((p) => [p.name, p.region]), [['first', 'us-east-2'], ['second', 'us-east-1']]);
  });

  it('treats missing files as no profiles, not a crash', async () => {
    assert.deepEqual(await listProfiles(t.env), []);
    const services = createAwsServices({ env: t.env });
    assert.equal(await services.defaultProfile(), undefined);
  });

  describe('defaultProfile', () => {
    it('prefers AWS_PROFILE', async () => {
      t.writeConfig(CONFIG);
      const services = createAwsServices({ env: { ...t.env, AWS_PROFILE: 'ops' } });
      assert.equal(await services.defaultProfile(), 'ops');
    });
    it('falls back to default when it exists', async () => {
      t.writeConfig(CONFIG);
      assert.equal(await createAwsServices({ env: t.env }).defaultProfile(), 'default');
    });
    it('is undefined when there is no AWS_PROFILE and no default', async () => {
      t.writeCredentials(CREDENTIALS);
      assert.equal(await createAwsServices({ env: t.env }).defaultProfile(), undefined);
    });
    it('finds a default that exists only in the credentials file', async () => {
      t.writeCredentials('[default]\naws_access_key_id = AKIDEXAMPLEDEF000001\naws_secret_access_key = x\n');
      assert.equal(await createAwsServices({ env: t.env }).defaultProfile(), 'default');
    });
  });
});
