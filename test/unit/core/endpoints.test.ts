import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { endpointKey, findEndpoints, findTokens, isRefresherError, onlyEnvReferences, replaceTokens } from '../../../src/core';
import { assertSameText, FIXTURES } from './helpers';

const HOST = 'mydomain-111122223333.d.codeartifact.us-east-1.amazonaws.com';
const url = (token: string, host = HOST, p = '/pypi/my-repo/simple/') => `https://aws:${token}@${host}${p}`;
const NEW = 'NEW_SYNTHETIC_TOKEN';
const always = () => NEW;

describe('core/endpoints: findEndpoints', () => {
  it('parses domain, owner, region, format, repository and line', () => {
    const [e, ...rest] = findEndpoints(`x\n--extra-index-url ${url('OLD')}\n`);
    assert.equal(rest.length, 0);
    assert.deepEqual(
      { domain: e.domain, domainOwner: e.domainOwner, region: e.region, format: e.format, repository: e.repository, line: e.line, tokenPosition: e.tokenPosition },
      { domain: 'mydomain', domainOwner: '111122223333', region: 'us-east-1', format: 'pypi', repository: 'my-repo', line: 1, tokenPosition: 'literal' },
    );
  });

  it('splits hyphenated, digit-bearing domains at the last hyphen before the 12-digit owner', () => {
    const [e] = findEndpoints(url('T', 'my-team-2-123456789012.d.codeartifact.eu-central-1.amazonaws.com'));
    assert.equal(e.domain, 'my-team-2');
    assert.equal(e.domainOwner, '123456789012');
    assert.equal(e.region, 'eu-central-1');
  });

  it('accepts .amazonaws.com.cn hosts and three-part regions', () => {
    const es = findEndpoints(`${url('T', 'dom-123456789012.d.codeartifact.cn-north-1.amazonaws.com.cn')} ${url('T', 'gov-123456789012.d.codeartifact.us-gov-west-1.amazonaws.com')}`);
    assert.deepEqual(es.map((e) => [e.domain, e.region]), [['dom', 'cn-north-1'], ['gov', 'us-gov-west-1']]);
  });

  it('reports URLs without credentials (.npmrc registry=) and .npmrc auth keys', () => {
    const es = findEndpoints(`registry=https://${HOST}/npm/npm-store/\n//${HOST}/npm/npm-store/:_authToken=OLD\n`);
    assert.deepEqual(es.map((e) => [e.format, e.repository, e.line, e.tokenPosition]), [['npm', 'npm-store', 0, 'none'], ['npm', 'npm-store', 1, 'literal']]);
  });

  it('reports other formats (maven, nuget, generic) and a URL without a path with empty format', () => {
    const es = findEndpoints(`https://${HOST}/maven/m2/ https://${HOST}/nuget/nu/v3/index.json https://${HOST}/generic/g/ https://aws:T@${HOST}`);
    assert.deepEqual(es.map((e) => [e.format, e.repository]), [['maven', 'm2'], ['nuget', 'nu'], ['generic', 'g'], ['', '']]);
  });

  const foreign: Array<[string, string]> = [
    ['another host with aws: credentials', 'https://aws:SYNTH@pypi.example.com/simple/'],
    ['look-alike suffix .amazonaws.com.evil.com', url('SYNTH', `${HOST}.evil.com`)],
    ['look-alike suffix .amazonaws.co', url('SYNTH', HOST.replace(/\.com$/, '.co'))],
    ['look-alike suffix .amazonaws.com-evil.net', url('SYNTH', `${HOST}-evil.net`)],
    ['owner with 11 digits', url('SYNTH', 'mydomain-11112222333.d.codeartifact.us-east-1.amazonaws.com')],
    ['owner with 13 digits', url('SYNTH', 'mydomain-1111222233334.d.codeartifact.us-east-1.amazonaws.com')],
    ['domain of 1 char', url('SYNTH', 'm-111122223333.d.codeartifact.us-east-1.amazonaws.com')],
    ['domain of 51 chars', url('SYNTH', `${'a'.repeat(51)}-111122223333.d.codeartifact.us-east-1.amazonaws.com`)],
    ['domain starting with a digit', url('SYNTH', '2dom-111122223333.d.codeartifact.us-east-1.amazonaws.com')],
    ['domain ending with a hyphen', url('SYNTH', 'dom--111122223333.d.codeartifact.us-east-1.amazonaws.com')],
    ['not .d.codeartifact', url('SYNTH', 'mydomain-111122223333.codeartifact.us-east-1.amazonaws.com')],
    ['bad region', url('SYNTH', 'mydomain-111122223333.d.codeartifact.useast1.amazonaws.com')],
    ['a bare host is not a URL', `host mydomain-111122223333.d.codeartifact.us-east-1.amazonaws.com/pypi/r/`],
    ['an email-like aws:T@host without //', `aws:SYNTH@${HOST}/pypi/r/`],
    ['a subdomain of the host', url('SYNTH', `x.${HOST}`)],
  ];
  for (const [name, text] of foreign) {
    it(`never reports or touches: ${name}`, () => {
      assert.equal(findEndpoints(text).length, 0);
      assert.equal(findTokens(text).length, 0);
      const r = replaceTokens(text, always);
      assert.equal(r.replaced, 0);
      assert.ok(r.text === text, 'foreign text changed');
    });
  }

  it('matches hosts case-insensitively, reports the identity lower-case, keeps the bytes', () => {
    const text = url('OLD', 'MyDomain-111122223333.D.CodeArtifact.US-EAST-1.AmazonAWS.com');
    const [e] = findEndpoints(text);
    assert.deepEqual([e.domain, e.region, e.host], ['mydomain', 'us-east-1', 'MyDomain-111122223333.D.CodeArtifact.US-EAST-1.AmazonAWS.com']);
    assertSameText(replaceTokens(text, always).text, url(NEW, 'MyDomain-111122223333.D.CodeArtifact.US-EAST-1.AmazonAWS.com'));
  });

  it('counts lines as VS Code does: LF, CRLF, lone CR, mixed', () => {
    const text = `a\r\nb\rc\n\r\n\n${url('T')}\r${url('T')}`;
    assert.deepEqual(findEndpoints(text).map((e) => e.line), [5, 6]);
  });

  it('keeps a URL that only has a ${NAME} reference as an endpoint, with no token position', () => {
    const text = `--extra-index-url ${url('${CODEARTIFACT_AUTH_TOKEN}')}\n`;
    assert.equal(findEndpoints(text)[0].tokenPosition, 'env-reference');
    assert.equal(findTokens(text).length, 0);
    assert.equal(onlyEnvReferences(text), true);
    assert.equal(onlyEnvReferences(`${text}${url('{auth_token}')}`), false);
    assert.equal(onlyEnvReferences('no urls'), false);
    const r = replaceTokens(text, always);
    assert.equal(r.replaced, 0);
    assert.ok(r.text === text, 'env reference changed');
  });

  it('endpointKey is one key per domain+owner+region', () => {
    assert.equal(endpointKey({ domain: 'D', domainOwner: '111122223333', region: 'US-east-1' }), 'us-east-1/111122223333/d');
    assert.notEqual(endpointKey({ domain: 'd', domainOwner: '111122223333', region: 'us-east-1' }), endpointKey({ domain: 'd', domainOwner: '111122223333', region: 'us-west-2' }));
  });
});

describe('core/endpoints: findTokens and replaceTokens', () => {
  const contexts: Array<[string, (u: string) => string]> = [
    ['--extra-index-url URL', (u) => `--extra-index-url ${u}`],
    ['--extra-index-url=URL', (u) => `--extra-index-url=${u}`],
    ['--index-url URL', (u) => `--index-url ${u}`],
    ['-i URL', (u) => `-i ${u}`],
    ['leading whitespace and trailing # comment', (u) => `   \t--extra-index-url ${u}  # private mirror`],
    ['pip.conf index-url = URL', (u) => `[global]\nindex-url = ${u}`],
    ['Dockerfile ARG', (u) => `ARG PIP_INDEX_URL=${u}`],
    ['shell export, double quotes', (u) => `export PIP_EXTRA_INDEX_URL="${u}"`],
    ["single quotes", (u) => `pip install -i '${u}' pkg`],
    ['JSON string', (u) => `{"index": "${u}"}`],
  ];
  for (const [name, wrap] of contexts) {
    it(`replaces the token in: ${name}`, () => {
      const text = wrap(url('OLD_SYNTHETIC'));
      const r = replaceTokens(text, always);
      assert.equal(r.replaced, 1);
      assertSameText(r.text, wrap(url(NEW)));
    });
  }

  const placeholders = ['{auth_token}', '{AUTH_TOKEN}', '$AUTH_TOKEN', '$CODEARTIFACT_AUTH_TOKEN', ''];
  for (const p of placeholders) {
    it(`treats ${JSON.stringify(p)} as a placeholder to replace`, () => {
      const text = `--extra-index-url ${url(p)}\n`;
      const [t] = findTokens(text);
      assert.equal(t.placeholder, true);
      assert.equal(t.token, p);
      assert.equal(text.slice(t.start, t.end), p);
      const r = replaceTokens(text, always);
      assert.equal(r.replaced, 1);
      assertSameText(r.text, `--extra-index-url ${url(NEW)}\n`);
    });
  }

  it('replaces an .npmrc _authToken value, quoted or not, empty or not', () => {
    const lines = [`//${HOST}/npm/r/:_authToken=OLD`, `//${HOST}/npm/r/:_authToken = "OLD"`, `//${HOST}/npm/r/:_authToken=`];
    const r = replaceTokens(lines.join('\n'), always);
    assert.equal(r.replaced, 3);
    assertSameText(r.text, [`//${HOST}/npm/r/:_authToken=${NEW}`, `//${HOST}/npm/r/:_authToken = "${NEW}"`, `//${HOST}/npm/r/:_authToken=${NEW}`].join('\n'));
    assert.deepEqual(findTokens(lines.join('\n')).map((t) => t.kind), ['npmrc', 'npmrc', 'npmrc']);
  });

  it('gives each URL the token of its own domain/owner/region, two on one line', () => {
    const a = 'alpha-111122223333.d.codeartifact.us-east-1.amazonaws.com';
    const b = 'beta-9-444455556666.d.codeartifact.eu-west-1.amazonaws.com';
    const text = `-i ${url('OLD_A', a)} --extra-index-url ${url('OLD_B', b)}\n`;
    const r = replaceTokens(text, (e) => `TOKEN_${e.domain}_${e.domainOwner}_${e.region}`);
    assert.equal(r.replaced, 2);
    assertSameText(r.text, `-i ${url('TOKEN_alpha_111122223333_us-east-1', a)} --extra-index-url ${url('TOKEN_beta-9_444455556666_eu-west-1', b)}\n`);
  });

  it('leaves positions alone when tokenFor returns undefined, and counts only the others', () => {
    const b = 'beta-444455556666.d.codeartifact.us-east-1.amazonaws.com';
    const text = `${url('OLD_A')}\n${url('OLD_B', b)}`;
    const r = replaceTokens(text, (e) => (e.domain === 'beta' ? NEW : undefined));
    assert.equal(r.replaced, 1);
    assertSameText(r.text, `${url('OLD_A')}\n${url(NEW, b)}`);
  });

  it('counts a replacement even when the new token equals the old one (documented choice)', () => {
    const text = url('SAME_TOKEN');
    const r = replaceTokens(text, () => 'SAME_TOKEN');
    assert.equal(r.replaced, 1);
    assert.ok(r.text === text, 'text changed');
  });

  it('refuses a new token that is not token-shaped, before changing anything', () => {
    for (const bad of ['', 'a b', 'x@y', 'a/b', 'a"b']) {
      assert.throws(() => replaceTokens(url('OLD'), () => bad), (e) => isRefresherError(e) && e.code === 'InvalidInput' && !e.message.includes(bad || '\u0000'));
    }
  });

  it('a token position never holds @ / : whitespace quotes or #; an odd password is not a position', () => {
    for (const odd of ['a b', 'a#b']) {
      const text = url(odd);
      assert.equal(findTokens(text).length, 0, 'odd password taken as token');
      assert.ok(replaceTokens(text, always).text === text, 'text changed');
    }
    const other = `https://bob:SYNTH@${HOST}/pypi/r/simple/`;
    assert.equal(findTokens(other).length, 0);
    assert.equal(findEndpoints(other)[0].tokenPosition, 'none');
  });

  const endings: Array<[string, string]> = [['LF', '\n'], ['CRLF', '\r\n'], ['CR', '\r']];
  for (const [name, eol] of endings) {
    it(`keeps ${name} endings, a BOM and a missing final newline byte-identical`, () => {
      const lines = ['# top', `--extra-index-url ${url('OLD')}`, '', 'requests==2.0  ', `-i ${url('{auth_token}')}`];
      const text = '\uFEFF' + lines.join(eol);
      const r = replaceTokens(text, always);
      assert.equal(r.replaced, 2);
      assertSameText(r.text, '\uFEFF' + lines.join(eol).split('OLD').join(NEW).split('{auth_token}').join(NEW));
      assert.deepEqual(findEndpoints(text).map((e) => e.line), [1, 4]);
    });
  }

  it('keeps mixed line endings as they are', () => {
    const text = `a\r\n${url('OLD')}\rb\n${url('OLD')}\r\n\n`;
    const r = replaceTokens(text, always);
    assertSameText(r.text, text.split('OLD').join(NEW));
    assert.deepEqual(findTokens(text).map((t) => t.line), [1, 3]);
  });

  it('offsets are UTF-16 code units (astral characters before the URL)', () => {
    const text = `😀é ${url('OLD')}`;
    const [t] = findTokens(text);
    assert.equal(text.slice(t.start, t.end), 'OLD');
  });
});

describe('core/endpoints: fixtures', () => {
  const read = (name: string) => readFileSync(path.join(FIXTURES, name), 'utf8');
  const tokenFor = (e: { domain: string; region: string }) => `FRESH_${e.domain}_${e.region}`;

  it('requirements.txt: literal, placeholders, env reference and foreign hosts', () => {
    const text = read('requirements.txt');
    assert.deepEqual(findEndpoints(text).map((e) => [e.domain, e.repository, e.line, e.tokenPosition]), [
      ['team-a', 'main', 1, 'literal'],
      ['data-2', 'py-mirror', 2, 'placeholder'],
      ['team-a', 'other', 3, 'placeholder'],
      ['team-a', 'env', 4, 'env-reference'],
    ]);
    const r = replaceTokens(text, tokenFor);
    assert.equal(r.replaced, 3);
    const expected = text
      .replace('SYNTHETIC_OLD_TOKEN_A', 'FRESH_team-a_us-east-1')
      .replace('{auth_token}', 'FRESH_data-2_eu-west-1')
      .replace('$CODEARTIFACT_AUTH_TOKEN@', 'FRESH_team-a_us-east-1@');
    assertSameText(r.text, expected);
  });

  it('pip.conf: CRLF, indented continuation lines, .cn and us-gov hosts, empty password, no final newline', () => {
    const text = read('pip.conf');
    assert.deepEqual(findTokens(text).map((t) => [t.domain, t.region, t.line, t.placeholder]), [
      ['team-a', 'us-east-1', 1, false],
      ['ops', 'us-gov-west-1', 3, false],
      ['cn-dom', 'cn-north-1', 4, true],
    ]);
    const r = replaceTokens(text, tokenFor);
    assert.equal(r.replaced, 3);
    const expected = text
      .replace('SYNTHETIC_OLD_TOKEN_B', 'FRESH_team-a_us-east-1')
      .replace('SYNTHETIC_OLD_TOKEN_C', 'FRESH_ops_us-gov-west-1')
      .replace('aws:@', 'aws:FRESH_cn-dom_cn-north-1@');
    assertSameText(r.text, expected);
    assert.equal(r.text.split('\r\n').length, text.split('\r\n').length);
  });

  it('.npmrc: registry line, auth token line, ${VAR} line, npmjs line untouched', () => {
    const text = read('npmrc');
    const r = replaceTokens(text, tokenFor);
    assert.equal(r.replaced, 1);
    assertSameText(r.text, text.replace('SYNTHETIC_OLD_TOKEN_D', 'FRESH_team-a_us-east-1'));
  });
});
