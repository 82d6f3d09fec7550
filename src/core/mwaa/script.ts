/**
 * The startup script that replaces a refreshed `codeartifact.txt`: at every container start it asks CodeArtifact for
 * a fresh token (one `get-authorization-token` per domain/owner/region, with the environment's execution role) and
 * exports pip's index variables, so no file holds a token at all.
 *
 *   `--index-url URL` / `-i URL`     -> PIP_INDEX_URL (the last one wins, as in pip)
 *   `--extra-index-url URL`          -> PIP_EXTRA_INDEX_URL, space-separated, in the file's order
 *
 * The token is never printed or traced (`set +x` first; it only lives in shell variables that are unset after the
 * exports), and a failed or empty token call stops the script with a message naming the domain (`set -euo pipefail`
 * plus an explicit check) instead of exporting an index URL with an empty password; on success the shell options are
 * restored as they were (the script may be sourced). An existing script is kept as it
 * is and the block is appended (before a final `exit`, which would skip it); a block this function wrote before is
 * replaced in place.
 */
import { RefresherError } from '../errors';
import { findEndpoints, findTokens, endpointKey, type EndpointIdentity } from '../endpoints';

export const BLOCK_BEGIN = '# >>> CodeArtifact pip index (written by CodeArtifact Token Refresher) >>>';
export const BLOCK_END = '# <<< CodeArtifact pip index <<<';

export interface PipIndex {
  option: 'index' | 'extra';
  /** The URL as written, token included (a secret: never log it). */
  url: string;
  endpoint: EndpointIdentity;
}

const OPTION = /^[ \t]*(--index-url|-i|--extra-index-url)(?:[ \t]*=[ \t]*|[ \t]+)(\S+)[ \t]*(?:#.*)?$/;

/** The pip index options with a CodeArtifact URL in a requirements-style file (codeartifact.txt), in order. */
export function pipIndexes(text: string): PipIndex[] {
  const out: PipIndex[] = [];
  for (const line of text.split(/\r\n|\n|\r/)) {
    const m = OPTION.exec(line);
    if (!m) continue;
    const [e] = findEndpoints(m[2]);
    if (!e || e.offset > 'https:'.length) continue;
    out.push({ option: m[1] === '--extra-index-url' ? 'extra' : 'index', url: m[2], endpoint: { domain: e.domain, domainOwner: e.domainOwner, region: e.region } });
  }
  return out;
}

/** The URL with its token (or placeholder, or missing `aws:` password) replaced by `${VARIABLE}`. */
export function urlWithVariable(url: string, variable: string): string {
  if (/["$`\\\s]/.test(url.replace(/^(https?:\/\/)[^@/]*@/, '$1'))) {
    throw new RefresherError('InvalidInput', 'A CodeArtifact URL in the file holds characters a shell would expand ($, `, ", \\ or spaces); no script was generated.', 'Fix the URL in the file, then try again.');
  }
  const [t] = findTokens(url);
  if (t) return `${url.slice(0, t.start)}\${${variable}}${url.slice(t.end)}`;
  const m = /^(https?:\/\/)(?:[^@/]*@)?/.exec(url);
  if (!m) throw new RefresherError('InvalidInput', 'A pip index option holds a CodeArtifact URL that is not http(s); no script was generated.');
  return `${m[1]}aws:\${${variable}}@${url.slice(m[0].length)}`;
}

/** The block alone (no shebang), with `\n` line endings. */
export function startupBlock(indexes: readonly PipIndex[]): string {
  if (indexes.length === 0) {
    throw new RefresherError('NoEndpoints', 'The file holds no --index-url or --extra-index-url line with a CodeArtifact URL; there is nothing to move to a startup script.');
  }
  const vars = new Map<string, { variable: string; endpoint: EndpointIdentity }>();
  for (const i of indexes) {
    const k = endpointKey(i.endpoint);
    if (!vars.has(k)) vars.set(k, { variable: `CODEARTIFACT_TOKEN_${vars.size + 1}`, endpoint: i.endpoint });
  }
  const varFor = (i: PipIndex) => vars.get(endpointKey(i.endpoint))!.variable;
  const lines = [
    BLOCK_BEGIN,
    '# A fresh CodeArtifact token at every container start (nothing to refresh). The execution role needs',
    '# codeartifact:GetAuthorizationToken and sts:GetServiceBearerToken. The token is never printed.',
    '__codeartifact_shell_options="$(set +o)"',
    'set +x',
    'set -euo pipefail',
  ];
  for (const { variable, endpoint: e } of vars.values()) {
    const what = `${e.domain}-${e.domainOwner} (${e.region})`;
    lines.push(
      // Inside `if !`, a failed call does not end the script through `set -e` before the message is printed. The line
      // ends with `||` (no backslash: a CRLF script would turn `\` + CR into a syntax error).
      `if ! ${variable}="$(aws codeartifact get-authorization-token --domain ${e.domain} --domain-owner ${e.domainOwner} --region ${e.region} --query authorizationToken --output text)" ||`,
      `  [ -z "\${${variable}}" ] || [ "\${${variable}}" = "None" ]; then`,
      `  echo "startup script: no CodeArtifact token for ${what}; pip index variables not set" >&2`,
      '  exit 1',
      'fi',
    );
  }
  const primary = indexes.filter((i) => i.option === 'index').pop();
  const extras = indexes.filter((i) => i.option === 'extra');
  if (primary) lines.push(`export PIP_INDEX_URL="${urlWithVariable(primary.url, varFor(primary))}"`);
  if (extras.length) lines.push(`export PIP_EXTRA_INDEX_URL="${extras.map((i) => urlWithVariable(i.url, varFor(i))).join(' ')}"`);
  lines.push(
    `unset ${[...vars.values()].map((v) => v.variable).join(' ')}`,
    '# the shell options as they were before this block (MWAA may source the script)',
    'eval "${__codeartifact_shell_options}"',
    'unset __codeartifact_shell_options',
    BLOCK_END,
  );
  return lines.join('\n') + '\n';
}

/**
 * The whole new script: `existing` (undefined: none yet) with the block appended, or with an earlier block replaced.
 * The existing text keeps every byte; the block uses the existing script's line ending (`\r\n` if it uses that).
 */
export function startupScript(existing: string | undefined, indexes: readonly PipIndex[]): string {
  const block = startupBlock(indexes);
  if (existing === undefined || existing.trim() === '') return `#!/usr/bin/env bash\n\n${block}`;
  const eol = /\r\n/.test(existing) ? '\r\n' : '\n';
  const ours = block.replace(/\n/g, eol);
  const begin = existing.indexOf(BLOCK_BEGIN);
  const endAt = begin === -1 ? -1 : existing.indexOf(BLOCK_END, begin);
  if (begin !== -1 && endAt !== -1) {
    let after = endAt + BLOCK_END.length;
    if (existing.startsWith(eol, after)) after += eol.length;
    return existing.slice(0, begin) + ours + existing.slice(after);
  }
  // A script that ends with `exit` / `exit 0` would never reach a block appended after it: insert the block before.
  const finalExit = /(^|\r\n|\n|\r)([ \t]*exit(?:[ \t]+0)?[ \t]*(?:\r\n|\n|\r)?(?:[ \t]*(?:#[^\r\n]*)?(?:\r\n|\n|\r))*[ \t]*(?:#[^\r\n]*)?)$/.exec(existing);
  if (finalExit) {
    const at = finalExit.index + finalExit[1].length;
    return `${existing.slice(0, at)}${ours}${eol}${existing.slice(at)}`;
  }
  const sep = /(\r\n|\n|\r)$/.test(existing) ? '' : eol;
  return `${existing}${sep}${eol}${ours}`;
}

/** Whether a startup script exports a pip index variable (ours or hand-written). */
export function exportsPipIndex(script: string): boolean {
  return /^[ \t]*export[ \t]+(?:[^#\r\n]*[ \t])?PIP_(?:EXTRA_)?INDEX_URL(?:=|[ \t]|$)/m.test(script);
}
