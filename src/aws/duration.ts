import { RefresherError } from '../core/errors';

/** CodeArtifact accepts 0 (the role session's remaining time) or 900..43200 whole seconds. */
export function checkDurationSeconds(n: number): number {
  if (Number.isInteger(n) && (n === 0 || (n >= 900 && n <= 43200))) return n;
  throw new RefresherError('InvalidInput', `Token duration ${String(n)} is not allowed.`, 'Use 0 (the session\'s own expiry) or a whole number of seconds from 900 to 43200.');
}
