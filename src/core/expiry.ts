/**
 * Token lifetime: validating the requested duration, and the status bar's view of the time left.
 */
import { RefresherError } from './errors';

export const MIN_DURATION_SECONDS = 900;
export const MAX_DURATION_SECONDS = 43200;

/**
 * A GetAuthorizationToken `durationSeconds`: 0 (the token lives as long as the caller's session) or a whole number
 * 900..43200. Anything else throws RefresherError('InvalidInput').
 */
export function validateDuration(n: unknown): number {
  if (typeof n === 'number' && Number.isInteger(n) && (n === 0 || (n >= MIN_DURATION_SECONDS && n <= MAX_DURATION_SECONDS))) {
    return n === 0 ? 0 : n; // -0 -> 0
  }
  const shown = typeof n === 'number' ? String(n) : `a ${n === null ? 'null' : typeof n}`;
  throw new RefresherError(
    'InvalidInput',
    `Token duration ${shown} is not allowed: CodeArtifact accepts 0 or a whole number of seconds from ${MIN_DURATION_SECONDS} to ${MAX_DURATION_SECONDS}.`,
    'Set the token duration to 0 (session length) or a value between 900 (15 minutes) and 43200 (12 hours).',
  );
}

export type ExpiryState = 'ok' | 'warning' | 'expired';

/**
 * `expired` when no time is left (now >= expiresAt), `warning` when at most `warnBeforeMinutes` are left, else `ok`.
 */
export function expiryState(now: Date, expiresAt: Date, thresholds: { warnBeforeMinutes: number }): ExpiryState {
  const left = expiresAt.getTime() - now.getTime();
  if (!(left > 0)) return 'expired';
  const warn = Math.max(0, thresholds.warnBeforeMinutes) * 60_000;
  return left <= warn ? 'warning' : 'ok';
}

/** "42m", "11h 5m"; from two days on "3d 4h" (a token expired last year is "expired 366d 2h ago", not 8786h). */
function hm(totalMinutes: number): string {
  const h = Math.floor(totalMinutes / 60);
  const m = totalMinutes % 60;
  if (h >= 48) return `${Math.floor(h / 24)}d ${h % 24}h`;
  return h > 0 ? `${h}h ${m}m` : `${m}m`;
}

/**
 * Time left, whole minutes rounded down: "11h 42m", "4m", "<1m"; after expiry "expired <1m ago", "expired 3m ago",
 * "expired 2h 5m ago". At exactly expiresAt the token counts as expired ("expired <1m ago").
 */
export function formatRemaining(now: Date, expiresAt: Date): string {
  const left = expiresAt.getTime() - now.getTime();
  if (Number.isNaN(left)) return 'unknown';
  if (left > 0) {
    const minutes = Math.floor(left / 60_000);
    return minutes < 1 ? '<1m' : hm(minutes);
  }
  const ago = Math.floor(-left / 60_000);
  return ago < 1 ? 'expired <1m ago' : `expired ${hm(ago)} ago`;
}

/** Milliseconds until the next whole minute of the clock, in (0, 60000]: a timer set to it ticks on the minute. */
export function msUntilNextMinute(now: Date): number {
  const t = now.getTime();
  const into = ((t % 60_000) + 60_000) % 60_000;
  return 60_000 - into;
}

/**
 * A time in the local zone with the zone's offset, so it never reads as UTC by mistake: "2026-11-26 19:30 (UTC+01:00)",
 * "2026-11-26 18:30 (UTC)". `offsetMinutes` is east of UTC (the opposite sign of Date#getTimezoneOffset).
 */
export function formatLocal(d: Date, offsetMinutes = -d.getTimezoneOffset()): string {
  if (Number.isNaN(d.getTime())) return 'unknown';
  const local = new Date(d.getTime() + offsetMinutes * 60_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  const day = `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())} ${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}`;
  if (offsetMinutes === 0) return `${day} (UTC)`;
  const a = Math.abs(offsetMinutes);
  return `${day} (UTC${offsetMinutes > 0 ? '+' : '-'}${pad(Math.floor(a / 60))}:${pad(a % 60)})`;
}
