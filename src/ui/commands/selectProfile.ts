/** `codeartifact.selectProfile`: the profiles of the shared config files, the current one highlighted. */
import { RefresherError } from '../../core/errors';
import type { ProfileInfo } from '../../aws/api';
import type { Deps } from '../deps';

const KIND_LABEL: Record<ProfileInfo['kind'], string> = {
  static: 'access keys',
  sso: 'IAM Identity Center (SSO)',
  role: 'assume role',
  'role-mfa': 'assume role with MFA',
  process: 'credential_process',
  'web-identity': 'web identity',
  unknown: 'unknown kind',
};

/** Current one marked and highlighted (Enter keeps it), most recently used first, then the rest by name. */
export async function selectProfile(deps: Deps): Promise<string | undefined> {
  const { profiles: store, aws, prompts } = deps;
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
  const items = sorted.map((p) => ({
    label: p.name === current ? `$(check) ${p.name}` : p.name,
    profile: p.name,
    description: [KIND_LABEL[p.kind], p.region, p.accountId && `account ${p.accountId}`].filter(Boolean).join(' · '),
  }));
  const active = items.find((i) => i.profile === current);
  const picked = await prompts.pick(items, {
    title: 'Select the AWS profile for CodeArtifact',
    placeHolder: current ? `Current: ${current}` : 'No profile selected yet',
    matchOnDescription: true,
    ...(active ? { active } : {}),
  });
  if (!picked) return undefined;
  await store.choose(picked.profile);
  if (aws.loaded) aws.get().invalidateCredentials(picked.profile);
  return picked.profile;
}
