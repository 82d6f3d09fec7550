/**
 * Refresh before expiry under a settable clock: on time (expiry minus the margin), 0 calls while nothing is near
 * expiry, backoff on failure, ONE sign-in notification for an expired SSO session however many retries fail, and the
 * next retry succeeding once the person signed in again.
 */
import * as assert from 'node:assert/strict';
import { RefresherError } from '../../../src/core/errors';
import { RefreshScheduler, type ScheduleOptions } from '../../../src/core/environment/schedule';

/** A clock and timers that only move when the test says so. */
class FakeTime {
  now = 1_000_000;
  private next = 1;
  readonly timers = new Map<number, { at: number; fn: () => void }>();
  setTimer = (fn: () => void, ms: number) => {
    const id = this.next++;
    this.timers.set(id, { at: this.now + ms, fn });
    return id;
  };
  clearTimer = (id: number) => void this.timers.delete(id);
  /** Moves the clock forward, firing each due timer at its time (and letting the promises it starts settle). */
  async advance(ms: number): Promise<void> {
    const end = this.now + ms;
    for (;;) {
      const due = [...this.timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.now = due[1].at;
      due[1].fn();
      for (let i = 0; i < 10; i++) await Promise.resolve();
    }
    this.now = end;
  }
}

const MIN = 60_000;
const OPTIONS: ScheduleOptions = { marginMs: 10 * MIN, retryMs: 30_000, maxRetryMs: 8 * MIN, minIntervalMs: MIN };

function harness(outcomes: Array<'ok' | RefresherError>, lifetimeMs = 12 * 60 * MIN) {
  const time = new FakeTime();
  const calls: number[] = [];
  const signIns: unknown[] = [];
  const scheduler = new RefreshScheduler<number>(
    {
      now: () => time.now,
      setTimer: time.setTimer,
      clearTimer: time.clearTimer,
      refresh: async () => {
        calls.push(time.now);
        const o = outcomes.shift() ?? 'ok';
        if (o !== 'ok') throw o;
        return time.now + lifetimeMs;
      },
      needsSignIn: (e) => signIns.push(e),
    },
    OPTIONS,
  );
  return { time, calls, signIns, scheduler, outcomes };
}

const sso = () => new RefresherError('SsoLoginRequired', 'The SSO session of profile "dev" has expired.', 'Run `aws sso login --profile dev` in a terminal, then try again.');

describe('environment: refresh before expiry', () => {
  it('refreshes at expiry minus the margin, and makes 0 calls before that', async () => {
    const { time, calls, scheduler } = harness([]);
    const start = time.now;
    scheduler.track(start + 12 * 60 * MIN);
    await time.advance(12 * 60 * MIN - 10 * MIN - 1);
    assert.equal(calls.length, 0, 'no call while nothing is near expiry');
    assert.equal(time.timers.size, 1, 'one timer, nothing else');
    await time.advance(1);
    assert.deepEqual(calls, [start + 11 * 60 * MIN + 50 * MIN]);
    // and again one lifetime later
    await time.advance(12 * 60 * MIN - 10 * MIN);
    assert.equal(calls.length, 2);
  });

  it('a token that lives no longer than the margin is refreshed at half its lifetime, not every minute', async () => {
    const { time, calls, scheduler } = harness([], 15 * MIN); // durationSeconds 900, margin 10 minutes... or 61
    scheduler.setOptions({ ...OPTIONS, marginMs: 61 * MIN });
    const start = time.now;
    await scheduler.runNow();
    await time.advance(60 * MIN);
    // 15-minute tokens: one refresh every 7.5 minutes (half the lifetime), never once a minute.
    assert.deepEqual(calls.map((c) => (c - start) / MIN), [0, 7.5, 15, 22.5, 30, 37.5, 45, 52.5, 60]);
  });

  it('idle: nothing tracked means no timer and no call, however long', async () => {
    const { time, calls, scheduler } = harness([]);
    scheduler.track(undefined);
    await time.advance(7 * 24 * 60 * MIN);
    assert.equal(calls.length, 0);
    assert.equal(time.timers.size, 0);
    assert.equal(scheduler.dueAt, undefined);
  });

  it('backs off after failures (30 s, 1 min, 2 min, … capped) and is back on schedule after a success', async () => {
    const network = () => new RefresherError('Network', 'CodeArtifact is unreachable.');
    const { time, calls, signIns, scheduler } = harness([network(), network(), network(), network(), network(), network()]);
    const t0 = time.now;
    assert.equal(scheduler.failing, false);
    await scheduler.runNow();
    assert.equal(scheduler.failing, true, 'failing while the retries back off (a profile switch retries at once)');
    await time.advance(60 * MIN);
    const gaps = calls.map((c, i) => (i === 0 ? 0 : c - calls[i - 1]));
    assert.deepEqual(gaps.slice(1, 7), [30_000, MIN, 2 * MIN, 4 * MIN, 8 * MIN, 8 * MIN]);
    assert.equal(signIns.length, 0, 'a network failure is no sign-in problem');
    assert.equal(calls[0], t0);
    // the 7th call succeeded: next one 11h50m later, not sooner
    const last = calls[calls.length - 1];
    assert.equal(scheduler.dueAt, last + 12 * 60 * MIN - 10 * MIN);
    assert.equal(scheduler.failing, false, 'the streak ended');
  });

  it('an expired SSO session: ONE notification naming the fix over many retries; the retry after sign-in works', async () => {
    const { time, calls, signIns, scheduler, outcomes } = harness([sso(), sso(), sso(), sso(), sso()]);
    await scheduler.runNow();
    await time.advance(20 * MIN);
    assert.ok(calls.length >= 5, `retried (${calls.length} calls)`);
    assert.equal(signIns.length, 1, 'one notification, not one per retry');
    assert.match(String((signIns[0] as RefresherError).fix), /aws sso login --profile dev/);
    // the 6th call succeeds (the person ran aws sso login): schedule is back to expiry minus margin
    await time.advance(8 * MIN);
    const ok = calls[calls.length - 1];
    assert.equal(scheduler.dueAt, ok + 12 * 60 * MIN - 10 * MIN);
    // the session expires again later: a new streak of failures notifies again, once
    outcomes.push(sso(), sso(), sso());
    await time.advance(12 * 60 * MIN);
    assert.equal(signIns.length, 2);
  });

  it('a token living shorter than the margin does not loop: at least the minimum interval between refreshes', async () => {
    const { time, calls, scheduler } = harness([], 5 * MIN);
    await scheduler.runNow();
    await time.advance(10 * MIN);
    // Half the 5-minute lifetime (2.5 minutes) between refreshes; never faster than the minimum interval.
    assert.equal(calls.length, 5, `one per 2.5 minutes (${calls.length})`);
  });

  it('retarget() moves the timer to a new soonest expiry, but never cuts a backoff short', async () => {
    const { time, calls, scheduler, outcomes } = harness([]);
    scheduler.retarget(time.now + 60 * MIN);
    assert.equal(scheduler.dueAt, time.now + 50 * MIN);
    scheduler.retarget(time.now + 20 * MIN);
    assert.equal(scheduler.dueAt, time.now + 10 * MIN);
    assert.equal(time.timers.size, 1, 'the old timer was cleared');
    outcomes.push(new RefresherError('Network', 'unreachable'));
    await time.advance(10 * MIN);
    assert.equal(calls.length, 1);
    const retryAt = scheduler.dueAt;
    assert.equal(retryAt, time.now + 30_000, 'backing off');
    scheduler.retarget(time.now + 5 * 60 * MIN);
    assert.equal(scheduler.dueAt, retryAt, 'the retry stays');
  });

  it('retryNow() (another profile picked): nothing while refreshes work; during a failure streak one call at once, and a new sign-in notice', async () => {
    const { time, calls, signIns, scheduler } = harness([]);
    await scheduler.runNow();
    scheduler.retryNow();
    await time.advance(0);
    assert.equal(calls.length, 1, 'a working environment is left alone');

    const failing = harness([sso(), sso()]);
    await failing.scheduler.runNow();
    assert.equal(failing.signIns.length, 1);
    const backoffAt = failing.scheduler.dueAt;
    failing.scheduler.retryNow(); // the new profile's session has expired too
    for (let i = 0; i < 10; i++) await Promise.resolve();
    assert.equal(failing.calls.length, 2, 'tried at once, not at the backoff');
    assert.equal(failing.calls[1], failing.calls[0], 'no time passed');
    assert.equal(failing.signIns.length, 2, 'the person hears about the new profile too');
    assert.ok(backoffAt !== undefined && failing.scheduler.dueAt !== undefined);
    failing.scheduler.retryNow(); // a profile that works
    for (let i = 0; i < 10; i++) await Promise.resolve();
    assert.equal(failing.calls.length, 3);
    assert.equal(failing.scheduler.failing, false);
    assert.equal(signIns.length, 0);
  });

  it('retryNow() during a failing run in flight: one more run right after it (that run used the old profile)', async () => {
    const time = new FakeTime();
    const pending: Array<{ resolve: (v: number) => void; reject: (e: unknown) => void }> = [];
    const scheduler = new RefreshScheduler<number>(
      {
        now: () => time.now,
        setTimer: time.setTimer,
        clearTimer: time.clearTimer,
        refresh: () => new Promise<number>((resolve, reject) => pending.push({ resolve, reject })),
        needsSignIn: () => undefined,
      },
      OPTIONS,
    );
    const first = scheduler.runNow();
    pending[0].reject(sso());
    await first; // the streak starts
    const second = scheduler.runNow('retry'); // a backoff retry, in flight
    scheduler.retryNow(); // the profile changes while it runs
    assert.equal(pending.length, 2, 'joined, not run twice at once');
    pending[1].reject(sso()); // it used the old profile: fails
    await second;
    for (let i = 0; i < 10; i++) await Promise.resolve();
    assert.equal(pending.length, 3, 'run again at once with the new profile, not after the backoff');
    pending[2].resolve(time.now + 12 * 60 * MIN);
    for (let i = 0; i < 10; i++) await Promise.resolve();
    assert.equal(scheduler.failing, false);
  });

  it('stop(): no timer left, a refresh in flight schedules nothing', async () => {
    const { time, calls, scheduler } = harness([]);
    const p = scheduler.runNow();
    scheduler.stop();
    await p;
    await time.advance(24 * 60 * MIN);
    assert.equal(calls.length, 1);
    assert.equal(time.timers.size, 0);
  });
});
