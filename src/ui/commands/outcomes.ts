/** How commands report what the one refresh loop did: one target -> its own message; many -> one summary. */
import { formatLocal } from '../../core/expiry';
import { describeCounts, endedBadly, type Outcome } from '../../core/outcome';
import type { RunResult } from '../../core/refresh';
import type { Deps } from '../deps';

/** The outcome of a one-target run; a failure is thrown as is, for the command wrapper to show with its fix. */
export function singleOutcome(result: RunResult): Outcome {
  const outcome = result.outcomes[0];
  if (endedBadly(outcome)) throw result.errors[0];
  return outcome;
}

export function expiresText(o: Outcome): string {
  return o.expiresAt === undefined ? '' : `; expires ${formatLocal(new Date(o.expiresAt))}`;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** One notification for a run over many places; a warning with "Show Log" when any did not end well. */
export function notifySummary(deps: Deps, what: string, result: RunResult): void {
  const o = result.outcomes;
  const bad = o.filter(endedBadly).length;
  const text = `CodeArtifact: ${what}: ${describeCounts(o)}. Token calls: ${result.tokenCalls}.`;
  void deps.prompts.notify(bad ? 'warning' : 'info', text, ...(bad ? ['Show Log'] : [])).then((c) => c === 'Show Log' && deps.log.show());
}
