/**
 * Opt-in `codeartifact.autoRefresh`: the places whose tokens are tracked are refreshed before they expire, on the same
 * schedule as the terminal environment (core/environment/schedule.ts: expiry minus the margin, backoff, one sign-in
 * notification), through the same loop with `confirm: false` — conditional writes; a concurrent change is re-read and
 * the token applied to the new content, never clobbered — and reported in the log and the token list (the tracker).
 *
 * Which places, by kind (`factories`; a kind without a factory is never refreshed unattended):
 *  - `s3`: objects listed in `codeartifact.remoteFiles` — from user settings always, from workspace/folder settings only
 *    in a trusted workspace (never an untrusted workspace's entries, and no consent prompt from a timer);
 *  - `file`: the workspace's files, in a trusted workspace only: through the open editor (one undo reverts the edit),
 *    else on disk by atomic replace;
 *  - `user-file`: the user-level files the tools read (~/.pypirc, pip.conf, .netrc, ...), on disk.
 * No timer runs while the setting is off or nothing eligible is tracked; no network call while nothing is near expiry.
 */
import * as vscode from 'vscode';
import { describeError, RefresherError } from '../../core/errors';
import { DEFAULT_SCHEDULE, RefreshScheduler } from '../../core/environment/schedule';
import { endedBadly } from '../../core/outcome';
import type { Target, TargetKind } from '../../core/target';
import type { TrackedToken } from '../../core/tracker';
import { plural } from '../commands/outcomes';
import type { Deps } from '../deps';
import { refresh } from '../refreshRun';
import { trustedEntryFor } from '../remoteFiles';
import { SECTION } from '../settings';
import { documentTarget, fileTarget, s3Target } from '../targets/build';
import { autoRefreshOn, readEnvironmentSettings } from './settings';

/** How one kind of place is refreshed unattended: which tracked entries may be, and the target for one. */
export interface AutoTargetFactory {
  /** Synchronous and cheap: asked on every tracker change. */
  eligible(entry: TrackedToken): boolean;
  target(entry: TrackedToken): Promise<Target | undefined>;
}

export class AutoRefresh implements vscode.Disposable {
  /** How each kind of place is refreshed with nobody asked; `undefined` from a factory: not this entry. */
  readonly factories: Partial<Record<TargetKind, AutoTargetFactory>>;
  private readonly scheduler: RefreshScheduler<ReturnType<typeof setTimeout>>;
  private readonly subscriptions: vscode.Disposable[] = [];
  private startTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly deps: Deps) {
    const openDocument = (e: TrackedToken) => vscode.workspace.textDocuments.find((d) => d.uri.toString() === e.targetId && !d.isClosed);
    this.factories = {
      s3: {
        eligible: (e) => trustedEntryFor(e.targetId) !== undefined,
        target: async (e) => s3Target(deps, { uri: e.targetId, entry: trustedEntryFor(e.targetId) }),
      },
      // A workspace file: its open editor, else the file on disk (atomic replace); only in a trusted workspace.
      file: {
        // Never a file with unsaved edits (its editor is the person's; the disk would be out of date anyway).
        eligible: (e) => vscode.workspace.isTrusted && !openDocument(e)?.isDirty && (openDocument(e) !== undefined || vscode.Uri.parse(e.targetId).scheme === 'file'),
        target: async (e) => {
          const uri = vscode.Uri.parse(e.targetId);
          if (uri.scheme === 'file') return fileTarget(deps, { uri, kind: 'file', label: e.targetLabel }, { unattended: true });
          const doc = openDocument(e);
          return doc ? documentTarget(deps, doc) : undefined;
        },
      },
      // A user-level file (~/.pypirc, pip.conf, .netrc): the person's own, whatever the workspace.
      'user-file': {
        eligible: (e) => vscode.Uri.parse(e.targetId).scheme === 'file' && !openDocument(e)?.isDirty,
        target: async (e) => fileTarget(deps, { uri: vscode.Uri.parse(e.targetId), kind: 'user-file', label: e.targetLabel }, { unattended: true }),
      },
    };
    this.scheduler = new RefreshScheduler(
      {
        now: () => Date.now(),
        setTimer: (fn, ms) => setTimeout(fn, Math.min(ms, 2 ** 31 - 1)),
        clearTimer: (h) => clearTimeout(h),
        refresh: () => this.runDue(),
        needsSignIn: (e) => {
          const text = deps.log.redact(describeError(e));
          void deps.prompts.notify('warning', `CodeArtifact: automatic refresh stopped working. ${text}`, 'Show Log').then((c) => c === 'Show Log' && deps.log.show());
        },
        failed: (e, attempt, ms) => deps.log.warn(`Automatic refresh failed (attempt ${attempt}); next try in ${Math.round(ms / 1000)} s: ${deps.log.redact(describeError(e))}`),
      },
      // The real options and the first look at the tracker come after activation (settings cost milliseconds).
      { ...DEFAULT_SCHEDULE, marginMs: 61 * 60_000 },
    );
    this.subscriptions.push(
      deps.tracker.onDidChange(() => this.retarget()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration(SECTION)) return;
        this.scheduler.setOptions(this.options());
        this.retarget();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.retarget()),
    );
    this.startTimer = setTimeout(() => {
      this.scheduler.setOptions(this.options());
      this.retarget();
    }, 0);
  }

  /** When the next automatic refresh runs (epoch ms), undefined when idle. */
  get dueAt(): number | undefined {
    return this.scheduler.dueAt;
  }

  /** Tracked entries that may be refreshed unattended now (synchronous checks only). */
  private eligible(): TrackedToken[] {
    if (!autoRefreshOn()) return [];
    // The terminal environment has no factory: it refreshes itself.
    return this.deps.tracker.all().filter((e) => this.factories[e.targetKind]?.eligible(e) === true);
  }

  private retarget(): void {
    const soonest = this.eligible()[0];
    this.scheduler.retarget(soonest?.expiresAt);
  }

  /** Refreshes the eligible places that are due; resolves with the soonest expiry left to watch. */
  private async runDue(): Promise<number | undefined> {
    const margin = this.options().marginMs;
    const now = Date.now();
    const due = [...new Map(this.eligible().filter((e) => e.expiresAt - margin <= now).map((e) => [e.targetId, e])).values()];
    const targets = (await Promise.all(due.map((e) => this.factories[e.targetKind]?.target(e)))).filter((t): t is Target => t !== undefined);
    if (targets.length > 0) {
      const n = plural(targets.length, 'place');
      this.deps.log.info(`Automatic refresh of ${n} before expiry: ${targets.map((t) => t.info.id).join(', ')}`);
      const result = await refresh(this.deps, { targets, confirm: false, titles: { read: `CodeArtifact: refreshing ${n}`, write: `CodeArtifact: writing ${n}` } });
      const bad = result.outcomes.findIndex(endedBadly);
      if (bad >= 0) throw result.errors[bad] ?? new RefresherError('Unexpected', result.outcomes[bad].message ?? 'Automatic refresh failed.');
    }
    return this.eligible()[0]?.expiresAt;
  }

  /**
   * The margin is at least one minute more than `warnBeforeExpiryMinutes`: a place refreshed by itself is refreshed
   * before the status bar would ask the person to do it.
   */
  private options() {
    const minutes = Math.max(readEnvironmentSettings().refreshBeforeExpiryMinutes, this.deps.settings().warnBeforeExpiryMinutes + 1);
    return { ...DEFAULT_SCHEDULE, marginMs: minutes * 60_000 };
  }

  dispose(): void {
    clearTimeout(this.startTimer);
    this.scheduler.stop();
    for (const s of this.subscriptions) s.dispose();
  }
}
