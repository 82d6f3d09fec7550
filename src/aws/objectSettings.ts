/**
 * What a rewrite of an S3 object must keep besides its text: content headers, user metadata, server-side encryption
 * (KMS key, bucket key), storage class and tags. Read once with the object (tags only when GetObject reports some:
 * one more call, s3:GetObjectTagging), given back on the conditional PutObject (tags need s3:PutObjectTagging there);
 * tags the profile could not read make the write refuse rather than drop them.
 * Both readers (objects.ts for refreshes, mwaaObjects.ts for pinned versions) and the one writer use these.
 */
import { GetObjectTaggingCommand, type GetObjectCommandOutput, type PutObjectCommandInput, type S3Client } from '@aws-sdk/client-s3';
import { RefresherError } from '../core/errors';
import type { S3Location } from '../core/s3location';
import type { S3TextObject } from './api';

type Settings = Omit<S3TextObject, 'location' | 'text' | 'size'>;

/** Storage classes a rewrite does not keep: STANDARD is the default; the archive classes cannot be read back at once. */
const NOT_CARRIED = new Set(['STANDARD', 'GLACIER', 'DEEP_ARCHIVE']);

/** The settings GetObject returned (tags are read separately: `readTags`). */
export function settingsOf(out: GetObjectCommandOutput): Settings {
  return {
    etag: out.ETag ?? '',
    versionId: out.VersionId,
    contentType: out.ContentType,
    cacheControl: out.CacheControl,
    contentEncoding: out.ContentEncoding,
    contentDisposition: out.ContentDisposition,
    contentLanguage: out.ContentLanguage,
    metadata: { ...(out.Metadata ?? {}) },
    serverSideEncryption: out.ServerSideEncryption,
    sseKmsKeyId: out.SSEKMSKeyId,
    bucketKeyEnabled: out.BucketKeyEnabled,
    storageClass: out.StorageClass,
    lastModified: out.LastModified,
  };
}

/**
 * The object's tags when GetObject counted some (x-amz-tagging-count), else nothing and no call. S3 sends that count
 * only to a caller allowed s3:GetObjectTagging: without it S3 does not say whether there are tags, and a rewrite
 * creates an untagged version (README: Required IAM permissions). Read without a VersionId (a versioned read would
 * need s3:GetObjectVersionTagging): the current tags, which the conditional write then keeps. A tag change between the
 * read and the write does not change the ETag, so it is not detected. Access denied does not fail the read (the text
 * can still be shown and tracked); it is recorded, and `carryOver` refuses the write rather than drop known tags.
 */
export async function readTags(client: S3Client, location: S3Location, out: GetObjectCommandOutput, signal: AbortSignal): Promise<Pick<S3TextObject, 'tags' | 'unreadableTags'>> {
  if (!out.TagCount) return {};
  try {
    const tagging = await client.send(new GetObjectTaggingCommand({ Bucket: location.bucket, Key: location.key }), { abortSignal: signal });
    return { tags: (tagging.TagSet ?? []).map((t) => ({ key: t.Key ?? '', value: t.Value ?? '' })) };
  } catch (err) {
    const e = err as { name?: string; Code?: string; $metadata?: { httpStatusCode?: number } };
    if (e?.name === 'AccessDenied' || e?.Code === 'AccessDenied' || e?.$metadata?.httpStatusCode === 403) return { unreadableTags: out.TagCount };
    throw err;
  }
}

/** The PutObject fields that give the object back its settings. */
export function carryOver(previous: S3TextObject, profile: string): Partial<PutObjectCommandInput> {
  if (previous.unreadableTags) {
    const { bucket, key } = previous.location;
    throw new RefresherError(
      'S3AccessDenied',
      `Profile "${profile}" may not read the ${previous.unreadableTags} tag(s) of arn:aws:s3:::${bucket}/${key}, and a rewrite without them would drop the tags; nothing was written.`,
      `Allow s3:GetObjectTagging and s3:PutObjectTagging on arn:aws:s3:::${bucket}/${key} for that profile.`,
    );
  }
  const input: Partial<PutObjectCommandInput> = {
    ContentType: previous.contentType,
    CacheControl: previous.cacheControl,
    ContentEncoding: previous.contentEncoding,
    ContentDisposition: previous.contentDisposition,
    ContentLanguage: previous.contentLanguage,
    Metadata: previous.metadata,
  };
  if (previous.serverSideEncryption) input.ServerSideEncryption = previous.serverSideEncryption as PutObjectCommandInput['ServerSideEncryption'];
  if (previous.serverSideEncryption?.startsWith('aws:kms')) {
    if (previous.sseKmsKeyId) input.SSEKMSKeyId = previous.sseKmsKeyId;
    if (previous.bucketKeyEnabled !== undefined) input.BucketKeyEnabled = previous.bucketKeyEnabled;
  }
  // Archive classes are not carried: a new GLACIER/DEEP_ARCHIVE version could not be read (pip, MWAA, the next refresh).
  if (previous.storageClass && !NOT_CARRIED.has(previous.storageClass)) input.StorageClass = previous.storageClass as PutObjectCommandInput['StorageClass'];
  if (previous.tags?.length) input.Tagging = previous.tags.map((t) => `${encodeURIComponent(t.key)}=${encodeURIComponent(t.value)}`).join('&');
  return input;
}
