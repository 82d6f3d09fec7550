import assert from 'node:assert/strict';
import { isRefresherError } from '../../../src/core/errors';
import { CredentialCache } from '../../../src/aws/credentials';
import { tempAws, type TempAws } from './tempAws';

const keys = (akid: string) => `[dev]\naws_access_key_id = ${akid}\naws_secret_access_key = synthetic-secret\n`;

describe('aws/credentials CredentialCache', () => {
  let t: TempAws;
  beforeEach(() => {
    t = tempAws();
  });
  afterEach(() => t.remove());

  it('resolves a static profile and memoizes it (no re-read until invalidated)', async () => {
    t.writeCredentials(keys('AKIDEXAMPLEFIRST0001'));
    const cache = new CredentialCache({ env: t.env });
    assert.equal((await cache.get('dev')).accessKeyId, 'AKIDEXAMPLEFIRST0001');
    t.writeCredentials(keys('AKIDEXAMPLESECOND001'));
    assert.equal((await cache.get('dev')).accessKeyId, 'AKIDEXAMPLEFIRST0001');
    cache.invalidate('dev');
    assert.equal((await cache.get('dev')).accessKeyId, 'AKIDEXAMPLESECOND001');
  });

  it('rebuilds the provider after a failure, so a fixed file is picked up without invalidate()', async () => {
    const cache = new CredentialCache({ env: t.env });
    await assert.rejects(cache.get('dev'), (e: Error) => /dev/.test(e.message));
    t.writeCredentials(keys('AKIDEXAMPLEFIXED0001'));
    assert.equal((await cache.get('dev')).accessKeyId, 'AKIDEXAMPLEFIXED0001');
  });

  it('shares one resolution between concurrent callers', async () => {
    t.writeCredentials(keys('AKIDEXAMPLESHARED001'));
    const cache = new CredentialCache({ env: t.env });
    const [a, b] = await Promise.all([cache.get('dev'), cache.get('dev')]);
    assert.equal(a, b);
  });

  it('reports every resolved secret so logs can redact it', async () => {
    t.writeCredentials(keys('AKIDEXAMPLESECRETS01'));
    const seen: (string | undefined)[] = [];
    await new CredentialCache({ env: t.env, onSecret: (s) => seen.push(s) }).get('dev');
    assert.ok(seen.includes('synthetic-secret'), 'secret key not reported');
  });

  describe('MFA', () => {
    const config = '[profile mfa-admin]\nrole_arn = arn:aws:iam::123456789012:role/admin\nsource_profile = dev\nmfa_serial = arn:aws:iam::123456789012:mfa/me\n';
    it('asks the callback with the serial and profile; an empty answer is MfaRequired', async () => {
      t.writeConfig(config);
      t.writeCredentials(keys('AKIDEXAMPLEMFASRC001'));
      const asked: string[][] = [];
      const cache = new CredentialCache({ env: t.env, mfaCodeProvider: async (serial, profile) => (asked.push([serial, profile]), '') });
      await assert.rejects(cache.get('mfa-admin'), (e: unknown) => isRefresherError(e) && e.code === 'MfaRequired');
      assert.deepEqual(asked, [['arn:aws:iam::123456789012:mfa/me', 'mfa-admin']]);
    });
    it('a rejected prompt and a missing callback are MfaRequired too', async () => {
      t.writeConfig(config);
      t.writeCredentials(keys('AKIDEXAMPLEMFASRC001'));
      const rejecting = new CredentialCache({ env: t.env, mfaCodeProvider: () => Promise.reject(new Error('dismissed')) });
      await assert.rejects(rejecting.get('mfa-admin'), (e: unknown) => isRefresherError(e) && e.code === 'MfaRequired');
      await assert.rejects(new CredentialCache({ env: t.env }).get('mfa-admin'), (e: unknown) => isRefresherError(e) && e.code === 'MfaRequired');
    });
  });
});
