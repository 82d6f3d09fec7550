/**
 * IAM Identity Center portal stub speaking the real protocol of GetRoleCredentials (restJson1, no SigV4):
 *   GET /federation/credentials?role_name=R&account_id=A   header x-amz-sso_bearer_token: ACCESS_TOKEN
 *   -> 200 {"roleCredentials": {"accessKeyId", "secretAccessKey", "sessionToken", "expiration": <epoch ms>}}
 *   -> 401 UnauthorizedException {"message": "Session token not found or invalid"} for an unknown or revoked token.
 * Temporary keys are registered in the shared KeyRegistry, so the CodeArtifact stub and the S3 proxy accept them.
 * Region: with AWS_ENDPOINT_URL_SSO the SDK sends the request to this endpoint as given, and GetRoleCredentials is not
 * signed, so nothing in the request says which region's portal was meant; each call records the Host header only.
 */
import * as crypto from 'node:crypto';
import * as http from 'node:http';
import type { KeyRegistry } from './keys';
import { closeServer, listenLoopback, readBody, sendJson } from './net';

export interface SsoCall {
  roleName?: string;
  accountId?: string;
  host?: string;
  ok: boolean;
  status: number;
  /** Access key minted on success. */
  issuedAccessKeyId?: string;
}

export interface SsoStub {
  endpoint: string;
  readonly calls: SsoCall[];
  /** Accepts `accessToken` (as `aws sso login` would have obtained it) for this account until revoked. */
  addSession(accessToken: string, accountId: string): void;
  /** The portal forgets the token: later calls get 401 UnauthorizedException. */
  revoke(accessToken: string): void;
  /**
   * Lifetime of the role credentials it hands out (default 3600 s). Under 300 s they are inside the SDK's refresh
   * window, so every AWS call resolves them again and reads the SSO cache file again (as happens after ~1 h).
   */
  lifetimeSeconds: number;
  stop(): Promise<void>;
}

export async function startSsoStub(opts: { registry: KeyRegistry; port?: number; lifetimeSeconds?: number }): Promise<SsoStub> {
  const calls: SsoCall[] = [];
  const sessions = new Map<string, string>();
  let lifetime = opts.lifetimeSeconds ?? 3600;

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    await readBody(req);
    const url = new URL(req.url ?? '/', 'http://sso');
    const call: SsoCall = { roleName: url.searchParams.get('role_name') ?? undefined, accountId: url.searchParams.get('account_id') ?? undefined, host: req.headers.host, ok: false, status: 0 };
    calls.push(call);
    const reply = (status: number, body: object, errorType?: string) => {
      call.status = status;
      call.ok = status === 200;
      sendJson(res, status, body, errorType);
    };
    if (req.method !== 'GET' || url.pathname !== '/federation/credentials') return reply(404, { message: `No route for ${req.method} ${url.pathname}` }, 'UnknownOperationException');
    const token = req.headers['x-amz-sso_bearer_token'];
    const account = typeof token === 'string' ? sessions.get(token) : undefined;
    if (!account) return reply(401, { message: 'Session token not found or invalid' }, 'UnauthorizedException');
    if (!call.roleName || call.accountId !== account) return reply(403, { message: 'No access' }, 'ForbiddenException');
    const accessKeyId = 'ASIA' + crypto.randomBytes(8).toString('hex').toUpperCase();
    const secretAccessKey = crypto.randomBytes(30).toString('base64');
    const sessionToken = 'IQoJb3JpZ2luX2Vj' + crypto.randomBytes(180).toString('base64');
    const expiration = Date.now() + lifetime * 1000;
    opts.registry.add({ accessKeyId, secretAccessKey, sessionToken, expiresAt: expiration, arn: `arn:aws:sts::${account}:assumed-role/AWSReservedSSO_${call.roleName}_0000/sso-user` });
    call.issuedAccessKeyId = accessKeyId;
    return reply(200, { roleCredentials: { accessKeyId, secretAccessKey, sessionToken, expiration } });
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(`sso stub error: ${(e as Error).message}`);
    });
  });
  const endpoint = await listenLoopback(server, opts.port ?? 0);
  return {
    endpoint,
    calls,
    addSession: (token, accountId) => void sessions.set(token, accountId),
    revoke: (token) => void sessions.delete(token),
    get lifetimeSeconds() {
      return lifetime;
    },
    set lifetimeSeconds(v: number) {
      lifetime = v;
    },
    stop: () => closeServer(server),
  };
}
