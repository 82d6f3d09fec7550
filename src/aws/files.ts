/**
 * Where the shared AWS config and credentials files are, and their parsed contents. Paths follow the CLI/SDK rules
 * (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/...) but read from the environment the caller gave,
 * and are always passed explicitly to the SDK so both agree on which files are meant.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { loadSharedConfigFiles } from '@smithy/shared-ini-file-loader';

export type Env = Record<string, string | undefined>;

export interface SharedFilePaths {
  filepath: string;
  configFilepath: string;
}

export function sharedFilePaths(env: Env): SharedFilePaths {
  const home = env.HOME || env.USERPROFILE || homedir();
  return {
    filepath: env.AWS_SHARED_CREDENTIALS_FILE || join(home, '.aws', 'credentials'),
    configFilepath: env.AWS_CONFIG_FILE || join(home, '.aws', 'config'),
  };
}

export type IniSection = Record<string, string | undefined>;

export interface SharedFiles {
  config: Record<string, IniSection>;
  credentials: Record<string, IniSection>;
}

/** Reads both files fresh every time (the loader caches by default; a file edited since must be seen). Missing files are empty. */
export async function readSharedFiles(env: Env): Promise<SharedFiles> {
  const files = await loadSharedConfigFiles({ ...sharedFilePaths(env), ignoreCache: true });
  return { config: files.configFile ?? {}, credentials: files.credentialsFile ?? {} };
}
