/**
 * Property tests for `.pypirc` and `.netrc`: files are generated part by part, so the expected rewrite, the token
 * spans, the endpoints and their lines are known from the generator, independently of the code under test.
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { endpointKey, findEndpoints, findTokens, redact, replaceTokens, type EndpointIdentity } from '../../../src/core';
import { assertSameText, check, codeArtifactHeader, makeJwe } from './helpers';

const RUNS = 400;
const REGIONS = ['us-east-1', 'us-west-2', 'eu-central-1', 'cn-north-1', 'us-gov-west-1'];

type TokenKind = 'literal' | 'placeholder' | 'env';
/** A value the generator put at a password position; `counts` when it is a CodeArtifact token position. */
interface Slot {
  value: string;
  kind: TokenKind;
  id: EndpointIdentity;
  counts: boolean;
  format: 'pypirc' | 'netrc';
}
/** Where an endpoint is expected (its line is the line this marker lands on). */
interface Mark {
  id: EndpointIdentity;
  tokenPosition: 'literal' | 'placeholder' | 'env-reference' | 'none';
}
type Part = string | { slot: Slot } | { mark: Mark };
interface Doc {
  parts: Part[];
  text: string;
}

const domainArb = fc.stringMatching(/^[a-z][a-z0-9-]{0,20}[a-z0-9]$/);
const identityArb = fc.record({ domain: domainArb, domainOwner: fc.stringMatching(/^\d{12}$/), region: fc.constantFrom(...REGIONS) });
const repoArb = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{1,12}$/);
const literalArb = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9_.-]{1,60}$/),
  fc.tuple(fc.integer({ min: 1_600_000_000, max: 2_000_000_000 }), fc.string({ maxLength: 4 })).map(([exp, seed]) => makeJwe(codeArtifactHeader(exp), seed)),
);
/** Keywords are not generated as values: `password machine` is legal netrc but would make the expected output ambiguous. */
const notKeyword = (v: string) => !['machine', 'default', 'macdef', 'login', 'user', 'account', 'password'].includes(v);
const tokenArb: fc.Arbitrary<{ value: string; kind: TokenKind }> = fc.oneof(
  { weight: 4, arbitrary: literalArb.filter(notKeyword).map((value) => ({ value, kind: 'literal' as const })) },
  { weight: 1, arbitrary: fc.constantFrom('{auth_token}', '$AUTH_TOKEN', '$CODEARTIFACT_AUTH_TOKEN').map((value) => ({ value, kind: 'placeholder' as const })) },
  { weight: 1, arbitrary: fc.constantFrom('${CODEARTIFACT_AUTH_TOKEN}', '${TOKEN}').map((value) => ({ value, kind: 'env' as const })) },
);
const eolArb = fc.constantFrom('\n', '\r\n', '\r');
const hostOf = (id: EndpointIdentity, upper: boolean) => {
  const h = `${id.domain}-${id.domainOwner}.d.codeartifact.${id.region}.amazonaws.com${id.region.startsWith('cn-') ? '.cn' : ''}`;
  return upper ? h.toUpperCase() : h;
};
const lookAlikes = (id: EndpointIdentity): string[] => {
  const base = `${id.domain}-${id.domainOwner}.d.codeartifact.${id.region}`;
  return [`${base}.amazonaws.com.evil.com`, `${base}.amazonaws.co`, `${id.domain}-${id.domainOwner.slice(1)}.d.codeartifact.${id.region}.amazonaws.com`, `${id.domain}-${id.domainOwner}1.d.codeartifact.${id.region}.amazonaws.com`, 'pypi.example.com', `x.${base}.amazonaws.com`];
};
const positionOf = (k: TokenKind): Mark['tokenPosition'] => (k === 'env' ? 'env-reference' : k);

/** The new token for an identity; some identities get none (tokenFor returns undefined). */
const fresh = (id: EndpointIdentity): string | undefined => (id.domainOwner.endsWith('7') ? undefined : `fresh-${id.domain}-${id.domainOwner}-${id.region}`);
const expectedFor = (s: Slot) => (s.counts && s.kind !== 'env' ? fresh(s.id) : undefined);

function render(parts: Part[], sub: (s: Slot) => string | undefined): string {
  return parts.map((p) => (typeof p === 'string' ? p : 'slot' in p ? (sub(p.slot) ?? p.slot.value) : '')).join('');
}
const BREAK = /\r\n|\r|\n/g;
const lineCount = (s: string) => (s.match(BREAK) ?? []).length;
/** Every slot and mark with the line it lands on (counted on the rendered prefix, as VS Code counts). */
function located(doc: Doc): Array<{ part: { slot: Slot } | { mark: Mark }; line: number }> {
  const out: Array<{ part: { slot: Slot } | { mark: Mark }; line: number }> = [];
  let prefix = '';
  for (const p of doc.parts) {
    if (typeof p !== 'string') out.push({ part: p, line: lineCount(prefix) });
    prefix += typeof p === 'string' ? p : 'slot' in p ? p.slot.value : '';
  }
  return out;
}
const slots = (doc: Doc) => doc.parts.flatMap((p) => (typeof p !== 'string' && 'slot' in p ? [p.slot] : []));

/** Lines joined with their endings; an empty line after a lone CR gets CRLF so "\r" + "\n" cannot merge into one break. */
function joinLines(lines: Array<[Part[], string]>): Part[] {
  const out: Part[] = [];
  let prevEol = '';
  for (const [parts, eol0] of lines) {
    const empty = parts.every((p) => p === '');
    const eol = prevEol === '\r' && empty && eol0.startsWith('\n') ? '\r\n' : eol0;
    out.push(...parts, eol);
    prevEol = eol;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------- .pypirc

type SectionKind = 'ca' | 'ca-nopass' | 'ca-bob' | 'foreign';
const sectionArb = fc.record({
  kind: fc.constantFrom<SectionKind>('ca', 'ca', 'ca', 'ca-nopass', 'ca-bob', 'foreign'),
  name: fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/),
  id: identityArb,
  upper: fc.boolean(),
  repo: repoArb,
  tok: tokenArb,
  foreign: fc.nat(5),
  passwordFirst: fc.boolean(),
  withUser: fc.boolean(),
  sep: fc.constantFrom(' = ', '=', ': ', ':', ' =\t', '\t:  '),
  passKey: fc.constantFrom('password', 'Password', 'PASSWORD'),
  trail: fc.constantFrom('', ' ', ' \t'),
  noise: fc.array(fc.constantFrom('# comment', '; comment', 'other = value', '', 'x: y = z'), { maxLength: 2 }),
  eols: fc.array(eolArb, { minLength: 8, maxLength: 8 }),
});
type SectionGen = typeof sectionArb extends fc.Arbitrary<infer T> ? T : never;

function sectionLines(s: SectionGen): Array<[Part[], string]> {
  const ca = s.kind !== 'foreign';
  const url = ca ? `https://${hostOf(s.id, s.upper)}/pypi/${s.repo}/` : `https://${lookAlikes(s.id)[s.foreign]}/pypi/${s.repo}/`;
  const counts = s.kind === 'ca';
  const value = s.kind === 'foreign' && s.tok.kind !== 'literal' ? 'SYNTH-foreign' : s.tok.value;
  const kind: TokenKind = s.kind === 'foreign' ? 'literal' : s.tok.kind;
  const tokenPosition = counts ? positionOf(kind) : 'none';
  const repoLine: Part[] = [`repository${s.sep}`, ...(ca ? [{ mark: { id: s.id, tokenPosition } }] : []), url, s.trail];
  const passLine: Part[] = [`${s.passKey}${s.sep}`, { slot: { value, kind, id: s.id, counts, format: 'pypirc' } }, s.trail];
  const userLine: Part[] = [`username${s.sep}${s.kind === 'ca-bob' ? 'bob' : 'aws'}`];
  const keys: Part[][] = [repoLine];
  if (s.withUser || s.kind === 'ca-bob') keys.push(userLine);
  if (s.kind !== 'ca-nopass') {
    if (s.passwordFirst) keys.unshift(passLine);
    else keys.push(passLine);
  }
  const lines: Part[][] = [[`[${s.name}]`], ...s.noise.map((n) => [n]), ...keys];
  return lines.map((l, i) => [l, s.eols[i % s.eols.length]]);
}

const pypircArb: fc.Arbitrary<Doc> = fc
  .record({ bom: fc.boolean(), distutils: fc.boolean(), sections: fc.array(sectionArb, { maxLength: 5 }), blank: fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }), eol: eolArb, finalEol: fc.boolean() })
  .map(({ bom, distutils, sections, blank, eol, finalEol }) => {
    const lines: Array<[Part[], string]> = [];
    if (distutils) {
      // what awscli writes: a trailing space after `=` and tab-indented continuation lines
      lines.push([['[distutils]'], eol], [['index-servers = '], eol], ...sections.map((s): [Part[], string] => [[`\t${s.name}`], eol]));
    }
    sections.forEach((s, i) => {
      if (blank[i % blank.length]) lines.push([[''], eol]);
      lines.push(...sectionLines(s));
    });
    if (!finalEol && lines.length) lines[lines.length - 1][1] = '';
    const parts = [...(bom ? ['\uFEFF'] : []), ...joinLines(lines)];
    return { parts, text: render(parts, () => undefined) };
  });

// ------------------------------------------------------------------------------------------------------------------ .netrc

type EntryKind = 'ca' | 'ca-bob' | 'ca-nopass' | 'foreign' | 'default' | 'macdef' | 'comment';
const SEPS = [' ', '\t', '\n', '\r\n', '  \n\t', '\r', ' \r\n  '];
const entryArb = fc.record({
  kind: fc.constantFrom<EntryKind>('ca', 'ca', 'ca', 'ca-bob', 'ca-nopass', 'foreign', 'default', 'macdef', 'comment'),
  id: identityArb,
  upper: fc.boolean(),
  tok: tokenArb,
  quoted: fc.boolean(),
  withLogin: fc.boolean(),
  account: fc.option(fc.stringMatching(/^[a-z0-9]{1,8}$/), { nil: undefined }),
  order: fc.nat(5),
  foreign: fc.nat(5),
  seps: fc.array(fc.constantFrom(...SEPS), { minLength: 8, maxLength: 8 }),
  eol: eolArb,
});
type EntryGen = typeof entryArb extends fc.Arbitrary<infer T> ? T : never;

function entryParts(e: EntryGen): Part[] {
  const sep = (i: number) => e.seps[i % e.seps.length];
  const host = hostOf(e.id, e.upper);
  const hidden = `machine ${host} login aws password SYNTH-hidden-${e.id.domainOwner}`;
  if (e.kind === 'comment') return [`# ${hidden}`, e.eol];
  if (e.kind === 'macdef') return [`macdef init${e.eol}cd /pub${e.eol}${hidden}${e.eol}${e.eol}`];
  const ca = e.kind.startsWith('ca');
  const counts = e.kind === 'ca';
  const kind: TokenKind = ca ? e.tok.kind : 'literal';
  const value = ca ? e.tok.value : `SYNTH-${e.kind}-${e.id.domainOwner}`;
  const q = e.quoted ? '"' : '';
  const pairs: Part[][] = [];
  if (e.withLogin || e.kind === 'ca-bob') pairs.push(['login', sep(2), e.kind === 'ca-bob' ? 'bob' : 'aws']);
  if (e.account !== undefined) pairs.push(['account', sep(3), e.account]);
  if (e.kind !== 'ca-nopass') pairs.push(['password', sep(4), q, { slot: { value, kind, id: e.id, counts, format: 'netrc' } }, q]);
  // rotate the pairs: password first, last or in between
  const r = pairs.length ? e.order % pairs.length : 0;
  const ordered = [...pairs.slice(r), ...pairs.slice(0, r)];
  const head: Part[] =
    e.kind === 'default'
      ? ['default']
      : ['machine', sep(0), ...(ca ? [{ mark: { id: e.id, tokenPosition: counts ? positionOf(kind) : ('none' as const) } }] : []), ca ? host : lookAlikes(e.id)[e.foreign]];
  return [...head, ...ordered.flatMap((p, i) => [sep(5 + i), ...p])];
}

const netrcArb: fc.Arbitrary<Doc> = fc.record({ entries: fc.array(entryArb, { maxLength: 6 }), lead: fc.constantFrom('', '\n', '  '), between: fc.constantFrom(...SEPS), tail: fc.constantFrom('', '\n', '\r\n') }).map(({ entries, lead, between, tail }) => {
  const parts: Part[] = [lead];
  entries.forEach((e, i) => {
    if (i > 0) parts.push(between);
    parts.push(...entryParts(e));
  });
  parts.push(tail);
  return { parts, text: render(parts, () => undefined) };
});

// ------------------------------------------------------------------------------------------------------------- properties

const secretsOf = (d: Doc) => slots(d).flatMap((s) => [s.value, fresh(s.id) ?? '']);
/** Whether `value` still stands as a password value in `text` (anchored on both sides). */
function atPassword(text: string, value: string, format: 'pypirc' | 'netrc'): boolean {
  const v = value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(format === 'pypirc' ? `password[ \\t]*[=:][ \\t]*${v}[ \\t]*(?:[\\r\\n]|$)` : `password\\s+"?${v}(?:"|\\s|$)`, 'i').test(text);
}

for (const [name, arb] of [
  ['.pypirc', pypircArb],
  ['.netrc', netrcArb],
] as const) {
  describe(`core formats properties: ${name} (fast-check)`, function () {
    this.timeout(60_000);
    const run = (pred: (d: Doc) => void, n = RUNS) => check(fc.property(arb, pred), n, secretsOf);

    it(`rewrite = input with exactly the counted password values substituted; foreign ones unchanged (${RUNS} runs)`, () => {
      run((d) => {
        const r = replaceTokens(d.text, fresh);
        assertSameText(r.text, render(d.parts, expectedFor), 'rewritten text differs from the independently built one');
        assert.equal(r.replaced, slots(d).filter((s) => expectedFor(s) !== undefined).length);
      });
    });

    it(`rewriting twice gives the same text; tokenFor=undefined changes nothing (${RUNS} runs)`, () => {
      run((d) => {
        const once = replaceTokens(d.text, fresh).text;
        assertSameText(replaceTokens(once, fresh).text, once, 'not idempotent');
        assert.ok(replaceTokens(d.text, () => undefined).text === d.text, 'changed with tokenFor=undefined');
      });
    });

    it(`findEndpoints reports exactly the generated CodeArtifact entries with line and token position (${RUNS} runs)`, () => {
      run((d) => {
        const expected = located(d).flatMap(({ part, line }) => ('mark' in part ? [{ key: endpointKey(part.mark.id), line, tokenPosition: part.mark.tokenPosition }] : []));
        const actual = findEndpoints(d.text).map((e) => ({ key: endpointKey(e), line: e.line, tokenPosition: e.tokenPosition }));
        assert.deepEqual(actual, expected);
      });
    });

    it(`findTokens spans hold exactly the counted values with their own line and kind, \${NAME} left out (${RUNS} runs)`, () => {
      run((d) => {
        const expected = located(d).flatMap(({ part, line }) =>
          'slot' in part && part.slot.counts && part.slot.kind !== 'env' ? [{ key: endpointKey(part.slot.id), line, kind: part.slot.format, placeholder: part.slot.kind === 'placeholder', value: part.slot.value }] : [],
        );
        const found = findTokens(d.text);
        assert.equal(found.length, expected.length);
        found.forEach((t, i) => {
          assert.ok(d.text.slice(t.start, t.end) === t.token && t.token === expected[i].value, 'token span differs');
          assert.deepEqual({ key: endpointKey(t), line: t.line, kind: t.kind, placeholder: t.placeholder }, { key: expected[i].key, line: expected[i].line, kind: expected[i].kind, placeholder: expected[i].placeholder });
        });
      });
    });

    it(`redact hides every generated literal password (any host), before and after the rewrite; placeholders stay (${RUNS} runs)`, () => {
      run((d) => {
        const red = redact(d.text);
        const after = redact(replaceTokens(d.text, fresh).text);
        for (const s of slots(d)) {
          if (s.kind === 'literal') assert.ok(!atPassword(red, s.value, s.format), 'a literal password survived redaction');
          const t = expectedFor(s);
          if (t !== undefined) assert.ok(!atPassword(after, t, s.format), 'a substituted token survived redaction');
          if (s.kind !== 'literal') assert.ok(atPassword(red, s.value, s.format), 'a placeholder was hidden');
        }
        assert.ok(!/SYNTH-hidden/.test(red), 'a commented-out or macro password survived redaction');
      });
    });
  });
}
