/**
 * PutObject answered 409 ConditionalRequestConflict (S3 does this when conditional writes collide): the layer re-reads
 * the ETag with HEAD and retries once only if it still matches. A local fake S3 endpoint scripts the answers.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isRefresherError } from '../../../src/core/errors';
import { createAwsServices } from '../../../src/aws';
import type { S3TextObject } from '../../../src/aws/api';
import { tempAws, type TempAws } from './tempAws';

type Reply = { status: number; headers?: Record<string, string>; body?: string };
const conflict: Reply = { status: 409, headers: { 'content-type': 'application/xml' }, body: '<?xml version="1.0" encoding="UTF-8"?><Error><Code>ConditionalRequestConflict</Code><Message>A conflicting operation occurred.</Message></Error>' };
const ok = (etag: string): Reply => ({ status: 200, headers: { etag } });

describe('aws writeObject: 409 ConditionalRequestConflict (local fake S3)', () => {
  let t: TempAws;
  let server: Server;
  let script: Reply[];
  let seen: { method: string; ifMatch?: string }[];

  beforeEach(async () => {
    script = [];
    seen = [];
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        seen.push({ method: req.method ?? '', ifMatch: req.headers['if-match'] as string | undefined });
        const r = script.shift() ?? { status: 500 };
        res.writeHead(r.status, r.headers).end(req.method === 'HEAD' ? undefined : r.body);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    t = tempAws({ AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
    t.writeCredentials('[dev]\naws_access_key_id = AKIDEXAMPLEDEV000001\naws_secret_access_key = synthetic-secret\n');
  });
  afterEach(() => {
    server.closeAllConnections();
    server.close();
    t.remove();
  });

  const previous: S3TextObject = { location: { bucket: 'b', key: 'k.txt' }, text: 'old', etag: '"abc"', metadata: {}, size: 3 };

  it('re-reads the ETag and retries once when it still matches', async () => {
    script = [conflict, ok('"abc"'), ok('"def"')];
    const services = createAwsServices({ env: t.env, maxAttempts: 1 });
    const result = await services.writeObject(previous, 'new', { profile: 'dev' });
    assert.equal(result.etag, '"def"');
    assert.deepEqual(seen.map((s) => `${s.method} ${s.ifMatch ?? ''}`), ['PUT "abc"', 'HEAD ', 'PUT "abc"']);
    services.dispose();
  });

  it('gives ChangedSinceRead without a second PUT when the ETag moved', async () => {
    script = [conflict, ok('"zzz"')];
    const services = createAwsServices({ env: t.env, maxAttempts: 1 });
    await assert.rejects(services.writeObject(previous, 'new', { profile: 'dev' }), (e: unknown) => isRefresherError(e) && e.code === 'ChangedSinceRead');
    assert.deepEqual(seen.map((s) => s.method), ['PUT', 'HEAD']);
    services.dispose();
  });

  it('gives ChangedSinceRead when the retry conflicts again', async () => {
    script = [conflict, ok('"abc"'), conflict];
    const services = createAwsServices({ env: t.env, maxAttempts: 1 });
    await assert.rejects(services.writeObject(previous, 'new', { profile: 'dev' }), (e: unknown) => isRefresherError(e) && e.code === 'ChangedSinceRead');
    assert.deepEqual(seen.map((s) => s.method), ['PUT', 'HEAD', 'PUT']);
    services.dispose();
  });
});
