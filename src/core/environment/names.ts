/**
 * Environment variable names the tools read credentials from, derived exactly as each tool derives them.
 *
 * - uv: `UV_INDEX_<NAME>_USERNAME` / `UV_INDEX_<NAME>_PASSWORD`, "where <NAME> is the uppercase version of the index
 *   name, with non-alphanumeric characters replaced by underscores" (docs.astral.sh/uv/configuration/indexes/,
 *   "Providing credentials directly": index `internal-proxy` -> `UV_INDEX_INTERNAL_PROXY_USERNAME`).
 * - poetry: any setting can be set as `POETRY_` + "the uppercase name of the setting and with dots and dashes
 *   replaced by underscore" (python-poetry.org/docs/configuration/#using-environment-variables); the credentials of
 *   source NAME are the settings `http-basic.NAME.username/password`, so `POETRY_HTTP_BASIC_<NAME>_USERNAME`.
 *   Only `.` and `-` are replaced: a source name holding anything else gives no usable variable (undefined).
 * - pip expands `${NAME}` in requirement files only for names of upper-case letters, digits and `_`
 *   (pip.pypa.io, "Requirements File Format", "Using Environment Variables"); `.npmrc` needs the braces too.
 */

/** A name a POSIX shell can export: letters, digits, `_`, not starting with a digit. */
export function isVariableName(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name);
}

/**
 * Variables a file must never get a token into: they steer the shell, the loader or interpreters (a URL password written
 * `${PATH}` would break every terminal, `${PROMPT_COMMAND}` would run the token as a command). A workspace's files name
 * the variables; these are refused whatever they say.
 */
const PROTECTED = new Set([
  'PATH', 'HOME', 'SHELL', 'USER', 'LOGNAME', 'PWD', 'OLDPWD', 'IFS', 'PS1', 'PS2', 'PS4', 'PROMPT_COMMAND', 'HISTFILE',
  'BASH_ENV', 'ENV', 'CDPATH', 'TERM', 'TMPDIR', 'LANG', 'EDITOR', 'VISUAL', 'PAGER', 'NODE_OPTIONS', 'PYTHONPATH',
  'PYTHONSTARTUP', 'PYTHONHOME', 'PERL5OPT', 'RUBYOPT', 'JAVA_TOOL_OPTIONS', 'GIT_SSH_COMMAND', 'SSH_AUTH_SOCK',
]);

/** A name the terminal environment may set from a file's `${NAME}`: a variable name that steers nothing else. */
export function isAssignableVariable(name: string): boolean {
  return isVariableName(name) && !PROTECTED.has(name.toUpperCase()) && !/^(LD_|DYLD_|BASH_FUNC_|VSCODE_|AWS_)/i.test(name);
}

/** The name pip expands in a requirements file: `${UPPER_CASE_1}`. */
export function isPipExpandable(name: string): boolean {
  return /^[A-Z0-9_]+$/.test(name) && isVariableName(name);
}

/** uv's normalisation of an index name; undefined for an empty name. */
export function uvIndexName(name: string): string | undefined {
  if (name.length === 0) return undefined;
  return name.replace(/[^A-Za-z0-9]/g, '_').toUpperCase();
}

export function uvIndexVariables(index: string): { username: string; password: string } | undefined {
  const n = uvIndexName(index);
  return n === undefined ? undefined : { username: `UV_INDEX_${n}_USERNAME`, password: `UV_INDEX_${n}_PASSWORD` };
}

/** poetry's normalisation of a source name (`.` and `-` to `_`, upper-case); undefined when no variable can carry it. */
export function poetrySourceName(name: string): string | undefined {
  const n = name.replace(/[.-]/g, '_').toUpperCase();
  return n.length > 0 && /^[A-Z0-9_]+$/.test(n) ? n : undefined;
}

export function poetrySourceVariables(source: string): { username: string; password: string } | undefined {
  const n = poetrySourceName(source);
  return n === undefined ? undefined : { username: `POETRY_HTTP_BASIC_${n}_USERNAME`, password: `POETRY_HTTP_BASIC_${n}_PASSWORD` };
}

/** AWS's documented name for the token (`export CODEARTIFACT_AUTH_TOKEN=$(aws codeartifact get-authorization-token …)`). */
export const DEFAULT_TOKEN_VARIABLE = 'CODEARTIFACT_AUTH_TOKEN';

/** The variable a second domain's token gets when a file names two domains: `CODEARTIFACT_AUTH_TOKEN_<DOMAIN>_<OWNER>`. */
export function domainTokenVariable(key: { domain: string; domainOwner: string }): string {
  return `${DEFAULT_TOKEN_VARIABLE}_${key.domain.replace(/[^A-Za-z0-9]/g, '_').toUpperCase()}_${key.domainOwner}`;
}
