import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { looksLikeJwe, readTokenExpiry } from '../../../src/core';
import { codeArtifactHeader, makeJwe } from './helpers';

const b64 = (s: string) => Buffer.from(s).toString('base64url');

describe('core/token: readTokenExpiry', () => {
  it('reads exp (epoch seconds) from a real-shaped JWE header', () => {
    const d = readTokenExpiry(makeJwe(codeArtifactHeader(1700043200)));
    assert.equal(d?.toISOString(), new Date(1700043200 * 1000).toISOString());
  });

  it('returns undefined when exp is missing or not a positive finite number', () => {
    for (const exp of [undefined, '1700043200', null, -5, 0, 1e300, true]) {
      const h = { ...codeArtifactHeader(1), exp };
      if (exp === undefined) delete (h as Record<string, unknown>).exp;
      assert.equal(readTokenExpiry(makeJwe(h)), undefined, `exp ${String(exp)}`);
    }
  });

  it('returns undefined for bad base64, non-JSON, JSON arrays, 4 or 6 segments, empty and huge input', () => {
    const good = makeJwe(codeArtifactHeader(1700043200));
    const parts = good.split('.');
    const cases = [
      '',
      'not-a-token',
      `${'%%%'}.${parts.slice(1).join('.')}`,
      `${b64('not json')}.${parts.slice(1).join('.')}`,
      `${b64('[1,2]')}.${parts.slice(1).join('.')}`,
      parts.slice(0, 4).join('.'),
      [...parts, 'extra'].join('.'),
      `${parts[0]}.${parts[1]}.${parts[2]}..${parts[4]}`,
      'a'.repeat(5_000_000),
      `${parts[0]}.${'b'.repeat(3_000_000)}.c.d.e`.replace(/^/, ''),
    ];
    for (const c of cases.slice(0, -1)) assert.equal(readTokenExpiry(c), undefined);
    // a huge but well-formed token still reads
    assert.equal(readTokenExpiry(cases[cases.length - 1])?.getTime(), 1700043200 * 1000);
  });

  it('looksLikeJwe: 5 base64url segments with a JSON-object first segment', () => {
    assert.equal(looksLikeJwe(makeJwe({ a: 1 })), true);
    assert.equal(looksLikeJwe('a.b.c.d.e'), false);
    assert.equal(looksLikeJwe(`${b64('{}')}.b.c.d.e`), true);
  });

  it('never throws on arbitrary strings (1000 runs) or on JWE-shaped strings with arbitrary headers (500 runs)', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), (s) => {
      const d = readTokenExpiry(s);
      assert.ok(d === undefined || !Number.isNaN(d.getTime()));
    }), { numRuns: 1000 });
    fc.assert(fc.property(fc.json(), fc.array(fc.stringMatching(/^[A-Za-z0-9_-]{0,12}$/), { minLength: 4, maxLength: 4 }), (json, rest) => {
      const d = readTokenExpiry([b64(json), ...rest].join('.'));
      assert.ok(d === undefined || !Number.isNaN(d.getTime()));
    }), { numRuns: 500 });
  });
});
