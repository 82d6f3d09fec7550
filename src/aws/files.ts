/**
 * Where the shared AWS config and credentials files are, and their parsed contents. Paths follow the CLI/SDK rules
 * (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/...) but read from the environment the caller gave,
 * and are always passed explicitly to the SDK so both agree on which files are meant.
 */
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { loadSharedConfigFiles } from '@smithy/shared-ini-file-loader';
import { RefresherError } from '../core/errors';

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

/**
 * Reads both files fresh every time (the loader caches by default; a file edited since must be seen). Missing files
 * are empty. A file that exists but cannot be read (a directory, EACCES) or parsed is RefresherError
 * ('ConfigFileUnreadable') naming the file and the fix: the SDK's loader would silently read it as empty, and every
 * profile would then look unknown.
 */
export async function readSharedFiles(env: Env): Promise<SharedFiles> {
  const paths = sharedFilePaths(env);
  await Promise.all([checkFile(paths.configFilepath, 'config', 'AWS_CONFIG_FILE', env), checkFile(paths.filepath, 'credentials', 'AWS_SHARED_CREDENTIALS_FILE', env)]);
  const files = await loadSharedConfigFiles({ ...paths, ignoreCache: true });
  return { config: files.configFile ?? {}, credentials: files.credentialsFile ?? {} };
}

/** Section names the SDK's parser throws on (so its loader would drop the whole file). */
const REFUSED_SECTIONS = new Set(['__proto__', 'profile __proto__']);

async function checkFile(path: string, kind: 'config' | 'credentials', variable: string, env: Env): Promise<void> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    if (code === 'ENOENT') return;
    const where = env[variable] ? `${variable} (${path})` : path;
    const fix =
      code === 'EISDIR'
        ? `${path} is a directory: point ${variable} at the ${kind} file itself, or unset ${variable} to use ~/.aws/${kind}.`
        : code === 'EACCES' || code === 'EPERM'
          ? `Make ${path} readable by your user (for example \`chmod 600 ${path}\`), or point ${variable} at a readable ${kind} file.`
          : `Check ${where}, or point ${variable} at a readable ${kind} file.`;
    throw new RefresherError('ConfigFileUnreadable', `The AWS ${kind} file ${path} cannot be read (${code}).`, fix, { cause: err });
  }
  const line = malformedLine(text);
  if (line !== undefined) {
    // The line itself is not quoted: it may hold a secret key pasted in the wrong place.
    throw new RefresherError('ConfigFileUnreadable', `The AWS ${kind} file ${path} is malformed at line ${line}.`,
      `Fix line ${line} of ${path} (each line is a [section], a key = value, an indented continuation or a # comment), then try again.`);
  }
}

/** The 1-based number of the first line the AWS CLI would refuse, by the SDK's own comment rule; undefined when fine. */
export function malformedLine(text: string): number | undefined {
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    const line = raw.split(/(^|\s)[;#]/)[0].trim();
    if (!line) continue;
    if (line.startsWith('[')) {
      if (!line.endsWith(']') || REFUSED_SECTIONS.has(line.slice(1, -1).trim())) return i + 1;
      continue;
    }
    if (line.indexOf('=') > 0) continue;
    if (/^\s/.test(raw)) continue; // continuation of a sub-section (`s3 =` then indented `endpoint_url = ...`)
    return i + 1;
  }
  return undefined;
}
