/**
 * SSO profiles against the local IAM Identity Center portal stub (AWS_ENDPOINT_URL_SSO) and the signed CodeArtifact
 * stub. The profile under test lives in a copy of the sandbox config (the sandbox's own profile list stays as it is);
 * the SDK reads the SSO token cache under process.env.HOME, so HOME points at a scratch folder during these tests.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createAwsServices } from '../../src/aws';
import type { TokenRequest } from '../../src/aws/api';
import { SANDBOX_ACCOUNT_ID, SEED, type Sandbox } from '../support/sandbox';
import { getSandbox } from './fixture';
import { refresherCode } from './awsHelpers';

const SESSION = 'corp-split';

describe('aws layer: SSO profiles (portal stub, sso_region != region)', function () {
  this.timeout(60_000);
  let sb: Sandbox;
  let home: string;
  let env: Record<string, string>;
  const originalHome = process.env.HOME;
  const req = (domain: string): TokenRequest => ({ domain, domainOwner: SANDBOX_ACCOUNT_ID, region: SEED.region });

  /** Writes the cache file the way the AWS CLI does: ~/.aws/sso/cache/<sha1(session name)>.json. */
  function writeCache(accessToken: string, expiresInSeconds: number): void {
    const dir = path.join(home, '.aws', 'sso', 'cache');
    fs.mkdirSync(dir, { recursive: true });
    const expiresAt = new Date(Date.now() + expiresInSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const body = { startUrl: 'https://corp-split-sandbox.awsapps.com/start', region: 'us-west-2', accessToken, expiresAt };
    fs.writeFileSync(path.join(dir, `${createHash('sha1').update(SESSION).digest('hex')}.json`), JSON.stringify(body));
  }
  const newAccessToken = () => `aoa${randomBytes(24).toString('base64url')}`;

  before(async function () {
    this.timeout(120_000);
    sb = await getSandbox();
    home = fs.mkdtempSync(path.join(sb.dir, 'sso-home-'));
    const config = path.join(home, 'config');
    fs.writeFileSync(config, `${fs.readFileSync(sb.configFile, 'utf8')}
[profile sso-split]
sso_session = ${SESSION}
sso_account_id = ${SANDBOX_ACCOUNT_ID}
sso_role_name = Developer
region = eu-west-1

[sso-session ${SESSION}]
sso_start_url = https://corp-split-sandbox.awsapps.com/start
sso_region = us-west-2
sso_registration_scopes = sso:account:access
`);
    env = { ...sb.env, AWS_CONFIG_FILE: config, HOME: home };
    process.env.HOME = home;
  });
  after(() => {
    process.env.HOME = originalHome;
  });

  it('region eu-west-1, sso_region us-west-2: the portal issues keys and the CodeArtifact stub accepts them', async () => {
    const accessToken = newAccessToken();
    sb.sso.addSession(accessToken, SANDBOX_ACCOUNT_ID);
    writeCache(accessToken, 3600);
    const services = createAwsServices({ env });
    const before = sb.sso.calls.length;
    const issued = await services.getToken(req('sso-split'), { profile: 'sso-split', durationSeconds: 900 });
    const portal = sb.sso.calls.slice(before);
    assert.equal(portal.length, 1);
    assert.ok(portal[0].ok && portal[0].roleName === 'Developer' && portal[0].accountId === SANDBOX_ACCOUNT_ID, 'GetRoleCredentials not answered');
    const call = sb.codeartifact.calls.filter((c) => c.domain === 'sso-split').at(-1);
    assert.equal(call?.accessKeyId, portal[0].issuedAccessKeyId, 'signed with the key the portal issued');
    assert.ok(call?.sessionToken, 'with its session token');
    assert.ok(sb.codeartifact.issuedTokens.includes(issued.token), 'token not issued by the stub');
    services.dispose();
  });

  it('expired cache -> SsoLoginRequired naming `aws sso login --profile sso-split`; the portal is not called', async () => {
    writeCache(newAccessToken(), -60);
    const services = createAwsServices({ env });
    const before = sb.sso.calls.length;
    await assert.rejects(services.getToken(req('sso-expired'), { profile: 'sso-split', durationSeconds: 900 }), refresherCode('SsoLoginRequired', (e) => (e.fix ?? '').includes('aws sso login --profile sso-split')));
    assert.equal(sb.sso.calls.length, before);
    services.dispose();
  });

  it('revoked session (portal answers 401) -> SsoLoginRequired; a fresh cache file then works without a new services object', async () => {
    const revoked = newAccessToken();
    sb.sso.addSession(revoked, SANDBOX_ACCOUNT_ID);
    sb.sso.revoke(revoked);
    writeCache(revoked, 3600);
    const services = createAwsServices({ env });
    const before = sb.sso.calls.length;
    await assert.rejects(services.getToken(req('sso-revoked'), { profile: 'sso-split', durationSeconds: 900 }), refresherCode('SsoLoginRequired', (e) => (e.fix ?? '').includes('aws sso login --profile sso-split')));
    assert.equal(sb.sso.calls.slice(before).map((c) => c.status).join(','), '401');

    const fresh = newAccessToken(); // as if `aws sso login` ran in a terminal
    sb.sso.addSession(fresh, SANDBOX_ACCOUNT_ID);
    writeCache(fresh, 3600);
    const issued = await services.getToken(req('sso-revoked'), { profile: 'sso-split', durationSeconds: 900 });
    assert.ok(sb.codeartifact.issuedTokens.includes(issued.token), 'token not issued by the stub');
    services.dispose();
  });
});
