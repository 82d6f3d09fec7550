/**
 * S3 text objects: GetObject (size- and text-checked) and a conditional PutObject (If-Match the ETag that was read)
 * that carries the object's settings over (objectSettings.ts).
 */
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type PutObjectCommandInput } from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import { RefresherError } from '../core/errors';
import type { S3Location } from '../core/s3location';
import type { CallOptions, S3TextObject, WriteResult } from './api';
import { linkSignal, throwIfAborted } from './abort';
import type { AwsClients } from './clients';
import { carryOver, readTags, settingsOf } from './objectSettings';
import { MAX_OBJECT_BYTES, decodeText, encodeText } from './text';

export class S3Objects {
  constructor(private readonly clients: AwsClients) {}

  async readObject(location: S3Location, options: CallOptions): Promise<S3TextObject> {
    // This call's own signal (see abort.ts): the SDK's listeners go there, the caller's signal gets at most one.
    const link = linkSignal(options.signal);
    try {
      return await this.read(location, options.profile, link.signal);
    } finally {
      link.dispose();
    }
  }

  async writeObject(previous: S3TextObject, text: string, options: CallOptions): Promise<WriteResult> {
    const link = linkSignal(options.signal);
    try {
      return await this.write(previous, text, options.profile, link.signal);
    } finally {
      link.dispose();
    }
  }

  private async read(location: S3Location, profile: string, signal: AbortSignal): Promise<S3TextObject> {
    const name = `s3://${location.bucket}/${location.key}`;
    throwIfAborted(signal, `reading ${name}`);
    const { lease, ctx } = await this.clients.s3For(location, 'readObject', profile, signal);
    const client = lease.client;
    const started = Date.now();
    const step = `s3:GetObject profile=${profile} bucket=${location.bucket} key=${location.key}`;
    let body: Readable | undefined;
    const destroyBody = () => body?.destroy();
    signal.addEventListener('abort', destroyBody, { once: true });
    try {
      const out = await client.send(new GetObjectCommand({ Bucket: location.bucket, Key: location.key }), { abortSignal: signal });
      body = out.Body as Readable | undefined;
      if (out.ContentLength !== undefined && out.ContentLength > MAX_OBJECT_BYTES) {
        destroyBody();
        throw tooLarge(name, out.ContentLength);
      }
      const bytes = await readLimited(body, name);
      throwIfAborted(signal, `reading ${name}`);
      const text = decodeText(bytes);
      if (text === undefined) {
        throw new RefresherError('NotText', `${name} is not UTF-8 text (binary or compressed content); it was left alone.`, 'Point the extension at the text file that holds the pip index URL.');
      }
      this.clients.log(`${step} status=${out.$metadata.httpStatusCode ?? '?'} attempts=${out.$metadata.attempts ?? 1} bytes=${bytes.length} etag=${out.ETag ?? '-'} ${Date.now() - started}ms`);
      return { location, text, ...settingsOf(out), ...(await readTags(client, location, out, signal)), size: bytes.length };
    } catch (err) {
      destroyBody();
      throw this.clients.fail(err, { ...ctx, aborted: signal.aborted }, step, started);
    } finally {
      signal.removeEventListener('abort', destroyBody);
      lease.release();
    }
  }

  private async write(previous: S3TextObject, text: string, profile: string, signal: AbortSignal): Promise<WriteResult> {
    const location = previous.location;
    const name = `s3://${location.bucket}/${location.key}`;
    throwIfAborted(signal, `writing ${name}; nothing was written`);
    const settings = carryOver(previous, profile); // refuses before any call when the tags could not be read
    const { lease, ctx } = await this.clients.s3For(location, 'writeObject', profile, signal);
    const client = lease.client;
    const input: PutObjectCommandInput = {
      Bucket: location.bucket,
      Key: location.key,
      Body: encodeText(text),
      IfMatch: previous.etag,
      ...settings,
    };
    const started = Date.now();
    const step = `s3:PutObject profile=${profile} bucket=${location.bucket} key=${location.key} if-match=${previous.etag}`;
    const put = () => client.send(new PutObjectCommand(input), { abortSignal: signal });
    try {
      throwIfAborted(signal, `writing ${name}; nothing was written`);
      let out;
      try {
        out = await put();
      } catch (err) {
        if (!isConditionalConflict(err)) throw err;
        this.clients.log(`${step} status=409 ConditionalRequestConflict: re-reading the ETag`);
        const head = await client.send(new HeadObjectCommand({ Bucket: location.bucket, Key: location.key }), { abortSignal: signal });
        if (head.ETag !== previous.etag) throw changed(name);
        throwIfAborted(signal, `writing ${name}; nothing was written`);
        try {
          out = await put();
        } catch (again) {
          throw isConditionalConflict(again) ? changed(name) : again;
        }
      }
      this.clients.log(`${step} status=${out.$metadata.httpStatusCode ?? '?'} attempts=${out.$metadata.attempts ?? 1} etag=${out.ETag ?? '-'}${out.VersionId ? ` version=${out.VersionId}` : ''} ${Date.now() - started}ms`);
      return { etag: out.ETag ?? '', versionId: out.VersionId };
    } catch (err) {
      const actions = previous.tags?.length ? 's3:PutObject and s3:PutObjectTagging (the object has tags, which the write keeps)' : undefined;
      throw this.clients.fail(err, { ...ctx, aborted: signal.aborted, ...(actions ? { s3Actions: actions } : {}) }, step, started);
    } finally {
      lease.release();
    }
  }
}

function isConditionalConflict(err: unknown): boolean {
  const e = err as { name?: string; Code?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'ConditionalRequestConflict' || e?.Code === 'ConditionalRequestConflict' || e?.$metadata?.httpStatusCode === 409;
}

function changed(name: string): RefresherError {
  return new RefresherError('ChangedSinceRead', `${name} changed after it was read; nothing was written.`, 'Refresh again to see the current content.');
}

function tooLarge(name: string, size: number): RefresherError {
  return new RefresherError('ObjectTooLarge', `${name} is ${size} bytes; objects over ${MAX_OBJECT_BYTES} bytes (1 MiB) are not edited.`, 'Point the extension at the small text file that holds the pip index URL.');
}

/** Collects the body, stopping (and destroying the stream) as soon as it passes the size limit. */
async function readLimited(body: Readable | undefined, name: string): Promise<Uint8Array> {
  if (!body) return new Uint8Array();
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body as AsyncIterable<Buffer | string>) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    total += buf.length;
    if (total > MAX_OBJECT_BYTES) {
      body.destroy();
      throw tooLarge(name, total);
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

