/**
 * The one refresh loop, over any number of targets of any kind. A target is anything that holds text with CodeArtifact
 * tokens (an S3 object, an open document, later a file on disk or the terminal environment); the loop only knows the
 * small `Target` interface below, so adding a kind of target never touches this file.
 *
 *   read every target -> find its token positions -> one token per domain/owner/region/profile (shared by all
 *   targets) -> rewrite -> review (diff + confirm, unless the target is undoable or confirm is off) -> conditional
 *   write -> on "changed since read": read again and review again (confirm off: re-apply to the new text; never
 *   overwrite) -> record expiry.
 *
 * Pure: the person (review), progress/cancellation (stages), token calls and expiry tracking are ports passed in, so
 * the whole loop is unit-tested on plain Node with fake targets.
 */
import { describeError, isRefresherError, RefresherError, type ErrorCode } from './errors';
import { planRefresh, type IssuedFor, type RefreshPlan } from './pipeline';
import { TokenBatch, type BatchToken, type TokenKey } from './tokenBatch';
import { soonestExpiry, type Outcome, type OutcomeStatus } from './outcome';
import type { Snapshot, Target, TargetInfo } from './target';

export type { Outcome, OutcomeStatus } from './outcome';
export type { Snapshot, Target, TargetInfo, TargetKind, WriteReceipt } from './target';

export interface Proposal {
  info: TargetInfo;
  before: string;
  after: string;
  /** Token positions that receive a token. */
  replaced: number;
  tokens: readonly IssuedFor[];
  /** 1 for the first diff; 2+ when the target changed after an earlier diff was shown. */
  round: number;
}

/** The error behind a failed outcome, for a single-target command that shows it as is. Not part of Outcome. */
export interface RunResult {
  outcomes: Outcome[];
  /** Same order as outcomes; undefined where the target did not fail. */
  errors: (unknown | undefined)[];
  /** Distinct token calls made (one per domain/owner/region/profile). */
  tokenCalls: number;
}

export interface RefreshPorts<T extends BatchToken = BatchToken> {
  /** One GetAuthorizationToken; the loop shares each key across all targets. */
  fetchToken(key: TokenKey, profile: string, signal: AbortSignal): Promise<T>;
  /**
   * Runs one stage of the work. 'read' may be cancelled by the person (reject with Cancelled, abort the signal);
   * 'write' must not be (an aborted PUT cannot promise that nothing was written).
   */
  stage<R>(stage: 'read' | 'write', title: string, work: (signal: AbortSignal) => Promise<R>): Promise<R>;
  /** Shows the proposals and returns the ids the person agreed to write (empty: none). */
  review(proposals: Proposal[]): Promise<ReadonlySet<string>>;
  /** The target now holds these tokens (written, or already current): record their expiry. */
  recordTokens(info: TargetInfo, tokens: readonly IssuedFor[]): void;
  /** The target was left as it was (declined, failed, changed): record what it still holds. */
  recordText(info: TargetInfo, text: string): void;
  /** A conditional write lost; `next` says what the loop does about it. */
  onConflict?(info: TargetInfo, round: number, next: 'review' | 'reapply' | 'give-up'): void;
  /** Tokens for these keys will probably be needed (e.g. what the target needed last time): fetch while reading. */
  expectedKeys?(info: TargetInfo): readonly TokenKey[];
  /** Turns an error into the outcome's message; the caller redacts here. */
  describe?(e: unknown): string;
}

export interface RefreshOptions {
  /** false: write without asking (automation); a concurrent change is still re-read and never overwritten. */
  confirm: boolean;
  /** How many times a target that keeps changing is re-read before the loop gives up on it. */
  maxRounds?: number;
  /** Titles for the progress stages. */
  titles?: { read: string; write: string };
}

export const DEFAULT_MAX_ROUNDS = 3;

interface Planned {
  index: number;
  target: Target;
  snapshot: Snapshot;
  plan: RefreshPlan;
  round: number;
}

/** Runs the refresh over `targets`. Never throws for one target's failure: each target gets its own outcome. */
export async function runRefresh<T extends BatchToken>(targets: readonly Target[], ports: RefreshPorts<T>, options: RefreshOptions): Promise<RunResult> {
  const maxRounds = options.maxRounds ?? DEFAULT_MAX_ROUNDS;
  const describe = ports.describe ?? describeError;
  const outcomes: (Outcome | undefined)[] = targets.map(() => undefined);
  const errors: unknown[] = targets.map(() => undefined);
  let signal: AbortSignal | undefined;
  const batch = new TokenBatch<T>((key, profile) => ports.fetchToken(key, profile, signal ?? new AbortController().signal));

  const base = (info: TargetInfo) => ({ id: info.id, kind: info.kind, label: info.label, profile: info.profile });
  const settle = (i: number, outcome: Omit<Outcome, 'id' | 'kind' | 'label' | 'profile'>, error?: unknown) => {
    outcomes[i] = { ...base(targets[i].info), ...outcome };
    errors[i] = error;
  };
  const fail = (i: number, e: unknown, text?: string) => {
    if (text !== undefined) ports.recordText(targets[i].info, text);
    const code: ErrorCode = isRefresherError(e) ? e.code : 'Unexpected';
    const status: OutcomeStatus = code === 'ChangedSinceRead' ? 'changed-since-read' : code === 'Cancelled' ? 'cancelled' : 'failed';
    settle(i, { status, code, message: describe(e) }, e);
  };
  const current = (i: number, tokens: readonly IssuedFor[]) => {
    ports.recordTokens(targets[i].info, tokens);
    settle(i, { status: 'unchanged', ...tokenSummary(tokens) });
  };

  /** Read and plan one target; undefined when it settled (unchanged or failed). */
  const prepare = async (i: number, round: number, s: AbortSignal): Promise<Planned | undefined> => {
    const target = targets[i];
    for (const k of ports.expectedKeys?.(target.info) ?? []) void batch.get(k, target.info.profile);
    let snapshot: Snapshot;
    try {
      snapshot = await target.read(s);
    } catch (e) {
      fail(i, e);
      return undefined;
    }
    try {
      const plan = await planRefresh(snapshot.text, target.info.label, (k) => batch.get(k, target.info.profile));
      if (s.aborted) throw cancelled();
      if (!plan.changed) {
        current(i, plan.tokens);
        return undefined;
      }
      return { index: i, target, snapshot, plan, round };
    } catch (e) {
      fail(i, e, snapshot.text);
      return undefined;
    }
  };

  const readAll = (indexes: number[], round: number) =>
    ports.stage('read', options.titles?.read ?? 'Reading', async (s) => {
      signal = s;
      const planned = await Promise.all(indexes.map((i) => prepare(i, round, s)));
      return planned.filter((p): p is Planned => p !== undefined);
    });

  const reviewed = async (planned: Planned[]): Promise<Planned[]> => {
    const ask = options.confirm ? planned.filter((p) => !p.target.info.undoable) : [];
    if (ask.length === 0) return planned;
    const approved = await ports.review(
      ask.map((p) => ({ info: p.target.info, before: p.plan.before, after: p.plan.after, replaced: p.plan.replaced, tokens: p.plan.tokens, round: p.round })),
    );
    return planned.filter((p) => {
      if (p.target.info.undoable || approved.has(p.target.info.id)) return true;
      ports.recordText(p.target.info, p.snapshot.text);
      settle(p.index, { status: 'declined' });
      return false;
    });
  };

  /** Writes; returns the indexes that lost a conditional write and should be read again. */
  const writeAll = (planned: Planned[]) =>
    ports.stage('write', options.titles?.write ?? 'Writing', async (s) => {
      signal = s;
      const again: number[] = [];
      await Promise.all(
        planned.map(async (p) => {
          try {
            if (s.aborted) throw cancelled();
            const receipt = await p.target.write(p.snapshot, p.plan, s);
            ports.recordTokens(p.target.info, p.plan.tokens);
            settle(p.index, { status: 'written', replaced: p.plan.replaced, ...tokenSummary(p.plan.tokens), ...receipt });
          } catch (e) {
            const conflict = isRefresherError(e) && e.code === 'ChangedSinceRead';
            const next = !conflict ? undefined : p.round >= maxRounds ? 'give-up' : options.confirm && !p.target.info.undoable ? 'review' : 'reapply';
            if (next) ports.onConflict?.(p.target.info, p.round, next);
            if (next === 'review' || next === 'reapply') again.push(p.index);
            else fail(p.index, e, p.snapshot.text);
          }
        }),
      );
      return again;
    });

  try {
    let pending = targets.map((_, i) => i);
    for (let round = 1; pending.length > 0; round++) {
      const planned = await readAll(pending, round);
      const toWrite = await reviewed(planned);
      pending = toWrite.length > 0 ? await writeAll(toWrite) : [];
    }
  } catch (e) {
    // Only a cancelled stage gets here (targets' own errors settle their outcome): what has not settled is cancelled.
    if (!(isRefresherError(e) && e.code === 'Cancelled')) throw e;
    targets.forEach((_, i) => outcomes[i] ?? fail(i, e));
  }
  return { outcomes: outcomes.map((o, i) => o ?? { ...base(targets[i].info), status: 'cancelled' }), errors, tokenCalls: batch.size };
}

function cancelled(): RefresherError {
  return new RefresherError('Cancelled', 'Cancelled; nothing was written.');
}

function tokenSummary(tokens: readonly IssuedFor[]): Pick<Outcome, 'expiresAt' | 'domains'> {
  const soonest = soonestExpiry(tokens);
  return { ...(soonest !== undefined ? { expiresAt: soonest } : {}), domains: [...new Set(tokens.map((t) => t.domain))] };
}

