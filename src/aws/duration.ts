/** The one duration rule lives in core (validateDuration: 0 or 900..43200 whole seconds, else InvalidInput). */
import { validateDuration } from '../core/expiry';

export function checkDurationSeconds(n: number): number {
  return validateDuration(n);
}
