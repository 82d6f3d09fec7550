import * as assert from 'node:assert/strict';
import { endpointKey } from '../../../src/core/endpoints';
import { ExpiryTracker, FORGET_AFTER_MS, parseEntries, type TrackedToken } from '../../../src/core/tracker';

const base = { targetKind: 's3' as const, targetLabel: 'MWAA dev', domain: 'd', domainOwner: '111122223333', region: 'us-east-1', source: 'refresh' as const };

function memoryStore(initial?: unknown) {
  const saved: TrackedToken[][] = [];
  return { saved, store: { load: () => initial, save: (e: TrackedToken[]) => saved.push(e) } };
}

describe('ExpiryTracker', () => {
  it('orders by expiry, replaces a target as a whole, and persists without tokens', () => {
    const { saved, store } = memoryStore();
    const t = new ExpiryTracker(store);
    let changes = 0;
    t.onDidChange(() => changes++);
    t.setTarget('s3://b/k', [{ ...base, targetId: 's3://b/k', expiresAt: 2000 }], endpointKey);
    t.setTarget('file:///r.txt', [{ ...base, targetKind: 'file', targetId: 'file:///r.txt', expiresAt: 1000 }], endpointKey);
    assert.equal(t.all()[0]?.targetId, 'file:///r.txt');
    t.setTarget('s3://b/k', [{ ...base, targetId: 's3://b/k', expiresAt: 500 }], endpointKey);
    assert.equal(t.all()[0]?.targetId, 's3://b/k');
    assert.equal(t.all().length, 2);
    assert.equal(changes, 3);
    assert.equal(saved.length, 0, 'written only by persist()');
    t.persist();
    assert.ok(!JSON.stringify(saved).includes('token"'), 'no token field is persisted');
    assert.deepEqual(Object.keys(saved.at(-1)![0]).sort(), ['domain', 'domainOwner', 'expiresAt', 'id', 'region', 'source', 'targetId', 'targetKind', 'targetLabel']);
  });

  it('does not fire when a target is set to what it already holds', () => {
    const t = new ExpiryTracker();
    const entries = [{ ...base, targetId: 's3://b/k', expiresAt: 2000 }];
    t.setTarget('s3://b/k', entries, endpointKey);
    let changes = 0;
    t.onDidChange(() => changes++);
    t.setTarget('s3://b/k', entries, endpointKey);
    assert.equal(changes, 0);
    t.setTarget('s3://b/k', [], endpointKey);
    assert.equal(changes, 1);
    assert.equal(t.all().length, 0);
  });

  it('restores persisted entries and drops malformed ones', () => {
    const good = { ...base, id: 's3://b/k#x', targetId: 's3://b/k', expiresAt: 123, profile: 'dev' };
    const t = new ExpiryTracker(memoryStore([good, { ...good, expiresAt: 'soon' }, { ...good, targetKind: 'ftp' }, null, 'x']).store);
    assert.deepEqual(t.all(), [good]);
    assert.deepEqual(parseEntries({ not: 'an array' }), []);
  });

  it('prunes entries that expired more than a day ago', () => {
    const t = new ExpiryTracker();
    t.setTarget('a', [{ ...base, targetId: 'a', expiresAt: 0 }], endpointKey);
    t.setTarget('b', [{ ...base, targetId: 'b', expiresAt: FORGET_AFTER_MS }], endpointKey);
    assert.equal(t.prune(new Date(FORGET_AFTER_MS + 1)), true, 'reports that it removed one');
    assert.equal(t.prune(new Date(FORGET_AFTER_MS + 1)), false, 'nothing left to remove');
    assert.deepEqual(t.all().map((e) => e.targetId), ['b']);
  });
});

describe('ExpiryTracker across windows', () => {
  /** One store shared by two windows, as VS Code's global state is. */
  function sharedStore() {
    let value: unknown;
    let writes = 0;
    return { store: { load: () => value, save: (e: TrackedToken[]) => ((value = JSON.parse(JSON.stringify(e))), writes++) }, writes: () => writes };
  }
  const file = (targetId: string, expiresAt: number) => ({ ...base, targetKind: 'file' as const, targetId, expiresAt });

  it('two windows never overwrite each other: persist() merges whole targets into what is stored', () => {
    const { store } = sharedStore();
    const w1 = new ExpiryTracker(store);
    const w2 = new ExpiryTracker(store);
    w1.setTarget('s3://b/one', [{ ...base, targetId: 's3://b/one', expiresAt: 1000 }], endpointKey);
    w2.setTarget('s3://b/two', [{ ...base, targetId: 's3://b/two', expiresAt: 2000 }], endpointKey);
    w1.persist();
    w2.persist();
    const w3 = new ExpiryTracker(store);
    assert.deepEqual(w3.all().map((e) => e.targetId), ['s3://b/one', 's3://b/two']);
    assert.deepEqual(w2.all().map((e) => e.targetId), ['s3://b/one', 's3://b/two'], 'w2 adopted w1 on persist');
  });

  it('a window that forgot a target removes only that target; another window refreshing it later wins', () => {
    const { store } = sharedStore();
    const w1 = new ExpiryTracker(store);
    w1.setTarget('s3://b/one', [{ ...base, targetId: 's3://b/one', expiresAt: 1000 }], endpointKey);
    w1.setTarget('s3://b/two', [{ ...base, targetId: 's3://b/two', expiresAt: 2000 }], endpointKey);
    w1.persist();
    const w2 = new ExpiryTracker(store);
    w2.setTarget('s3://b/one', [], endpointKey);
    w1.setTarget('s3://b/two', [{ ...base, targetId: 's3://b/two', expiresAt: 5000 }], endpointKey);
    w2.persist();
    w1.persist();
    const after = new ExpiryTracker(store).all();
    assert.deepEqual(after.map((e) => [e.targetId, e.expiresAt]), [['s3://b/two', 5000]]);
  });

  it('sync() takes in another window\'s writes but keeps this window\'s unsaved targets', () => {
    const { store } = sharedStore();
    const w1 = new ExpiryTracker(store);
    const w2 = new ExpiryTracker(store);
    w1.setTarget('s3://b/one', [{ ...base, targetId: 's3://b/one', expiresAt: 1000 }], endpointKey);
    w1.persist();
    w2.setTarget('s3://b/mine', [{ ...base, targetId: 's3://b/mine', expiresAt: 3000 }], endpointKey);
    let changes = 0;
    w2.onDidChange(() => changes++);
    w2.sync();
    assert.equal(changes, 1);
    assert.deepEqual(w2.all().map((e) => e.targetId), ['s3://b/one', 's3://b/mine']);
    assert.equal(w2.unsaved, true);
  });

  it("a local file's entry is listed only in its own workspace's windows, and kept when another window writes", () => {
    const { store } = sharedStore();
    const a = new ExpiryTracker(store, 'file:///ws-a');
    const b = new ExpiryTracker(store, 'file:///ws-b');
    a.setTarget('file:///ws-a/req.txt', [{ ...file('file:///ws-a/req.txt', 1000), workspace: 'file:///ws-a' }], endpointKey);
    a.setTarget('s3://b/k', [{ ...base, targetId: 's3://b/k', expiresAt: 2000 }], endpointKey);
    a.persist();
    b.setTarget('file:///ws-b/req.txt', [{ ...file('file:///ws-b/req.txt', 3000), workspace: 'file:///ws-b' }], endpointKey);
    b.persist();
    assert.deepEqual(b.all().map((e) => e.targetId), ['s3://b/k', 'file:///ws-b/req.txt']);
    assert.deepEqual(new ExpiryTracker(store, 'file:///ws-a').all().map((e) => e.targetId), ['file:///ws-a/req.txt', 's3://b/k']);
    assert.equal(parseEntries(store.load()).length, 3, 'all three are stored');
  });

  it('persist() writes nothing when this window changed nothing', () => {
    const s = sharedStore();
    const w = new ExpiryTracker(s.store);
    w.persist();
    assert.equal(s.writes(), 0);
  });
  it("a prune does not undo another window's fresh refresh of the same target", () => {
    const { store } = sharedStore();
    const day = FORGET_AFTER_MS;
    const w1 = new ExpiryTracker(store);
    w1.setTarget('s3://b/k', [{ ...base, targetId: 's3://b/k', expiresAt: 1000 }], endpointKey);
    w1.persist();
    const w2 = new ExpiryTracker(store);
    w2.setTarget('s3://b/k', [{ ...base, targetId: 's3://b/k', expiresAt: 3 * day }], endpointKey); // refreshed there
    w2.persist();
    assert.equal(w1.prune(new Date(1000 + day + 1)), true, 'w1 still had the old entry, long expired');
    w1.persist();
    assert.deepEqual(new ExpiryTracker(store).all().map((e) => e.expiresAt), [3 * day], 'the fresh entry survives');
  });
});
