/**
 * Scanning and redaction stay linear: each adversarial text is timed at n and 8n characters; linear code takes about
 * 8x as long, quadratic code about 64x. The bench's adversarial texts (test/bench/core.ts) are timed here too.
 */
import * as assert from 'node:assert/strict';
import { findEndpoints, redact, replaceTokens } from '../../../src/core';
import { adversarialTexts } from '../../bench/core';

const HOST = 'dd-111122223333.d.codeartifact.us-east-1.amazonaws.com';
const SMALL = 32 * 1024;
/** Allowed growth for 8x the text (linear: ~8; quadratic: ~64), and a floor under which timings are noise. */
const MAX_RATIO = 32;
const FLOOR_MS = 40;

/**
 * Opens every gate (a CodeArtifact URL, `password`, `machine`), so the `.pypirc` and `.netrc` readers run on the
 * adversarial part: without it a quadratic INI reader went unnoticed here.
 */
const HEAD = `machine ${HOST} password x\n[s]\nrepository = https://${HOST}/pypi/r/\npassword = x\n`;
const fill = (unit: string, n: number) => unit.repeat(Math.ceil(n / unit.length)).slice(0, n);
const raw: Record<string, (n: number) => string> = {
  'machine machine machine': (n) => fill('machine ', n),
  'machine CA-HOST password, repeated': (n) => fill(`machine ${HOST} password `, n),
  'machine + one very long host token': (n) => 'machine ' + fill('a', n),
  'macdef that never ends': (n) => fill('macdef m\nx\n', n),
  'unterminated quote': (n) => 'machine x password "' + fill('a', n),
  'backslash run': (n) => fill('\\', n),
  'comment run': (n) => fill('# machine x password y\n', n),
  'default password run': (n) => fill('default password ', n),
  '.pypirc section with many passwords': (n) => `[s]\nrepository = https://${HOST}/pypi/r/\n` + fill('password = x\n', n),
  '.pypirc many sections, repository only': (n) => fill(`[s]\r\nrepository = https://${HOST}/pypi/r/\r\n`, n),
  '[ without ] (one line)': (n) => fill('[', n),
  '[ without ] (many lines)': (n) => fill('[ x\n', n),
  'key = then continuation lines': (n) => 'k =\n' + fill('  password = x\n', n),
  'password = then spaced words': (n) => 'password = ' + fill('a ', n),
  '= and : runs': (n) => fill('=:', n),
  'password keyword run, no machine': (n) => fill(' password', n),
};
const inputs = Object.fromEntries(Object.entries(raw).map(([name, make]) => [name, (n: number) => HEAD + make(n)]));

function costMs(text: string): number {
  let best = Infinity;
  for (let i = 0; i < 5; i++) {
    const t = process.hrtime.bigint();
    findEndpoints(text);
    replaceTokens(text, () => 'T');
    redact(text);
    best = Math.min(best, Number(process.hrtime.bigint() - t) / 1e6);
  }
  return best;
}

describe('core: linear time on adversarial texts (n vs 8n)', function () {
  this.timeout(60_000);
  const bench = Object.keys(adversarialTexts(16));
  const all: Array<[string, (n: number) => string]> = [...Object.entries(inputs), ...bench.map((name): [string, (n: number) => string] => [`bench: ${name}`, (n) => adversarialTexts(n)[name]])];
  for (const [name, make] of all) {
    it(name, () => {
      const small = costMs(make(SMALL));
      const big = costMs(make(8 * SMALL));
      assert.ok(big <= Math.max(MAX_RATIO * small, FLOOR_MS), `${name}: ${small.toFixed(2)} ms for ${SMALL} chars, ${big.toFixed(2)} ms for 8x`);
    });
  }
});
