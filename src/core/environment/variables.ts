/**
 * Which variables the terminal environment holds, from what the workspace's files name and what the settings add:
 *  - `CODEARTIFACT_AUTH_TOKEN` and every other `${NAME}` a CodeArtifact URL references, each with the token of the
 *    domain/owner/region its URL names (`CODEARTIFACT_AUTH_TOKEN` also when no file names it, with the first key found);
 *  - uv: `UV_INDEX_<NAME>_USERNAME=aws` / `_PASSWORD` per named index with a CodeArtifact URL;
 *  - poetry: `POETRY_HTTP_BASIC_<NAME>_USERNAME=aws` / `_PASSWORD` per source with a CodeArtifact URL;
 *  - opt-in (they change what the tool does): `PIP_INDEX_URL` / `PIP_EXTRA_INDEX_URL` (the pypi repositories the files
 *    name, with the token in the URL), `TWINE_USERNAME` / `TWINE_PASSWORD` / `TWINE_REPOSITORY_URL` (the first one);
 *  - an explicit list `{ variable, domain, domainOwner, region }` from the settings (it wins over what files say).
 * Pure: files come in as text; the plan holds names, keys and URL templates, never a token.
 */
import { endpointKey, findEndpoints, type EndpointIdentity } from '../endpoints';
import { DEFAULT_TOKEN_VARIABLE, isAssignableVariable, isVariableName, poetrySourceVariables, uvIndexVariables } from './names';
import { findEnvReferences, findNamedIndexes } from './references';

/**
 * `token`: the variable holds the token of `key`; `plain`: a fixed value (`aws`, an upload URL); `url`: index URLs with
 * the token of `key` as their password (space-separated, as pip reads `PIP_EXTRA_INDEX_URL`).
 */
export type VariableShape = 'token' | 'plain' | 'url';

export interface EnvVariable {
  name: string;
  shape: VariableShape;
  /** token/url: whose token. */
  key?: EndpointIdentity;
  /** plain: the value; url: the URLs with `{auth_token}` at each token position. */
  value?: string;
  /** Why it is set (for the log and the description): `requirements.txt:3`, `pyproject.toml [[tool.uv.index]] internal`. */
  reason: string;
}

export interface ExplicitVariable extends EndpointIdentity {
  variable: string;
}

export interface EnvironmentOptions {
  pip: boolean;
  twine: boolean;
  explicit: readonly ExplicitVariable[];
}

export interface WorkspaceText {
  /** Workspace-relative path, for reasons and messages. */
  label: string;
  text: string;
}

export interface VariablePlan {
  variables: EnvVariable[];
  /** One line per variable two places disagree about (the first one wins); for the log. */
  conflicts: string[];
}

/** The CodeArtifact host of a key, as AWS spells it (lower case; `.amazonaws.com.cn` in the China regions). */
export function hostOf(k: EndpointIdentity): string {
  return `${k.domain}-${k.domainOwner}.d.codeartifact.${k.region}.amazonaws.com${k.region.startsWith('cn-') ? '.cn' : ''}`;
}

export function planVariables(files: readonly WorkspaceText[], options: EnvironmentOptions): VariablePlan {
  const byName = new Map<string, EnvVariable>();
  const conflicts: string[] = [];
  const add = (v: EnvVariable) => {
    const prev = byName.get(v.name);
    if (!prev) {
      byName.set(v.name, v);
      return;
    }
    const same = prev.shape === v.shape && (prev.key && v.key ? endpointKey(prev.key) === endpointKey(v.key) : prev.value === v.value);
    if (!same) conflicts.push(`${v.name}: ${v.reason} names ${describe(v)}, but ${prev.reason} already set it to ${describe(prev)}; keeping the first`);
  };
  const token = (name: string, key: EndpointIdentity, reason: string) => add({ name, shape: 'token', key: identity(key), reason });

  for (const e of options.explicit) if (isVariableName(e.variable)) token(e.variable, e, 'setting codeartifact.terminalEnvironment.variables');

  const sorted = [...files].sort((a, b) => a.label.localeCompare(b.label));
  for (const f of sorted) {
    for (const r of findEnvReferences(f.text)) {
      if (isAssignableVariable(r.name)) token(r.name, r, `${f.label}:${r.line + 1}`);
      else if (isVariableName(r.name)) conflicts.push(`${r.name}: ${f.label}:${r.line + 1} names it for a CodeArtifact token; it steers the shell or a tool, so it is never set`);
    }
  }
  for (const f of sorted) {
    for (const ix of findNamedIndexes(f.text)) {
      const names = ix.tool === 'uv' ? uvIndexVariables(ix.name) : poetrySourceVariables(ix.name);
      if (!names) continue;
      const reason = `${f.label} ${ix.tool === 'uv' ? '[[tool.uv.index]]' : '[[tool.poetry.source]]'} ${ix.name}`;
      add({ name: names.username, shape: 'plain', value: 'aws', reason });
      token(names.password, ix, reason);
    }
  }
  const firstKey = [...byName.values()].find((v) => v.key)?.key;
  if (firstKey && !byName.has(DEFAULT_TOKEN_VARIABLE)) token(DEFAULT_TOKEN_VARIABLE, firstKey, 'the first CodeArtifact domain the workspace names');

  if (options.pip || options.twine) {
    const repos = pypiRepositories(sorted);
    if (options.pip && repos.length > 0) {
      const url = (r: Repo) => `https://aws:{auth_token}@${hostOf(r)}/pypi/${r.repository}/simple/`;
      add({ name: 'PIP_INDEX_URL', shape: 'url', key: repos[0], value: url(repos[0]), reason: `setting codeartifact.terminalEnvironment.pip (${repos[0].reason})` });
      // One variable, several URLs: each URL carries the token of its own domain (pip reads them space-separated).
      const extra = repos.slice(1);
      if (extra.length) add({ name: 'PIP_EXTRA_INDEX_URL', shape: 'url', key: repos[0], value: extra.map(url).join(' '), reason: 'setting codeartifact.terminalEnvironment.pip' });
    }
    if (options.twine && repos.length > 0) {
      const r = repos[0];
      const reason = `setting codeartifact.terminalEnvironment.twine (${r.reason})`;
      add({ name: 'TWINE_USERNAME', shape: 'plain', value: 'aws', reason });
      token('TWINE_PASSWORD', r, reason);
      add({ name: 'TWINE_REPOSITORY_URL', shape: 'plain', value: `https://${hostOf(r)}/pypi/${r.repository}/`, reason });
    }
  }
  return { variables: [...byName.values()], conflicts };
}

/** The distinct keys the plan needs tokens for (one token call each). */
export function planKeys(plan: VariablePlan): EndpointIdentity[] {
  const seen = new Map<string, EndpointIdentity>();
  for (const v of plan.variables) if (v.key && !seen.has(endpointKey(v.key))) seen.set(endpointKey(v.key), v.key);
  return [...seen.values()];
}

interface Repo extends EndpointIdentity {
  repository: string;
  reason: string;
}

/** The pypi repositories the files name, distinct, in file order. */
function pypiRepositories(files: readonly WorkspaceText[]): Repo[] {
  const seen = new Map<string, Repo>();
  for (const f of files) {
    for (const e of findEndpoints(f.text)) {
      if (e.format !== 'pypi' || !e.repository) continue;
      const id = `${endpointKey(e)}/${e.repository}`;
      if (!seen.has(id)) seen.set(id, { ...identity(e), repository: e.repository, reason: `${f.label}:${e.line + 1}` });
    }
  }
  return [...seen.values()];
}

function identity(k: EndpointIdentity): EndpointIdentity {
  return { domain: k.domain, domainOwner: k.domainOwner, region: k.region };
}

function describe(v: EnvVariable): string {
  return v.key ? `the token of ${v.key.domain}-${v.key.domainOwner} (${v.key.region})` : `"${v.value}"`;
}
