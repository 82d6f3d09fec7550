/**
 * A bare CodeArtifact host name (`.netrc` `machine HOST`): the whole string must be
 * `DOMAIN-OWNER.d.codeartifact.REGION.amazonaws.com` (or `.com.cn`), with the same rules as a URL's host in
 * endpoints.ts (DOMAIN 2–50 chars `[a-z][a-z0-9-]*[a-z0-9]`, OWNER 12 digits, case-insensitive).
 */
import type { EndpointIdentity } from '../endpoints';

/** Anchored at both ends and only ever run on strings of at most MAX_HOST chars, so its cost is bounded. */
const BARE_HOST = /^([a-z][a-z0-9-]{0,48}[a-z0-9])-(\d{12})\.d\.codeartifact\.([a-z]{2}(?:-[a-z]+){1,3}-\d{1,2})\.amazonaws\.com(?:\.cn)?$/i;
const MAX_HOST = 128;

/** The identity (lower-cased) when `s` is exactly a CodeArtifact host; undefined otherwise (look-alikes included). */
export function matchBareHost(s: string): EndpointIdentity | undefined {
  if (s.length > MAX_HOST) return undefined;
  const m = BARE_HOST.exec(s);
  return m ? { domain: m[1].toLowerCase(), domainOwner: m[2], region: m[3].toLowerCase() } : undefined;
}
