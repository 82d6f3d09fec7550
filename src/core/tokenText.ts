/**
 * What the text at a token position is. Shared by the scanner and the redactor.
 *
 * - `literal`: a real token (or anything else that is not one of the forms below) — replaced on refresh.
 * - `placeholder`: `{auth_token}`, `{AUTH_TOKEN}`, `$AUTH_TOKEN`, `$CODEARTIFACT_AUTH_TOKEN` or an empty password —
 *   how files are seeded before the first refresh; replaced on refresh, left visible by `redact`.
 * - `env-reference`: `${NAME}` — the file defers to the environment (pip and npm expand it); never receives a literal
 *   token, never reported by `findTokens`.
 */
export type TokenTextKind = 'literal' | 'placeholder' | 'env-reference';

const PLACEHOLDER = /^(?:\{[A-Za-z_][A-Za-z0-9_]*\}|\$[A-Za-z_][A-Za-z0-9_]*)$/;
const ENV_REFERENCE = /^\$\{[A-Za-z_][A-Za-z0-9_]*\}$/;

export function classifyTokenText(value: string): TokenTextKind {
  if (value === '' || PLACEHOLDER.test(value)) return 'placeholder';
  if (ENV_REFERENCE.test(value)) return 'env-reference';
  return 'literal';
}

/**
 * Characters a token position may hold: everything but `@ / :`, whitespace, quotes, `#` and a few URL delimiters.
 * Real tokens are `[A-Za-z0-9_.-]+`; placeholders add `{}$`. A run that meets any other character is not treated as a
 * token position at all (the text is left alone rather than guessed at).
 */
export function isTokenChar(c: number): boolean {
  if (c <= 32 || c === 127) return false; // controls, space
  switch (c) {
    case 0x40: // @
    case 0x2f: // /
    case 0x3a: // :
    case 0x22: // "
    case 0x27: // '
    case 0x60: // `
    case 0x23: // #
    case 0x3c: // <
    case 0x3e: // >
    case 0x5c: // \
    case 0x3f: // ?
    case 0x5b: // [
    case 0x5d: // ]
    case 0x5e: // ^
    case 0x7c: // |
    case 0xa0: // no-break space
    case 0xfeff: // BOM / zero-width no-break space
    case 0x2028:
    case 0x2029:
      return false;
    default:
      return true;
  }
}

/** What `replaceTokens` accepts as a new token: base64url/JWE characters (plus `~+=`), never empty. */
export const NEW_TOKEN = /^[A-Za-z0-9._~+=-]+$/;
