/**
 * Which AWS profile a refresh uses: the one picked in this workspace, else the `codeartifact.profile` setting,
 * else AWS_PROFILE / `default` (the SDK's own rules), else a clear error.
 */
import * as vscode from 'vscode';
import { RefresherError } from '../core/errors';
import type { LazyAws } from './awsLoader';
import type { Settings } from './settings';

const CHOSEN_KEY = 'codeartifact.chosenProfile';
const RECENT_KEY = 'codeartifact.recentProfiles';

export class ProfileStore {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.emitter.event;

  constructor(
    private readonly workspaceState: vscode.Memento,
    private readonly globalState: vscode.Memento,
    private readonly aws: LazyAws,
    private readonly settings: () => Settings,
  ) {}

  /** The profile picked in this workspace, if any. */
  get chosen(): string | undefined {
    return this.workspaceState.get<string>(CHOSEN_KEY);
  }

  /** The name shown before anything is resolved (no SDK load): chosen, then setting, then AWS_PROFILE. */
  get displayName(): string | undefined {
    return this.chosen ?? this.settings().profile ?? (process.env.AWS_PROFILE || undefined);
  }

  /**
   * The profile a refresh should use: `override` (a per-object profile from `codeartifact.remoteFiles`, a command
   * argument), else the one picked in this workspace, else `scoped` (the `codeartifact.profile` of the folder the work
   * is about), else the window's setting, else AWS_PROFILE / [default].
   */
  async resolve(override?: string, scoped?: string): Promise<string> {
    const name = override ?? this.chosen ?? scoped ?? this.settings().profile ?? (await this.aws.get().defaultProfile());
    if (!name) {
      throw new RefresherError(
        'NoProfiles',
        'No AWS profile to use: AWS_PROFILE is not set and there is no [default] profile.',
        'Run "CodeArtifact: Select AWS Profile", or create one with `aws configure` / `aws configure sso`.',
      );
    }
    return name;
  }

  async choose(name: string): Promise<void> {
    await this.workspaceState.update(CHOSEN_KEY, name);
    const recent = [name, ...this.recent().filter((n) => n !== name)].slice(0, 10);
    await this.globalState.update(RECENT_KEY, recent);
    this.emitter.fire();
  }

  recent(): string[] {
    const r = this.globalState.get<unknown>(RECENT_KEY);
    return Array.isArray(r) ? r.filter((x): x is string => typeof x === 'string') : [];
  }

  dispose(): void {
    this.emitter.dispose();
  }
}

