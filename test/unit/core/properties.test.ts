/**
 * Property tests: files are generated piece by piece, so the expected output, token spans and line numbers are known
 * from the generator, independently of the code under test.
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { endpointKey, findEndpoints, findTokens, MASK, redact, replaceTokens } from '../../../src/core';
import { assertSameText, check, codeArtifactHeader, makeJwe } from './helpers';

export const RUNS = 500;

const REGIONS = ['us-east-1', 'us-west-2', 'eu-central-1', 'ap-southeast-2', 'cn-north-1', 'cn-northwest-1', 'us-gov-west-1', 'il-central-1'];
const FORMATS = ['pypi', 'npm', 'maven', 'nuget', 'generic', 'swift', 'ruby', 'cargo'];

interface Identity {
  domain: string;
  domainOwner: string;
  region: string;
}
type TokenKind = 'literal' | 'placeholder' | 'env';
/** One generated piece of a line: literal text, or text with one token span between `before` and `after`. */
interface Piece {
  before: string;
  token?: { value: string; kind: TokenKind; id: Identity };
  after: string;
  endpoint?: { id: Identity; format: string; repository: string };
  foreign?: boolean;
}

const domainArb = fc.stringMatching(/^[a-z][a-z0-9-]{0,48}[a-z0-9]$/);
const ownerArb = fc.stringMatching(/^\d{12}$/);
const identityArb = fc.record({ domain: domainArb, domainOwner: ownerArb, region: fc.constantFrom(...REGIONS) });
const repoArb = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{1,20}$/);
const tokenArb: fc.Arbitrary<{ value: string; kind: TokenKind }> = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9_.-]{1,80}$/).map((value) => ({ value, kind: 'literal' as const })),
  fc.tuple(fc.integer({ min: 1_600_000_000, max: 2_000_000_000 }), fc.string({ maxLength: 6 })).map(([exp, seed]) => ({ value: makeJwe(codeArtifactHeader(exp), seed), kind: 'literal' as const })),
  fc.constantFrom('{auth_token}', '{AUTH_TOKEN}', '$AUTH_TOKEN', '$CODEARTIFACT_AUTH_TOKEN', '').map((value) => ({ value, kind: 'placeholder' as const })),
  fc.constantFrom('${CODEARTIFACT_AUTH_TOKEN}', '${TOKEN}').map((value) => ({ value, kind: 'env' as const })),
);
/** Noise never holds `/` or `@`, so it cannot form a URL; it may hold look-alike fragments. */
const noiseArb = fc.oneof(
  fc.string({ unit: fc.constantFrom(...'abcXYZ019 \t#=-_.,;:{}$'.split('')), maxLength: 30 }),
  fc.constantFrom('requests==2.31.0', '# comment', '[global]', 'aws:aws:aws:', '.d.codeartifact.', '111122223333', 'é😀', '   '),
);
const hostOf = (id: Identity, upper: boolean) => {
  const h = `${id.domain}-${id.domainOwner}.d.codeartifact.${id.region}.amazonaws.com${id.region.startsWith('cn-') ? '.cn' : ''}`;
  return upper ? h.toUpperCase() : h;
};
const lead = fc.constantFrom('--extra-index-url ', '--extra-index-url=', '--index-url ', '-i ', '  -i ', 'index-url = ', '    ', 'export PIP_EXTRA_INDEX_URL="', 'ARG X=', "'");
const trail = fc.constantFrom('', ' # mirror', '  ', ' pkg', '"', "'");

const caUrlArb: fc.Arbitrary<Piece> = fc
  .record({ id: identityArb, tok: tokenArb, upper: fc.boolean(), format: fc.constantFrom(...FORMATS), repo: repoArb, lead, trail, scheme: fc.constantFrom('https:', 'http:') })
  .map(({ id, tok, upper, format, repo, lead: l, trail: t, scheme }) => ({
    before: `${l}${scheme}//aws:`,
    token: { ...tok, id },
    after: `@${hostOf(id, upper)}/${format}/${repo}/simple/${t}`,
    endpoint: { id, format, repository: repo },
  }));
const caBareArb: fc.Arbitrary<Piece> = fc.record({ id: identityArb, repo: repoArb }).map(({ id, repo }) => ({
  before: `registry=https://${hostOf(id, false)}/npm/${repo}/ `,
  after: '',
  endpoint: { id, format: 'npm', repository: repo },
}));
/** `.npmrc` auth lines must end their line: generated as whole lines. */
const npmrcLineArb: fc.Arbitrary<Piece> = fc.record({ id: identityArb, tok: tokenArb, repo: repoArb }).map(({ id, tok, repo }) => ({
  before: `//${hostOf(id, false)}/npm/${repo}/:_authToken=`,
  token: { ...tok, id },
  after: '',
  endpoint: { id, format: 'npm', repository: repo },
}));
const foreignArb: fc.Arbitrary<Piece> = fc
  .record({ id: identityArb, tok: fc.stringMatching(/^[A-Za-z0-9_.-]{1,40}$/), variant: fc.nat(6) })
  .map(({ id, tok, variant }) => {
    const base = `${id.domain}-${id.domainOwner}.d.codeartifact.${id.region}`;
    const hosts = [
      `${base}.amazonaws.com.evil.com`,
      `${base}.amazonaws.co`,
      `${id.domain}-${id.domainOwner.slice(1)}.d.codeartifact.${id.region}.amazonaws.com`,
      `${id.domain}-${id.domainOwner}1.d.codeartifact.${id.region}.amazonaws.com`,
      'pypi.example.com',
      `${base}.example.com`,
      `x.${base}.amazonaws.com`,
    ];
    return { before: ` --extra-index-url https://aws:${tok}@${hosts[variant]}/pypi/r/simple/ `, after: '', foreign: true };
  });
const noisePiece = noiseArb.map((s): Piece => ({ before: s, after: '' }));

const lineArb: fc.Arbitrary<Piece[]> = fc.oneof(
  { weight: 5, arbitrary: fc.array(fc.oneof(noisePiece, caUrlArb, caBareArb, foreignArb), { maxLength: 4 }) },
  { weight: 1, arbitrary: npmrcLineArb.map((p) => [p]) },
);

interface File {
  text: string;
  lines: Piece[][];
  eols: string[];
  bom: boolean;
}
const fileArb: fc.Arbitrary<File> = fc
  .record({
    bom: fc.boolean(),
    lines: fc.array(fc.tuple(lineArb, fc.constantFrom('\n', '\r\n', '\r')), { maxLength: 25 }),
    finalEol: fc.boolean(),
  })
  .map(({ bom, lines, finalEol }) => {
    const eols: string[] = lines.map(([, e]) => e);
    // An empty line after a lone CR would merge "\r" + "\n" into one break: make that ending CRLF instead.
    for (let i = 1; i < lines.length; i++) {
      if (eols[i - 1] === '\r' && render(lines[i][0], () => undefined) === '' && eols[i].startsWith('\n')) eols[i] = '\r\n';
    }
    if (!finalEol && eols.length) eols[eols.length - 1] = '';
    const ls = lines.map(([l]) => l);
    return { bom, lines: ls, eols, text: assemble(ls, eols, bom, () => undefined) };
  });

// Two pieces in a row could glue into something else (noise ending in a domain char before `//`): separate with a space.
function render(pieces: Piece[], tokenFor: (p: Piece) => string | undefined): string {
  return pieces.map((p) => p.before + (p.token ? (tokenFor(p) ?? p.token.value) : '') + p.after).join(' ');
}
function assemble(lines: Piece[][], eols: string[], bom: boolean, tokenFor: (p: Piece) => string | undefined): string {
  return (bom ? '\uFEFF' : '') + lines.map((l, i) => render(l, tokenFor) + eols[i]).join('');
}

/** The new token for an identity; some identities get none (tokenFor returns undefined). */
const fresh = (id: Identity): string | undefined => (id.domainOwner.endsWith('7') ? undefined : `fresh-${id.domain}-${id.domainOwner}-${id.region}`);
const expectedFor = (p: Piece) => (p.token && p.token.kind !== 'env' ? fresh(p.token.id) : undefined);

/**
 * Whether `token` still stands at a token position (`aws:TOKEN@` or `_authToken=TOKEN`) in `text`. Anchored on both
 * sides: a one-character token such as "h" must not match the "=h" of "registry=https://…" (a false alarm seen with
 * seed -1542998390).
 */
function atTokenPosition(text: string, token: string): boolean {
  const t = token.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?::|_authToken=)${t}(?:@|\\s|$)`, 'm').test(text);
}
const tokensOf = (f: File) => f.lines.flat().flatMap((p) => [...(p.token ? [p.token.value] : []), ...(p.foreign ? [p.before] : [])]).concat(f.lines.flat().flatMap((p) => (p.token ? [fresh(p.token.id) ?? ''] : [])));
function checkFiles(pred: (f: File) => void, numRuns: number): void {
  check(fc.property(fileArb, pred), numRuns, tokensOf);
}

describe('core properties (fast-check)', function () {
  this.timeout(60_000);

  it(`rewrite = input with exactly the generated token spans substituted (${RUNS} runs)`, () => {
    checkFiles(
      (f) => {
        const r = replaceTokens(f.text, fresh);
        assertSameText(r.text, assemble(f.lines, f.eols, f.bom, expectedFor), 'rewritten text differs from the independently built one');
        const expectedCount = f.lines.flat().filter((p) => expectedFor(p) !== undefined).length;
        assert.equal(r.replaced, expectedCount);
      },
      RUNS,
    );
  });

  it(`rewriting twice gives the same text (${RUNS} runs)`, () => {
    checkFiles(
      (f) => {
        const once = replaceTokens(f.text, fresh).text;
        assertSameText(replaceTokens(once, fresh).text, once, 'not idempotent');
      },
      RUNS,
    );
  });

  it(`foreign URLs never change and are never reported (${RUNS} runs)`, () => {
    checkFiles(
      (f) => {
        const out = replaceTokens(f.text, () => 'X').text;
        const reported = new Set(findEndpoints(f.text).map(endpointKey));
        for (const p of f.lines.flat().filter((q) => q.foreign)) {
          assert.ok(out.includes(p.before), 'a foreign URL changed');
        }
        const expectedKeys = new Set(f.lines.flat().flatMap((p) => (p.endpoint ? [endpointKey(p.endpoint.id)] : [])));
        for (const k of reported) assert.ok(expectedKeys.has(k), `unexpected endpoint ${k}`);
      },
      RUNS,
    );
  });

  it(`findEndpoints reports every generated endpoint with its line, format and repository (${RUNS} runs)`, () => {
    checkFiles(
      (f) => {
        const expected = f.lines.flatMap((l, line) =>
          l.filter((p) => p.endpoint).map((p) => ({ key: endpointKey(p.endpoint!.id), format: p.endpoint!.format, repository: p.endpoint!.repository, line })),
        );
        const actual = findEndpoints(f.text).map((e) => ({ key: endpointKey(e), format: e.format, repository: e.repository, line: e.line }));
        assert.deepEqual(actual, expected);
      },
      RUNS,
    );
  });

  it(`findTokens spans hold exactly the generated tokens, ${'${NAME}'} left out (${RUNS} runs)`, () => {
    checkFiles(
      (f) => {
        const expected = f.lines.flatMap((l, line) =>
          l.filter((p) => p.token && p.token.kind !== 'env').map((p) => ({ key: endpointKey(p.token!.id), line, placeholder: p.token!.kind === 'placeholder', value: p.token!.value })),
        );
        const found = findTokens(f.text);
        assert.equal(found.length, expected.length);
        found.forEach((t, i) => {
          assert.ok(f.text.slice(t.start, t.end) === t.token && t.token === expected[i].value, 'token span differs');
          assert.deepEqual({ key: endpointKey(t), line: t.line, placeholder: t.placeholder }, { key: expected[i].key, line: expected[i].line, placeholder: expected[i].placeholder });
        });
      },
      RUNS,
    );
  });

  it(`redact(output) holds none of the substituted tokens nor any generated literal token (${RUNS} runs)`, () => {
    checkFiles(
      (f) => {
        const out = replaceTokens(f.text, fresh).text;
        const red = redact(out);
        // Every token position the redacted text still has holds the mask or a placeholder (found the way the
        // extension finds them: a 1-character token may also occur in noise, so a plain substring test cannot tell).
        const positions = findTokens(red);
        assert.equal(positions.length, findTokens(out).length, 'redaction changed where tokens are');
        for (const t of positions) assert.ok(t.placeholder || t.token === MASK, 'a substituted token survived redaction');
        // Tokens long enough to be told from noise appear nowhere at all.
        for (const p of f.lines.flat()) {
          const t = expectedFor(p);
          if (t !== undefined && t.length >= 8) assert.ok(!red.includes(t), 'a substituted token survived redaction');
          if (p.token?.kind === 'literal' && p.token.value.length >= 8) assert.ok(!atTokenPosition(red, p.token.value), 'a literal token survived redaction');
        }
        const redIn = redact(f.text);
        for (const p of f.lines.flat()) {
          if (p.token?.kind === 'placeholder' || p.token?.kind === 'env') assert.ok(redIn.includes(p.before + p.token.value), 'a placeholder was hidden');
        }
      },
      RUNS,
    );
  });

  it(`arbitrary and adversarial text: no throw, tokenFor=undefined changes nothing, outside spans unchanged (${RUNS} runs)`, () => {
    const unit = fc.constantFrom('aws:', '//', '@', '-', '1111', '22223333', '.d.codeartifact.', 'us-east-1', '.amazonaws.com', '.cn', '/pypi/r/', ':_authToken=', 'x', '\r', '\n', ' ', '${A}', '{a}', '$',
      // .netrc and .pypirc fragments
      'machine ', 'dd-111122223333.d.codeartifact.us-east-1.amazonaws.com', ' password ', ' login aws', 'default', 'macdef m', '#', '"', '\\', '\t',
      '[s]', 'repository = https://', 'password = ', 'username = aws', ':', '=');
    const textArb = fc.oneof(fc.string({ maxLength: 200 }), fc.array(unit, { maxLength: 80 }).map((a) => a.join('')));
    check(
      fc.property(textArb, (text) => {
        findEndpoints(text);
        assert.ok(replaceTokens(text, () => undefined).text === text, 'changed with tokenFor=undefined');
        const spans = findTokens(text);
        const out = replaceTokens(text, () => 'T').text;
        let expected = '';
        let last = 0;
        for (const s of spans) {
          expected += text.slice(last, s.start) + 'T';
          last = s.end;
        }
        assertSameText(out, expected + text.slice(last), 'outside spans changed');
        redact(text);
      }),
      RUNS * 2,
      () => [],
    );
  });
});
