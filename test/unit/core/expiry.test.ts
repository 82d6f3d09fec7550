import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { expiryState, formatRemaining, isRefresherError, msUntilNextMinute, validateDuration } from '../../../src/core';

const T0 = new Date('2025-01-01T00:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const MIN = 60_000;

describe('core/expiry', () => {
  it('validateDuration accepts 0 and whole seconds 900..43200', () => {
    for (const n of [0, 900, 901, 3600, 43200]) assert.equal(validateDuration(n), n);
    assert.ok(Object.is(validateDuration(-0), 0));
  });

  it('validateDuration rejects everything else with InvalidInput and a fix', () => {
    for (const n of [1, 899, 43201, 900.5, -900, NaN, Infinity, '900', null, undefined, {}]) {
      assert.throws(() => validateDuration(n), (e) => isRefresherError(e) && e.code === 'InvalidInput' && !!e.fix, `accepted ${String(n)}`);
    }
  });

  it('expiryState boundaries: ok above the threshold, warning at and below it, expired at expiresAt', () => {
    const th = { warnBeforeMinutes: 30 };
    assert.equal(expiryState(T0, at(30 * MIN + 1), th), 'ok');
    assert.equal(expiryState(T0, at(30 * MIN), th), 'warning');
    assert.equal(expiryState(T0, at(1), th), 'warning');
    assert.equal(expiryState(T0, at(0), th), 'expired');
    assert.equal(expiryState(T0, at(-MIN), th), 'expired');
    assert.equal(expiryState(T0, at(1), { warnBeforeMinutes: 0 }), 'ok');
  });

  it('formatRemaining floors minutes', () => {
    const cases: Array<[number, string]> = [
      [11 * 60 * MIN + 42 * MIN + 59_999, '11h 42m'],
      [4 * MIN, '4m'],
      [5 * MIN - 1, '4m'],
      [60 * MIN, '1h 0m'],
      [MIN, '1m'],
      [MIN - 1, '<1m'],
      [1, '<1m'],
      [0, 'expired <1m ago'],
      [-(MIN - 1), 'expired <1m ago'],
      [-3 * MIN, 'expired 3m ago'],
      [-(2 * 60 * MIN + 5 * MIN + 30_000), 'expired 2h 5m ago'],
      [-(47 * 60 * MIN + 59 * MIN), 'expired 47h 59m ago'],
      [-(48 * 60 * MIN), 'expired 2d 0h ago'],
      [-(8788 * 60 * MIN + 14 * MIN), 'expired 366d 4h ago'],
    ];
    for (const [ms, text] of cases) assert.equal(formatRemaining(T0, at(ms)), text, `${ms} ms`);
  });

  it('msUntilNextMinute lands on the next whole minute, in (0, 60000] (300 runs)', () => {
    assert.equal(msUntilNextMinute(T0), 60_000);
    assert.equal(msUntilNextMinute(at(59_999)), 1);
    fc.assert(fc.property(fc.integer({ min: -1e12, max: 4e12 }), (t) => {
      const ms = msUntilNextMinute(new Date(t));
      assert.ok(ms > 0 && ms <= 60_000);
      assert.equal(Math.abs((t + ms) % 60_000), 0);
    }), { numRuns: 300 });
  });
});
