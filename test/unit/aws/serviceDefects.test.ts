/**
 * Issue 9 defects of the AWS layer, on plain Node against local fake endpoints (no signature check):
 * joining an aborted token flight, retired clients that stay open, and abort listeners piling up on one signal.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { isRefresherError } from '../../../src/core/errors';
import { createAwsServices } from '../../../src/aws';
import { tempAws, type TempAws } from './tempAws';

interface Fake {
  server: Server;
  url: string;
  requests: IncomingMessage[];
  sockets: Set<Socket>;
}

function startFake(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<Fake> {
  const requests: IncomingMessage[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    requests.push(req);
    req.resume();
    req.on('end', () => handler(req, res));
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, sockets })));
}

async function waitFor(condition: () => boolean, ms = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what}: not met in ${ms} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const TOKEN = 'synthetic-token-value-0002';
const REQUEST = { domain: 'acme', domainOwner: '111122223333', region: 'eu-west-1' };
const cancelled = (e: unknown) => isRefresherError(e) && e.code === 'Cancelled';

describe('aws layer defects (issue 9)', () => {
  let t: TempAws;
  let ca: Fake;
  let s3: Fake;
  let hold: (() => void)[] = [];
  beforeEach(async () => {
    hold = [];
    ca = await startFake((req, res) => {
      const answer = () => {
        if (!res.destroyed) res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ authorizationToken: TOKEN, expiration: 2000000000 }));
      };
      if (req.url?.includes('domain=slow')) hold.push(answer);
      else answer();
    });
    s3 = await startFake((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain', etag: '"e1"', 'content-length': '6' }).end('hello\n');
    });
    t = tempAws({ AWS_ENDPOINT_URL_CODEARTIFACT: ca.url, AWS_ENDPOINT_URL_S3: s3.url });
    t.writeCredentials('[dev]\naws_access_key_id = AKIDEXAMPLEDEV000002\naws_secret_access_key = synthetic-secret\n');
    t.writeConfig('[profile dev]\nregion = eu-west-1\n');
  });
  afterEach(() => {
    for (const f of [ca, s3]) {
      f.server.closeAllConnections();
      f.server.close();
    }
    t.remove();
  });

  it('a caller arriving just after the last waiter aborted gets a fresh request, not Cancelled', async () => {
    const services = createAwsServices({ env: t.env });
    const slow = { ...REQUEST, domain: 'slow' };
    const first = new AbortController();
    const p1 = services.getToken(slow, { profile: 'dev', durationSeconds: 0, signal: first.signal });
    await waitFor(() => hold.length === 1, 5000, 'first request');
    first.abort(); // the only waiter: the shared request is aborted
    const p2 = services.getToken(slow, { profile: 'dev', durationSeconds: 0 }); // arrives in the same tick
    await assert.rejects(p1, cancelled);
    await waitFor(() => hold.length === 2, 5000, 'a second request for the late caller');
    hold[1]();
    const issued = await p2;
    assert.ok(issued.token === TOKEN, 'the late caller did not get the token');
    assert.equal(ca.requests.length, 2);
    services.dispose();
  });

  it('invalidateCredentials closes an idle retired client at once', async () => {
    const services = createAwsServices({ env: t.env });
    await services.getToken(REQUEST, { profile: 'dev', durationSeconds: 900 });
    assert.equal(ca.sockets.size, 1, 'the client keeps its connection open (keep-alive)');
    services.invalidateCredentials('dev');
    await waitFor(() => ca.sockets.size === 0, 2000, 'the retired client closing its connection');
    services.dispose();
  });

  it('a retired client finishes its call in flight, then closes; every profile switch does not add an open client', async () => {
    const services = createAwsServices({ env: t.env });
    const slow = { ...REQUEST, domain: 'slow' };
    const p = services.getToken(slow, { profile: 'dev', durationSeconds: 0 });
    await waitFor(() => hold.length === 1, 5000, 'request');
    services.invalidateCredentials('dev');
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(ca.sockets.size, 1, 'the call in flight was cut');
    hold[0]();
    assert.ok((await p).token === TOKEN, 'the call in flight lost its token');
    await waitFor(() => ca.sockets.size === 0, 2000, 'the retired client closing after its last call');
    for (let i = 0; i < 5; i++) {
      await services.getToken(REQUEST, { profile: 'dev', durationSeconds: 900 });
      services.invalidateCredentials('dev');
    }
    await waitFor(() => ca.sockets.size === 0, 2000, 'all retired clients closed');
    services.dispose();
  });

  it('30 concurrent getToken and 30 readObject calls on one signal add no MaxListenersExceededWarning', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => {
      if (w.name === 'MaxListenersExceededWarning') warnings.push(w.message);
    };
    process.on('warning', onWarning);
    try {
      const services = createAwsServices({ env: t.env });
      const ac = new AbortController();
      const calls: Promise<unknown>[] = [];
      for (let i = 0; i < 30; i++) {
        calls.push(services.getToken({ ...REQUEST, domain: `d${i}` }, { profile: 'dev', durationSeconds: 900, signal: ac.signal }));
        calls.push(services.readObject({ bucket: 'b', key: `k${i}.txt` }, { profile: 'dev', signal: ac.signal }));
      }
      const results = await Promise.allSettled(calls);
      const failed = results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason));
      assert.deepEqual(failed, []);
      await new Promise((r) => setTimeout(r, 20)); // warnings are emitted on a later tick
      assert.deepEqual(warnings, []);
      services.dispose();
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('aborting the shared signal still cancels every call on it', async () => {
    const services = createAwsServices({ env: t.env });
    const ac = new AbortController();
    const calls = Array.from({ length: 15 }, (_, i) => services.getToken({ ...REQUEST, domain: 'slow', domainOwner: String(111122223300 + i) }, { profile: 'dev', durationSeconds: 0, signal: ac.signal }));
    await waitFor(() => hold.length === 15, 5000, '15 requests');
    ac.abort();
    const results = await Promise.allSettled(calls);
    assert.ok(results.every((r) => r.status === 'rejected' && cancelled(r.reason)), 'every call is Cancelled');
    await waitFor(() => ca.sockets.size === 0, 2000, 'the 15 HTTP requests aborted');
    services.dispose();
  });
});
