/**
 * Refresh before expiry: one timer, set for the soonest expiry minus a margin; nothing runs (no timer callback, no
 * network call) while nothing is near expiry. A failed refresh is retried with exponential backoff; when it failed
 * because the person must act (no credentials, an expired SSO session, expired keys) they get ONE notification naming
 * the fix, not one per retry — the retries go on quietly, so a fresh `aws sso login` is picked up by the next one with
 * no reload. Pure: time, timers, the refresh itself and the notification are ports (unit-tested with a fake clock).
 */
import { isRefresherError, type ErrorCode } from '../errors';

/** Errors only the person can fix (sign in, renew keys): notified once per streak of failures. */
export const SIGN_IN_CODES: readonly ErrorCode[] = ['NoCredentials', 'SsoLoginRequired', 'ExpiredCredentials'];

export interface ScheduleOptions {
  /** Refresh this long before the soonest expiry. */
  marginMs: number;
  /** First retry after a failure; doubles per failure up to maxRetryMs. */
  retryMs: number;
  maxRetryMs: number;
  /** Never refresh again sooner than this after a success (a token shorter-lived than the margin must not loop). */
  minIntervalMs: number;
}

export const DEFAULT_SCHEDULE: ScheduleOptions = { marginMs: 10 * 60_000, retryMs: 30_000, maxRetryMs: 10 * 60_000, minIntervalMs: 60_000 };

export interface SchedulePorts<H = unknown> {
  now(): number;
  setTimer(fn: () => void, ms: number): H;
  clearTimer(handle: H): void;
  /** Refreshes; resolves with the soonest expiry (epoch ms) of what it keeps fresh, undefined when nothing is left. */
  refresh(reason: 'scheduled' | 'retry'): Promise<number | undefined>;
  /** Once per streak of sign-in failures (codes in SIGN_IN_CODES). */
  needsSignIn(error: unknown): void;
  /** Every failure, for the log. */
  failed?(error: unknown, attempt: number, retryInMs: number): void;
}

export class RefreshScheduler<H = unknown> {
  private timer: { handle: H; at: number } | undefined;
  private failures = 0;
  private notified = false;
  private running: Promise<void> | undefined;
  private lastSuccess: number | undefined;
  private stopped = false;
  private retryAfterRun = false;

  constructor(
    private readonly ports: SchedulePorts<H>,
    private options: ScheduleOptions = DEFAULT_SCHEDULE,
  ) {}

  /** When the timer fires next (epoch ms), undefined when idle. */
  get dueAt(): number | undefined {
    return this.timer?.at;
  }

  /** Whether the last refresh failed (a retry is backing off). */
  get failing(): boolean {
    return this.failures > 0;
  }

  setOptions(options: ScheduleOptions): void {
    this.options = options;
  }

  /**
   * The tokens kept fresh now expire at `expiresAt` (a refresh just ran elsewhere, e.g. a command): reset the failure
   * streak and set the timer for it. undefined: nothing to keep fresh; the timer stops.
   */
  track(expiresAt: number | undefined): void {
    this.failures = 0;
    this.notified = false;
    this.lastSuccess = this.ports.now();
    this.scheduleFor(expiresAt, true);
  }

  /**
   * The soonest expiry changed for another reason (another command refreshed, a new place is tracked): move the timer.
   * Ignored while a refresh runs or a failure streak is backing off (the retry timer stays).
   */
  retarget(expiresAt: number | undefined): void {
    if (this.running || this.failures > 0 || this.stopped) return;
    this.scheduleFor(expiresAt);
  }

  /**
   * Something that may fix a failing refresh changed (another profile was picked): retry at once, after the run in
   * flight if there is one (it started with the old settings), and notify again if the new attempt needs a sign-in
   * too (the earlier notification named the old profile). Nothing happens while refreshes succeed.
   */
  retryNow(): void {
    if (this.failures === 0 || this.stopped) return;
    this.notified = false;
    if (this.running) this.retryAfterRun = true;
    else void this.runNow('retry');
  }

  /** Runs a refresh now (at most one at a time) and schedules the next one from its result. */
  runNow(reason: 'scheduled' | 'retry' = 'scheduled'): Promise<void> {
    this.running ??= this.run(reason).finally(() => {
      this.running = undefined;
      if (this.retryAfterRun) {
        this.retryAfterRun = false;
        if (this.failures > 0 && !this.stopped) void this.runNow('retry');
      }
    });
    return this.running;
  }

  stop(): void {
    this.stopped = true;
    this.clear();
  }

  private async run(reason: 'scheduled' | 'retry'): Promise<void> {
    this.clear();
    let expiresAt: number | undefined;
    try {
      expiresAt = await this.ports.refresh(reason);
    } catch (e) {
      if (this.stopped) return;
      this.failures++;
      const wait = Math.min(this.options.maxRetryMs, this.options.retryMs * 2 ** (this.failures - 1));
      this.ports.failed?.(e, this.failures, wait);
      const code = isRefresherError(e) ? e.code : undefined;
      if (code && SIGN_IN_CODES.includes(code) && !this.notified) {
        this.notified = true;
        this.ports.needsSignIn(e);
      }
      this.set(wait, 'retry');
      return;
    }
    if (this.stopped) return;
    this.track(expiresAt);
  }

  private scheduleFor(expiresAt: number | undefined, justIssued = false): void {
    this.clear();
    if (expiresAt === undefined || this.stopped) return;
    const now = this.ports.now();
    const earliest = (this.lastSuccess ?? -Infinity) + this.options.minIntervalMs;
    // A token that lives no longer than the margin (durationSeconds 900, or a short role session) would be due again at
    // once, every minute: right after a refresh, refresh again at half its lifetime at the latest.
    const margin = justIssued ? Math.min(this.options.marginMs, Math.max(0, expiresAt - now) / 2) : this.options.marginMs;
    const at = Math.max(expiresAt - margin, earliest, now);
    this.set(at - now, 'scheduled');
  }

  private set(ms: number, reason: 'scheduled' | 'retry'): void {
    this.clear();
    if (this.stopped) return;
    const handle = this.ports.setTimer(() => {
      this.timer = undefined;
      void this.runNow(reason);
    }, ms);
    this.timer = { handle, at: this.ports.now() + ms };
  }

  private clear(): void {
    if (this.timer) this.ports.clearTimer(this.timer.handle);
    this.timer = undefined;
  }
}
