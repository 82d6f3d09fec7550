import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { isRefresherError } from '../../../src/core/errors';
import { createAwsServices } from '../../../src/aws';
import { validateDuration } from '../../../src/core/expiry';
import { tempAws, type TempAws } from './tempAws';

/** A bare local HTTP endpoint standing in for CodeArtifact (no signature check: that is the server tier's job). */
function startFake(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ server: Server; url: string; requests: IncomingMessage[] }> {
  const requests: IncomingMessage[] = [];
  const server = createServer((req, res) => {
    requests.push(req);
    req.resume();
    req.on('end', () => handler(req, res));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests })));
}

const REQUEST = { domain: 'acme', domainOwner: '111122223333', region: 'eu-west-1' };

describe('aws getToken (local fake endpoint)', () => {
  let t: TempAws;
  let fake: Awaited<ReturnType<typeof startFake>>;
  let release: (() => void)[] = [];
  beforeEach(async () => {
    release = [];
    fake = await startFake((req, res) => {
      const answer = () => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ authorizationToken: 'synthetic-token-value-0001', expiration: 2000000000 }));
      if (req.url?.includes('domain=slow')) release.push(answer);
      else answer();
    });
    t = tempAws({ AWS_ENDPOINT_URL_CODEARTIFACT: fake.url });
    t.writeCredentials('[dev]\naws_access_key_id = AKIDEXAMPLEDEV000001\naws_secret_access_key = synthetic-secret\n');
  });
  afterEach(() => {
    fake.server.closeAllConnections();
    fake.server.close();
    t.remove();
  });

  it('rejects a bad duration with InvalidInput before any call', async () => {
    const lines: string[] = [];
    const services = createAwsServices({ env: t.env, log: (l) => lines.push(l) });
    for (const d of [-1, 1, 899, 43201, 900.5, Number.NaN, Infinity]) {
      await assert.rejects(services.getToken(REQUEST, { profile: 'dev', durationSeconds: d }), (e: unknown) => isRefresherError(e) && e.code === 'InvalidInput');
    }
    assert.equal(fake.requests.length, 0);
    assert.deepEqual(lines, []);
  });

  it('accepts exactly 0 and 900..43200 (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: -100000, max: 100000 }), fc.double()), (n) => {
        const ok = Number.isInteger(n) && (n === 0 || (n >= 900 && n <= 43200));
        let accepted = true;
        try {
          validateDuration(n);
        } catch (e) {
          accepted = !(isRefresherError(e) && e.code === 'InvalidInput');
        }
        return accepted === ok;
      }),
    );
  });

  it('returns the token and the expiration the service gave, and never logs the token', async () => {
    const lines: string[] = [];
    const services = createAwsServices({ env: t.env, log: (l) => lines.push(l) });
    const issued = await services.getToken(REQUEST, { profile: 'dev', durationSeconds: 900 });
    assert.ok(issued.token === 'synthetic-token-value-0001', 'unexpected token');
    assert.equal(issued.expiration.getTime(), 2000000000 * 1000);
    assert.match(fake.requests[0].url ?? '', /domain=acme&domain-owner=111122223333&duration=900/);
    assert.equal(lines.length, 1);
    assert.match(lines[0], /codeartifact:GetAuthorizationToken profile=dev domain=acme owner=111122223333 region=eu-west-1 duration=900 status=200 attempts=1 \d+ms/);
    assert.ok(!lines.join('\n').includes('synthetic-token-value-0001'), 'token logged');
    assert.ok(!lines.join('\n').includes('synthetic-secret'), 'secret logged');
    services.dispose();
  });

  it('shares one in-flight request between identical concurrent calls, and caches nothing after', async () => {
    const services = createAwsServices({ env: t.env });
    const slow = { ...REQUEST, domain: 'slow' };
    const both = Promise.all([services.getToken(slow, { profile: 'dev', durationSeconds: 0 }), services.getToken(slow, { profile: 'dev', durationSeconds: 0 })]);
    await waitFor(() => release.length === 1);
    release.shift()?.();
    const [a, b] = await both;
    assert.ok(a.token === b.token, 'tokens differ');
    assert.equal(fake.requests.length, 1);
    const again = services.getToken(slow, { profile: 'dev', durationSeconds: 0 });
    await waitFor(() => release.length === 1);
    release.shift()?.();
    await again;
    assert.equal(fake.requests.length, 2);
    services.dispose();
  });

  it('one waiter cancelling does not cancel the other; the last one cancelling aborts the request', async () => {
    const services = createAwsServices({ env: t.env });
    const slow = { ...REQUEST, domain: 'slow' };
    const first = new AbortController();
    const second = new AbortController();
    const p1 = services.getToken(slow, { profile: 'dev', durationSeconds: 0, signal: first.signal });
    const p2 = services.getToken(slow, { profile: 'dev', durationSeconds: 0, signal: second.signal });
    await waitFor(() => release.length === 1);
    first.abort();
    await assert.rejects(p1, (e: unknown) => isRefresherError(e) && e.code === 'Cancelled');
    release.shift()?.();
    assert.ok((await p2).token === 'synthetic-token-value-0001', 'second waiter lost its token');

    const p3 = services.getToken(slow, { profile: 'dev', durationSeconds: 0, signal: first.signal });
    await assert.rejects(p3, (e: unknown) => isRefresherError(e) && e.code === 'Cancelled');
    const third = new AbortController();
    const p4 = services.getToken(slow, { profile: 'dev', durationSeconds: 0, signal: third.signal });
    await waitFor(() => release.length === 1);
    const closed = new Promise<void>((resolve) => fake.requests[fake.requests.length - 1].socket.once('close', () => resolve()));
    third.abort();
    await assert.rejects(p4, (e: unknown) => isRefresherError(e) && e.code === 'Cancelled');
    await closed; // the HTTP request itself was aborted
    services.dispose();
  });
});

async function waitFor(condition: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setImmediate(r));
  }
}
