/**
 * The terminal environment: which variables this workspace needs (core/environment/variables.ts, from the workspace's
 * files and the settings), one TerminalEnvironmentTarget per workspace folder, refreshed through the one refresh loop
 * (refreshRun.ts, `confirm: false`: nothing is written to disk, nothing to review), and kept fresh by the
 * refresh-before-expiry scheduler (core/environment/schedule.ts).
 *
 * - At activation (after activate() returned) `start()` looks at the workspace: nothing referenced -> no target, no
 *   token call, no SDK load; else one token call per domain/owner/region.
 * - Off when `codeartifact.terminalEnvironment.enabled` is false, and in an untrusted workspace unless the person's user
 *   settings say `allowUntrusted`.
 * - Each folder's collection gets a description naming the domain(s) and the expiry and saying to open a new terminal.
 * - A failed background refresh is retried with backoff; a sign-in problem is notified once, naming the fix.
 * Never a token in a description, a log line, a notification or the tracker.
 */
import * as vscode from 'vscode';
import { describeError, RefresherError } from '../../core/errors';
import { formatLocal } from '../../core/expiry';
import { DEFAULT_SCHEDULE, RefreshScheduler } from '../../core/environment/schedule';
import { planVariables, type EnvVariable, type WorkspaceText } from '../../core/environment/variables';
import type { Outcome } from '../../core/outcome';
import type { Deps } from '../deps';
import { findWorkspaceTokenFiles, type FoundFile } from '../discovery/workspaceFiles';
import { refresh } from '../refreshRun';
import { readSettings } from '../settings';
import { ENVIRONMENT_TARGET_PREFIX, TerminalEnvironmentTarget } from '../targets/terminalEnvironment';
import { ENV_SECTION, readEnvironmentSettings, type EnvironmentSettings } from './settings';

/** Node's timers fire at once past this; tokens live 12 hours at most, but never trust an expiry blindly. */
const MAX_TIMER_MS = 2 ** 31 - 1;
const REPLAN_DEBOUNCE_MS = 500;

export interface EnvironmentResult {
  status: 'written' | 'off' | 'nothing-referenced';
  /** Variable names set (never values). */
  variables: string[];
  domains: string[];
  expiresAt?: number;
  tokenCalls: number;
}

interface Place {
  id: string;
  label: string;
  folder?: vscode.WorkspaceFolder;
  variables: EnvVariable[];
}

export class TerminalEnvironment implements vscode.Disposable {
  private readonly targets = new Map<string, { target: TerminalEnvironmentTarget; collection: vscode.EnvironmentVariableCollection }>();
  private readonly scheduler: RefreshScheduler<ReturnType<typeof setTimeout>>;
  private readonly subscriptions: vscode.Disposable[] = [];
  private queue: Promise<unknown> = Promise.resolve();
  private signature = '';
  private replanTimer: ReturnType<typeof setTimeout> | undefined;
  /** Runs and token calls since activation (tests and the bench read them). */
  readonly stats: { runs: number; tokenCalls: number; startMs?: number } = { runs: 0, tokenCalls: 0 };
  last: EnvironmentResult | undefined;

  constructor(
    private readonly root: vscode.GlobalEnvironmentVariableCollection,
    private readonly deps: Deps,
  ) {
    // Before any value is set: a persistent collection is written to workspace storage on disk, tokens included.
    root.persistent = false;
    this.scheduler = new RefreshScheduler(
      {
        now: () => Date.now(),
        setTimer: (fn, ms) => setTimeout(fn, Math.min(ms, MAX_TIMER_MS)),
        clearTimer: (h) => clearTimeout(h),
        refresh: async () => (await this.run()).expiresAt,
        needsSignIn: (e) => {
          const text = deps.log.redact(describeError(e));
          void deps.prompts.notify('warning', `CodeArtifact: the terminal environment's token could not be refreshed. ${text}`, 'Show Log').then((c) => c === 'Show Log' && deps.log.show());
        },
        failed: (e, attempt, ms) => deps.log.warn(`Terminal environment: refresh failed (attempt ${attempt}); next try in ${Math.round(ms / 1000)} s: ${deps.log.redact(describeError(e))}`),
      },
    ); // core's DEFAULT_SCHEDULE until the first start() reads the settings (a first getConfiguration costs milliseconds)
    this.subscriptions.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('codeartifact.profile')) this.retryIfFailing();
        if (!e.affectsConfiguration(ENV_SECTION)) return;
        this.scheduler.setOptions(this.scheduleOptions());
        void this.scheduler.runNow();
      }),
      // Another profile is often the fix for a failing refresh (expired SSO session, no access to the domain): try it
      // at once instead of at the next backoff retry. A working environment keeps its tokens until they are due.
      deps.profiles.onDidChange(() => this.retryIfFailing()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => void this.scheduler.runNow()),
      vscode.workspace.onDidChangeWorkspaceFolders(() => void this.scheduler.runNow()),
      // A saved file may reference other variables now: plan again, run only when the variable set changed.
      vscode.workspace.onDidSaveTextDocument((d) => d.getText().includes('.d.codeartifact.') && this.replanSoon()),
    );
  }

  /**
   * At activation, after activate() returned: the first look at the workspace, then the schedule. `found`: the
   * workspace files discovery has just read, so start-up searches the workspace once, not twice.
   */
  async start(found?: readonly FoundFile[]): Promise<void> {
    if (!this.optionsRead) {
      this.optionsRead = true;
      this.scheduler.setOptions(this.scheduleOptions());
    }
    if (found && this.stats.runs === 0) this.startupFiles = found;
    const t0 = performance.now();
    await this.scheduler.runNow();
    this.stats.startMs ??= performance.now() - t0;
  }

  /** When the next background refresh runs (epoch ms), undefined when idle. */
  get dueAt(): number | undefined {
    return this.scheduler.dueAt;
  }

  /** Whether the environment may be set in this window now. */
  private allowed(): { ok: true } | { ok: false; why: string; fix: string } {
    const s = readEnvironmentSettings();
    if (!s.enabled) return { ok: false, why: 'The terminal environment is turned off (`codeartifact.terminalEnvironment.enabled`).', fix: 'Turn the setting on and run the command again.' };
    if (!vscode.workspace.isTrusted && !s.allowUntrusted) {
      return { ok: false, why: 'This workspace is not trusted, so its files do not decide what goes into your terminals.', fix: 'Trust the workspace, or set `codeartifact.terminalEnvironment.allowUntrusted` in your user settings.' };
    }
    return { ok: true };
  }

  /** `codeartifact.refreshTerminalEnvironment`: a refresh now, reported; the schedule continues from it. */
  async refreshNow(): Promise<EnvironmentResult> {
    const allowed = this.allowed();
    if (!allowed.ok) throw new RefresherError('InvalidInput', allowed.why, allowed.fix);
    const result = await this.run();
    this.scheduler.track(result.expiresAt);
    if (result.status === 'nothing-referenced') {
      throw new RefresherError(
        'NoEndpoints',
        'No file in this workspace references a CodeArtifact token through the environment, and no variable is listed in `codeartifact.terminalEnvironment.variables`.',
        'Write `${CODEARTIFACT_AUTH_TOKEN}` as the password of the CodeArtifact URL (or use "Use an environment variable instead" on a literal token), or list the variable in the setting.',
      );
    }
    const expires = result.expiresAt !== undefined ? `; expires ${formatLocal(new Date(result.expiresAt))}` : '';
    void this.deps.prompts.notify('info', `CodeArtifact: terminal environment set (${result.variables.join(', ')}) for ${result.domains.join(', ')}${expires}. Open a new terminal to use it.`);
    return result;
  }

  /** One refresh of every folder's environment, serialised (a command and the timer never overlap). */
  private run(): Promise<EnvironmentResult> {
    const next = this.queue.then(() => this.runOnce());
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async runOnce(): Promise<EnvironmentResult> {
    this.stats.runs++;
    const allowed = this.allowed().ok;
    const places = allowed ? await this.discover() : [];
    this.signature = signatureOf(places);
    this.forgetExcept(new Set(places.map((p) => p.id)));
    if (places.length === 0) {
      this.last = { status: allowed ? 'nothing-referenced' : 'off', variables: [], domains: [], tokenCalls: 0 };
      return this.last;
    }
    const targets = await Promise.all(places.map((p) => this.targetFor(p)));
    const title = 'CodeArtifact: refreshing the terminal environment';
    const result = await refresh(this.deps, { targets, confirm: false, titles: { read: title, write: title } });
    this.stats.tokenCalls += result.tokenCalls;
    result.outcomes.forEach((o, i) => this.describe(places[i], o));
    const bad = result.outcomes.findIndex((o) => o.status !== 'written' && o.status !== 'unchanged');
    if (bad >= 0) throw result.errors[bad] ?? new RefresherError('Unexpected', result.outcomes[bad].message ?? 'The terminal environment was not set.');
    const expiries = result.outcomes.map((o) => o.expiresAt).filter((x): x is number => x !== undefined);
    this.last = {
      status: 'written',
      variables: [...new Set(places.flatMap((p) => p.variables.map((v) => v.name)))],
      domains: [...new Set(result.outcomes.flatMap((o) => o.domains ?? []))],
      ...(expiries.length ? { expiresAt: Math.min(...expiries) } : {}),
      tokenCalls: result.tokenCalls,
    };
    this.deps.log.info(`Terminal environment: ${this.last.variables.length} variable(s) set (${this.last.variables.join(', ')}) with ${result.tokenCalls} token call(s)`);
    return this.last;
  }

  /** The places (one per workspace folder; the window when none is open) and the variables each needs. */
  private async discover(): Promise<Place[]> {
    const folders = vscode.workspace.workspaceFolders ?? [];
    const startup = this.startupFiles;
    this.startupFiles = undefined;
    const files = folders.length ? (startup ?? (await findWorkspaceTokenFiles())) : [];
    const places: Place[] = [];
    const plan = (label: string, texts: WorkspaceText[], s: EnvironmentSettings) => {
      const p = planVariables(texts, { pip: s.pip, twine: s.twine, explicit: s.variables });
      for (const c of p.conflicts) this.deps.log.warn(`Terminal environment (${label}): ${c}`);
      return p.variables;
    };
    if (folders.length === 0) {
      const variables = plan('window', [], readEnvironmentSettings());
      if (variables.length) places.push({ id: `${ENVIRONMENT_TARGET_PREFIX}window`, label: 'Terminal environment', variables });
      return places;
    }
    for (const folder of folders) {
      const settings = readEnvironmentSettings(folder.uri);
      if (!settings.enabled) continue; // turned off for this folder only
      const mine = files.filter((f) => f.folder?.uri.toString() === folder.uri.toString()).map((f) => textOf(f));
      const variables = plan(folder.name, mine, settings);
      if (variables.length === 0) continue;
      places.push({ id: `${ENVIRONMENT_TARGET_PREFIX}${folder.uri.toString()}`, label: folders.length > 1 ? `Terminal environment (${folder.name})` : 'Terminal environment', folder, variables });
    }
    return places;
  }

  private async targetFor(p: Place): Promise<TerminalEnvironmentTarget> {
    const profile = await this.deps.profiles.resolve(undefined, readSettings(p.folder?.uri).profile);
    let held = this.targets.get(p.id);
    if (!held) {
      const collection = p.folder ? this.root.getScoped({ workspaceFolder: p.folder }) : this.root;
      held = { target: new TerminalEnvironmentTarget(p.id, p.label, profile, collection, p.variables), collection };
      this.targets.set(p.id, held);
    } else {
      held.target.setVariables(p.variables, profile);
    }
    return held.target;
  }

  /** The collection's description: which domains, until when, and that terminals opened before need replacing. */
  private describe(p: Place, o: Outcome): void {
    const held = this.targets.get(p.id);
    if (!held || (o.status !== 'written' && o.status !== 'unchanged')) return;
    const until = o.expiresAt !== undefined ? `, valid until ${formatLocal(new Date(o.expiresAt))}` : '';
    held.collection.description = `CodeArtifact token for ${(o.domains ?? []).join(', ')}${until} (${p.variables.map((v) => v.name).join(', ')}). Open a new terminal after a refresh.`;
  }

  /** Removes the variables and tracked expiries of places no longer needed (and stale ones from an earlier session). */
  private forgetExcept(keep: ReadonlySet<string>): void {
    for (const [id, held] of this.targets) {
      if (keep.has(id)) continue;
      held.target.clear();
      held.collection.description = undefined;
      this.targets.delete(id);
    }
    for (const e of this.deps.tracker.all()) if (e.targetKind === 'environment' && !keep.has(e.targetId)) this.deps.tracker.setTarget(e.targetId, [], () => '');
  }

  private retryIfFailing(): void {
    if (!this.disposed) this.scheduler.retryNow();
  }

  private replanSoon(): void {
    clearTimeout(this.replanTimer);
    this.replanTimer = setTimeout(async () => {
      try {
        if (this.disposed || !this.allowed().ok) return;
        const places = await this.discover();
        if (!this.disposed && signatureOf(places) !== this.signature) void this.scheduler.runNow();
      } catch (e) {
        this.deps.log.warn(`Terminal environment: looking at the workspace's files failed: ${this.deps.log.redact(describeError(e))}`);
      }
    }, REPLAN_DEBOUNCE_MS);
  }

  private optionsRead = false;
  /** What discovery found at start-up, for the first run only (see start()). */
  private startupFiles: readonly FoundFile[] | undefined;

  private scheduleOptions() {
    const s = readEnvironmentSettings();
    return { ...DEFAULT_SCHEDULE, marginMs: s.refreshBeforeExpiryMinutes * 60_000 };
  }

  private disposed = false;

  dispose(): void {
    this.disposed = true;
    this.scheduler.stop();
    clearTimeout(this.replanTimer);
    for (const s of this.subscriptions) s.dispose();
    for (const { target } of this.targets.values()) target.clear();
  }
}

/** An open document's text wins over the file on disk (an unsaved edit already says what the person wants). */
function textOf(f: FoundFile): WorkspaceText {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === f.uri.toString());
  return { label: vscode.workspace.asRelativePath(f.uri, false), text: open ? open.getText() : f.text };
}

function signatureOf(places: readonly Place[]): string {
  return JSON.stringify(places.map((p) => [p.id, p.variables.map((v) => [v.name, v.shape, v.key, v.value])]));
}
