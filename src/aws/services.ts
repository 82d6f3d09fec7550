/**
 * The AWS layer: profiles, credentials, CodeArtifact tokens, S3 text objects. One S3Client / CodeartifactClient per
 * (profile, region), reused; credentials memoized per profile (see credentials.ts).
 *
 * Endpoints and files come from `options.env` (process.env in the extension): endpoint overrides are resolved the
 * SDK's way (endpoints.ts) and passed to the clients explicitly, so the environment the caller gave is the one used.
 * Timeouts: 10 s to connect, 30 s for an answer (options.timeouts). Retries: standard mode, 3 attempts.
 * Checksums: only when an operation requires one (S3-compatible servers reject the newer default checksum headers).
 */
import { CodeartifactClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-codeartifact';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client, type PutObjectCommandInput } from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import { RefresherError } from '../core/errors';
import type { S3Location } from '../core/s3location';
import type { AwsServices, AwsServicesOptions, CallOptions, IssuedToken, S3TextObject, TokenRequest, WriteResult } from './api';
import { raceAbort, throwIfAborted } from './abort';
import { CredentialCache } from './credentials';
import { checkDurationSeconds } from './duration';
import { endpointOverride } from './endpoints';
import { toRefresherError, type ErrorContext } from './errors';
import { readSharedFiles, type Env } from './files';
import { defaultProfileFrom, listProfiles } from './profiles';
import { SecretSet } from './redaction';
import { MAX_OBJECT_BYTES, decodeText, encodeText } from './text';

export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_ATTEMPTS = 3;

interface ProfileSettings {
  region?: string;
  s3Endpoint?: string;
  codeartifactEndpoint?: string;
}

interface Flight {
  promise: Promise<IssuedToken>;
  controller: AbortController;
  waiters: number;
}

export function createAwsServices(options: AwsServicesOptions = {}): AwsServices {
  return new Services(options);
}

class Services implements AwsServices {
  private readonly env: Env;
  private readonly secrets = new SecretSet();
  private readonly requestHandler: { connectionTimeout: number; requestTimeout: number; throwOnRequestTimeout: true };
  private readonly maxAttempts: number;
  private readonly credentials: CredentialCache;
  private readonly settings = new Map<string, Promise<ProfileSettings>>();
  private readonly s3Clients = new Map<string, S3Client>();
  private readonly caClients = new Map<string, CodeartifactClient>();
  private readonly flights = new Map<string, Flight>();
  private readonly retired: { destroy(): void }[] = [];

  constructor(private readonly options: AwsServicesOptions) {
    this.env = options.env ?? process.env;
    this.requestHandler = {
      connectionTimeout: options.timeouts?.connectMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
      requestTimeout: options.timeouts?.requestMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      throwOnRequestTimeout: true,
    };
    this.maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    this.credentials = new CredentialCache({
      env: this.env,
      mfaCodeProvider: options.mfaCodeProvider,
      requestHandler: this.requestHandler,
      onSecret: (s) => this.secrets.add(s),
    });
  }

  listProfiles() {
    return listProfiles(this.env);
  }

  async defaultProfile() {
    return defaultProfileFrom(this.env, await listProfiles(this.env));
  }

  invalidateCredentials(profile?: string): void {
    this.credentials.invalidate(profile);
    if (profile === undefined) this.settings.clear();
    else this.settings.delete(profile);
    // Each client memoizes the identity it was given until its expiration: retire the profile's clients so the next
    // call builds new ones with fresh credentials (calls in flight keep theirs; retired clients close at dispose()).
    for (const clients of [this.s3Clients, this.caClients] as Map<string, { destroy(): void }>[]) {
      for (const [key, client] of clients) {
        if (profile === undefined || key.startsWith(`${profile}\n`)) {
          clients.delete(key);
          this.retired.push(client);
        }
      }
    }
  }

  dispose(): void {
    for (const c of this.s3Clients.values()) c.destroy();
    for (const c of this.caClients.values()) c.destroy();
    for (const c of this.retired.splice(0)) c.destroy();
    this.s3Clients.clear();
    this.caClients.clear();
    this.credentials.invalidate();
    this.settings.clear();
  }

  // ---- CodeArtifact ----

  async getToken(request: TokenRequest, options: CallOptions & { durationSeconds: number }): Promise<IssuedToken> {
    const durationSeconds = checkDurationSeconds(options.durationSeconds);
    const what = `the CodeArtifact token for ${request.domain}-${request.domainOwner}`;
    throwIfAborted(options.signal, what);
    const key = [options.profile, request.region, request.domain, request.domainOwner, durationSeconds].join('\n');
    let flight = this.flights.get(key);
    if (!flight) {
      const controller = new AbortController();
      const promise = this.fetchToken(request, options.profile, durationSeconds, controller.signal).finally(() => {
        if (this.flights.get(key) === flight) this.flights.delete(key);
      });
      promise.catch(() => undefined); // every waiter may have gone; the rejection is theirs to see, not unhandled
      flight = { promise, controller, waiters: 0 };
      this.flights.set(key, flight);
    }
    const shared = flight;
    shared.waiters++;
    const onAbort = () => {
      if (--shared.waiters === 0) shared.controller.abort();
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return await raceAbort(shared.promise, options.signal, what);
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
      if (!options.signal?.aborted) shared.waiters--;
    }
  }

  private async fetchToken(request: TokenRequest, profile: string, durationSeconds: number, signal: AbortSignal): Promise<IssuedToken> {
    const settings = await this.profileSettings(profile);
    const endpoint = settings.codeartifactEndpoint ?? `https://codeartifact.${request.region}.amazonaws.com`;
    const ctx: ErrorContext = { operation: 'getToken', profile, ...request, endpoint };
    const started = Date.now();
    const step = `codeartifact:GetAuthorizationToken profile=${profile} domain=${request.domain} owner=${request.domainOwner} region=${request.region} duration=${durationSeconds}`;
    await this.resolveCredentials(profile, signal, ctx);
    const client = this.codeartifact(profile, request.region, settings);
    try {
      const out = await client.send(
        new GetAuthorizationTokenCommand({ domain: request.domain, domainOwner: request.domainOwner, durationSeconds }),
        { abortSignal: signal },
      );
      if (!out.authorizationToken || !out.expiration) {
        throw new RefresherError('Unexpected', `CodeArtifact answered without a token for ${request.domain}-${request.domainOwner}.`);
      }
      this.secrets.add(out.authorizationToken);
      this.log(`${step} status=${out.$metadata.httpStatusCode ?? '?'} attempts=${out.$metadata.attempts ?? 1} ${Date.now() - started}ms expires=${out.expiration.toISOString()}`);
      return { token: out.authorizationToken, expiration: out.expiration };
    } catch (err) {
      throw this.fail(err, { ...ctx, aborted: signal.aborted }, step, started);
    }
  }

  // ---- S3 ----

  async readObject(location: S3Location, options: CallOptions): Promise<S3TextObject> {
    const { profile, signal } = options;
    const name = `s3://${location.bucket}/${location.key}`;
    throwIfAborted(signal, `reading ${name}`);
    const { client, ctx } = await this.s3For(location, 'readObject', profile, signal);
    const started = Date.now();
    const step = `s3:GetObject profile=${profile} bucket=${location.bucket} key=${location.key}`;
    let body: Readable | undefined;
    const destroyBody = () => body?.destroy();
    signal?.addEventListener('abort', destroyBody, { once: true });
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
      this.log(`${step} status=${out.$metadata.httpStatusCode ?? '?'} attempts=${out.$metadata.attempts ?? 1} bytes=${bytes.length} etag=${out.ETag ?? '-'} ${Date.now() - started}ms`);
      return {
        location,
        text,
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
        lastModified: out.LastModified,
        size: bytes.length,
      };
    } catch (err) {
      destroyBody();
      throw this.fail(err, { ...ctx, aborted: signal?.aborted }, step, started);
    } finally {
      signal?.removeEventListener('abort', destroyBody);
    }
  }

  async writeObject(previous: S3TextObject, text: string, options: CallOptions): Promise<WriteResult> {
    const { profile, signal } = options;
    const location = previous.location;
    const name = `s3://${location.bucket}/${location.key}`;
    throwIfAborted(signal, `writing ${name}; nothing was written`);
    const { client, ctx } = await this.s3For(location, 'writeObject', profile, signal);
    throwIfAborted(signal, `writing ${name}; nothing was written`);
    const input: PutObjectCommandInput = {
      Bucket: location.bucket,
      Key: location.key,
      Body: encodeText(text),
      IfMatch: previous.etag,
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
    const started = Date.now();
    const step = `s3:PutObject profile=${profile} bucket=${location.bucket} key=${location.key} if-match=${previous.etag}`;
    const put = () => client.send(new PutObjectCommand(input), { abortSignal: signal });
    try {
      let out;
      try {
        out = await put();
      } catch (err) {
        if (!isConditionalConflict(err)) throw err;
        this.log(`${step} status=409 ConditionalRequestConflict: re-reading the ETag`);
        const head = await client.send(new HeadObjectCommand({ Bucket: location.bucket, Key: location.key }), { abortSignal: signal });
        if (head.ETag !== previous.etag) throw changed(name);
        throwIfAborted(signal, `writing ${name}; nothing was written`);
        try {
          out = await put();
        } catch (again) {
          throw isConditionalConflict(again) ? changed(name) : again;
        }
      }
      this.log(`${step} status=${out.$metadata.httpStatusCode ?? '?'} attempts=${out.$metadata.attempts ?? 1} etag=${out.ETag ?? '-'}${out.VersionId ? ` version=${out.VersionId}` : ''} ${Date.now() - started}ms`);
      return { etag: out.ETag ?? '', versionId: out.VersionId };
    } catch (err) {
      throw this.fail(err, { ...ctx, aborted: signal?.aborted }, step, started);
    }
  }

  // ---- plumbing ----

  private async s3For(location: S3Location, operation: 'readObject' | 'writeObject', profile: string, signal: AbortSignal | undefined) {
    const settings = await this.profileSettings(profile);
    const region = location.region ?? settings.region ?? 'us-east-1';
    const endpoint = settings.s3Endpoint ?? `https://s3.${region}.amazonaws.com`;
    const ctx: ErrorContext = { operation, profile, bucket: location.bucket, key: location.key, region, endpoint };
    await this.resolveCredentials(profile, signal, ctx);
    return { client: this.s3(profile, region, settings), ctx };
  }

  private async resolveCredentials(profile: string, signal: AbortSignal | undefined, target: ErrorContext): Promise<void> {
    const started = Date.now();
    try {
      await raceAbort(this.credentials.get(profile), signal, `loading credentials for profile "${profile}"`);
    } catch (err) {
      this.settings.delete(profile);
      const mapped = toRefresherError(err, { ...target, operation: 'credentials', aborted: signal?.aborted, redact: (t) => this.secrets.redact(t) });
      this.log(`credentials profile=${profile} failed code=${mapped.code} ${Date.now() - started}ms`);
      throw mapped;
    }
  }

  private profileSettings(profile: string): Promise<ProfileSettings> {
    let s = this.settings.get(profile);
    if (!s) {
      s = readSharedFiles(this.env).then((files) => ({
        region: files.config[profile]?.region,
        s3Endpoint: endpointOverride('s3', this.env, files, profile),
        codeartifactEndpoint: endpointOverride('codeartifact', this.env, files, profile),
      }));
      this.settings.set(profile, s);
      s.catch(() => this.settings.delete(profile));
    }
    return s;
  }

  private s3(profile: string, region: string, settings: ProfileSettings): S3Client {
    const key = `${profile}\n${region}`;
    let client = this.s3Clients.get(key);
    if (!client) {
      client = new S3Client({
        region,
        credentials: this.credentials.providerFor(profile),
        ...(settings.s3Endpoint ? { endpoint: settings.s3Endpoint, forcePathStyle: true } : {}),
        followRegionRedirects: true,
        maxAttempts: this.maxAttempts,
        retryMode: 'standard',
        requestHandler: this.requestHandler,
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
      });
      this.s3Clients.set(key, client);
    }
    return client;
  }

  private codeartifact(profile: string, region: string, settings: ProfileSettings): CodeartifactClient {
    const key = `${profile}\n${region}`;
    let client = this.caClients.get(key);
    if (!client) {
      client = new CodeartifactClient({
        region,
        credentials: this.credentials.providerFor(profile),
        ...(settings.codeartifactEndpoint ? { endpoint: settings.codeartifactEndpoint } : {}),
        maxAttempts: this.maxAttempts,
        retryMode: 'standard',
        requestHandler: this.requestHandler,
      });
      this.caClients.set(key, client);
    }
    return client;
  }

  private fail(err: unknown, ctx: ErrorContext, step: string, started: number): RefresherError {
    const mapped = toRefresherError(err, { ...ctx, redact: (t) => this.secrets.redact(t) });
    if (mapped.code === 'ExpiredCredentials') this.invalidateCredentials(ctx.profile);
    const status = (err as { $metadata?: { httpStatusCode?: number; attempts?: number } })?.$metadata;
    this.log(`${step} failed code=${mapped.code}${status?.httpStatusCode ? ` status=${status.httpStatusCode}` : ''}${status?.attempts ? ` attempts=${status.attempts}` : ''} ${Date.now() - started}ms`);
    return mapped;
  }

  private log(line: string): void {
    this.options.log?.(this.secrets.redact(line));
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

