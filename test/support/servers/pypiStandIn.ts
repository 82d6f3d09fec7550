/**
 * An HTTPS stand-in for CodeArtifact's PyPI endpoint, and the CONNECT proxy that lets a real pip reach it without DNS.
 *
 *   pip --HTTPS_PROXY--> CONNECT proxy (http://127.0.0.1:P) --tunnel--> stand-in (TLS, throwaway CA)
 *
 * The stand-in answers for any `DOMAIN-OWNER.d.codeartifact.REGION.amazonaws.com` (the Host header) and serves
 *   /pypi/REPO/simple/                   PEP 503 root index (one project)
 *   /pypi/REPO/simple/ca-probe/          the project's page, linking the wheel with its #sha256
 *   /pypi/REPO/simple/ca-probe/1.0/FILE  the wheel (ca_probe-1.0-py3-none-any.whl, built at start)
 * only to requests whose HTTP Basic auth is `aws:TOKEN`, TOKEN being one the CodeArtifact stub issued (since its last
 * reset), not expired, for the domain, owner and region the Host names. Otherwise 401 with `WWW-Authenticate: Basic`.
 * Every request is recorded (host, path, status, why, the issued token's index), never the token itself.
 * The proxy tunnels only `*.d.codeartifact.*.amazonaws.com:443` to the stand-in and refuses everything else (recorded),
 * so a client under test has no other network.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import * as path from 'node:path';
import { closeServer, listenLoopback } from './net';
import { makeTlsMaterial } from './tls';
import { buildWheel, type Wheel } from './wheel';
import type { IssuedToken } from './codeartifactStub';

/** Why a request was answered as it was. */
export type PypiAuthResult = 'ok' | 'none' | 'not-basic' | 'wrong-user' | 'unknown-token' | 'expired' | 'wrong-domain' | 'bad-host';

export interface PypiRequest {
  host: string;
  method: string;
  path: string;
  status: number;
  auth: PypiAuthResult;
  /** Index of the token in the CodeArtifact stub's `issuedTokens` when it was one the stub issued. */
  tokenIndex?: number;
  at: string;
}

export interface ProxyConnect {
  /** host:port asked for. */
  target: string;
  allowed: boolean;
  at: string;
}

/** What the stand-in needs from the CodeArtifact stub. */
export interface IssuedTokens {
  findIssued(token: string): IssuedToken | undefined;
}

export interface PypiStandIn {
  /** Give it to the client as HTTPS_PROXY. */
  proxyUrl: string;
  /** The throwaway CA the stand-in's certificate chains to (PIP_CERT). */
  caFile: string;
  /** The one package served. */
  probe: { name: string; version: string; wheel: string; sha256: string; files: string[] };
  requests(): PypiRequest[];
  connects(): ProxyConnect[];
  reset(): void;
  stop(): Promise<void>;
}

/** Regions the stand-in's certificate names (the sandbox's regions, see sandbox/seed.ts). */
export const STAND_IN_REGIONS = ['us-east-1', 'eu-west-1'];
export const PROBE_PACKAGE = { name: 'ca-probe', version: '1.0' } as const;

const HOST_RE = /^([a-z][a-z0-9-]*)-(\d{12})\.d\.codeartifact\.([a-z0-9-]+)\.amazonaws\.com$/;
const TUNNEL_RE = /^[a-z0-9-]+\.d\.codeartifact\.[a-z0-9-]+\.amazonaws\.com$/i;

function page(title: string, links: Array<[string, string]>): string {
  const body = links.map(([href, text]) => `    <a href="${href}">${text}</a><br/>\n`).join('');
  return `<!DOCTYPE html>\n<html>\n  <head><meta name="pypi:repository-version" content="1.0"><title>${title}</title></head>\n  <body>\n${body}  </body>\n</html>\n`;
}

export async function startPypiStandIn(opts: { tokens: IssuedTokens; dir: string }): Promise<PypiStandIn> {
  const tls = makeTlsMaterial(path.join(opts.dir, 'pypi-tls'), STAND_IN_REGIONS.map((r) => `*.d.codeartifact.${r}.amazonaws.com`));
  const wheel: Wheel = buildWheel(PROBE_PACKAGE.name, PROBE_PACKAGE.version);
  const requests: PypiRequest[] = [];
  const connects: ProxyConnect[] = [];
  const sockets = new Set<net.Socket>();
  const track = (s: net.Socket): void => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  };

  function authorize(req: http.IncomingMessage, host: string): { auth: PypiAuthResult; tokenIndex?: number } {
    const m = HOST_RE.exec(host);
    if (!m) return { auth: 'bad-host' };
    const header = req.headers.authorization;
    if (!header) return { auth: 'none' };
    const basic = /^Basic ([A-Za-z0-9+/=]+)$/.exec(header);
    if (!basic) return { auth: 'not-basic' };
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0 || decoded.slice(0, colon) !== 'aws') return { auth: 'wrong-user' };
    const issued = opts.tokens.findIssued(decoded.slice(colon + 1));
    if (!issued) return { auth: 'unknown-token' };
    if (Date.now() >= issued.expiresAt) return { auth: 'expired', tokenIndex: issued.index };
    if (issued.domain !== m[1] || issued.domainOwner !== m[2] || issued.region !== m[3]) return { auth: 'wrong-domain', tokenIndex: issued.index };
    return { auth: 'ok', tokenIndex: issued.index };
  }

  const server = https.createServer({ cert: tls.cert, key: tls.key }, (req, res) => {
    const host = (req.headers.host ?? '').replace(/:443$/, '').toLowerCase();
    const url = new URL(req.url ?? '/', 'https://stand-in');
    const { auth, tokenIndex } = authorize(req, host);
    const record: PypiRequest = { host, method: req.method ?? 'GET', path: url.pathname, status: 0, auth, tokenIndex, at: new Date().toISOString() };
    requests.push(record);
    const reply = (status: number, headers: http.OutgoingHttpHeaders, body: string | Buffer): void => {
      record.status = status;
      res.writeHead(status, headers).end(req.method === 'HEAD' ? undefined : body);
    };
    if (auth === 'bad-host') return reply(404, { 'content-type': 'text/plain' }, 'not a CodeArtifact host\n');
    if (auth !== 'ok') return reply(401, { 'www-authenticate': 'Basic realm="codeartifact stand-in"', 'content-type': 'text/plain' }, 'Unauthorized\n');
    if (req.method !== 'GET' && req.method !== 'HEAD') return reply(405, { 'content-type': 'text/plain' }, 'method not allowed\n');
    const m = /^\/pypi\/([^/]+)\/simple\/(?:([^/]+)\/(?:([^/]+)\/([^/]+))?)?$/.exec(url.pathname);
    const html = { 'content-type': 'text/html; charset=utf-8' };
    if (!m) return reply(404, { 'content-type': 'text/plain' }, 'not found\n');
    const [, , project, version, file] = m;
    if (project === undefined) return reply(200, html, page('Simple index', [[`${PROBE_PACKAGE.name}/`, PROBE_PACKAGE.name]]));
    if (project !== PROBE_PACKAGE.name) return reply(404, { 'content-type': 'text/plain' }, 'not found\n');
    if (version === undefined) return reply(200, html, page(`Links for ${project}`, [[`${PROBE_PACKAGE.version}/${wheel.filename}#sha256=${wheel.sha256}`, wheel.filename]]));
    if (version !== PROBE_PACKAGE.version || file !== wheel.filename) return reply(404, { 'content-type': 'text/plain' }, 'not found\n');
    return reply(200, { 'content-type': 'application/octet-stream', 'content-length': wheel.bytes.length }, wheel.bytes);
  });
  server.on('connection', track);
  const standIn = new URL(await listenLoopback(server));

  const proxy = http.createServer((req, res) => {
    connects.push({ target: req.url ?? '', allowed: false, at: new Date().toISOString() });
    res.writeHead(403, { 'content-type': 'text/plain' }).end('this proxy only tunnels CodeArtifact hosts\n');
  });
  proxy.on('connection', track);
  proxy.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    const target = req.url ?? '';
    const [host, port] = target.split(':');
    const allowed = port === '443' && TUNNEL_RE.test(host ?? '');
    connects.push({ target, allowed, at: new Date().toISOString() });
    if (!allowed) {
      client.end('HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    const upstream = net.connect(Number(standIn.port), '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    track(upstream);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  const proxyUrl = await listenLoopback(proxy);

  return {
    proxyUrl,
    caFile: tls.caFile,
    probe: { ...PROBE_PACKAGE, wheel: wheel.filename, sha256: wheel.sha256, files: wheel.files },
    requests: () => requests.map((r) => ({ ...r })),
    connects: () => connects.map((c) => ({ ...c })),
    reset() {
      requests.length = 0;
      connects.length = 0;
    },
    async stop() {
      for (const s of sockets) s.destroy();
      await Promise.all([closeServer(proxy), closeServer(server)]);
      fs.rmSync(path.join(opts.dir, 'pypi-tls'), { recursive: true, force: true });
    },
  };
}
