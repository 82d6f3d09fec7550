/**
 * Typed accessors for what the extension keeps in VS Code's global state (shared by every window, never a token):
 *  - `codeartifact.trackedTokens`: where tokens live and when they expire (core/tracker.ts merges before it writes);
 *  - `codeartifact.warnedTokens`: which expiry warnings were shown, so a warning is shown once per token across
 *    reloads and windows.
 * Each write re-reads the stored value and merges, so two windows never overwrite each other.
 */
import type * as vscode from 'vscode';
import { FORGET_AFTER_MS, type TrackedToken, type TrackerStore } from '../core/tracker';

export const TRACKED_KEY = 'codeartifact.trackedTokens';
export const WARNED_KEY = 'codeartifact.warnedTokens';

export function trackerStore(memento: vscode.Memento): TrackerStore {
  return {
    load: () => memento.get<unknown>(TRACKED_KEY),
    save: (entries: TrackedToken[]) => void memento.update(TRACKED_KEY, entries),
  };
}

/** Calls `persist` at most once per `delayMs` after changes (a refresh of 20 objects changes the tracker 20 times). */
export function debounced(persist: () => void, delayMs = 1000): { schedule(): void; dispose(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    persist();
  };
  return {
    schedule: () => {
      timer ??= setTimeout(flush, delayMs);
    },
    dispose: flush,
  };
}

/** Warning keys are `${trackedId}@${expiresAt}`: a refreshed token (new expiry) can be warned about again. */
export function warningKey(e: Pick<TrackedToken, 'id' | 'expiresAt'>): string {
  return `${e.id}@${e.expiresAt}`;
}

export class WarnedTokens {
  constructor(
    private readonly memento: vscode.Memento,
    private readonly now: () => Date,
  ) {}

  private stored(): string[] {
    const v = this.memento.get<unknown>(WARNED_KEY);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  }

  has(key: string): boolean {
    return this.stored().includes(key);
  }

  /** Adds keys (merged with what other windows stored) and drops those of tokens long expired. */
  add(keys: readonly string[]): void {
    const cutoff = this.now().getTime() - FORGET_AFTER_MS;
    const keep = (k: string) => Number(k.slice(k.lastIndexOf('@') + 1)) >= cutoff;
    const merged = [...new Set([...this.stored(), ...keys])].filter(keep);
    void this.memento.update(WARNED_KEY, merged);
  }
}
