/**
 * Reading what a CodeArtifact token says about itself. Tokens are JWE compact strings (5 base64url segments) whose
 * first segment is cleartext JSON such as `{"ver":1,"isu":1700000000,"enc":"A128GCM","exp":1700043200,…}`
 * (`isu`/`exp` in epoch seconds). Nothing here ever throws or returns the token.
 */

const SEGMENT = /^[A-Za-z0-9_-]+$/;
/** A JWE header is small; longer first segments are not looked at. */
const MAX_HEADER_CHARS = 8 * 1024;

/** The JSON object in the first segment of a 5-segment compact string, or undefined. Never throws. */
export function readJweHeader(token: string): Record<string, unknown> | undefined {
  if (typeof token !== 'string') return undefined;
  const dot = token.indexOf('.');
  if (dot <= 0 || dot > MAX_HEADER_CHARS) return undefined;
  let count = 1;
  for (let i = dot; i !== -1 && count <= 5; i = token.indexOf('.', i + 1)) count++;
  if (count !== 5) return undefined;
  const first = token.slice(0, dot);
  if (!SEGMENT.test(first)) return undefined;
  const json = Buffer.from(first, 'base64url').toString('utf8');
  if (!json.startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(json);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** True when `s` looks like a JWE compact token: 5 base64url segments, the first decoding to a JSON object. */
export function looksLikeJwe(s: string): boolean {
  if (readJweHeader(s) === undefined) return false;
  const parts = s.split('.');
  return parts.every((p, i) => (i === 1 ? p === '' || SEGMENT.test(p) : SEGMENT.test(p)));
}

/** The token's expiry from its `exp` claim, or undefined for anything else. Never throws. */
export function readTokenExpiry(token: string): Date | undefined {
  try {
    if (!looksLikeJwe(token)) return undefined;
    const exp = readJweHeader(token)?.exp;
    if (typeof exp !== 'number' || !Number.isFinite(exp) || exp <= 0) return undefined;
    const date = new Date(exp * 1000);
    return Number.isNaN(date.getTime()) ? undefined : date;
  } catch {
    return undefined;
  }
}
