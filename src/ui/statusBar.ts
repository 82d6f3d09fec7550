/**
 * The countdown: one status bar item showing the soonest expiry among tracked tokens, warning background under the
 * threshold, error background once expired, hidden when nothing is tracked. Ticks at the start of each minute and only
 * while something is tracked. One "Refresh now" notification per token when it crosses the threshold.
 */
import * as vscode from 'vscode';
import { expiryState, formatLocal, formatRemaining, msUntilNextMinute } from '../core/expiry';
import type { ExpiryTracker, TrackedToken } from '../core/tracker';
import type { Clock } from './clock';
import type { Prompts } from './prompts';
import type { Settings } from './settings';
import { CommandId } from './commandIds';
import { warningKey, type WarnedTokens } from './state';
import { kindIcon } from './places';

export interface Timers {
  setTimeout(fn: () => void, ms: number): ReturnType<typeof setTimeout>;
  clearTimeout(t: ReturnType<typeof setTimeout>): void;
}

export const WARN_DELAY_MS = 300;

export class ExpiryStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private warnTimer: ReturnType<typeof setTimeout> | undefined;
  /** Timer ticks since activation (the bench checks that idle costs at most one per minute). */
  ticks = 0;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly tracker: ExpiryTracker,
    private readonly clock: Clock,
    private readonly settings: () => Settings,
    private readonly prompts: Prompts,
    private readonly profileName: () => string | undefined,
    /** Tokens already warned about (persisted: once per token across reloads and windows). */
    private readonly warned: WarnedTokens,
    private readonly refresh: (t: readonly TrackedToken[]) => void,
    /** Injectable so the bench can run ten minutes of simulated time. */
    private readonly timers: Timers = { setTimeout, clearTimeout },
  ) {
    this.item = vscode.window.createStatusBarItem('codeartifact.expiry', vscode.StatusBarAlignment.Left, 50);
    this.item.name = 'CodeArtifact Token Expiry';
    this.item.command = CommandId.showTokenStatus;
    this.subscriptions.push(tracker.onDidChange(() => this.render()), clock.onDidSet(() => this.render()));
    this.render();
  }

  /** What the item shows now (tests read it; the DOM shows the same). */
  get state(): { visible: boolean; text: string; background: string | undefined; tooltip: string } {
    const bg = this.item.backgroundColor as vscode.ThemeColor | undefined;
    const tooltip = this.item.tooltip;
    return {
      visible: this.visible,
      text: this.item.text,
      background: bg?.id,
      tooltip: typeof tooltip === 'string' ? tooltip : tooltip?.value ?? '',
    };
  }

  private visible = false;

  render(): void {
    const now = this.clock.now();
    // A prune that removed entries has already re-rendered through the tracker's change event.
    if (this.tracker.prune(now)) return;
    const entries = this.tracker.all();
    if (entries.length === 0) {
      this.item.hide();
      this.visible = false;
      this.stopTimer();
      return;
    }
    const { warnBeforeExpiryMinutes } = this.settings();
    const soonest = entries[0];
    const state = expiryState(now, new Date(soonest.expiresAt), { warnBeforeMinutes: warnBeforeExpiryMinutes });
    this.item.text = `$(key) ${formatRemaining(now, new Date(soonest.expiresAt))}`;
    this.item.backgroundColor =
      state === 'expired' ? new vscode.ThemeColor('statusBarItem.errorBackground') : state === 'warning' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.accessibilityInformation = { label: `CodeArtifact token ${state === 'expired' ? 'expired' : 'expires'}: ${formatRemaining(now, new Date(soonest.expiresAt))}` };
    this.item.tooltip = this.tooltip(entries, now);
    this.item.show();
    this.visible = true;
    if (entries.some((e) => this.needsWarning(e, now, warnBeforeExpiryMinutes))) this.warnSoon();
    this.schedule(now);
  }

  private tooltip(entries: TrackedToken[], now: Date): vscode.MarkdownString {
    const md = new vscode.MarkdownString(undefined, true);
    md.isTrusted = { enabledCommands: [CommandId.refreshTracked, CommandId.selectProfile, CommandId.showTokenStatus] };
    md.appendMarkdown('**CodeArtifact tokens**\n\n');
    for (const e of entries.slice(0, 10)) {
      const args = encodeURIComponent(JSON.stringify([{ ids: [e.id] }]));
      md.appendMarkdown(
        `$(${kindIcon(e.targetKind)}) ${escapeMd(e.targetLabel)} — \`${escapeMd(e.domain)}\`` +
          `${e.profile ? ` (${escapeMd(e.profile)})` : ''} — ${escapeMd(formatRemaining(now, new Date(e.expiresAt)))}, ` +
          `${escapeMd(formatLocal(new Date(e.expiresAt)))} · [Refresh](command:${CommandId.refreshTracked}?${args})\n\n`,
      );
    }
    if (entries.length > 10) md.appendMarkdown(`…and ${entries.length - 10} more\n\n`);
    const profile = this.profileName();
    md.appendMarkdown(`---\n\nProfile: ${profile ? `\`${escapeMd(profile)}\`` : '_not selected_'} · [Change profile](command:${CommandId.selectProfile}) · [All tokens](command:${CommandId.showTokenStatus})`);
    return md;
  }

  /**
   * Warnings wait WARN_DELAY_MS after a render: a refresh that records 20 places renders 20 times, and the person gets
   * one notification for all the tokens that crossed the threshold, not one per place.
   */
  private warnSoon(): void {
    this.warnTimer ??= this.timers.setTimeout(() => {
      this.warnTimer = undefined;
      this.warnOnce(this.tracker.all(), this.clock.now(), this.settings().warnBeforeExpiryMinutes);
    }, WARN_DELAY_MS);
  }

  private needsWarning(e: TrackedToken, now: Date, warnBeforeMinutes: number): boolean {
    // The terminal environment refreshes itself before expiry (and says so itself when it cannot).
    if (e.targetKind === 'environment') return false;
    return expiryState(now, new Date(e.expiresAt), { warnBeforeMinutes }) !== 'ok' && !this.warned.has(warningKey(e));
  }

  /** One notification for every token that crossed the threshold since the last one, and never twice per token. */
  private warnOnce(entries: TrackedToken[], now: Date, warnBeforeMinutes: number): void {
    const due = entries.filter((e) => this.needsWarning(e, now, warnBeforeMinutes));
    if (due.length === 0) return;
    this.warned.add(due.map(warningKey));
    const describe = (e: TrackedToken) => {
      const when = formatRemaining(now, new Date(e.expiresAt));
      return `${e.targetLabel} (${e.domain}) ${when.startsWith('expired') ? when : `expires in ${when}`}`;
    };
    const message =
      due.length === 1
        ? `The CodeArtifact token in ${describe(due[0])}.`
        : `${due.length} CodeArtifact tokens need a refresh: ${due.slice(0, 3).map(describe).join('; ')}${due.length > 3 ? `; and ${due.length - 3} more` : ''}.`;
    void this.prompts.notify('warning', message, 'Refresh now').then((choice) => {
      if (choice === 'Refresh now') this.refresh(due);
    });
  }

  private schedule(now: Date): void {
    if (this.timer) return;
    this.timer = this.timers.setTimeout(() => {
      this.timer = undefined;
      this.ticks++;
      // Another window may have refreshed a token meanwhile (shared global state); a change re-renders by itself.
      this.tracker.sync();
      this.render();
    }, msUntilNextMinute(now));
  }

  private stopTimer(): void {
    if (this.timer) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }

  dispose(): void {
    this.stopTimer();
    if (this.warnTimer) this.timers.clearTimeout(this.warnTimer);
    this.item.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}

/** The codicon of a kind of place: S3 object, file, terminal environment. */
function escapeMd(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, (c) => `\\${c}`);
}
