/**
 * The key registry shared by the local servers (ifmatch proxy, CodeArtifact stub, STS stub), and server-side SigV4
 * verification: a request is re-signed with @smithy/signature-v4 using the secret of the access key it claims, and
 * the signatures are compared. So a test can prove WHICH key (which profile) signed a call.
 */
import type * as http from 'node:http';
import { SignatureV4 } from '@smithy/signature-v4';
import { HttpRequest } from '@smithy/protocol-http';
import { Sha256 } from '@aws-crypto/sha256-js';

export interface KeyEntry {
  accessKeyId: string;
  secretAccessKey: string;
  /** Temporary keys (minted by the STS stub) carry a session token that must come with every request. */
  sessionToken?: string;
  /** Epoch ms after which the temporary key is rejected as expired. */
  expiresAt?: number;
  /** Who this key is: `arn:aws:iam::ACCOUNT:user/NAME` or `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`. */
  arn: string;
  /** For temporary keys: the static key behind them (used to re-sign S3 requests towards radosgw). */
  backingAccessKeyId?: string;
}

export class KeyRegistry {
  private readonly keys = new Map<string, KeyEntry>();
  add(entry: KeyEntry): void {
    this.keys.set(entry.accessKeyId, entry);
  }
  get(accessKeyId: string): KeyEntry | undefined {
    return this.keys.get(accessKeyId);
  }
  /** Makes a temporary key expire now (tests of ExpiredToken handling). */
  expire(accessKeyId: string): void {
    const k = this.keys.get(accessKeyId);
    if (k) k.expiresAt = Date.now() - 1000;
  }
  all(): KeyEntry[] {
    return [...this.keys.values()];
  }
}

export type SigFailure = 'MissingAuthentication' | 'UnknownKey' | 'BadSignature' | 'BadSessionToken' | 'ExpiredToken';

export interface SigResult {
  ok: boolean;
  accessKeyId?: string;
  region?: string;
  service?: string;
  signedHeaders?: string[];
  failure?: SigFailure;
  key?: KeyEntry;
}

const AUTH_RE = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/;

export function parseAuthorization(header: string | undefined): { accessKeyId: string; region: string; service: string; signedHeaders: string[]; signature: string } | undefined {
  const m = AUTH_RE.exec(header ?? '');
  if (!m) return undefined;
  return { accessKeyId: m[1], region: m[3], service: m[4], signedHeaders: m[5].split(';'), signature: m[6] };
}

export function amzDateToDate(amzDate: string): Date {
  return new Date(amzDate.replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, '$1-$2-$3T$4:$5:$6Z'));
}

export function queryOf(url: URL): Record<string, string | string[]> {
  const q: Record<string, string | string[]> = {};
  for (const [k, v] of url.searchParams) {
    const prev = q[k];
    q[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return q;
}

export function signerFor(key: { accessKeyId: string; secretAccessKey: string }, region: string, service: string, sessionToken: string | undefined, s3: boolean): SignatureV4 {
  return new SignatureV4({
    service,
    region,
    sha256: Sha256,
    uriEscapePath: !s3,
    applyChecksum: false,
    credentials: { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey, sessionToken },
  });
}

function headerValue(v: string | string[] | undefined): string {
  return Array.isArray(v) ? v.join(',') : (v ?? '');
}

/**
 * Verifies the SigV4 Authorization header of a request (header auth only) against the registry.
 * `body` is the raw request body; it is hashed unless the client sent x-amz-content-sha256.
 */
export async function verifySigV4(registry: KeyRegistry, req: http.IncomingMessage, body: Buffer): Promise<SigResult> {
  const auth = parseAuthorization(req.headers.authorization);
  if (!auth) return { ok: false, failure: 'MissingAuthentication' };
  const { accessKeyId, region, service, signedHeaders, signature } = auth;
  const base = { accessKeyId, region, service, signedHeaders };
  const key = registry.get(accessKeyId);
  if (!key) return { ...base, ok: false, failure: 'UnknownKey' };
  const token = headerValue(req.headers['x-amz-security-token']) || undefined;
  const headers: Record<string, string> = {};
  for (const h of signedHeaders) headers[h] = headerValue(req.headers[h]);
  const url = new URL(req.url ?? '/', 'http://local');
  const amzDate = headerValue(req.headers['x-amz-date']);
  const s3 = service === 's3';
  const request = new HttpRequest({ method: req.method ?? 'GET', protocol: 'http:', hostname: headers.host ?? '', path: url.pathname, query: queryOf(url), headers, body });
  const signed = await signerFor(key, region, service, token, s3).sign(request, {
    signingDate: amzDateToDate(amzDate),
    signingRegion: region,
    signingService: service,
    unsignableHeaders: new Set(),
    signableHeaders: new Set(signedHeaders),
  });
  const expected = /Signature=([0-9a-f]{64})/.exec(String(signed.headers.authorization))?.[1];
  if (expected !== signature) return { ...base, key, ok: false, failure: 'BadSignature' };
  if (key.sessionToken !== undefined && key.sessionToken !== token) return { ...base, key, ok: false, failure: 'BadSessionToken' };
  if (key.sessionToken === undefined && token) return { ...base, key, ok: false, failure: 'BadSessionToken' };
  if (key.expiresAt !== undefined && Date.now() > key.expiresAt) return { ...base, key, ok: false, failure: 'ExpiredToken' };
  return { ...base, key, ok: true };
}
