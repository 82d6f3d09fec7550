/** The AWS layer's S3 text reads and conditional writes against real radosgw (behind the If-Match proxy). */
import assert from 'node:assert/strict';
import { CreateBucketCommand, PutBucketPolicyCommand } from '@aws-sdk/client-s3';
import { createAwsServices } from '../../src/aws';
import type { AwsServices, S3TextObject } from '../../src/aws/api';
import { SANDBOX_KMS_KEY_ID, SEED, SEED_METADATA, indexUrl, type Sandbox } from '../support/sandbox';
import { getSandbox } from './fixture';
import { assertNoSecrets, bytesDirect, freshKey, headDirect, putDirect, refresherCode, sha, tagsDirect } from './awsHelpers';

describe('aws layer: S3 text objects (radosgw)', function () {
  this.timeout(60_000);
  let sb: Sandbox;
  let services: AwsServices;
  const lines: string[] = [];

  before(async function () {
    this.timeout(120_000);
    sb = await getSandbox();
    services = createAwsServices({ env: sb.env, log: (l) => lines.push(l) });
  });
  after(() => {
    services?.dispose();
    assertNoSecrets(lines, [sb.seedTokens.primary, sb.seedTokens.second, ...sb.codeartifact.issuedTokens, 'sandbox/dev/secret', 'sandbox/ops/secret']);
  });

  const loc = (key: string, bucket?: string) => ({ bucket: bucket ?? sb.bucket, key });

  it('reads the seeded text with its ETag (as S3 returned it), VersionId and ContentType', async () => {
    const obj = await services.readObject(loc(SEED.codeartifactKey), { profile: 'dev' });
    const head = await headDirect(sb, SEED.codeartifactKey);
    assert.ok(obj.text === `--extra-index-url ${indexUrl(sb.seedTokens.primary)}\n`, 'text differs from the seeded object');
    assert.equal(obj.etag, head.ETag);
    assert.match(obj.etag, /^"[0-9a-f]{32}"$/);
    assert.equal(obj.versionId, head.VersionId);
    assert.ok(obj.versionId, 'versioned bucket: a VersionId is expected');
    assert.equal(obj.contentType, 'text/plain');
    assert.equal(obj.size, Number(head.ContentLength));
    assert.ok(lines.some((l) => l.startsWith(`s3:GetObject profile=dev bucket=${sb.bucket} key=${SEED.codeartifactKey} status=200`)), 'no log line for the read');
  });

  it('reads metadata, CacheControl, ContentDisposition and SSE-KMS settings', async function () {
    const obj = await services.readObject(loc(SEED.metadataKey), { profile: 'ops' });
    assert.equal(obj.contentType, SEED_METADATA.contentType);
    assert.equal(obj.cacheControl, SEED_METADATA.cacheControl);
    assert.equal(obj.contentDisposition, SEED_METADATA.contentDisposition);
    assert.deepEqual(obj.metadata, SEED_METADATA.metadata);
    if (sb.sseKms) {
      assert.equal(obj.serverSideEncryption, 'aws:kms');
      assert.equal(obj.sseKmsKeyId, SANDBOX_KMS_KEY_ID);
    }
  });

  it('conditional write: new ETag and VersionId, and every setting carried over (checked with HeadObject)', async () => {
    const key = freshKey('carry');
    await putDirect(sb, key, 'before\n', {
      ContentType: SEED_METADATA.contentType,
      CacheControl: SEED_METADATA.cacheControl,
      ContentDisposition: 'attachment; filename="codeartifact.txt"',
      ContentLanguage: 'en',
      Metadata: { owner: 'data-team', purpose: 'pip-config' },
      ...(sb.sseKms ? { ServerSideEncryption: 'aws:kms' as const, SSEKMSKeyId: SANDBOX_KMS_KEY_ID } : {}),
    });
    const read = await services.readObject(loc(key), { profile: 'dev' });
    const written = await services.writeObject(read, 'after\n', { profile: 'dev' });
    const head = await headDirect(sb, key);
    assert.equal(written.etag, head.ETag);
    assert.notEqual(written.etag, read.etag);
    assert.ok(written.versionId && written.versionId !== read.versionId, 'a new VersionId is expected');
    assert.equal(head.VersionId, written.versionId);
    assert.equal(head.ContentType, SEED_METADATA.contentType);
    assert.equal(head.CacheControl, SEED_METADATA.cacheControl);
    assert.equal(head.ContentDisposition, 'attachment; filename="codeartifact.txt"');
    assert.equal(head.ContentLanguage, 'en');
    assert.deepEqual(head.Metadata, { owner: 'data-team', purpose: 'pip-config' });
    if (sb.sseKms) {
      assert.equal(head.ServerSideEncryption, 'aws:kms');
      assert.equal(head.SSEKMSKeyId, SANDBOX_KMS_KEY_ID);
    }
    assert.equal((await bytesDirect(sb, key)).toString('utf8'), 'after\n');
  });

  it('a tagged object keeps its tags (spaces, "+", "=", "/" and ":" included) through read -> write', async () => {
    const key = freshKey('tagged');
    const tags: [string, string][] = [['cost-center', 'data platform/ML'], ['owner', 'a+b=c:d@e']];
    await putDirect(sb, key, 'before\n', { ContentType: 'text/plain', Tagging: tags.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&') });
    assert.deepEqual(await tagsDirect(sb, key), tags, 'seeded tags');
    const read = await services.readObject(loc(key), { profile: 'dev' });
    assert.deepEqual(read.tags?.map((t) => [t.key, t.value]).sort(([a], [b]) => a.localeCompare(b)), tags);
    await services.writeObject(read, 'after\n', { profile: 'dev' });
    assert.equal((await bytesDirect(sb, key)).toString('utf8'), 'after\n');
    assert.deepEqual(await tagsDirect(sb, key), tags, 'the new version has the same tags');
  });

  it('an object without tags is read without a tagging call, and written without tags', async () => {
    const key = freshKey('untagged');
    await putDirect(sb, key, 'before\n');
    const requests = sb.s3proxy.requests;
    const read = await services.readObject(loc(key), { profile: 'dev' });
    assert.equal(sb.s3proxy.requests - requests, 1, 'one GetObject, no GetObjectTagging');
    assert.equal(read.tags, undefined);
    await services.writeObject(read, 'after\n', { profile: 'dev' });
    assert.deepEqual(await tagsDirect(sb, key), []);
  });

  it('tags the profile may not read: the text is still read; the write is refused naming s3:GetObjectTagging, nothing is sent', async () => {
    const bucket = `tags-denied-${process.pid}`;
    await sb.admin.send(new CreateBucketCommand({ Bucket: bucket }));
    const everyone = ['sandbox-admin', 'default', 'dev', 'ops'].map((u) => `arn:aws:iam:::user/${u}`);
    const policy = {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { AWS: everyone }, Action: ['s3:*'], Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`] },
        { Effect: 'Deny', Principal: { AWS: ['arn:aws:iam:::user/dev'] }, Action: ['s3:GetObjectTagging'], Resource: [`arn:aws:s3:::${bucket}/*`] },
      ],
    };
    await sb.admin.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify(policy) }));
    await putDirect(sb, 'dags/codeartifact.txt', 'tagged\n', { Tagging: 'team=data' }, bucket);
    const before = await headDirect(sb, 'dags/codeartifact.txt', bucket);
    const read = await services.readObject(loc('dags/codeartifact.txt', bucket), { profile: 'dev' });
    assert.equal(read.text, 'tagged\n', 'the text is read (shown, tracked) even without the tags');
    assert.equal(read.unreadableTags, 1);
    const puts = sb.s3proxy.conditionalPuts;
    await assert.rejects(
      services.writeObject(read, 'after\n', { profile: 'dev' }),
      refresherCode('S3AccessDenied', (e) => /may not read the 1 tag\(s\) of arn:aws:s3:::tags-denied-\d+\/dags\/codeartifact\.txt.*nothing was written/.test(e.message) && /s3:GetObjectTagging and s3:PutObjectTagging/.test(e.fix ?? '')),
    );
    assert.equal(sb.s3proxy.conditionalPuts, puts, 'no PUT was sent');
    assert.equal((await headDirect(sb, 'dags/codeartifact.txt', bucket)).ETag, before.ETag);
    const ops = await services.readObject(loc('dags/codeartifact.txt', bucket), { profile: 'ops' });
    assert.deepEqual(ops.tags, [{ key: 'team', value: 'data' }], 'a profile allowed to read them gets them');
  });

  it('a stale ETag gives ChangedSinceRead and leaves the object as it was', async () => {
    const key = freshKey('stale');
    await putDirect(sb, key, 'v1\n', { ContentType: 'text/plain' });
    const stale = await services.readObject(loc(key), { profile: 'dev' });
    await putDirect(sb, key, 'changed by someone else\n', { ContentType: 'text/plain' });
    const before = await headDirect(sb, key);
    await assert.rejects(services.writeObject(stale, 'mine\n', { profile: 'dev' }), refresherCode('ChangedSinceRead', (e) => e.message.includes('nothing was written') && e.message.includes(key)));
    const after = await headDirect(sb, key);
    assert.equal(after.ETag, before.ETag);
    assert.equal(after.VersionId, before.VersionId);
    assert.equal((await bytesDirect(sb, key)).toString('utf8'), 'changed by someone else\n');
  });

  it('missing bucket -> NoSuchBucket, missing key -> NoSuchKey', async () => {
    await assert.rejects(services.readObject(loc('x.txt', 'no-such-bucket-here'), { profile: 'dev' }), refresherCode('NoSuchBucket', (e) => e.message.includes('no-such-bucket-here')));
    await assert.rejects(services.readObject(loc('dags/nope.txt'), { profile: 'dev' }), refresherCode('NoSuchKey', (e) => e.message.includes(`s3://${sb.bucket}/dags/nope.txt`)));
  });

  it('refuses an object over 1 MiB (ObjectTooLarge) and binary bytes (NotText)', async () => {
    await assert.rejects(services.readObject(loc(SEED.largeKey), { profile: 'dev' }), refresherCode('ObjectTooLarge', (e) => e.message.includes(SEED.largeKey)));
    await assert.rejects(services.readObject(loc(SEED.binaryKey), { profile: 'dev' }), refresherCode('NotText', (e) => e.message.includes(SEED.binaryKey)));
    const nul = freshKey('nul');
    await putDirect(sb, nul, Buffer.from('looks like text\u0000but has a NUL\n'));
    await assert.rejects(services.readObject(loc(nul), { profile: 'dev' }), refresherCode('NotText'));
    const latin1 = freshKey('latin1');
    await putDirect(sb, latin1, Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a])); // "café" in Latin-1: invalid UTF-8
    await assert.rejects(services.readObject(loc(latin1), { profile: 'dev' }), refresherCode('NotText'));
  });

  it('keeps a BOM and CRLF line endings byte-for-byte through read -> write', async () => {
    const key = freshKey('bom-crlf');
    const original = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('--index-url https://example.invalid/simple/\r\nboto3==1.34.0\r\n')]);
    await putDirect(sb, key, original, { ContentType: 'text/plain' });
    const obj = await services.readObject(loc(key), { profile: 'dev' });
    assert.equal(obj.text.charCodeAt(0), 0xfeff);
    assert.ok(obj.text.includes('\r\n'));
    await services.writeObject(obj, obj.text, { profile: 'dev' });
    assert.equal(sha(await bytesDirect(sb, key)), sha(original));
  });

  it('the seeded CRLF object (two domains) round-trips unchanged (copied first: seeded objects stay as seeded)', async () => {
    const seeded = await bytesDirect(sb, SEED.crlfKey, SEED.crlfBucket);
    const key = freshKey('crlf-copy');
    await putDirect(sb, key, seeded, { ContentType: 'text/plain' }, SEED.crlfBucket);
    const obj = await services.readObject(loc(key, SEED.crlfBucket), { profile: 'ops' });
    await services.writeObject(obj, obj.text, { profile: 'ops' });
    assert.equal(sha(await bytesDirect(sb, key, SEED.crlfBucket)), sha(seeded));
  });

  it('an already-aborted signal never sends the PUT; the object is unchanged', async () => {
    const key = freshKey('abort-write');
    await putDirect(sb, key, 'keep me\n');
    const obj: S3TextObject = await services.readObject(loc(key), { profile: 'dev' });
    const putsBefore = sb.s3proxy.conditionalPuts;
    const requestsBefore = sb.s3proxy.requests;
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(services.writeObject(obj, 'overwritten\n', { profile: 'dev', signal: ac.signal }), refresherCode('Cancelled'));
    assert.equal(sb.s3proxy.conditionalPuts, putsBefore);
    assert.equal(sb.s3proxy.requests, requestsBefore);
    assert.equal((await bytesDirect(sb, key)).toString('utf8'), 'keep me\n');
  });
});
