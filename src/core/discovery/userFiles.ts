/**
 * The user-level files where pip, twine, npm, uv and netrc readers look for credentials, found the way each tool finds
 * them. Pure: the environment, platform and home folder are passed in, so every rule is unit-tested on any OS.
 *
 * - pip: `PIP_CONFIG_FILE` (when set, pip reads it — unless it is `os.devnull`); the user file:
 *   Linux `$XDG_CONFIG_HOME/pip/pip.conf` (default `~/.config/pip/pip.conf`) and the legacy `~/.pip/pip.conf`;
 *   macOS `~/Library/Application Support/pip/pip.conf` (and the XDG/legacy ones); Windows `%APPDATA%\pip\pip.ini`.
 * - twine: `~/.pypirc`.
 * - npm: `NPM_CONFIG_USERCONFIG` (any case, as npm reads its env), else `~/.npmrc`.
 * - uv: `$XDG_CONFIG_HOME/uv/uv.toml` (default `~/.config/uv/uv.toml`); Windows `%APPDATA%\uv\uv.toml`.
 * - netrc (pip/requests, uv): `NETRC`, else `~/.netrc`; on Windows also `~/_netrc`.
 */
export type UserFileTool = 'pip' | 'twine' | 'npm' | 'uv' | 'netrc';

export interface UserFile {
  tool: UserFileTool;
  /** Absolute path, in the platform's form. */
  path: string;
  /** Why this path: the variable that named it, or the tool's default. */
  reason: string;
}

export interface UserFileContext {
  env: Readonly<Record<string, string | undefined>>;
  platform: string;
  home: string;
}

function join(platform: string, ...parts: string[]): string {
  const sep = platform === 'win32' ? '\\' : '/';
  return parts
    .map((p, i) => (i === 0 ? p.replace(/[\\/]+$/, '') : p.replace(/^[\\/]+|[\\/]+$/g, '')))
    .filter((p, i) => p !== '' || i === 0)
    .join(sep);
}

function envValue(env: UserFileContext['env'], name: string): string | undefined {
  const direct = env[name];
  if (direct) return direct;
  // npm reads its npm_config_* variables case-insensitively.
  const key = Object.keys(env).find((k) => k.toLowerCase() === name.toLowerCase());
  return key ? env[key] || undefined : undefined;
}

export function userConfigFiles(ctx: UserFileContext): UserFile[] {
  const { env, platform, home } = ctx;
  const out: UserFile[] = [];
  const add = (tool: UserFileTool, path: string, reason: string) => {
    if (!out.some((f) => f.path === path)) out.push({ tool, path, reason });
  };
  const win = platform === 'win32';
  const xdg = env.XDG_CONFIG_HOME || join(platform, home, '.config');

  const pipFile = env.PIP_CONFIG_FILE;
  if (pipFile && pipFile !== '/dev/null' && pipFile.toLowerCase() !== 'nul') add('pip', pipFile, 'PIP_CONFIG_FILE');
  if (win) {
    if (env.APPDATA) add('pip', join(platform, env.APPDATA, 'pip', 'pip.ini'), '%APPDATA%\\pip\\pip.ini');
  } else {
    if (platform === 'darwin') add('pip', join(platform, home, 'Library', 'Application Support', 'pip', 'pip.conf'), 'macOS user config');
    add('pip', join(platform, xdg, 'pip', 'pip.conf'), env.XDG_CONFIG_HOME ? 'XDG_CONFIG_HOME' : '~/.config/pip/pip.conf');
  }
  add('pip', join(platform, home, win ? 'pip' : '.pip', win ? 'pip.ini' : 'pip.conf'), 'legacy user config');

  add('twine', join(platform, home, '.pypirc'), '~/.pypirc');

  const npmrc = envValue(env, 'NPM_CONFIG_USERCONFIG');
  add('npm', npmrc ?? join(platform, home, '.npmrc'), npmrc ? 'NPM_CONFIG_USERCONFIG' : '~/.npmrc');

  if (win && env.APPDATA) add('uv', join(platform, env.APPDATA, 'uv', 'uv.toml'), '%APPDATA%\\uv\\uv.toml');
  else if (!win) add('uv', join(platform, xdg, 'uv', 'uv.toml'), env.XDG_CONFIG_HOME ? 'XDG_CONFIG_HOME' : '~/.config/uv/uv.toml');

  if (env.NETRC) add('netrc', env.NETRC, 'NETRC');
  else {
    add('netrc', join(platform, home, '.netrc'), '~/.netrc');
    if (win) add('netrc', join(platform, home, '_netrc'), '~/_netrc');
  }
  return out;
}

/** Workspace files that may hold a CodeArtifact URL (the names tools read; `*.in` are pip-tools inputs). */
export const WORKSPACE_FILE_GLOB =
  '**/{requirements*.txt,requirements*.in,constraints*.txt,constraints*.in,*.requirements.txt,pip.conf,pip.ini,.npmrc,.pypirc,pyproject.toml,uv.toml,codeartifact.txt,.netrc,_netrc}';
