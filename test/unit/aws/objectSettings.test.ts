/** What a rewrite of an S3 object keeps: the PutObject fields built from what GetObject returned. */
import * as assert from 'node:assert/strict';
import type { GetObjectCommandOutput } from '@aws-sdk/client-s3';
import type { S3TextObject } from '../../../src/aws/api';
import { carryOver, settingsOf } from '../../../src/aws/objectSettings';

const location = { bucket: 'b', key: 'dags/codeartifact.txt' };

function read(out: Partial<GetObjectCommandOutput>, extra: Partial<S3TextObject> = {}): S3TextObject {
  return { location, text: 'x', ...settingsOf({ $metadata: {}, ...out } as GetObjectCommandOutput), size: 1, ...extra };
}

describe('object settings carried over on write', () => {
  it('a non-STANDARD storage class is kept; STANDARD, none, and the archive classes are not sent', () => {
    assert.equal(carryOver(read({ StorageClass: 'STANDARD_IA' }), 'dev').StorageClass, 'STANDARD_IA');
    assert.equal(carryOver(read({ StorageClass: 'INTELLIGENT_TIERING' }), 'dev').StorageClass, 'INTELLIGENT_TIERING');
    assert.equal('StorageClass' in carryOver(read({ StorageClass: 'STANDARD' }), 'dev'), false);
    assert.equal('StorageClass' in carryOver(read({}), 'dev'), false);
    for (const archive of ['GLACIER', 'DEEP_ARCHIVE'] as const) {
      assert.equal('StorageClass' in carryOver(read({ StorageClass: archive }), 'dev'), false, `${archive}: a new version must be readable at once`);
    }
    assert.equal(carryOver(read({ StorageClass: 'GLACIER_IR' }), 'dev').StorageClass, 'GLACIER_IR', 'instant retrieval is readable: kept');
  });

  it('tags become x-amz-tagging with every key and value percent-encoded; no tags, no header', () => {
    const input = carryOver(read({}, { tags: [{ key: 'cost center', value: 'a+b=c/d:e@f&g' }, { key: 'owner', value: '' }] }), 'dev');
    assert.equal(input.Tagging, 'cost%20center=a%2Bb%3Dc%2Fd%3Ae%40f%26g&owner=');
    assert.deepEqual(Object.fromEntries(new URLSearchParams(input.Tagging!)), { 'cost center': 'a+b=c/d:e@f&g', owner: '' }, 'decodes back to the same tags');
    assert.equal('Tagging' in carryOver(read({}, { tags: [] }), 'dev'), false);
  });

  it('tags the profile could not read: the write is refused before anything is sent, naming both permissions', () => {
    assert.throws(
      () => carryOver(read({}, { unreadableTags: 2 }), 'dev'),
      (e: Error & { code?: string; fix?: string }) =>
        e.code === 'S3AccessDenied' && /Profile "dev" may not read the 2 tag\(s\) of arn:aws:s3:::b\/dags\/codeartifact\.txt.*nothing was written/.test(e.message) && /s3:GetObjectTagging and s3:PutObjectTagging/.test(e.fix ?? ''),
    );
  });

  it('SSE-KMS keeps its key and bucket key; SSE-S3 sends no KMS fields; content headers and metadata are kept', () => {
    const kms = carryOver(read({ ServerSideEncryption: 'aws:kms', SSEKMSKeyId: 'arn:aws:kms:us-east-1:111122223333:key/k', BucketKeyEnabled: true }), 'dev');
    assert.deepEqual([kms.ServerSideEncryption, kms.SSEKMSKeyId, kms.BucketKeyEnabled], ['aws:kms', 'arn:aws:kms:us-east-1:111122223333:key/k', true]);
    const s3 = carryOver(read({ ServerSideEncryption: 'AES256', SSEKMSKeyId: 'ignored', BucketKeyEnabled: true }), 'dev');
    assert.deepEqual([s3.ServerSideEncryption, 'SSEKMSKeyId' in s3, 'BucketKeyEnabled' in s3], ['AES256', false, false]);
    const headers = carryOver(read({ ContentType: 'text/plain; charset=utf-8', CacheControl: 'no-cache', ContentEncoding: 'identity', ContentDisposition: 'inline', ContentLanguage: 'en', Metadata: { team: 'data' } }), 'dev');
    assert.deepEqual(
      [headers.ContentType, headers.CacheControl, headers.ContentEncoding, headers.ContentDisposition, headers.ContentLanguage, headers.Metadata],
      ['text/plain; charset=utf-8', 'no-cache', 'identity', 'inline', 'en', { team: 'data' }],
    );
  });
});
