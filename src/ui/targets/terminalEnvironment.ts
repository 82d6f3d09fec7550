/**
 * The terminal environment of one workspace folder as a refresh target. Nothing is written to disk: the variables go
 * to VS Code's `environmentVariableCollection` (scoped to the folder, `persistent = false` on the root collection, so
 * they live in memory only) and reach every terminal and task started afterwards; VS Code marks terminals started
 * before a change as stale.
 *
 * Read gives the line-based text of core/environment/envText.ts (each token inside a CodeArtifact URL, so the loop finds
 * positions and keys with no special case; `{auth_token}` where a variable is not set yet); write parses the planned
 * text back and sets the variables. Version: a counter bumped on every write and every change of the variable set.
 * Undoable in the loop's sense (no diff, no question): nothing a person wrote is changed.
 */
import type * as vscode from 'vscode';
import { RefresherError } from '../../core/errors';
import { formatEnvironmentText, parseEnvironmentText } from '../../core/environment/envText';
import type { EnvVariable } from '../../core/environment/variables';
import type { Snapshot, Target, TargetInfo, WriteReceipt } from '../../core/target';

/** What of VS Code's collection the target uses (a fake in tests). */
export type VariableCollection = Pick<vscode.EnvironmentVariableCollection, 'replace' | 'delete' | 'get'>;

export const ENVIRONMENT_TARGET_PREFIX = 'terminal-environment:';

export class TerminalEnvironmentTarget implements Target {
  readonly info: TargetInfo;
  private version = 0;
  /** endpointKey -> the token the variables hold now (memory only). */
  private tokens = new Map<string, string>();
  /** Names this target set, so a variable dropped from the plan is removed. */
  private applied = new Set<string>();

  constructor(
    /** Stable per folder: `terminal-environment:<folder URI>` (or `terminal-environment:window`). */
    id: string,
    label: string,
    profile: string,
    private readonly collection: VariableCollection,
    private variables: readonly EnvVariable[],
  ) {
    this.info = { id, kind: 'environment', label, profile, undoable: true };
  }

  /**
   * The workspace now asks for other variables: those it no longer asks for are removed at once (a run that finds
   * every token current writes nothing), the next read plans the rest (a write in flight loses).
   */
  setVariables(variables: readonly EnvVariable[], profile: string): void {
    const keep = new Set(variables.map((v) => v.name));
    for (const name of this.applied) {
      if (keep.has(name)) continue;
      this.collection.delete(name);
      this.applied.delete(name);
    }
    this.variables = variables;
    this.info.profile = profile;
    this.version++;
  }

  async read(): Promise<Snapshot> {
    return { text: formatEnvironmentText(this.variables, this.tokens), version: String(this.version) };
  }

  async write(snapshot: Snapshot, plan: { after: string }): Promise<WriteReceipt> {
    if (snapshot.version !== String(this.version)) {
      throw new RefresherError('ChangedSinceRead', `${this.info.label} changed during the refresh; nothing was set.`, 'Run the command again.');
    }
    const { values, tokens } = parseEnvironmentText(plan.after);
    for (const [name, value] of values) this.collection.replace(name, value);
    for (const name of this.applied) if (!values.has(name)) this.collection.delete(name);
    this.applied = new Set(values.keys());
    this.tokens = tokens;
    this.version++;
    return {};
  }

  /** Removes every variable this target set. */
  clear(): void {
    for (const name of this.applied) this.collection.delete(name);
    this.applied.clear();
    this.tokens.clear();
    this.version++;
  }
}
