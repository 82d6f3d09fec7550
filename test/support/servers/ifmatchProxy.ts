/**
 * WHY THIS EXISTS: radosgw 16.2 (the only version Debian 12 ships) has a broken conditional PUT. It answers 412 to
 * `If-Match` when the ETag is in quotes (as S3 returns it and as SDKs send it back), and in a VERSIONED bucket (MWAA
 * requires versioning) it answers 412 to every If-Match PUT. The product must keep sending the ETag exactly as S3
 * returned it, so this loopback proxy in front of radosgw gives PUT + If-Match the real S3 semantics: a per-key
 * lock, a HEAD signed with the caller's key, ETags compared without quotes, 412 PreconditionFailed (S3's XML) on a
 * mismatch, 404 NoSuchKey when the object is gone, else the PUT forwarded without If-Match, re-signed with the same
 * key and the same signed-header list minus if-match. `If-None-Match: *` on a PUT gets the same treatment (radosgw 16.2
 * ignores it in versioned buckets: the object was overwritten): 412 when the key exists. Everything else passes through.
 *
 * Temporary keys minted by the STS stub are unknown to radosgw: the proxy verifies such requests (signature and
 * session token), then re-signs them with the static key behind the session, so role profiles work against S3 too.
 */
import * as http from 'node:http';
import { HttpRequest } from '@smithy/protocol-http';
import { KeyRegistry, KeyEntry, SigFailure, amzDateToDate, parseAuthorization, queryOf, signerFor, verifySigV4 } from './keys';
import { closeServer, listenLoopback, readBody } from './net';

export interface IfMatchProxy {
  endpoint: string;
  /** Every request received. */
  requests: number;
  /** PUTs with If-Match or If-None-Match: * handled by the proxy (won + lost). */
  conditionalPuts: number;
  /** Conditional PUTs answered 412 by the proxy. */
  preconditionFailures: number;
  stop(): Promise<void>;
}

/** Headers the proxy answers itself (conditions) or that radosgw must not see (STS session token). */
const DROPPED = ['if-match', 'if-none-match', 'x-amz-security-token'];
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

function s3Error(res: http.ServerResponse, status: number, code: string, message: string, extra = ''): void {
  res.writeHead(status, { 'content-type': 'application/xml', 'x-amz-request-id': `proxy-${Date.now()}` });
  res.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message>${extra}</Error>`);
}

function amzDate(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

function forward(target: URL, method: string, path: string, headers: http.IncomingHttpHeaders | Record<string, string>, body?: Buffer): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const up = http.request({ host: target.hostname, port: target.port, method, path, headers }, (r) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => resolve({ status: r.statusCode ?? 502, headers: r.headers, body: Buffer.concat(chunks) }));
      r.on('error', reject);
    });
    up.on('error', reject);
    up.end(body);
  });
}

function headerMap(h: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(',') : v;
  return out;
}

/** Re-signs `headers` (a copy of the client's) for radosgw with `key`, signing exactly `signedList` (lower-case). */
async function resign(key: { accessKeyId: string; secretAccessKey: string }, region: string, method: string, url: URL, headers: Record<string, string>, signedList: string[]): Promise<void> {
  const signed: Record<string, string> = {};
  for (const n of signedList) if (headers[n] !== undefined) signed[n] = headers[n];
  const r = await signerFor(key, region, 's3', undefined, true).sign(
    new HttpRequest({ method, protocol: 'http:', hostname: headers.host, path: url.pathname, query: queryOf(url), headers: signed }),
    { signingDate: amzDateToDate(headers['x-amz-date']), unsignableHeaders: new Set(), signableHeaders: new Set(signedList) },
  );
  headers.authorization = String(r.headers.authorization);
}

export async function startIfMatchProxy(opts: { target: string; registry: KeyRegistry; port?: number }): Promise<IfMatchProxy> {
  const target = new URL(opts.target);
  const locks = new Map<string, Promise<void>>();
  const stats = { requests: 0, conditionalPuts: 0, preconditionFailures: 0 };

  /** Temporary (STS) key → verified and mapped to its backing static key; static key → itself. */
  async function identity(req: http.IncomingMessage, body: Buffer): Promise<{ key: KeyEntry; backing: KeyEntry } | { rejected: SigFailure } | undefined> {
    const auth = parseAuthorization(req.headers.authorization);
    if (!auth) return undefined;
    const key = opts.registry.get(auth.accessKeyId);
    if (!key) return undefined;
    if (!key.backingAccessKeyId) return { key, backing: key };
    const sig = await verifySigV4(opts.registry, req, body);
    const backing = opts.registry.get(key.backingAccessKeyId);
    if (!sig.ok || !backing) return { rejected: sig.failure ?? 'UnknownKey' };
    return { key, backing };
  }

  async function conditionalPut(req: http.IncomingMessage, res: http.ServerResponse, body: Buffer, backing: KeyEntry): Promise<void> {
    stats.conditionalPuts++;
    const url = new URL(req.url ?? '/', 'http://proxy');
    const auth = parseAuthorization(req.headers.authorization)!;
    const lockKey = url.pathname;
    while (locks.has(lockKey)) await locks.get(lockKey);
    let release!: () => void;
    locks.set(lockKey, new Promise<void>((r) => (release = r)));
    try {
      const ifMatch = req.headers['if-match'];
      const wanted = ifMatch === undefined ? undefined : String(ifMatch).replace(/"/g, '');
      const head = { host: String(req.headers.host), 'x-amz-date': amzDate(new Date()), 'x-amz-content-sha256': EMPTY_SHA256 };
      await resign(backing, auth.region, 'HEAD', new URL(url.pathname, 'http://proxy'), head as Record<string, string>, Object.keys(head));
      const h = await forward(target, 'HEAD', url.pathname, head);
      if (h.status !== 200 && h.status !== 404) return s3Error(res, h.status, h.status === 403 ? 'AccessDenied' : 'InternalError', `HEAD before the conditional PUT answered ${h.status}`);
      if (wanted !== undefined) {
        if (h.status === 404) return s3Error(res, 404, 'NoSuchKey', 'The specified key does not exist.');
        if (String(h.headers.etag ?? '').replace(/"/g, '') !== wanted) {
          stats.preconditionFailures++;
          return s3Error(res, 412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', '<Condition>If-Match</Condition>');
        }
      } else if (h.status === 200) {
        stats.preconditionFailures++;
        return s3Error(res, 412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', '<Condition>If-None-Match</Condition>');
      }
      const headers = headerMap(req.headers);
      for (const n of DROPPED) delete headers[n];
      await resign(backing, auth.region, 'PUT', url, headers, auth.signedHeaders.filter((n) => !DROPPED.includes(n)));
      const out = await forward(target, 'PUT', req.url ?? '/', headers, body);
      res.writeHead(out.status, out.headers);
      res.end(out.body);
    } finally {
      locks.delete(lockKey);
      release();
    }
  }

  const server = http.createServer((req, res) => {
    stats.requests++;
    void (async () => {
      const body = await readBody(req);
      try {
        const who = await identity(req, body);
        if (who && 'rejected' in who) {
          // What S3 answers for a temporary key with a bad signature / token / expiry.
          if (who.rejected === 'ExpiredToken') return s3Error(res, 400, 'ExpiredToken', 'The provided token has expired.');
          if (who.rejected === 'BadSignature') return s3Error(res, 403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.');
          return s3Error(res, 403, 'InvalidToken', 'The provided token is malformed or otherwise invalid.');
        }
        const multipartPart = /[?&](partNumber|uploadId)=/.test(req.url ?? '');
        const conditional = req.headers['if-match'] !== undefined || req.headers['if-none-match'] === '*';
        if (req.method === 'PUT' && conditional && !multipartPart && who) return await conditionalPut(req, res, body, who.backing);
        let headers: Record<string, string> | http.IncomingHttpHeaders = req.headers;
        if (who && who.key !== who.backing) {
          const h = headerMap(req.headers);
          delete h['x-amz-security-token'];
          const auth = parseAuthorization(req.headers.authorization)!;
          await resign(who.backing, auth.region, req.method ?? 'GET', new URL(req.url ?? '/', 'http://proxy'), h, auth.signedHeaders.filter((n) => n !== 'x-amz-security-token'));
          headers = h;
        }
        const out = await forward(target, req.method ?? 'GET', req.url ?? '/', headers, body);
        res.writeHead(out.status, out.headers);
        res.end(out.body);
      } catch (e) {
        if (!res.headersSent) s3Error(res, 502, 'BadGateway', `ifmatch proxy: ${(e as Error).message}`);
        else res.destroy();
      }
    })();
  });
  const endpoint = await listenLoopback(server, opts.port ?? 0);
  return {
    endpoint,
    get requests() {
      return stats.requests;
    },
    get conditionalPuts() {
      return stats.conditionalPuts;
    },
    get preconditionFailures() {
      return stats.preconditionFailures;
    },
    stop: () => closeServer(server),
  };
}
