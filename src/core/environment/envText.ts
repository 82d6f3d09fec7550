/**
 * The terminal environment as text the refresh loop can read: one line per variable, `SHAPE NAME VALUE`, where a
 * variable that carries a token shows it inside a CodeArtifact URL, so the core's own scanner finds every token
 * position and its domain/owner/region with no special case:
 *
 *   token CODEARTIFACT_AUTH_TOKEN https://aws:{auth_token}@mydomain-111122223333.d.codeartifact.us-east-1.amazonaws.com/
 *   plain UV_INDEX_INTERNAL_USERNAME aws
 *   url PIP_INDEX_URL https://aws:TOKEN@mydomain-111122223333.d.codeartifact.us-east-1.amazonaws.com/pypi/repo/simple/
 *
 * `{auth_token}` marks a variable not set yet (a placeholder: the loop fills it). The text lives only in memory (the
 * loop's snapshot); it is never shown, logged or stored.
 */
import { endpointKey, findTokens, type EndpointIdentity } from '../endpoints';
import { NEW_TOKEN } from '../tokenText';
import { hostOf, type EnvVariable, type VariableShape } from './variables';

const PLACEHOLDER = '{auth_token}';

/** The text for `variables`, each token position holding `tokens.get(key)` when it is a token, else the placeholder. */
export function formatEnvironmentText(variables: readonly EnvVariable[], tokens: ReadonlyMap<string, string>): string {
  const tokenOf = (k: EndpointIdentity) => {
    const t = tokens.get(endpointKey(k));
    return t !== undefined && NEW_TOKEN.test(t) ? t : PLACEHOLDER;
  };
  return variables
    .map((v) => {
      if (v.shape === 'plain' || !v.key) return `plain ${v.name} ${v.value ?? ''}`;
      if (v.shape === 'token') return `token ${v.name} https://aws:${tokenOf(v.key)}@${hostOf(v.key)}/`;
      // Each URL gets the token of its own host (PIP_EXTRA_INDEX_URL may list repositories of several domains).
      const value = v.value ?? '';
      let out = '';
      let at = 0;
      for (const t of findTokens(value)) {
        out += value.slice(at, t.start) + tokenOf(t);
        at = t.end;
      }
      return `url ${v.name} ${out + value.slice(at)}`;
    })
    .join('\n');
}

export interface ParsedEnvironment {
  /** Variable name -> the value a terminal gets. Variables still holding the placeholder are left out. */
  values: Map<string, string>;
  /** endpointKey -> the token the text holds for it. */
  tokens: Map<string, string>;
}

/** Reads the text back: what each variable is set to. Throws on a line it did not write (never guesses). */
export function parseEnvironmentText(text: string): ParsedEnvironment {
  const values = new Map<string, string>();
  const tokens = new Map<string, string>();
  if (text === '') return { values, tokens };
  for (const line of text.split('\n')) {
    const m = /^(token|plain|url) ([A-Za-z_][A-Za-z0-9_]*) ?(.*)$/.exec(line);
    if (!m) throw new Error('internal: not a terminal environment line');
    const [, shape, name, rest] = m as unknown as [string, VariableShape, string, string];
    if (shape === 'plain') {
      values.set(name, rest);
      continue;
    }
    const found = findTokens(rest);
    if (found.length === 0) throw new Error(`internal: ${name} has no token position`);
    if (found.some((t) => t.placeholder)) continue;
    for (const t of found) tokens.set(endpointKey(t), t.token);
    values.set(name, shape === 'token' ? found[0].token : rest);
  }
  return { values, tokens };
}
