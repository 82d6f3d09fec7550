/**
 * The S3 calls the MWAA features add to objects.ts: GetObject of a pinned version (the environment's requirements.txt
 * and startup script), PutObject If-None-Match: * (a new startup script never replaces one that appeared meanwhile),
 * and GetBucketVersioning (MWAA pins object versions, so its bucket must be versioned).
 */
import { GetBucketVersioningCommand, GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { RefresherError } from '../core/errors';
import type { S3Location } from '../core/s3location';
import type { BucketVersioning, CallOptions, S3TextObject, WriteResult } from './api';
import { linkSignal, throwIfAborted } from './abort';
import type { AwsClients } from './clients';
import type { ErrorContext } from './errors';
import { readTags, settingsOf } from './objectSettings';
import { MAX_OBJECT_BYTES, decodeText, encodeText } from './text';

export class MwaaObjects {
  constructor(private readonly clients: AwsClients) {}

  async readVersion(location: S3Location, versionId: string | undefined, call: CallOptions): Promise<S3TextObject> {
    const name = `s3://${location.bucket}/${location.key}${versionId ? ` (version ${versionId})` : ''}`;
    return this.withS3(location, 'readObject', call, async (client, signal, step) => {
      const out = await client.send(new GetObjectCommand({ Bucket: location.bucket, Key: location.key, ...(versionId ? { VersionId: versionId } : {}) }), { abortSignal: signal });
      if (out.ContentLength !== undefined && out.ContentLength > MAX_OBJECT_BYTES) {
        (out.Body as { destroy?: () => void } | undefined)?.destroy?.();
        throw new RefresherError('ObjectTooLarge', `${name} is ${out.ContentLength} bytes; objects over ${MAX_OBJECT_BYTES} bytes (1 MiB) are not read.`);
      }
      const bytes = out.Body ? await out.Body.transformToByteArray() : new Uint8Array();
      const text = decodeText(bytes);
      if (text === undefined) throw new RefresherError('NotText', `${name} is not UTF-8 text; it was left alone.`);
      this.clients.log(`${step}${versionId ? ` version=${versionId}` : ''} status=${out.$metadata.httpStatusCode ?? '?'} bytes=${bytes.length} etag=${out.ETag ?? '-'}`);
      return { location, text, ...settingsOf(out), ...(await readTags(client, location, out, signal)), size: bytes.length };
    }, 's3:GetObject');
  }

  async create(location: S3Location, text: string, call: CallOptions & { contentType?: string }): Promise<WriteResult> {
    return this.withS3(location, 'writeObject', call, async (client, signal, step) => {
      throwIfAborted(signal, `writing s3://${location.bucket}/${location.key}; nothing was written`);
      const out = await client.send(
        new PutObjectCommand({ Bucket: location.bucket, Key: location.key, Body: encodeText(text), IfNoneMatch: '*', ContentType: call.contentType ?? 'text/plain' }),
        { abortSignal: signal },
      );
      this.clients.log(`${step} if-none-match=* status=${out.$metadata.httpStatusCode ?? '?'} etag=${out.ETag ?? '-'}${out.VersionId ? ` version=${out.VersionId}` : ''}`);
      return { etag: out.ETag ?? '', ...(out.VersionId ? { versionId: out.VersionId } : {}) };
    }, 's3:PutObject');
  }

  async versioning(bucket: string, region: string, call: CallOptions): Promise<BucketVersioning> {
    return this.withS3({ bucket, key: '', region }, 'readObject', call, async (client, signal, step) => {
      const out = await client.send(new GetBucketVersioningCommand({ Bucket: bucket }), { abortSignal: signal });
      this.clients.log(`${step} status=${out.Status ?? 'never enabled'}`);
      return out.Status === 'Enabled' ? 'Enabled' : out.Status === 'Suspended' ? 'Suspended' : 'Disabled';
    }, 's3:GetBucketVersioning');
  }

  private async withS3<R>(
    location: S3Location,
    operation: 'readObject' | 'writeObject',
    call: CallOptions,
    work: (client: S3Client, signal: AbortSignal, step: string) => Promise<R>,
    action: string,
  ): Promise<R> {
    const link = linkSignal(call.signal);
    const started = Date.now();
    const step = `${action} profile=${call.profile} bucket=${location.bucket}${location.key ? ` key=${location.key}` : ''}`;
    let ctx: ErrorContext = { operation, profile: call.profile, bucket: location.bucket, key: location.key };
    try {
      const s3 = await this.clients.s3For(location, operation, call.profile, link.signal);
      ctx = s3.ctx;
      try {
        return await work(s3.lease.client, link.signal, step);
      } finally {
        s3.lease.release();
      }
    } catch (err) {
      throw this.clients.fail(err, { ...ctx, aborted: link.signal.aborted }, step, started);
    } finally {
      link.dispose();
    }
  }
}
