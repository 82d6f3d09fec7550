/**
 * CodeArtifact stub speaking the real protocol (restJson1), two operations:
 *   GetAuthorizationToken: POST /v1/authorization-token?domain=D&domain-owner=O&duration=N   (empty body, SigV4-signed)
 *     -> 200 {"authorizationToken": "...", "expiration": <epoch seconds>}
 *   GetRepositoryEndpoint: GET /v1/repository/endpoint?domain=D&repository=R&format=F&domain-owner=O   (SigV4-signed;
 *     this is what Debian's awscli 2.9.19 sends for `aws codeartifact login`, after the token call)
 *     -> 200 {"repositoryEndpoint": "https://D-O.d.codeartifact.REGION.amazonaws.com/F/R/"}, REGION = the signing region.
 *     Recorded in `endpointCalls`, so `calls` keeps counting token calls only.
 * The signature is verified by re-signing with @smithy/signature-v4 against the shared KeyRegistry (temporary keys
 * minted by the STS stub work, with their session token). Every call is recorded with the access key that signed it.
 * Tokens are synthetic but shaped like real ones (JWE compact serialization, 5 base64url segments).
 * Errors look like the service's: status, `x-amzn-errortype` header, JSON body `{"message": ...}`.
 */
import * as crypto from 'node:crypto';
import * as http from 'node:http';
import { KeyRegistry, SigFailure, verifySigV4 } from './keys';
import { closeServer, listenLoopback, readBody, sendJson } from './net';

/** Per-domain behaviour, set at run time with `setBehavior(domain, b)`. */
export type CodeArtifactBehavior =
  | { kind: 'notFound' } // 404 ResourceNotFoundException
  | { kind: 'accessDenied' } // 403 AccessDeniedException
  | { kind: 'validation'; message?: string } // 400 ValidationException
  | { kind: 'throttle'; times: number } // 429 ThrottlingException for the next `times` calls, then success
  | { kind: 'unavailable'; times?: number } // 503 ServiceUnavailableException (all calls, or the next `times`)
  | { kind: 'delay'; ms: number } // answer normally after `ms`
  | { kind: 'hang' } // never answer (timeout / cancel tests); the connection is dropped at stop()
  | { kind: 'expiresIn'; seconds: number }; // issue tokens whose expiration is now + seconds

export interface CodeArtifactCall {
  accessKeyId?: string;
  domain?: string;
  domainOwner?: string;
  duration?: number;
  /** The SigV4 credential scope's region. */
  region?: string;
  ok: boolean;
  status: number;
  errorType?: string;
  /** Whether the request carried a session token (temporary credentials). */
  sessionToken: boolean;
  at: Date;
}

/** One GetRepositoryEndpoint call. */
export interface RepositoryEndpointCall {
  accessKeyId?: string;
  domain?: string;
  domainOwner?: string;
  repository?: string;
  format?: string;
  region?: string;
  ok: boolean;
  status: number;
  errorType?: string;
  /** The endpoint answered (status 200). */
  repositoryEndpoint?: string;
  at: Date;
}

/** What the stub knows about a token it issued (the PyPI stand-in checks tokens against it). */
export interface IssuedToken {
  /** Position in `issuedTokens`. */
  index: number;
  domain: string;
  /** The domain owner the call named, else the signing key's account. */
  domainOwner: string;
  /** The SigV4 region of the call. */
  region: string;
  /** Epoch ms. */
  expiresAt: number;
}

export interface CodeArtifactStub {
  endpoint: string;
  /** GetAuthorizationToken calls (and requests for no known route). */
  readonly calls: CodeArtifactCall[];
  /** GetRepositoryEndpoint calls. */
  readonly endpointCalls: RepositoryEndpointCall[];
  /** Every token issued, in order (tests scan logs/output for them). */
  readonly issuedTokens: string[];
  /** Who a token was issued for and when it expires; undefined for a token this stub did not issue (since reset). */
  findIssued(token: string): IssuedToken | undefined;
  setBehavior(domain: string, behavior: CodeArtifactBehavior | undefined): void;
  /** Clears calls, issued tokens and behaviours. */
  reset(): void;
  /** Resolves when `n` calls have been received in total (hang/delay tests). */
  waitForCalls(n: number, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

const b64u = (b: Buffer | string): string => Buffer.from(b).toString('base64url');

/** A synthetic token shaped like a real CodeArtifact token (JWE compact, ~1 KB). Never a real secret. */
export function syntheticToken(nowSec: number, expSec: number): string {
  const header = { ver: 1, isu: nowSec, enc: 'A128GCM', tag: b64u(crypto.randomBytes(16)), exp: expSec, alg: 'A128GCMKW', iv: b64u(crypto.randomBytes(12)) };
  return [b64u(JSON.stringify(header)), b64u(crypto.randomBytes(24)), b64u(crypto.randomBytes(12)), b64u(crypto.randomBytes(640)), b64u(crypto.randomBytes(16))].join('.');
}

/** The service's PackageFormat enum. */
const REPOSITORY_FORMATS = ['npm', 'pypi', 'maven', 'nuget', 'generic', 'ruby', 'swift', 'cargo'];

/** The account of `arn:aws:iam::ACCOUNT:...` / `arn:aws:sts::ACCOUNT:...` (the real service defaults the owner to it). */
function accountOf(arn: string | undefined): string {
  return /^arn:aws:(?:iam|sts)::(\d{12}):/.exec(arn ?? '')?.[1] ?? '000000000000';
}

const SIG_ERRORS: Record<SigFailure, [string, string]> = {
  MissingAuthentication: ['UnrecognizedClientException', 'Missing Authentication Token'],
  UnknownKey: ['UnrecognizedClientException', 'The security token included in the request is invalid.'],
  BadSignature: ['InvalidSignatureException', 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.'],
  BadSessionToken: ['UnrecognizedClientException', 'The security token included in the request is invalid.'],
  ExpiredToken: ['ExpiredTokenException', 'The security token included in the request is expired'],
};

/** Answers the request (and notes the outcome on its recorded call). */
type Reply = (status: number, obj: object, errorType?: string) => void;

/** Answers a request whose signature was rejected as the service does. */
function rejectSignature(sig: Awaited<ReturnType<typeof verifySigV4>>, reply: Reply): void {
  const [type, message] = SIG_ERRORS[sig.failure ?? 'BadSignature'];
  return reply(403, { message }, type);
}

/**
 * The checks both operations start with, in this order: a malformed domain, then a malformed domain owner, is answered
 * with a ValidationException and undefined is returned; otherwise the domain is returned.
 */
function checkDomain(domain: string | undefined, domainOwner: string | undefined, reply: Reply): string | undefined {
  if (!domain || !/^[a-z][a-z0-9-]{0,48}[a-z0-9]$/.test(domain)) {
    reply(400, { message: `1 validation error detected: Value '${domain ?? ''}' at 'domain' failed to satisfy constraint` }, 'ValidationException');
    return undefined;
  }
  if (domainOwner !== undefined && !/^[0-9]{12}$/.test(domainOwner)) {
    reply(400, { message: `1 validation error detected: Value at 'domainOwner' failed to satisfy constraint: Member must satisfy regular expression pattern: [0-9]{12}` }, 'ValidationException');
    return undefined;
  }
  return domain;
}

export async function startCodeArtifactStub(opts: { registry: KeyRegistry; port?: number }): Promise<CodeArtifactStub> {
  const calls: CodeArtifactCall[] = [];
  const issuedTokens: string[] = [];
  const issued = new Map<string, IssuedToken>();
  const endpointCalls: RepositoryEndpointCall[] = [];
  const behaviors = new Map<string, CodeArtifactBehavior>();
  const waiters: Array<() => void> = [];

  /** Records `call` in `list`; the returned `reply` answers the request and notes its status on the call. */
  function record<C extends { ok: boolean; status: number; errorType?: string }>(list: C[], call: C, res: http.ServerResponse): Reply {
    list.push(call);
    const outcome: { ok: boolean; status: number; errorType?: string } = call;
    return (status, obj, errorType) => {
      outcome.status = status;
      outcome.ok = status === 200;
      outcome.errorType = errorType;
      sendJson(res, status, obj, errorType);
    };
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const body = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://stub');
    const sig = await verifySigV4(opts.registry, req, body);
    const q = url.searchParams;
    if (url.pathname === '/v1/repository/endpoint') return repositoryEndpoint(req, res, url, sig);
    // The SDK sends domain/domain-owner/duration in the query; accept a JSON body with the same names as well.
    let fromBody: Record<string, unknown> = {};
    if (body.length > 0) {
      try {
        fromBody = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
      } catch {
        fromBody = {};
      }
    }
    const domainParam = q.get('domain') ?? (fromBody.domain as string | undefined);
    const domainOwner = q.get('domain-owner') ?? (fromBody.domainOwner as string | undefined);
    const durationText = q.get('duration') ?? (fromBody.durationSeconds !== undefined ? String(fromBody.durationSeconds) : undefined);
    const call: CodeArtifactCall = {
      accessKeyId: sig.accessKeyId,
      domain: domainParam ?? undefined,
      domainOwner: domainOwner ?? undefined,
      duration: durationText === undefined ? undefined : Number(durationText),
      region: sig.region,
      ok: false,
      status: 0,
      sessionToken: req.headers['x-amz-security-token'] !== undefined,
      at: new Date(),
    };
    const reply = record(calls, call, res);
    for (const w of waiters.splice(0)) w();
    if (!sig.ok) return rejectSignature(sig, reply);
    if (req.method !== 'POST' || url.pathname !== '/v1/authorization-token') {
      return reply(404, { message: `No route for ${req.method} ${url.pathname}` }, 'UnknownOperationException');
    }
    const domain = checkDomain(domainParam, domainOwner, reply);
    if (domain === undefined) return;
    const duration = call.duration ?? 43200;
    if (!Number.isInteger(duration) || (duration !== 0 && (duration < 900 || duration > 43200))) {
      return reply(400, { message: 'Duration must be 0 or between 900 and 43200 seconds' }, 'ValidationException');
    }
    const b = behaviors.get(domain);
    if (b) {
      switch (b.kind) {
        case 'notFound':
          return reply(404, { message: `Domain ${domain} not found in account ${domainOwner ?? ''}`, resourceId: domain, resourceType: 'domain' }, 'ResourceNotFoundException');
        case 'accessDenied':
          return reply(403, { message: `User: ${sig.key?.arn ?? 'unknown'} is not authorized to perform: codeartifact:GetAuthorizationToken on resource: arn:aws:codeartifact:${sig.region}:${domainOwner}:domain/${domain}` }, 'AccessDeniedException');
        case 'validation':
          return reply(400, { message: b.message ?? 'Validation failed' }, 'ValidationException');
        case 'throttle':
          if (b.times > 0) {
            b.times--;
            return reply(429, { message: 'Rate exceeded' }, 'ThrottlingException');
          }
          break;
        case 'unavailable':
          if (b.times === undefined || b.times > 0) {
            if (b.times !== undefined) b.times--;
            return reply(503, { message: 'Service Unavailable' }, 'ServiceUnavailableException');
          }
          break;
        case 'delay':
          await new Promise((r) => setTimeout(r, b.ms));
          break;
        case 'hang':
          return; // never answer
        case 'expiresIn':
          break;
      }
    }
    const now = Math.floor(Date.now() / 1000);
    let lifetime = duration;
    if (duration === 0) {
      // 0 = as long as the caller's credentials (temporary keys), else the default 12 hours.
      lifetime = sig.key?.expiresAt ? Math.max(0, Math.floor((sig.key.expiresAt - Date.now()) / 1000)) : 43200;
    }
    if (b?.kind === 'expiresIn') lifetime = b.seconds;
    const token = syntheticToken(now, now + lifetime);
    issued.set(token, { index: issuedTokens.length, domain, domainOwner: domainOwner ?? accountOf(sig.key?.arn), region: sig.region ?? '', expiresAt: (now + lifetime) * 1000 });
    issuedTokens.push(token);
    return reply(200, { authorizationToken: token, expiration: now + lifetime });
  }

  function repositoryEndpoint(req: http.IncomingMessage, res: http.ServerResponse, url: URL, sig: Awaited<ReturnType<typeof verifySigV4>>): void {
    const q = url.searchParams;
    const call: RepositoryEndpointCall = {
      accessKeyId: sig.accessKeyId,
      domain: q.get('domain') ?? undefined,
      domainOwner: q.get('domain-owner') ?? undefined,
      repository: q.get('repository') ?? undefined,
      format: q.get('format') ?? undefined,
      region: sig.region,
      ok: false,
      status: 0,
      at: new Date(),
    };
    const reply = record(endpointCalls, call, res);
    if (!sig.ok) return rejectSignature(sig, reply);
    if (req.method !== 'GET') return reply(404, { message: `No route for ${req.method} ${url.pathname}` }, 'UnknownOperationException');
    const { repository, format } = call;
    const domain = checkDomain(call.domain, call.domainOwner, reply);
    if (domain === undefined) return;
    if (!repository || !/^[A-Za-z0-9][A-Za-z0-9._-]{1,99}$/.test(repository)) return reply(400, { message: `1 validation error detected: Value '${repository ?? ''}' at 'repository' failed to satisfy constraint` }, 'ValidationException');
    if (!format || !REPOSITORY_FORMATS.includes(format)) return reply(400, { message: `1 validation error detected: Value '${format ?? ''}' at 'format' failed to satisfy enum value set: [${REPOSITORY_FORMATS.join(', ')}]` }, 'ValidationException');
    const b = behaviors.get(domain);
    if (b?.kind === 'notFound') return reply(404, { message: `Domain ${domain} not found in account ${call.domainOwner ?? ''}`, resourceId: domain, resourceType: 'domain' }, 'ResourceNotFoundException');
    if (b?.kind === 'accessDenied') return reply(403, { message: `User: ${sig.key?.arn ?? 'unknown'} is not authorized to perform: codeartifact:GetRepositoryEndpoint on resource: arn:aws:codeartifact:${sig.region}:${call.domainOwner}:repository/${domain}/${repository}` }, 'AccessDeniedException');
    const owner = call.domainOwner ?? accountOf(sig.key?.arn);
    call.repositoryEndpoint = `https://${domain}-${owner}.d.codeartifact.${sig.region}.amazonaws.com/${format}/${repository}/`;
    return reply(200, { repositoryEndpoint: call.repositoryEndpoint });
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { message: `stub error: ${(e as Error).message}` }, 'InternalServerException');
    });
  });
  const endpoint = await listenLoopback(server, opts.port ?? 0);
  return {
    endpoint,
    calls,
    endpointCalls,
    issuedTokens,
    findIssued: (token) => issued.get(token),
    setBehavior(domain, behavior) {
      if (behavior) behaviors.set(domain, { ...behavior });
      else behaviors.delete(domain);
    },
    reset() {
      calls.length = 0;
      endpointCalls.length = 0;
      issuedTokens.length = 0;
      issued.clear();
      behaviors.clear();
    },
    async waitForCalls(n, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (calls.length < n) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`codeartifact stub: expected ${n} calls, got ${calls.length}`);
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(t);
            resolve();
          });
        });
      }
    },
    stop: () => closeServer(server),
  };
}
