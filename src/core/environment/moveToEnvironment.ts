/**
 * "Use an environment variable instead": the literal tokens of a file become `${CODEARTIFACT_AUTH_TOKEN}` references,
 * so the file holds no secret and the terminal environment supplies the token. Only positions whose tool expands the
 * reference are offered: a URL password in a requirements-style file (pip expands `${UPPER_CASE}` in requirement
 * files) and an `.npmrc` `_authToken` (npm expands `${NAME}`, braces required). A `.pypirc`/`.netrc` password or a
 * TOML/INI URL is never rewritten: twine, netrc readers, uv and pip.conf do not expand it.
 *
 * A file that names two domains needs two variables: the first domain's token is `${CODEARTIFACT_AUTH_TOKEN}`, each
 * other one `${CODEARTIFACT_AUTH_TOKEN_<DOMAIN>_<OWNER>}`.
 */
import { endpointKey, findTokens, type EndpointIdentity } from '../endpoints';
import { DEFAULT_TOKEN_VARIABLE, domainTokenVariable } from './names';

export interface ReferenceEdit {
  /** UTF-16 offsets of the literal token. */
  start: number;
  end: number;
  /** `${NAME}`. */
  text: string;
  line: number;
}

export interface MovePlan {
  edits: ReferenceEdit[];
  /** The variables the rewritten file references, with the token each needs. */
  variables: { name: string; key: EndpointIdentity }[];
}

/** Files where a URL password may become `${NAME}`: requirement/constraint files (and MWAA's codeartifact.txt). */
export function expandsUrlReferences(fileName: string): boolean {
  const base = fileName.split(/[\\/]/).pop() ?? '';
  return /\.(txt|in)$/i.test(base);
}

export function planMoveToEnvironment(text: string, fileName: string): MovePlan {
  const urls = expandsUrlReferences(fileName);
  const names = new Map<string, { name: string; key: EndpointIdentity }>();
  const edits: ReferenceEdit[] = [];
  for (const t of findTokens(text)) {
    if (t.placeholder) continue;
    if (!(t.kind === 'npmrc' || (t.kind === 'url' && urls))) continue;
    const k = endpointKey(t);
    let v = names.get(k);
    if (!v) {
      const key = { domain: t.domain, domainOwner: t.domainOwner, region: t.region };
      v = { name: names.size === 0 ? DEFAULT_TOKEN_VARIABLE : domainTokenVariable(key), key };
      names.set(k, v);
    }
    edits.push({ start: t.start, end: t.end, text: `\${${v.name}}`, line: t.line });
  }
  return { edits, variables: [...names.values()] };
}

/** The text after the edits (what the refactor preview shows); for tests and the preview's check. */
export function applyReferenceEdits(text: string, edits: readonly ReferenceEdit[]): string {
  let out = '';
  let last = 0;
  for (const e of [...edits].sort((a, b) => a.start - b.start)) {
    out += text.slice(last, e.start) + e.text;
    last = e.end;
  }
  return out + text.slice(last);
}
