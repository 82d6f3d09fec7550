/**
 * An IAM Identity Center (SSO) profile end to end in the real editor (issue 11): the profile `sso-user` (session `corp`,
 * portal reached through AWS_ENDPOINT_URL_SSO) gets its credentials from the local SSO portal with the access token
 * cached the way the AWS CLI caches it (~/.aws/sso/cache/<sha1(session name)>.json); once that cache has expired there
 * is ONE notification naming `aws sso login --profile sso-user`; after a fresh cache file is written, the next refresh
 * works without a reload. Driven through the terminal environment (the workspace's pip.conf references
 * ${CODEARTIFACT_AUTH_TOKEN}), which refreshes itself.
 */
import * as assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TerminalEnvironment } from '../../src/ui/environment/service';
import { api, dismissAll, sandbox, stubMark, tokenCallsSince, type TestApi } from './helpers';

type EnvApi = TestApi & { environment: TerminalEnvironment };

const HOME = process.env.HOME ?? '';
const CACHE = path.join(HOME, '.aws', 'sso', 'cache', `${createHash('sha1').update('corp').digest('hex')}.json`);

/** The cache file as `aws sso login` writes it (for an sso-session: keyed by the session name). */
function writeCache(accessToken: string, expiresInSeconds: number): void {
  fs.mkdirSync(path.dirname(CACHE), { recursive: true });
  const expiresAt = new Date(Date.now() + expiresInSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  fs.writeFileSync(CACHE, JSON.stringify({ startUrl: 'https://corp-sandbox.awsapps.com/start', region: 'us-east-1', accessToken, expiresAt }));
}

const newAccessToken = () => `aoa${randomBytes(24).toString('base64url')}`;

describe('IAM Identity Center (SSO) profile, end to end (issue 11)', function () {
  let a: EnvApi;

  before(async () => {
    a = (await api()) as EnvApi;
    dismissAll(a);
    await a.deps.profiles.choose('sso-user');
    // Role credentials that need resolving again on every call (inside the SDK's 5-minute window), as they do an hour
    // after `aws sso login`: the cache file is read again each time.
    await sandbox().ssoLifetime(240);
  });

  after(async () => {
    await sandbox().ssoLifetime(3600);
    fs.rmSync(CACHE, { force: true });
    await a.deps.profiles.choose('dev');
  });

  it('with a valid cached access token, the token call is signed with the temporary keys the SSO portal issued', async () => {
    const token = newAccessToken();
    await sandbox().ssoSession(token);
    writeCache(token, 3600);
    const portal = (await sandbox().ssoCalls()).length;
    const mark = await stubMark();
    await a.environment.start();
    assert.equal(a.environment.last?.status, 'written', JSON.stringify(a.environment.last));
    const calls = await tokenCallsSince(mark);
    const sso = (await sandbox().ssoCalls()).slice(portal).filter((c) => c.ok);
    assert.ok(sso.length >= 1, 'the portal was asked for role credentials');
    assert.ok(calls.length >= 1 && calls.every((c) => c.sessionToken && sso.some((s) => s.issuedAccessKeyId === c.accessKeyId)), 'signed with the portal-issued temporary key');
  });

  it('once the cache expires: one notification naming `aws sso login --profile sso-user`; a fresh cache file then works without a reload', async () => {
    writeCache(newAccessToken(), -60);
    const shown = a.deps.prompts.shown.length;
    const mark = await stubMark();
    for (let i = 0; i < 3; i++) await a.environment.start();
    const warnings = a.deps.prompts.shown.slice(shown).filter((p) => p.kind === 'warning' && /aws sso login --profile sso-user/.test(p.message));
    assert.equal(warnings.length, 1, `one notification over three failed runs: ${JSON.stringify(a.deps.prompts.shown.slice(shown).map((p) => p.message))}`);
    assert.equal((await sandbox().calls()).length, mark.calls, 'no token call without credentials');

    // `aws sso login` again: a new access token, accepted by the portal and cached the CLI's way.
    const fresh = newAccessToken();
    await sandbox().ssoSession(fresh);
    writeCache(fresh, 3600);
    const portal = (await sandbox().ssoCalls()).length;
    await a.environment.start();
    assert.equal(a.environment.last?.status, 'written', 'the next refresh works with the new cache, no reload');
    const sso = (await sandbox().ssoCalls()).slice(portal);
    assert.ok(sso.some((c) => c.ok), 'credentials came from the portal with the fresh token');
  });
});
