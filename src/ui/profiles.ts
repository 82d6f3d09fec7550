/**
 * Which AWS profile a refresh uses: the one picked in this workspace, else the `codeartifact.profile` setting,
 * else AWS_PROFILE / `default` (the SDK's own rules), else a clear error.
 */
import * as vscode from 'vscode';
import { RefresherError } from '../core/errors';
import type { ProfileInfo } from '../aws/api';
import type { LazyAws } from './awsLoader';
import type { Prompts } from './prompts';
import type { Settings } from './settings';

const CHOSEN_KEY = 'codeartifact.chosenProfile';
const RECENT_KEY = 'codeartifact.recentProfiles';

const KIND_LABEL: Record<ProfileInfo['kind'], string> = {
  static: 'access keys',
  sso: 'IAM Identity Center (SSO)',
  role: 'assume role',
  'role-mfa': 'assume role with MFA',
  process: 'credential_process',
  'web-identity': 'web identity',
  unknown: 'unknown kind',
};

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

  /** The profile a refresh should use; `override` is a per-object profile from `codeartifact.remoteFiles`. */
  async resolve(override?: string): Promise<string> {
    const name = override ?? this.chosen ?? this.settings().profile ?? (await this.aws.get().defaultProfile());
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

interface ProfileItem extends vscode.QuickPickItem {
  profile: string;
}

/** The quick pick: current one marked, most recently used first, then the rest by name. */
export async function selectProfile(store: ProfileStore, aws: LazyAws, prompts: Prompts, accountHint?: string): Promise<string | undefined> {
  const profiles = await aws.get().listProfiles();
  if (profiles.length === 0) {
    throw new RefresherError(
      'NoProfiles',
      'No AWS profiles found in the shared config and credentials files.',
      'Create one with `aws configure` or `aws configure sso` (or point AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE at your files), then try again.',
    );
  }
  const current = await store.resolve().catch(() => undefined);
  const recent = store.recent();
  const rank = (p: ProfileInfo) => {
    const i = recent.indexOf(p.name);
    return i === -1 ? recent.length : i;
  };
  const sorted = [...profiles].sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
  const items: ProfileItem[] = sorted.map((p) => ({
    label: p.name === current ? `$(check) ${p.name}` : p.name,
    profile: p.name,
    description: [KIND_LABEL[p.kind], p.region, p.accountId && `account ${p.accountId}`].filter(Boolean).join(' · '),
    detail: accountHint && p.accountId === accountHint ? 'Its account owns the CodeArtifact domain in this file' : undefined,
  }));
  const picked = await prompts.pick(items, { title: 'Select the AWS profile for CodeArtifact', placeHolder: current ? `Current: ${current}` : 'No profile selected yet', matchOnDescription: true });
  if (!picked) return undefined;
  await store.choose(picked.profile);
  if (aws.loaded) aws.get().invalidateCredentials(picked.profile);
  return picked.profile;
}
