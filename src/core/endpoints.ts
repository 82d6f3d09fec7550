/**
 * Finding CodeArtifact repository URLs and their token positions in any text (requirements files, pip.conf, .npmrc,
 * .pypirc, .netrc, uv.toml/pyproject.toml, Dockerfiles, shell scripts), and rewriting exactly those positions. The format
 * is recognised from the content, not from a file name.
 *
 * Rules:
 * - A CodeArtifact host is `DOMAIN-OWNER.d.codeartifact.REGION.amazonaws.com` (or `.amazonaws.com.cn`): DOMAIN is
 *   2–50 chars `[a-z][a-z0-9-]*[a-z0-9]` (split at the last `-` before the owner), OWNER exactly 12 digits, REGION like
 *   `us-east-1`. Hosts are matched case-insensitively (DNS is); the identity reported (domain, region, format) is
 *   lower-cased; the text's bytes are never changed outside token spans.
 * - The host must be a URL's host: after `//` or after `//USER:PASSWORD@`. A bare host name is not a URL.
 * - Token positions:
 *   - `url`: the password in `//aws:TOKEN@HOST` (also in TOML `url = "https://aws:TOKEN@…"`, quoted or not);
 *   - `npmrc`: the value in `.npmrc` `//HOST/FORMAT/REPO/:_authToken=TOKEN`;
 *   - `pypirc`: `password = TOKEN` in an INI section whose `repository =` value is a CodeArtifact URL, when the section
 *     has no `username` or `username = aws` (formats/pypirc.ts); the endpoint is that repository URL;
 *   - `netrc`: `password TOKEN` of a `.netrc` `machine HOST` entry whose HOST is exactly a CodeArtifact host (the only
 *     place a bare host counts), with no `login` or `login aws` (formats/netrc.ts); the endpoint is the host token.
 *   A value holding anything but token characters (spaces, quotes, several lines) is not a position: it is left alone.
 * - Scanning is a few forward passes over the text with bounded look-back (no regex can backtrack across a line).
 */
import { RefresherError } from './errors';
import { LineCounter } from './lines';
import { matchBareHost } from './formats/host';
import { readNetrc } from './formats/netrc';
import { readPypirc } from './formats/pypirc';
import { MAX_TOKEN, valueSpan, type Span, type TokenPositionKind } from './formats/span';
import { classifyTokenText, isTokenChar, NEW_TOKEN, type TokenTextKind } from './tokenText';

export type { TokenPositionKind } from './formats/span';

export interface EndpointIdentity {
  domain: string;
  domainOwner: string;
  region: string;
}

export interface CodeArtifactEndpoint extends EndpointIdentity {
  /** Package format from the path (`pypi`, `npm`, `maven`, …), lower-cased; '' when the URL has no `/FORMAT/REPO` path. */
  format: string;
  /** Repository name from the path, as written; '' when the URL has no `/FORMAT/REPO` path. */
  repository: string;
  /** 0-based line of the URL (`\n`, `\r\n` and a lone `\r` each end a line, as in VS Code). */
  line: number;
  /**
   * What sits at this URL's token position: `literal` (a token), `placeholder` (`{auth_token}`, `$AUTH_TOKEN`, empty),
   * `env-reference` (`${NAME}`: left alone, never written), `none` (no `aws:` password, no `_authToken`, no `.pypirc`
   * or `.netrc` password that counts).
   */
  tokenPosition: TokenTextKind | 'none';
  /** The host exactly as written. */
  host: string;
  /** UTF-16 offset of the `//` that starts the URL (or .npmrc key); for a `.netrc` machine, of its host name. */
  offset: number;
}

export interface TokenOccurrence extends EndpointIdentity {
  /** UTF-16 offsets of the token (empty span for an empty password). */
  start: number;
  end: number;
  /** 0-based line of the token itself (for `.pypirc`/`.netrc` it may differ from its endpoint's line). */
  line: number;
  /** The text at the position (a secret when `placeholder` is false: never log it). */
  token: string;
  kind: TokenPositionKind;
  /** True for `{auth_token}`, `$AUTH_TOKEN` and empty values. `${NAME}` positions are never returned. */
  placeholder: boolean;
}

interface Hit {
  endpoint: CodeArtifactEndpoint;
  tokens: Span[];
}

const ANCHOR = /\.d\.codeartifact\./gi;
const ANCHOR_LEN = '.d.codeartifact.'.length;
const HOST_TAIL = /([a-z]{2}(?:-[a-z]+){1,3}-\d{1,2})\.amazonaws\.com(\.cn)?(?![\w-]|\.[\w-])/iy;
const PORT = /:\d{1,5}(?=\/)/y;
const PATH = /\/([a-z0-9-]{1,32})\/([A-Za-z0-9][A-Za-z0-9._-]{0,99})(?![A-Za-z0-9._-])/iy;
const NPMRC_KEY = /\/?:_authToken[ \t]*=[ \t]*/y;
/** Longest user name looked at; MAX_TOKEN bounds the password look-back, so scanning stays linear. */
const MAX_USER = 256;
/** What may precede the `//` of a `.pypirc` `repository` URL in its value. */
const PYPIRC_SCHEME = /^https?:$/i;

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function isLetter(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
}
function isDomainChar(c: number): boolean {
  return isLetter(c) || isDigit(c) || c === 45;
}
function isSpaceOrEnd(text: string, i: number): boolean {
  return i >= text.length || text.charCodeAt(i) <= 32;
}

/** Run of token characters ending just before `end`, looking back at most `max` chars; returns its start. */
function runStart(text: string, end: number, max: number): number {
  let p = end;
  const limit = Math.max(0, end - max);
  while (p > limit && isTokenChar(text.charCodeAt(p - 1))) p--;
  return p;
}

/** The userinfo before `at` (index of `@`): password span and whether the user is `aws` and a `//` precedes it. */
function readUserinfo(text: string, at: number): { urlStart: number; span?: Span } | undefined {
  const passStart = runStart(text, at, MAX_TOKEN + 1);
  if (at - passStart > MAX_TOKEN) return undefined;
  if (text.charCodeAt(passStart - 1) !== 58 /* : */) {
    // `//user@host` (no password), or not a URL at all
    const slash = passStart;
    if (slash >= 2 && text.charCodeAt(slash - 1) === 47 && text.charCodeAt(slash - 2) === 47) return { urlStart: slash - 2 };
    return undefined;
  }
  const colon = passStart - 1;
  const userStart = runStart(text, colon, MAX_USER + 1);
  if (colon - userStart > MAX_USER) return undefined;
  if (!(userStart >= 2 && text.charCodeAt(userStart - 1) === 47 && text.charCodeAt(userStart - 2) === 47)) return undefined;
  const user = text.slice(userStart, colon);
  if (user !== 'aws') return { urlStart: userStart - 2 };
  return { urlStart: userStart - 2, span: { start: passStart, end: at, kind: 'url', textKind: classifyTokenText(text.slice(passStart, at)) } };
}

/** The `.npmrc` `_authToken` value after `pos` (end of the path), when the line has that shape. */
function readNpmrcToken(text: string, pos: number): Span | undefined {
  NPMRC_KEY.lastIndex = pos;
  if (!NPMRC_KEY.test(text)) return undefined;
  let i = NPMRC_KEY.lastIndex;
  const q = text.charCodeAt(i);
  const quote = q === 34 || q === 39 ? q : 0;
  if (quote) i++;
  const start = i;
  const limit = Math.min(text.length, start + MAX_TOKEN + 1);
  while (i < limit && isTokenChar(text.charCodeAt(i))) i++;
  if (i - start > MAX_TOKEN) return undefined;
  const end = i;
  if (quote) {
    if (text.charCodeAt(i) !== quote) return undefined;
    i++;
  }
  if (!isSpaceOrEnd(text, i)) return undefined;
  return { start, end, kind: 'npmrc', textKind: classifyTokenText(text.slice(start, end)) };
}

function* scanUrls(text: string): Generator<Hit> {
  const lines = new LineCounter(text);
  let lastEnd = 0;
  const anchor = new RegExp(ANCHOR); // own lastIndex: scans may interleave
  for (let m = anchor.exec(text); m; m = anchor.exec(text)) {
    const a = m.index;
    // owner: exactly 12 digits right before the anchor, a '-' before them
    const dash = a - 13;
    if (dash < 3 || text.charCodeAt(dash) !== 45) continue;
    let ok = true;
    for (let i = dash + 1; i < a; i++) if (!isDigit(text.charCodeAt(i))) { ok = false; break; }
    if (!ok) continue;
    // domain: the maximal [A-Za-z0-9-] run before the dash, 2..50 chars, letter first, alnum last
    let s = dash;
    while (s > 0 && dash - s <= 50 && isDomainChar(text.charCodeAt(s - 1))) s--;
    const domainLen = dash - s;
    if (domainLen < 2 || domainLen > 50) continue;
    if (!isLetter(text.charCodeAt(s)) || text.charCodeAt(dash - 1) === 45) continue;
    // region and suffix
    HOST_TAIL.lastIndex = a + ANCHOR_LEN;
    const tail = HOST_TAIL.exec(text);
    if (!tail) continue;
    const hostEnd = HOST_TAIL.lastIndex;
    // what precedes the host: `//` or `//user:password@`
    const prev = s > 0 ? text.charCodeAt(s - 1) : -1;
    let urlStart: number;
    const tokens: Span[] = [];
    if (prev === 47 /* / */) {
      if (s < 2 || text.charCodeAt(s - 2) !== 47) continue;
      urlStart = s - 2;
    } else if (prev === 64 /* @ */) {
      const info = readUserinfo(text, s - 1);
      if (!info) continue;
      urlStart = info.urlStart;
      if (info.span) tokens.push(info.span);
    } else {
      continue;
    }
    if (urlStart < lastEnd) continue; // never overlap a previous hit
    let pos = hostEnd;
    PORT.lastIndex = pos;
    if (PORT.test(text)) pos = PORT.lastIndex;
    PATH.lastIndex = pos;
    const path = PATH.exec(text);
    let format = '';
    let repository = '';
    if (path) {
      format = path[1].toLowerCase();
      repository = path[2];
      pos = PATH.lastIndex;
      if (prev === 47) {
        const npm = readNpmrcToken(text, pos);
        if (npm) {
          tokens.push(npm);
          pos = npm.end;
        }
      }
    }
    lastEnd = pos;
    const endpoint: CodeArtifactEndpoint = {
      domain: text.slice(s, dash).toLowerCase(),
      domainOwner: text.slice(dash + 1, a),
      region: tail[1].toLowerCase(),
      format,
      repository,
      line: lines.lineAt(urlStart),
      tokenPosition: tokens.length ? tokens[0].textKind : 'none',
      host: text.slice(s, hostEnd),
      offset: urlStart,
    };
    anchor.lastIndex = Math.max(anchor.lastIndex, pos);
    yield { endpoint, tokens };
  }
}

/**
 * `.pypirc`: gives each URL hit that is a section's `repository` value the section's `password` positions. `hits` are
 * in text order and so are the sections, so one forward walk pairs them.
 */
function attachPypirc(text: string, hits: Hit[]): void {
  if (hits.length === 0 || !/password/i.test(text)) return;
  let h = 0;
  for (const section of readPypirc(text)) {
    const r = section.repository;
    if (!r) continue;
    while (h < hits.length && hits[h].endpoint.offset < r.start) h++;
    if (h >= hits.length) break;
    const hit = hits[h];
    if (hit.endpoint.offset >= r.end || !PYPIRC_SCHEME.test(text.slice(r.start, hit.endpoint.offset))) continue;
    if (section.username !== undefined && section.username !== 'aws') continue;
    for (const p of section.passwords) {
      const span = p.oneLine ? valueSpan(text, p.start, p.end, 'pypirc') : undefined;
      if (span) hit.tokens.push(span);
    }
    if (hit.tokens.length) hit.endpoint.tokenPosition = hit.tokens[0].textKind;
  }
}

/** `.netrc`: one hit per `machine` entry whose name is exactly a CodeArtifact host. */
function netrcHits(text: string): Hit[] {
  if (!text.includes('machine')) return [];
  const lines = new LineCounter(text);
  const out: Hit[] = [];
  for (const entry of readNetrc(text)) {
    const m = entry.machine;
    if (!m || !m.plain) continue;
    const host = text.slice(m.valueStart, m.valueEnd);
    const id = matchBareHost(host);
    if (!id) continue;
    const tokens: Span[] = [];
    if (entry.login === undefined || entry.login === 'aws') {
      for (const p of entry.passwords) {
        const span = p.plain ? valueSpan(text, p.valueStart, p.valueEnd, 'netrc') : undefined;
        if (span) tokens.push(span);
      }
    }
    const endpoint: CodeArtifactEndpoint = {
      ...id,
      format: '',
      repository: '',
      line: lines.lineAt(m.valueStart),
      tokenPosition: tokens.length ? tokens[0].textKind : 'none',
      host,
      offset: m.valueStart,
    };
    out.push({ endpoint, tokens });
  }
  return out;
}

/** Every endpoint with its token positions, in text order of the endpoints. */
function scan(text: string): Hit[] {
  const urls = Array.from(scanUrls(text));
  attachPypirc(text, urls);
  const netrc = netrcHits(text);
  if (netrc.length === 0) return urls;
  const out: Hit[] = [];
  let i = 0;
  let j = 0;
  while (i < urls.length || j < netrc.length) {
    if (j >= netrc.length || (i < urls.length && urls[i].endpoint.offset < netrc[j].endpoint.offset)) out.push(urls[i++]);
    else out.push(netrc[j++]);
  }
  return out;
}

/**
 * Every token position, in text order, with its endpoint. A `.pypirc` password may come before its `repository` line,
 * so positions are sorted; a position that overlaps an earlier one (or sits at the same offset) is dropped, so a
 * rewrite can never garble text.
 */
function positions(text: string): Array<{ endpoint: CodeArtifactEndpoint; span: Span }> {
  const all: Array<{ endpoint: CodeArtifactEndpoint; span: Span }> = [];
  for (const { endpoint, tokens } of scan(text)) for (const span of tokens) all.push({ endpoint, span });
  all.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
  const out: typeof all = [];
  for (const p of all) {
    const prev = out.length ? out[out.length - 1].span : undefined;
    if (prev && (p.span.start < prev.end || p.span.start === prev.start)) continue;
    out.push(p);
  }
  return out;
}

/**
 * Every CodeArtifact URL in the text, in order (with or without credentials, and `.npmrc` `//HOST/...` keys).
 * `format`/`repository` are '' when the URL has no `/FORMAT/REPO` path.
 */
export function findEndpoints(text: string): CodeArtifactEndpoint[] {
  return scan(text).map((h) => h.endpoint);
}

/** Every token position in the text, in order. `${NAME}` positions are left out (they are never written). */
export function findTokens(text: string): TokenOccurrence[] {
  const out: TokenOccurrence[] = [];
  const lines = new LineCounter(text);
  for (const { endpoint: e, span: t } of positions(text)) {
    if (t.textKind === 'env-reference') continue;
    // a URL password or an _authToken value sits on its endpoint's line; .pypirc/.netrc values may not
    const line = t.kind === 'url' || t.kind === 'npmrc' ? e.line : lines.lineAt(t.start);
    out.push({
      start: t.start,
      end: t.end,
      line,
      token: text.slice(t.start, t.end),
      domain: e.domain,
      domainOwner: e.domainOwner,
      region: e.region,
      kind: t.kind,
      placeholder: t.textKind === 'placeholder',
    });
  }
  return out;
}

/** True when the text names CodeArtifact endpoints but every token position is a `${NAME}` reference (or none). */
export function onlyEnvReferences(text: string): boolean {
  let env = false;
  for (const { span } of positions(text)) {
    if (span.textKind !== 'env-reference') return false;
    env = true;
  }
  return env;
}

/**
 * The token positions the scanner knows, for a message such as "… has 1 CodeArtifact URL but no token position in it
 * (HINT)." `redact()` keeps it intact (tested), so it survives the log.
 */
export const TOKEN_POSITION_HINT =
  'no `aws:TOKEN@` part, no `_authToken=`, no `.pypirc` `password =` beside its `repository =`, no `.netrc` `machine HOST … password TOKEN`';

/** The identity of one token (one GetAuthorizationToken call): `region/owner/domain`, lower-case. */
export function endpointKey(e: EndpointIdentity): string {
  return `${e.region.toLowerCase()}/${e.domainOwner}/${e.domain.toLowerCase()}`;
}

/**
 * Replaces the token at every token position with `tokenFor(endpoint)`; `undefined` leaves that position as it is.
 * Everything outside token spans stays byte-identical (line endings, BOM, comments, `${NAME}` references).
 *
 * `replaced` counts the positions where `tokenFor` returned a string, even when the new token equals the old one
 * (the position was refreshed; the caller compares texts to know whether anything changed).
 *
 * Throws RefresherError('InvalidInput') — before changing anything — when `tokenFor` returns a string that is not
 * token-shaped (empty, or holding characters outside `[A-Za-z0-9._~+=-]`), since writing it would corrupt the URL.
 */
export function replaceTokens(text: string, tokenFor: (e: EndpointIdentity) => string | undefined): { text: string; replaced: number } {
  const parts: string[] = [];
  let last = 0;
  let replaced = 0;
  for (const t of findTokens(text)) {
    const next = tokenFor({ domain: t.domain, domainOwner: t.domainOwner, region: t.region });
    if (next === undefined) continue;
    if (typeof next !== 'string' || !NEW_TOKEN.test(next)) {
      throw new RefresherError(
        'InvalidInput',
        `The new token for ${t.domain}-${t.domainOwner} (${t.region}) is not token-shaped; nothing was changed.`,
        'Report this: CodeArtifact tokens only hold letters, digits and ._-',
      );
    }
    parts.push(text.slice(last, t.start), next);
    last = t.end;
    replaced++;
  }
  if (replaced === 0) return { text, replaced };
  parts.push(text.slice(last));
  return { text: parts.join(''), replaced };
}
