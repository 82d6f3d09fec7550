/**
 * An SSO profile whose `region` differs from its `sso_region` must send GetRoleCredentials to the sso_region's portal
 * (portal.sso.SSO_REGION.amazonaws.com). No network: DNS lookups are recorded and refused, so the host the SDK tried
 * is what the test sees. The SDK reads the SSO token cache under process.env.HOME, so HOME is pointed at a temp dir.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import dns from 'node:dns';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isRefresherError } from '../../../src/core/errors';
import { createAwsServices } from '../../../src/aws';
import { tempAws, type TempAws } from './tempAws';

const REQUEST = { domain: 'acme', domainOwner: '111122223333', region: 'eu-west-1' };

describe('aws SSO profile: the portal of sso_region, not of region', () => {
  let t: TempAws;
  let hosts: string[];
  const originalLookup = dns.lookup;
  const originalHome = process.env.HOME;
  beforeEach(() => {
    t = tempAws({ AWS_ENDPOINT_URL_CODEARTIFACT: 'http://127.0.0.1:9' });
    process.env.HOME = t.dir;
    hosts = [];
    (dns as { lookup: unknown }).lookup = (host: string, ...rest: unknown[]) => {
      hosts.push(host);
      const cb = rest[rest.length - 1] as (e: Error) => void;
      process.nextTick(cb, Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND', hostname: host }));
    };
  });
  afterEach(() => {
    (dns as { lookup: unknown }).lookup = originalLookup;
    process.env.HOME = originalHome;
    t.remove();
  });

  function cache(id: string): void {
    const dir = join(t.dir, '.aws', 'sso', 'cache');
    mkdirSync(dir, { recursive: true });
    const expiresAt = new Date(Date.now() + 3600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    writeFileSync(join(dir, `${createHash('sha1').update(id).digest('hex')}.json`), JSON.stringify({ startUrl: 'https://corp-unit.awsapps.com/start', region: 'us-west-2', accessToken: 'synthetic-sso-access-token', expiresAt }));
  }

  // Where the call went is what counts here; the DNS failure itself is mapped by errors.ts.
  const network = (e: unknown) => isRefresherError(e);

  it('sso-session profile: region eu-west-1, session sso_region us-west-2', async () => {
    t.writeConfig('[profile sso-dev]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Developer\nregion = eu-west-1\n\n[sso-session corp]\nsso_start_url = https://corp-unit.awsapps.com/start\nsso_region = us-west-2\n');
    cache('corp');
    const services = createAwsServices({ env: t.env });
    await assert.rejects(services.getToken(REQUEST, { profile: 'sso-dev', durationSeconds: 900 }), network);
    assert.ok(hosts.includes('portal.sso.us-west-2.amazonaws.com'), `hosts tried: ${hosts.join(', ')}`);
    assert.ok(!hosts.some((h) => h.includes('eu-west-1') && h.includes('sso')), `went to the profile region's portal: ${hosts.join(', ')}`);
    services.dispose();
  });

  it('legacy profile (sso_start_url and sso_region in the profile)', async () => {
    t.writeConfig('[profile sso-legacy]\nsso_start_url = https://corp-unit.awsapps.com/start\nsso_region = us-west-2\nsso_account_id = 111122223333\nsso_role_name = Developer\nregion = eu-west-1\n');
    cache('https://corp-unit.awsapps.com/start');
    const services = createAwsServices({ env: t.env });
    await assert.rejects(services.getToken(REQUEST, { profile: 'sso-legacy', durationSeconds: 900 }), network);
    assert.ok(hosts.includes('portal.sso.us-west-2.amazonaws.com'), `hosts tried: ${hosts.join(', ')}`);
    services.dispose();
  });

  it('AWS_ENDPOINT_URL_STS does not send the SSO call to STS; AWS_ENDPOINT_URL_SSO from the given env is used', async () => {
    t.writeConfig('[profile sso-dev]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Developer\nregion = eu-west-1\n\n[sso-session corp]\nsso_start_url = https://corp-unit.awsapps.com/start\nsso_region = us-west-2\n');
    cache('corp');
    const services = createAwsServices({ env: { ...t.env, AWS_ENDPOINT_URL_STS: 'http://sts.invalid:1', AWS_ENDPOINT_URL_SSO: 'http://portal.invalid:1' } });
    await assert.rejects(services.getToken(REQUEST, { profile: 'sso-dev', durationSeconds: 900 }), network);
    assert.ok(hosts.includes('portal.invalid'), `hosts tried: ${hosts.join(', ')}`);
    assert.ok(!hosts.includes('sts.invalid'), 'the SSO call went to the STS endpoint');
    services.dispose();
  });
});
