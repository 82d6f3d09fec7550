/**
 * The one refresh loop (src/core/refresh.ts) on plain Node, with fake targets and a fake token source: every branch —
 * conflicts (once, twice, past the limit), cancel at each stage, one target of many failing, a token call failing for
 * one key only, automation re-applying to new content without ever overwriting it.
 */
import * as assert from 'node:assert/strict';
import { RefresherError, isRefresherError } from '../../../src/core/errors';
import { countOutcomes, describeCounts } from '../../../src/core/outcome';
import { runRefresh, type Proposal, type RefreshPorts, type Snapshot, type Target, type TargetInfo } from '../../../src/core/refresh';
import type { TokenKey } from '../../../src/core/tokenBatch';

const HOST_A = 'team-a-111122223333.d.codeartifact.us-east-1.amazonaws.com';
const HOST_B = 'team-b-444455556666.d.codeartifact.eu-west-1.amazonaws.com';
const line = (host: string, tok: string) => `--extra-index-url https://aws:${tok}@${host}/pypi/repo/simple/\n`;

/** An in-memory place with a version that changes on every write, and a hook to simulate someone else's write. */
class FakeTarget implements Target {
  version = 1;
  writes = 0;
  reads = 0;
  /** Called after each read: a concurrent writer can change the text here. */
  afterRead?: (t: FakeTarget, read: number) => void;
  readError?: unknown;
  writeError?: unknown;

  constructor(
    readonly info: TargetInfo,
    public text: string,
  ) {}

  async read(): Promise<Snapshot> {
    this.reads++;
    if (this.readError) throw this.readError;
    const snap = { text: this.text, version: String(this.version) };
    this.afterRead?.(this, this.reads);
    return snap;
  }

  async write(snapshot: Snapshot, plan: { after: string }): Promise<{ etag: string }> {
    if (this.writeError) throw this.writeError;
    if (snapshot.version !== String(this.version)) throw new RefresherError('ChangedSinceRead', `${this.info.id} changed after it was read; nothing was written.`);
    this.text = plan.after;
    this.version++;
    this.writes++;
    return { etag: `"v${this.version}"` };
  }

  /** Someone else's write. */
  external(text: string): void {
    this.text = text;
    this.version++;
  }
}

function target(id: string, text: string, extra: Partial<TargetInfo> = {}): FakeTarget {
  return new FakeTarget({ id, kind: 's3', label: id, profile: 'dev', ...extra }, text);
}

interface Harness {
  ports: RefreshPorts;
  calls: string[];
  reviews: Proposal[][];
  recorded: { tokens: string[]; text: string[] };
  stages: string[];
  conflicts: string[];
}

function harness(opts: { approve?: (p: Proposal[], n: number) => string[]; failKey?: string; cancelStage?: 'read' | 'write' } = {}): Harness {
  const h: Harness = { ports: undefined as unknown as RefreshPorts, calls: [], reviews: [], recorded: { tokens: [], text: [] }, stages: [], conflicts: [] };
  let issued = 0;
  h.ports = {
    fetchToken: async (k: TokenKey, profile: string) => {
      h.calls.push(`${profile}:${k.domain}`);
      await new Promise((r) => setTimeout(r, 1));
      if (opts.failKey === k.domain) throw new RefresherError('TokenAccessDenied', `Access denied for ${k.domain}.`, 'Ask for codeartifact:GetAuthorizationToken.');
      issued++;
      return { token: `NEWTOKEN-${k.domain}-${issued}`, expiration: new Date(Date.UTC(2030, 0, 1, issued)) };
    },
    stage: async (stage, _title, work) => {
      h.stages.push(stage);
      const c = new AbortController();
      if (opts.cancelStage === stage) {
        c.abort();
        throw new RefresherError('Cancelled', 'Cancelled; nothing was written.');
      }
      return work(c.signal);
    },
    review: async (proposals) => {
      h.reviews.push(proposals);
      return new Set(opts.approve ? opts.approve(proposals, h.reviews.length) : proposals.map((p) => p.info.id));
    },
    recordTokens: (info) => h.recorded.tokens.push(info.id),
    recordText: (info) => h.recorded.text.push(info.id),
    onConflict: (info, round, next) => h.conflicts.push(`${info.id}:${round}:${next}`),
  };
  return h;
}

describe('runRefresh (the one refresh loop)', () => {
  it('writes one target after review, one token call per domain, records the new expiry', async () => {
    const t = target('s3://b/k', line(HOST_A, 'OLD') + line(HOST_B, 'OLD') + line(HOST_A, 'OLD2'));
    const h = harness();
    const r = await runRefresh([t], h.ports, { confirm: true });
    assert.deepEqual(h.calls, ['dev:team-a', 'dev:team-b']);
    assert.equal(r.tokenCalls, 2);
    assert.equal(h.reviews.length, 1);
    assert.equal(h.reviews[0][0].replaced, 3);
    assert.equal(h.reviews[0][0].round, 1);
    assert.equal(t.text, line(HOST_A, 'NEWTOKEN-team-a-1') + line(HOST_B, 'NEWTOKEN-team-b-2') + line(HOST_A, 'NEWTOKEN-team-a-1'));
    assert.equal(r.outcomes[0].status, 'written');
    assert.equal(r.outcomes[0].replaced, 3);
    assert.equal(r.outcomes[0].etag, '"v2"');
    assert.equal(r.outcomes[0].expiresAt, Date.UTC(2030, 0, 1, 1));
    assert.deepEqual(r.outcomes[0].domains, ['team-a', 'team-b']);
    assert.deepEqual(h.recorded.tokens, ['s3://b/k']);
    assert.deepEqual(h.stages, ['read', 'write']);
  });

  it('shares token calls across many targets and profiles: one per domain/owner/region/profile', async () => {
    const ts = [
      target('a', line(HOST_A, 'X')),
      target('b', line(HOST_A, 'Y') + line(HOST_B, 'Z')),
      target('c', line(HOST_B, 'W')),
      target('d', line(HOST_A, 'V'), { profile: 'ops' }),
    ];
    const h = harness();
    const r = await runRefresh(ts, h.ports, { confirm: false });
    assert.deepEqual([...h.calls].sort(), ['dev:team-a', 'dev:team-b', 'ops:team-a']);
    assert.equal(r.tokenCalls, 3);
    assert.deepEqual(r.outcomes.map((o) => o.status), ['written', 'written', 'written', 'written']);
    assert.equal(h.reviews.length, 0, 'confirm: false asks nothing');
    assert.ok(ts[0].text.includes('NEWTOKEN-team-a') && ts[1].text.includes('NEWTOKEN-team-a') && ts[1].text.includes('NEWTOKEN-team-b'));
    assert.notEqual(ts[3].text, ts[0].text, 'the ops profile got its own token');
  });

  it('a target that already holds the issued tokens is unchanged, recorded, not reviewed', async () => {
    const t = target('a', line(HOST_A, 'NEWTOKEN-team-a-1'));
    const h = harness();
    const r = await runRefresh([t], h.ports, { confirm: true });
    assert.equal(r.outcomes[0].status, 'unchanged');
    assert.equal(h.reviews.length, 0);
    assert.equal(t.writes, 0);
    assert.deepEqual(h.recorded.tokens, ['a']);
  });

  it('declined in review: nothing written, what the target holds is recorded (scan)', async () => {
    const t = target('a', line(HOST_A, 'OLD'));
    const h = harness({ approve: () => [] });
    const r = await runRefresh([t], h.ports, { confirm: true });
    assert.equal(r.outcomes[0].status, 'declined');
    assert.equal(t.writes, 0);
    assert.equal(t.text, line(HOST_A, 'OLD'));
    assert.deepEqual(h.recorded, { tokens: [], text: ['a'] });
  });

  it('partial approval: only the approved targets are written', async () => {
    const ts = [target('a', line(HOST_A, 'OLD')), target('b', line(HOST_B, 'OLD'))];
    const h = harness({ approve: () => ['b'] });
    const r = await runRefresh(ts, h.ports, { confirm: true });
    assert.deepEqual(r.outcomes.map((o) => o.status), ['declined', 'written']);
    assert.equal(h.reviews[0].length, 2, 'one review for both');
    assert.equal(ts[0].writes, 0);
  });

  it('changed since read (confirm): re-reads and shows the diff again against the new content, then writes', async () => {
    const t = target('a', line(HOST_A, 'OLD'));
    t.afterRead = (self, n) => n === 1 && self.external(line(HOST_A, 'OLD') + 'numpy==2.0\n');
    const h = harness();
    const r = await runRefresh([t], h.ports, { confirm: true });
    assert.equal(h.reviews.length, 2);
    assert.equal(h.reviews[1][0].round, 2);
    assert.ok(h.reviews[1][0].before.includes('numpy==2.0'), 'the second diff is against the new content');
    assert.deepEqual(h.conflicts, ['a:1:review']);
    assert.equal(r.outcomes[0].status, 'written');
    assert.equal(t.text, line(HOST_A, 'NEWTOKEN-team-a-1') + 'numpy==2.0\n', 'the concurrent change is kept');
    assert.equal(h.calls.length, 1, 'the token is reused in the second round');
  });

  it('changed since read twice: two more diffs; a third change gives up without writing', async () => {
    const t = target('a', line(HOST_A, 'OLD'));
    t.afterRead = (self, n) => self.external(line(HOST_A, 'OLD') + `# edit ${n}\n`);
    const h = harness();
    const r = await runRefresh([t], h.ports, { confirm: true });
    assert.equal(h.reviews.length, 3);
    assert.deepEqual(h.conflicts, ['a:1:review', 'a:2:review', 'a:3:give-up']);
    assert.equal(r.outcomes[0].status, 'changed-since-read');
    assert.equal(r.outcomes[0].code, 'ChangedSinceRead');
    assert.equal(t.writes, 0);
    assert.ok(t.text.endsWith('# edit 3\n'), 'the last concurrent write stands');
    assert.ok(isRefresherError(r.errors[0]));
  });

  it('changed since read, then declined in the second review: nothing written', async () => {
    const t = target('a', line(HOST_A, 'OLD'));
    t.afterRead = (self, n) => n === 1 && self.external(line(HOST_A, 'OLD') + '# x\n');
    const h = harness({ approve: (p, n) => (n === 1 ? p.map((x) => x.info.id) : []) });
    const r = await runRefresh([t], h.ports, { confirm: true });
    assert.equal(r.outcomes[0].status, 'declined');
    assert.equal(t.writes, 0);
  });

  it('confirm: false re-applies the token to the new content and never overwrites it', async () => {
    const t = target('a', line(HOST_A, 'OLD'));
    t.afterRead = (self, n) => n === 1 && self.external('# pinned by a colleague\n' + line(HOST_A, 'OLD'));
    const h = harness();
    const r = await runRefresh([t], h.ports, { confirm: false });
    assert.deepEqual(h.conflicts, ['a:1:reapply']);
    assert.equal(r.outcomes[0].status, 'written');
    assert.equal(t.text, '# pinned by a colleague\n' + line(HOST_A, 'NEWTOKEN-team-a-1'));
    assert.equal(h.reviews.length, 0);
  });

  it('confirm: false gives up after the limit when the target keeps changing', async () => {
    const t = target('a', line(HOST_A, 'OLD'));
    t.afterRead = (self, n) => self.external(line(HOST_A, 'OLD') + `# ${n}\n`);
    const r = await runRefresh([t], harness().ports, { confirm: false, maxRounds: 2 });
    assert.equal(r.outcomes[0].status, 'changed-since-read');
    assert.equal(t.reads, 2);
    assert.equal(t.writes, 0);
  });

  it('an undoable target (open document) is written without review, even with confirm on', async () => {
    const t = target('file:///r.txt', line(HOST_A, 'OLD'), { kind: 'file', undoable: true });
    const h = harness({ approve: () => [] });
    const r = await runRefresh([t], h.ports, { confirm: true });
    assert.equal(h.reviews.length, 0);
    assert.equal(r.outcomes[0].status, 'written');
  });

  it('cancel while reading: every target is cancelled, nothing written, nothing reviewed', async () => {
    const ts = [target('a', line(HOST_A, 'OLD')), target('b', line(HOST_B, 'OLD'))];
    const h = harness({ cancelStage: 'read' });
    const r = await runRefresh(ts, h.ports, { confirm: true });
    assert.deepEqual(r.outcomes.map((o) => o.status), ['cancelled', 'cancelled']);
    assert.equal(ts[0].writes + ts[1].writes, 0);
    assert.equal(h.reviews.length, 0);
    assert.match(describeCounts(r.outcomes), /2 cancelled/);
  });

  it('cancel before the write stage starts: nothing written', async () => {
    const t = target('a', line(HOST_A, 'OLD'));
    const h = harness({ cancelStage: 'write' });
    const r = await runRefresh([t], h.ports, { confirm: false });
    assert.equal(r.outcomes[0].status, 'cancelled');
    assert.equal(t.writes, 0);
  });

  it('a read aborted through the signal is cancelled, not failed', async () => {
    const t = target('a', line(HOST_A, 'OLD'));
    t.readError = new RefresherError('Cancelled', 'Cancelled: reading a.');
    const r = await runRefresh([t], harness().ports, { confirm: true });
    assert.equal(r.outcomes[0].status, 'cancelled');
  });

  it('one target of many failing to read fails alone; the others are written', async () => {
    const ts = [target('a', line(HOST_A, 'OLD')), target('bad', ''), target('c', line(HOST_B, 'OLD'))];
    ts[1].readError = new RefresherError('NoSuchKey', 's3://x/bad does not exist.', 'Check the key.');
    const h = harness();
    const r = await runRefresh(ts, h.ports, { confirm: true });
    assert.deepEqual(r.outcomes.map((o) => o.status), ['written', 'failed', 'written']);
    assert.equal(r.outcomes[1].code, 'NoSuchKey');
    assert.equal(r.outcomes[1].message, 's3://x/bad does not exist. Check the key.');
    assert.equal(h.reviews[0].length, 2, 'the failed one is not reviewed');
    assert.deepEqual(countOutcomes(r.outcomes), { written: 2, unchanged: 0, declined: 0, 'changed-since-read': 0, cancelled: 0, failed: 1 });
  });

  it('a token call failing for one key fails only the targets that need it; no partial write of a target', async () => {
    const onlyA = target('only-a', line(HOST_A, 'OLD'));
    const both = target('both', line(HOST_A, 'OLD') + line(HOST_B, 'OLD'));
    const onlyB = target('only-b', line(HOST_B, 'OLD'));
    const h = harness({ failKey: 'team-b' });
    const r = await runRefresh([onlyA, both, onlyB], h.ports, { confirm: false });
    assert.deepEqual(r.outcomes.map((o) => o.status), ['written', 'failed', 'failed']);
    assert.equal(r.outcomes[1].code, 'TokenAccessDenied');
    assert.equal(both.text, line(HOST_A, 'OLD') + line(HOST_B, 'OLD'), 'the target needing the failed key is untouched');
    assert.equal(h.calls.filter((c) => c === 'dev:team-b').length, 1, 'the failing key is asked once, not once per target');
    assert.deepEqual(h.recorded.text.sort(), ['both', 'only-b'], 'what they still hold is recorded');
  });

  it('a write failing for another reason fails that target and keeps its scan', async () => {
    const t = target('a', line(HOST_A, 'OLD'));
    t.writeError = new RefresherError('S3AccessDenied', 'Access denied: s3:PutObject on a.');
    const h = harness();
    const r = await runRefresh([t], h.ports, { confirm: true });
    assert.equal(r.outcomes[0].status, 'failed');
    assert.equal(r.outcomes[0].code, 'S3AccessDenied');
    assert.deepEqual(h.recorded.text, ['a']);
    assert.deepEqual(h.conflicts, []);
  });

  it('a text without CodeArtifact URLs fails with NoEndpoints and asks for no token', async () => {
    const h = harness();
    const r = await runRefresh([target('a', 'numpy==2.0\n')], h.ports, { confirm: true });
    assert.equal(r.outcomes[0].code, 'NoEndpoints');
    assert.equal(h.calls.length, 0);
  });

  it('asks for the expected tokens while reading, still one call per key', async () => {
    const t = target('a', line(HOST_A, 'OLD'));
    const h = harness();
    let readStartedAfterCall = false;
    const read = t.read.bind(t);
    t.read = async () => {
      readStartedAfterCall = h.calls.length === 1;
      return read();
    };
    const ports = { ...h.ports, expectedKeys: () => [{ domain: 'team-a', domainOwner: '111122223333', region: 'us-east-1' }] };
    await runRefresh([t], ports, { confirm: false });
    assert.ok(readStartedAfterCall, 'the token call started before the read');
    assert.deepEqual(h.calls, ['dev:team-a']);
  });

  it('outcomes hold no token and no text', async () => {
    const ts = [target('a', line(HOST_A, 'OLDSECRET-AAAAAAAA')), target('b', line(HOST_B, 'OLDSECRET-BBBBBBBB'))];
    ts[1].writeError = new RefresherError('S3AccessDenied', 'denied');
    const r = await runRefresh(ts, harness().ports, { confirm: false });
    const json = JSON.stringify(r.outcomes);
    assert.ok(!json.includes('NEWTOKEN') && !json.includes('OLDSECRET'), 'no token in outcomes');
  });

  it('summaries name every status, cancelled included', () => {
    const o = (status: 'written' | 'cancelled' | 'failed' | 'unchanged' | 'declined' | 'changed-since-read') => ({ id: 'x', kind: 's3' as const, label: 'x', profile: 'p', status });
    assert.equal(
      describeCounts([o('written'), o('unchanged'), o('declined'), o('changed-since-read'), o('cancelled'), o('failed'), o('failed')]),
      '1 written, 1 already current, 1 left alone, 1 changed since read (run again to see the new diff), 1 cancelled, 2 failed',
    );
  });
});
