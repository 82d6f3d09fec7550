import * as assert from 'node:assert/strict';
import { isRefresherError } from '../../../src/core/errors';
import { planRefresh, tokenKeysOf } from '../../../src/core/pipeline';
import { TokenBatch, distinctKeys, type TokenKey } from '../../../src/core/tokenBatch';

const HOST_A = 'team-a-111122223333.d.codeartifact.us-east-1.amazonaws.com';
const HOST_B = 'team-b-2-444455556666.d.codeartifact.eu-west-1.amazonaws.com';
const line = (host: string, tok: string, eol = '\n') => `--extra-index-url https://aws:${tok}@${host}/pypi/repo/simple/${eol}`;

function fakeIssuer() {
  const calls: string[] = [];
  const get = async (k: TokenKey) => {
    calls.push(`${k.domain}/${k.domainOwner}/${k.region}`);
    return { token: `NEWTOKEN-${k.domain}-${calls.length}`, expiration: new Date(Date.UTC(2030, 0, 1, calls.length)) };
  };
  return { calls, get };
}

describe('planRefresh', () => {
  it('gives each line the token of its own domain and fetches one token per domain/owner/region', async () => {
    const text = line(HOST_A, '{auth_token}') + line(HOST_B, 'OLDTOKEN-b', '\r\n') + line(HOST_A, '$AUTH_TOKEN', '');
    const issuer = fakeIssuer();
    const plan = await planRefresh(text, 'x', issuer.get);
    assert.deepEqual(issuer.calls, ['team-a/111122223333/us-east-1', 'team-b-2/444455556666/eu-west-1']);
    assert.equal(plan.replaced, 3);
    assert.equal(plan.edits.length, 3);
    assert.equal(plan.after, line(HOST_A, 'NEWTOKEN-team-a-1') + line(HOST_B, 'NEWTOKEN-team-b-2-2', '\r\n') + line(HOST_A, 'NEWTOKEN-team-a-1', ''));
    assert.ok(plan.changed);
  });

  it('edits applied to the original text give exactly `after`', async () => {
    const text = '\uFEFF# pins\r' + line(HOST_B, 'OLD', '\r\n') + 'numpy==1.26\n' + line(HOST_A, 'OLDER');
    const plan = await planRefresh(text, 'x', fakeIssuer().get);
    let rebuilt = '';
    let at = 0;
    for (const e of plan.edits) {
      rebuilt += text.slice(at, e.start) + e.text;
      at = e.end;
    }
    rebuilt += text.slice(at);
    assert.equal(rebuilt, plan.after);
  });

  it('reports unchanged when every position already holds the issued token', async () => {
    const text = line(HOST_A, 'SAME-TOKEN-VALUE');
    const plan = await planRefresh(text, 'x', async () => ({ token: 'SAME-TOKEN-VALUE', expiration: new Date() }));
    assert.equal(plan.changed, false);
    assert.equal(plan.edits.length, 0);
    assert.equal(plan.after, text);
  });

  it('refuses a text without CodeArtifact URLs, naming the fix', () => {
    assert.throws(() => tokenKeysOf('--extra-index-url https://aws:tok@pypi.example.com/simple/\n', 'requirements.txt'), (e: unknown) => {
      assert.ok(isRefresherError(e));
      assert.equal(e.code, 'NoEndpoints');
      assert.match(e.message, /requirements\.txt has no CodeArtifact repository URL/);
      assert.match(e.fix ?? '', /--extra-index-url https:\/\/aws:TOKEN@/);
      return true;
    });
  });

  it('refuses a file whose only token positions are ${VAR} references and never fetches a token', async () => {
    const issuer = fakeIssuer();
    await assert.rejects(planRefresh(line(HOST_A, '${CODEARTIFACT_AUTH_TOKEN}'), 'pip.conf', issuer.get), (e: unknown) => {
      assert.ok(isRefresherError(e));
      assert.equal(e.code, 'OnlyEnvReferences');
      assert.match(e.message, /environment reference/);
      return true;
    });
    assert.equal(issuer.calls.length, 0);
  });

  it('refuses URLs that carry no credentials part', () => {
    assert.throws(() => tokenKeysOf(`registry=https://${HOST_A}/npm/repo/\n`, '.npmrc'), (e: unknown) => isRefresherError(e) && e.code === 'NoEndpoints' && /no token position/.test(e.message));
  });

  it('does not write anything when a token call fails (the error propagates)', async () => {
    const failing = async () => {
      throw new Error('denied');
    };
    await assert.rejects(planRefresh(line(HOST_A, 'OLD'), 'x', failing), /denied/);
  });
});

describe('TokenBatch', () => {
  it('shares one call per key and profile across concurrent callers', async () => {
    let calls = 0;
    const batch = new TokenBatch(async () => {
      calls++;
      await new Promise((r) => setImmediate(r));
      return { token: 't', expiration: new Date() };
    });
    const a = { domain: 'd', domainOwner: '111122223333', region: 'us-east-1' };
    await Promise.all([batch.get(a, 'dev'), batch.get({ ...a }, 'dev'), batch.get(a, 'dev')]);
    assert.equal(calls, 1);
    await batch.get(a, 'ops');
    await batch.get({ ...a, region: 'eu-west-1' }, 'dev');
    assert.equal(calls, 3);
    assert.equal(batch.size, 3);
  });

  it('shares a failure instead of retrying within one refresh', async () => {
    let calls = 0;
    const batch = new TokenBatch(async () => {
      calls++;
      throw new Error('throttled');
    });
    const k = { domain: 'd', domainOwner: '111122223333', region: 'us-east-1' };
    await assert.rejects(batch.get(k, 'dev'), /throttled/);
    await assert.rejects(batch.get(k, 'dev'), /throttled/);
    assert.equal(calls, 1);
  });

  it('distinctKeys keeps first-seen order', () => {
    const k1 = { domain: 'a', domainOwner: '111122223333', region: 'us-east-1' };
    const k2 = { domain: 'b', domainOwner: '111122223333', region: 'us-east-1' };
    assert.deepEqual(distinctKeys([k2, k1, k2, k1]), [k2, k1]);
  });
});
