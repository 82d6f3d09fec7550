/** When the tokens a text holds expire, read from the tokens themselves (no AWS call). */
import { findTokens } from './endpoints';
import { readTokenExpiry } from './token';

/** The soonest expiry among the literal tokens of `text`; `unknown` when a literal token has no readable expiry. */
export function tokenExpiryOf(text: string): { soonest?: Date; unknown: boolean } {
  let soonest: Date | undefined;
  let unknown = false;
  for (const t of findTokens(text)) {
    if (t.placeholder) continue;
    const exp = readTokenExpiry(t.token);
    if (!exp) unknown = true;
    else if (!soonest || exp < soonest) soonest = exp;
  }
  return { ...(soonest ? { soonest } : {}), unknown };
}
