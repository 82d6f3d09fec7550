/** Test helpers for the core: synthetic JWE-shaped tokens and assertions that never print token text. */
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import fc from 'fast-check';
import { redact } from '../../../src/core';

/** test/fixtures/core, from out/test/unit/core (compiled) or test/unit/core (ts-node). */
export const FIXTURES = path.resolve(__dirname, '..', '..', '..', ...(path.basename(path.resolve(__dirname, '..', '..', '..')) === 'out' ? ['..'] : []), 'test', 'fixtures', 'core');

function b64url(s: string): string {
  return Buffer.from(s, 'utf8').toString('base64url');
}

/** A synthetic token shaped like a CodeArtifact one: 5 base64url segments, cleartext JSON header. */
export function makeJwe(header: Record<string, unknown> | string, seed = 'x'): string {
  const h = typeof header === 'string' ? header : JSON.stringify(header);
  const filler = (n: number, tag: string) => createHash('sha256').update(seed + tag).digest('base64url').repeat(4).slice(0, n);
  return [b64url(h), filler(54, 'k'), filler(16, 'i'), filler(120, 'c'), filler(22, 't')].join('.');
}

export function codeArtifactHeader(exp: number, isu = exp - 43200): Record<string, unknown> {
  return { ver: 1, isu, enc: 'A128GCM', tag: 'AAAAAAAAAAAAAAAAAAAAAA', exp, alg: 'A128GCMKW', iv: 'BBBBBBBBBBBBBBBB' };
}

function hash(s: string): string {
  return createHash('sha256').update(s).digest('hex').slice(0, 12);
}

/**
 * Equality for texts that hold tokens: on failure the message shows only the first differing offset, hashes and a
 * redacted excerpt (tokens are secrets even in tests; assertion messages print values).
 */
export function assertSameText(actual: string, expected: string, label = 'texts differ', secrets: string[] = []): void {
  if (actual === expected) return;
  let i = 0;
  while (i < actual.length && i < expected.length && actual[i] === expected[i]) i++;
  const around = (s: string) => JSON.stringify(redact(s.slice(Math.max(0, i - 60), i + 60), secrets));
  assert.fail(`${label}: first difference at offset ${i} (lengths ${actual.length} vs ${expected.length}, sha ${hash(actual)} vs ${hash(expected)})\n  actual:   ${around(actual)}\n  expected: ${around(expected)}`);
}

/**
 * fc.check with a failure message that never shows a generated token: the counterexample is printed redacted, with
 * every generated token value hidden, plus the seed and path to replay it.
 */
export function check<T>(prop: fc.IProperty<[T]>, numRuns: number, secretsOf: (v: T) => string[]): void {
  // FC_SEED replays a reported failure: FC_SEED=<seed> npm run test:unit
  const d = fc.check(prop, { numRuns, ...(process.env.FC_SEED ? { seed: Number(process.env.FC_SEED) } : {}) });
  if (!d.failed) return;
  const ce = d.counterexample ? d.counterexample[0] : undefined;
  const secrets = ce === undefined ? [] : secretsOf(ce);
  const hide = (s: string) => {
    let out = s;
    for (const t of secrets) if (t.length > 0) out = out.split(JSON.stringify(t).slice(1, -1)).join('<token>').split(t).join('<token>');
    return redact(out);
  };
  const cause = d.errorInstance instanceof Error ? d.errorInstance.message : String(d.errorInstance);
  assert.fail(`property failed after ${d.numRuns} runs (seed ${d.seed}, path ${d.counterexamplePath}): ${hide(cause)}\ncounterexample (tokens hidden): ${hide(JSON.stringify(ce))}`);
}
