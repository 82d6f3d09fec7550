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
    assert.equal(t.soonest()?.targetId, 'file:///r.txt');
    t.setTarget('s3://b/k', [{ ...base, targetId: 's3://b/k', expiresAt: 500 }], endpointKey);
    assert.equal(t.soonest()?.targetId, 's3://b/k');
    assert.equal(t.all().length, 2);
    assert.equal(changes, 3);
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
