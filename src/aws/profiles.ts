/** Profile listing and classification from the shared config/credentials files. Pure apart from `listProfiles`' file read. */
import type { ProfileInfo, ProfileKind } from './api';
import { readSharedFiles, type Env, type IniSection, type SharedFiles } from './files';

/** Keys of non-profile sections as @smithy/shared-ini-file-loader returns them (`[sso-session X]`, `[services Y]`). */
const NON_PROFILE_PREFIXES = ['sso-session.', 'services.'];

export function isProfileKey(key: string): boolean {
  return !NON_PROFILE_PREFIXES.some((p) => key.startsWith(p));
}

export function profileKind(config: IniSection | undefined, credentials: IniSection | undefined): ProfileKind {
  const c = config ?? {};
  if (c.role_arn && c.web_identity_token_file) return 'web-identity';
  if (c.role_arn && (c.source_profile || c.credential_source)) return c.mfa_serial ? 'role-mfa' : 'role';
  if (credentials?.aws_access_key_id || c.aws_access_key_id) return 'static';
  if (c.sso_session || (c.sso_start_url && c.sso_account_id)) return 'sso';
  if (c.credential_process || credentials?.credential_process) return 'process';
  return 'unknown';
}

const ROLE_ARN_ACCOUNT = /^arn:[^:]+:iam::(\d{12}):/;

export function profilesFromFiles(files: SharedFiles): ProfileInfo[] {
  const names = new Set<string>();
  for (const key of Object.keys(files.config)) if (isProfileKey(key)) names.add(key);
  for (const key of Object.keys(files.credentials)) if (isProfileKey(key)) names.add(key);
  return [...names].sort().map((name) => {
    const config = files.config[name];
    const credentials = files.credentials[name];
    const info: ProfileInfo = { name, kind: profileKind(config, credentials) };
    const region = config?.region ?? credentials?.region;
    if (region) info.region = region;
    const accountId =
      config?.sso_account_id ??
      ROLE_ARN_ACCOUNT.exec(config?.role_arn ?? '')?.[1] ??
      config?.aws_account_id ??
      credentials?.aws_account_id;
    if (accountId) info.accountId = accountId;
    return info;
  });
}

export async function listProfiles(env: Env): Promise<ProfileInfo[]> {
  return profilesFromFiles(await readSharedFiles(env));
}

/** AWS_PROFILE, else `default` when it exists, else undefined. */
export function defaultProfileFrom(env: Env, profiles: readonly ProfileInfo[]): string | undefined {
  const fromEnv = env.AWS_PROFILE?.trim();
  if (fromEnv) return fromEnv;
  return profiles.some((p) => p.name === 'default') ? 'default' : undefined;
}
