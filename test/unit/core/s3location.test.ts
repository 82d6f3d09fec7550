import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatS3Uri, isRefresherError, parseS3Location, validateS3Uri, type S3Location } from '../../../src/core';

describe('core/s3location', () => {
  const ok: Array<[string, S3Location]> = [
    ['s3://my-bucket/dags/codeartifact.txt', { bucket: 'my-bucket', key: 'dags/codeartifact.txt' }],
    ['  s3://my-bucket/codeartifact.txt \n', { bucket: 'my-bucket', key: 'codeartifact.txt' }],
    ['S3://my.bucket.1/a b/c%20d.txt', { bucket: 'my.bucket.1', key: 'a b/c%20d.txt' }],
    ['https://my-bucket.s3.us-west-2.amazonaws.com/dags/code%20artifact.txt', { bucket: 'my-bucket', key: 'dags/code artifact.txt', region: 'us-west-2' }],
    ['https://my-bucket.s3.amazonaws.com/dags/a.txt', { bucket: 'my-bucket', key: 'dags/a.txt' }],
    ['https://my-bucket.s3-eu-west-1.amazonaws.com/a.txt', { bucket: 'my-bucket', key: 'a.txt', region: 'eu-west-1' }],
    ['https://s3.ap-south-1.amazonaws.com/my-bucket/x/y.txt', { bucket: 'my-bucket', key: 'x/y.txt', region: 'ap-south-1' }],
    ['https://s3.amazonaws.com/my-bucket/y.txt', { bucket: 'my-bucket', key: 'y.txt' }],
    ['https://my.dotted.bucket.s3.cn-north-1.amazonaws.com.cn/k.txt', { bucket: 'my.dotted.bucket', key: 'k.txt', region: 'cn-north-1' }],
    [
      'https://us-east-1.console.aws.amazon.com/s3/object/my-mwaa-bucket?region=us-east-1&bucketType=general&prefix=dags/codeartifact.txt',
      { bucket: 'my-mwaa-bucket', key: 'dags/codeartifact.txt', region: 'us-east-1' },
    ],
    ['https://s3.console.aws.amazon.com/s3/object/my-bucket?region=eu-west-3&prefix=dags%2Fsub%2Fcode%20artifact.txt', { bucket: 'my-bucket', key: 'dags/sub/code artifact.txt', region: 'eu-west-3' }],
  ];
  for (const [input, expected] of ok) {
    it(`parses ${JSON.stringify(input.trim())}`, () => {
      assert.deepEqual(parseS3Location(input), expected);
      assert.equal(validateS3Uri(input), undefined);
    });
  }

  const bad: Array<[string, RegExp]> = [
    ['', /empty/],
    ['my-bucket/key', /not an S3 location/],
    ['s3://', /no bucket/],
    ['s3://my-bucket', /no object key/],
    ['s3://my-bucket/', /no object key/],
    ['s3://my-bucket/dags/', /folder/],
    ['s3://ab/key', /3 to 63/],
    [`s3://${'a'.repeat(64)}/key`, /3 to 63/],
    ['s3://My-Bucket/key', /lowercase/],
    ['s3://my_bucket/key', /lowercase/],
    ['s3://-bucket/key', /start and end/],
    ['s3://bucket-/key', /start and end/],
    ['s3://my..bucket/key', /two dots/],
    ['s3://192.168.1.1/key', /IP address/],
    ['https://example.com/bucket/key', /not an S3 host/],
    ['https://my-bucket.s3.us-east-1.amazonaws.com/dags/', /folder/],
    ['https://my-bucket.s3.us-east-1.amazonaws.com/a.txt?X-Amz-Signature=abc', /query string/],
    ['https://my-bucket.s3.us-east-1.amazonaws.com/a%zz.txt', /%-escape/],
    ['https://us-east-1.console.aws.amazon.com/s3/buckets/my-bucket?region=us-east-1&prefix=dags/', /folder/],
    ['https://us-east-1.console.aws.amazon.com/s3/home?region=us-east-1', /does not point at an object/],
    ['arn:aws:s3:::my-bucket/key', /ARN/],
  ];
  for (const [input, message] of bad) {
    it(`rejects ${JSON.stringify(input).slice(0, 70)} with a specific message`, () => {
      assert.throws(() => parseS3Location(input), (e) => isRefresherError(e) && e.code === 'InvalidInput' && message.test(e.message) && !!e.fix);
      assert.match(validateS3Uri(input) ?? '', message);
    });
  }

  it('formatS3Uri round-trips through parseS3Location (300 runs)', () => {
    const bucket = fc.stringMatching(/^[a-z0-9][a-z0-9-]{1,40}[a-z0-9]$/).filter((b) => !/^\d+$/.test(b));
    const key = fc.stringMatching(/^[A-Za-z0-9!_.*'() -][A-Za-z0-9!_.*'()/ -]{0,40}[A-Za-z0-9]$/);
    fc.assert(fc.property(bucket, key, (b, k) => {
      assert.deepEqual(parseS3Location(formatS3Uri({ bucket: b, key: k })), { bucket: b, key: k });
    }), { numRuns: 300 });
  });
});
