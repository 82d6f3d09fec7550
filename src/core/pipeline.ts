/**
 * The refresh pipeline, target-agnostic: text in -> endpoints -> one token per domain/owner/region -> rewritten text
 * and the minimal edits that produce it. Reading and writing the text (an S3 object, an open editor, …) is the
 * target's business; so is asking the person.
 */
import { RefresherError } from './errors';
import { endpointKey, findEndpoints, findTokens, onlyEnvReferences, replaceTokens, TOKEN_POSITION_HINT } from './endpoints';
import { distinctKeys, type BatchToken, type TokenKey } from './tokenBatch';

export interface TokenEdit {
  /** UTF-16 offsets into the text that was read. */
  start: number;
  end: number;
  /** The new token. */
  text: string;
}

export interface IssuedFor extends TokenKey, BatchToken {}

export interface RefreshPlan {
  before: string;
  after: string;
  edits: TokenEdit[];
  /** Token positions that received a token (equal to edits.length unless a position already held the new token). */
  replaced: number;
  /** One per distinct domain/owner/region in the text. */
  tokens: IssuedFor[];
  changed: boolean;
}

/** Throws NoEndpoints / OnlyEnvReferences when there is nothing a token could be written to. */
export function tokenKeysOf(text: string, where: string): TokenKey[] {
  const positions = findTokens(text);
  if (positions.length > 0) return distinctKeys(positions);
  const endpoints = findEndpoints(text);
  if (endpoints.length === 0) {
    throw new RefresherError(
      'NoEndpoints',
      `${where} has no CodeArtifact repository URL.`,
      'Expected a line like `--extra-index-url https://aws:TOKEN@DOMAIN-OWNER.d.codeartifact.REGION.amazonaws.com/pypi/REPO/simple/`.',
    );
  }
  const n = `${endpoints.length} CodeArtifact URL${endpoints.length === 1 ? '' : 's'}`;
  if (onlyEnvReferences(text)) {
    throw new RefresherError(
      'OnlyEnvReferences',
      `${where} has ${n} whose token is an environment reference such as \${CODEARTIFACT_AUTH_TOKEN}; nothing was changed.`,
      'A file that defers to the environment must not receive a literal token: set the variable instead.',
    );
  }
  throw new RefresherError(
    'NoEndpoints',
    `${where} has ${n} but no token position in ${endpoints.length === 1 ? 'it' : 'them'} (${TOKEN_POSITION_HINT}).`,
    'Add the credentials part, e.g. `https://aws:{auth_token}@HOST/...`, and run the refresh again.',
  );
}

export async function planRefresh(text: string, where: string, getToken: (k: TokenKey) => Promise<BatchToken>): Promise<RefreshPlan> {
  const keys = tokenKeysOf(text, where);
  const issued = await Promise.all(keys.map(async (k) => ({ ...k, ...(await getToken(k)) })));
  const byKey = new Map(issued.map((t) => [endpointKey(t), t]));
  const tokenFor = (e: TokenKey) => byKey.get(endpointKey(e))?.token;
  const edits: TokenEdit[] = [];
  for (const p of findTokens(text)) {
    const t = tokenFor(p);
    if (t !== undefined && t !== p.token) edits.push({ start: p.start, end: p.end, text: t });
  }
  const { text: after, replaced } = replaceTokens(text, tokenFor);
  return { before: text, after, edits, replaced, tokens: issued, changed: after !== text };
}
