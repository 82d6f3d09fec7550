/** Shared config/credentials files that cannot be read or parsed are a RefresherError naming the file, never raw. */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeError, isRefresherError } from '../../../src/core/errors';
import { createAwsServices } from '../../../src/aws';
import { readSharedFiles } from '../../../src/aws/files';
import { tempAws, type TempAws } from './tempAws';

const REQUEST = { domain: 'acme', domainOwner: '111122223333', region: 'eu-west-1' };

describe('aws/files: unreadable shared files', () => {
  let t: TempAws;
  beforeEach(() => {
    t = tempAws({ AWS_ENDPOINT_URL_CODEARTIFACT: 'http://127.0.0.1:9' });
  });
  afterEach(() => t.remove());

  const names = (file: string, fix: RegExp) => (e: unknown) => {
    if (!isRefresherError(e)) throw new Error(`not a RefresherError: ${String(e)}`);
    assert.equal(e.code, 'ConfigFileUnreadable', describeError(e));
    assert.ok(e.message.includes(file), `message does not name ${file}: ${e.message}`);
    assert.match(e.fix ?? '', fix);
    return true;
  };

  it('AWS_CONFIG_FILE pointing to a directory: getToken, listProfiles and defaultProfile name the file and the fix', async () => {
    const dir = join(t.dir, 'config-dir');
    mkdirSync(dir);
    t.writeCredentials('[dev]\naws_access_key_id = AKIDEXAMPLEDEV000003\naws_secret_access_key = synthetic-secret\n');
    const services = createAwsServices({ env: { ...t.env, AWS_CONFIG_FILE: dir } });
    await assert.rejects(services.getToken(REQUEST, { profile: 'dev', durationSeconds: 900 }), names(dir, /AWS_CONFIG_FILE/));
    await assert.rejects(services.listProfiles(), names(dir, /AWS_CONFIG_FILE/));
    await assert.rejects(services.defaultProfile(), names(dir, /AWS_CONFIG_FILE/));
    services.dispose();
  });

  it('AWS_SHARED_CREDENTIALS_FILE pointing to a directory names that file', async () => {
    const dir = join(t.dir, 'creds-dir');
    mkdirSync(dir);
    await assert.rejects(readSharedFiles({ ...t.env, AWS_SHARED_CREDENTIALS_FILE: dir }), names(dir, /AWS_SHARED_CREDENTIALS_FILE/));
  });

  it('a malformed file (a line that is neither a section, a key = value nor a continuation) names the file and line', async () => {
    t.writeConfig('[profile dev]\nregion = eu-west-1\nthis line is not ini\n');
    await assert.rejects(createAwsServices({ env: t.env }).listProfiles(), (e: unknown) => names(join(t.dir, 'config'), /line 3/)(e));
  });

  it('a section the SDK refuses ([profile __proto__]) is malformed too, not an empty file', async () => {
    t.writeConfig('[profile __proto__]\nregion = eu-west-1\n');
    await assert.rejects(readSharedFiles(t.env), names(join(t.dir, 'config'), /line 1/));
  });

  it('missing files are still empty (no error), and comments, blank lines and sub-sections are fine', async () => {
    assert.deepEqual(await readSharedFiles(t.env), { config: {}, credentials: {} });
    t.writeConfig('# comment\n; other comment\n\n[profile dev]\nregion = eu-west-1 # trailing\nservices = local\n\n[services local]\ns3 =\n  endpoint_url = http://127.0.0.1:1\n');
    const files = await readSharedFiles(t.env);
    assert.equal(files.config.dev?.region, 'eu-west-1');
    assert.equal(files.config['services.local']?.['s3.endpoint_url'], 'http://127.0.0.1:1');
  });

  it('unreadable file content never shows in the message (a pasted secret stays out)', async () => {
    writeFileSync(join(t.dir, 'config'), '[profile dev]\nwJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n');
    await assert.rejects(readSharedFiles(t.env), (e: unknown) => isRefresherError(e) && !describeError(e).includes('wJalrXUtnFEMI'));
  });
});
