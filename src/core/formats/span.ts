/** A token position found by one of the format readers: where the token is and what it holds. */
import { classifyTokenText, isTokenChar, type TokenTextKind } from '../tokenText';

/** Which rule found a token position: a URL password, `.npmrc` `_authToken`, `.pypirc` `password`, `.netrc` `password`. */
export type TokenPositionKind = 'url' | 'npmrc' | 'pypirc' | 'netrc';

export interface Span {
  start: number;
  end: number;
  kind: TokenPositionKind;
  textKind: TokenTextKind;
}

/** Longest value looked at as a token (real tokens are ~1–2 KB). */
export const MAX_TOKEN = 16 * 1024;

/**
 * The span `[start, end)` as a token position when every character in it is a token character (an empty span is a
 * placeholder); undefined when the value holds anything else (spaces, quotes, `#`, …): such a value is left alone.
 */
export function valueSpan(text: string, start: number, end: number, kind: TokenPositionKind): Span | undefined {
  if (end - start > MAX_TOKEN) return undefined;
  for (let i = start; i < end; i++) if (!isTokenChar(text.charCodeAt(i))) return undefined;
  return { start, end, kind, textKind: classifyTokenText(text.slice(start, end)) };
}
