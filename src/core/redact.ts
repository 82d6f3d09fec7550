/**
 * Hiding tokens in text that goes to a log, a notification or an error. Hosts stay visible so the line stays useful:
 * `https://aws:****@mydomain-111122223333.d.codeartifact.us-east-1.amazonaws.com/pypi/repo/simple/`.
 * Placeholders (`{auth_token}`, `$AUTH_TOKEN`, empty) and `${NAME}` references stay visible: they are not secrets.
 */
import { looksLikeJwe } from './token';
import { classifyTokenText } from './tokenText';

export const MASK = '****';
/** Literal secrets shorter than this are not searched for (too likely to hit ordinary text). */
export const MIN_SECRET_LENGTH = 8;

/** `//user:PASSWORD@` at any host (CodeArtifact or not): a URL password is always a secret. */
const URL_PASSWORD = /(\/\/[^\s/@:"'<>`]*:)([^\s/@"'<>`]*)(?=@)/g;
/**
 * `.npmrc` `_authToken=`, `_auth=`, `_password=` values. A backtick ends the value (it never occurs in a token), so
 * prose such as "no \`_authToken=\`)." (the extension's own message) keeps its text.
 */
const NPMRC_SECRET = /(_(?:authToken|auth|password)[ \t]*=[ \t]*)(["']?)([^\s"'`]*)/g;
/** `Authorization: Bearer X`. */
const BEARER = /(\bBearer[ \t]+)([A-Za-z0-9._~+/=-]{8,})/gi;
/** Shell/Dockerfile assignments such as `CODEARTIFACT_AUTH_TOKEN=…` or `ARG TOKEN="…"`. */
const TOKEN_ASSIGNMENT = /(\b[A-Z0-9_]*TOKEN[ \t]*=[ \t]*)(["']?)([^\s"']+)/g;
/** Runs that might be a compact JWE (5 base64url segments). Greedy over one character class: linear. */
const COMPACT_RUN = /[A-Za-z0-9_.-]{24,}/g;

function hide(value: string): string {
  return classifyTokenText(value) === 'literal' ? MASK : value;
}

/** The same text with every token hidden: URL passwords, npmrc auth values, bare JWE tokens and each of `secrets`. */
export function redact(text: string, secrets?: Iterable<string>): string {
  if (typeof text !== 'string') text = String(text);
  let out = text;
  if (secrets) {
    const list = [...secrets].filter((s) => typeof s === 'string' && s.length >= MIN_SECRET_LENGTH);
    list.sort((a, b) => b.length - a.length); // longest first, so a secret containing another is hidden whole
    for (const s of list) if (out.includes(s)) out = out.split(s).join(MASK);
  }
  out = out.replace(URL_PASSWORD, (_m, head: string, pass: string) => head + hide(pass));
  out = out.replace(NPMRC_SECRET, (_m, head: string, q: string, v: string) => head + q + hide(v));
  out = out.replace(TOKEN_ASSIGNMENT, (_m, head: string, q: string, v: string) => head + q + hide(v));
  out = out.replace(BEARER, (_m, head: string) => head + MASK);
  out = out.replace(COMPACT_RUN, (run: string) => {
    let a = 0;
    let b = run.length;
    while (a < b && run.charCodeAt(a) === 46) a++;
    while (b > a && run.charCodeAt(b - 1) === 46) b--;
    const core = run.slice(a, b);
    return looksLikeJwe(core) ? run.slice(0, a) + MASK + run.slice(b) : run;
  });
  return out;
}
