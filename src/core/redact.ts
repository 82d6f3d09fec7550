/**
 * Hiding tokens in text that goes to a log, a notification or an error. Hosts stay visible so the line stays useful:
 * `https://aws:****@mydomain-111122223333.d.codeartifact.us-east-1.amazonaws.com/pypi/repo/simple/`.
 * Placeholders (`{auth_token}`, `$AUTH_TOKEN`, empty) and `${NAME}` references stay visible: they are not secrets.
 */
import { readNetrc } from './formats/netrc';
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
/** `.pypirc` (INI) `password = X` / `password: X` at the start of a line (indent allowed), any host. */
const INI_PASSWORD = /^(\uFEFF?[ \t]*password[ \t]*[=:][ \t]*)([^\r\n\u2028\u2029]*)/gim;
/** A presigned S3 URL's credentials: `X-Amz-Security-Token=…`, `X-Amz-Signature=…`, `X-Amz-Credential=…` (any case). */
const PRESIGNED = /(\bX-Amz-(?:Security-Token|Signature|Credential)=)([^&\s"'<>`]+)/gi;
/** `Authorization: Bearer X`. */
const BEARER = /(\bBearer[ \t]+)([A-Za-z0-9._~+/=-]{8,})/gi;
/** Shell/Dockerfile assignments such as `CODEARTIFACT_AUTH_TOKEN=…` or `ARG TOKEN="…"`. */
const TOKEN_ASSIGNMENT = /(\b[A-Z0-9_]*TOKEN[ \t]*=[ \t]*)(["']?)([^\s"']+)/g;
/** Runs that might be a compact JWE (5 base64url segments). Greedy over one character class: linear. */
const COMPACT_RUN = /[A-Za-z0-9_.-]{24,}/g;

function hide(value: string): string {
  return classifyTokenText(value) === 'literal' ? MASK : value;
}

/** `.netrc` `password X` of every `machine` and `default` entry (any host), commented-out ones and macros included. */
function hideNetrcPasswords(text: string): string {
  if (!text.includes('password')) return text;
  let out = '';
  let at = 0;
  for (const entry of readNetrc(text, { hidden: 'read' })) {
    for (const p of entry.passwords) {
      const [start, end] = p.plain ? [p.valueStart, p.valueEnd] : [p.start, p.end];
      const value = text.slice(start, end);
      if (p.plain && hide(value) === value) continue;
      out += text.slice(at, start) + MASK;
      at = end;
    }
  }
  return at === 0 ? text : out + text.slice(at);
}

/** The value part of an INI `password =` line: hidden unless a placeholder; trailing blanks kept. */
function hideIniValue(rest: string): string {
  let e = rest.length;
  while (e > 0 && (rest.charCodeAt(e - 1) === 32 || rest.charCodeAt(e - 1) === 9)) e--;
  return hide(rest.slice(0, e)) + rest.slice(e);
}

/**
 * The same text with every token hidden: URL passwords, npmrc auth values, `.pypirc`/`.netrc` passwords, bare JWE
 * tokens and each of `secrets`.
 */
export function redact(text: string, secrets?: Iterable<string>): string {
  if (typeof text !== 'string') text = String(text);
  let out = text;
  if (secrets) {
    const list = [...secrets].filter((s) => typeof s === 'string' && s.length >= MIN_SECRET_LENGTH);
    list.sort((a, b) => b.length - a.length); // longest first, so a secret containing another is hidden whole
    for (const s of list) if (out.includes(s)) out = out.split(s).join(MASK);
  }
  out = hideNetrcPasswords(out);
  out = out.replace(INI_PASSWORD, (_m, head: string, rest: string) => head + hideIniValue(rest));
  out = out.replace(URL_PASSWORD, (_m, head: string, pass: string) => head + hide(pass));
  out = out.replace(NPMRC_SECRET, (_m, head: string, q: string, v: string) => head + q + hide(v));
  out = out.replace(TOKEN_ASSIGNMENT, (_m, head: string, q: string, v: string) => head + q + hide(v));
  out = out.replace(BEARER, (_m, head: string) => head + MASK);
  out = out.replace(PRESIGNED, (_m, head: string) => head + MASK);
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
