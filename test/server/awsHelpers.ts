/** Shared helpers for the AWS layer's server tests (not a test file). */
import { createHash } from 'node:crypto';
import { createServer } from 'node:net';
import { GetObjectCommand, GetObjectTaggingCommand, HeadObjectCommand, PutObjectCommand, S3Client, type PutObjectCommandInput } from '@aws-sdk/client-s3';
import { fromIni } from '@aws-sdk/credential-providers';
import { isRefresherError, type ErrorCode } from '../../src/core/errors';
import type { Sandbox } from '../support/sandbox';

let counter = 0;
/** A key no other test uses. */
export function freshKey(prefix: string): string {
  return `aws-layer-tests/${prefix}-${process.pid}-${Date.now()}-${++counter}.txt`;
}

/**
 * An independent checker: a plain SDK client straight to radosgw (not through the product's code or the proxy), as the
 * sandbox's `default` user. Not the admin client: radosgw objects are owner-only by ACL, and the bucket policy lets
 * every profile user (not the admin) read what another one wrote.
 */
const checkers = new WeakMap<Sandbox, S3Client>();
function checker(sb: Sandbox): S3Client {
  let c = checkers.get(sb);
  if (!c) {
    c = new S3Client({
      region: 'us-east-1',
      endpoint: sb.endpoints.s3Direct,
      forcePathStyle: true,
      credentials: fromIni({ profile: 'default', filepath: sb.credentialsFile, configFilepath: sb.configFile }),
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    checkers.set(sb, c);
  }
  return c;
}

export async function putDirect(sb: Sandbox, key: string, body: string | Buffer, extra: Partial<PutObjectCommandInput> = {}, bucket = sb.bucket) {
  return checker(sb).send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ...extra }));
}

export async function bytesDirect(sb: Sandbox, key: string, bucket = sb.bucket): Promise<Buffer> {
  const out = await checker(sb).send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(await out.Body!.transformToByteArray());
}

export function headDirect(sb: Sandbox, key: string, bucket = sb.bucket) {
  return checker(sb).send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
}

/** The object's tags as radosgw stores them, sorted by key (read as the checker, not through the product). */
export async function tagsDirect(sb: Sandbox, key: string, bucket = sb.bucket): Promise<[string, string][]> {
  const out = await checker(sb).send(new GetObjectTaggingCommand({ Bucket: bucket, Key: key }));
  return (out.TagSet ?? []).map((t): [string, string] => [t.Key ?? '', t.Value ?? '']).sort(([a], [b]) => a.localeCompare(b));
}

export const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

/** assert.rejects predicate: a RefresherError with this code (prints code + message, never a token). */
export function refresherCode(code: ErrorCode, also?: (e: { message: string; fix?: string }) => boolean) {
  return (e: unknown): boolean => {
    if (!isRefresherError(e)) throw new Error(`expected RefresherError ${code}, got ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
    if (e.code !== code) throw new Error(`expected ${code}, got ${e.code}: ${e.message}`);
    if (also && !also(e)) throw new Error(`${code} has an unexpected message: ${e.message} / ${e.fix ?? ''}`);
    return true;
  };
}

/** A loopback port nobody listens on (bound, then closed). */
export function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** Fails when any of the given secrets appears in the lines (message names no secret). */
export function assertNoSecrets(lines: string[], secrets: string[]): void {
  const text = lines.join('\n');
  const leaked = secrets.filter((s) => s && text.includes(s)).length;
  if (leaked) throw new Error(`${leaked} secret(s) appeared in the log lines`);
}
