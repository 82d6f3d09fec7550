/** Token positions beyond one URL: `.pypirc` passwords, `.netrc` machine passwords, TOML index URLs (issue 10). */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { findEndpoints, findTokens, onlyEnvReferences, redact, replaceTokens, TOKEN_POSITION_HINT } from '../../../src/core';
import { assertSameText, FIXTURES } from './helpers';

const HOST = 'mydomain-111122223333.d.codeartifact.us-east-1.amazonaws.com';
const REPO_URL = `https://${HOST}/pypi/my-repo/`;
const NEW = 'NEW_SYNTHETIC_TOKEN';
const always = () => NEW;
const read = (name: string) => readFileSync(path.join(FIXTURES, name), 'utf8');
const tokenFor = (e: { domain: string; region: string }) => `FRESH_${e.domain}_${e.region}`;

/** replaceTokens(text) must equal `expected`, and the text must be unchanged when no token is given. */
function rewrites(text: string, expected: string, count: number): void {
  const r = replaceTokens(text, always);
  assertSameText(r.text, expected);
  assert.equal(r.replaced, count);
  assert.ok(replaceTokens(text, () => undefined).text === text, 'changed with tokenFor=undefined');
}
function untouched(text: string): void {
  const r = replaceTokens(text, always);
  assert.equal(r.replaced, 0);
  assert.ok(r.text === text, 'text changed');
}

describe('core/formats: .pypirc', () => {
  it('the exact bytes awscli 2 writes (--tool twine): password refreshed, every other byte kept', () => {
    const text = read('pypirc');
    assert.ok(text.includes('index-servers = \n\tcodeartifact\n'), 'fixture lost its trailing space or tab');
    const [e, ...rest] = findEndpoints(text);
    assert.equal(rest.length, 0);
    assert.deepEqual(
      { domain: e.domain, owner: e.domainOwner, region: e.region, format: e.format, repo: e.repository, line: e.line, pos: e.tokenPosition },
      { domain: 'my-domain', owner: '111122223333', region: 'us-west-2', format: 'pypi', repo: 'my-repo', line: 5, pos: 'literal' },
    );
    const [t] = findTokens(text);
    assert.deepEqual([t.kind, t.line, t.placeholder, text.slice(t.start, t.end) === 'SYNTHETIC_OLD_TOKEN_E'], ['pypirc', 7, false, true]);
    const r = replaceTokens(text, tokenFor);
    assert.equal(r.replaced, 1);
    assertSameText(r.text, text.replace('SYNTHETIC_OLD_TOKEN_E', 'FRESH_my-domain_us-west-2'));
  });

  it('password before or after repository; `=` or `:`; any spacing; key case-insensitive', () => {
    const cases: Array<[string, string]> = [
      [`[ca]\r\npassword = OLD\r\nrepository = ${REPO_URL}\r\nusername = aws\r\n`, `[ca]\r\npassword = ${NEW}\r\nrepository = ${REPO_URL}\r\nusername = aws\r\n`],
      [`[ca]\nrepository: ${REPO_URL}\nusername: aws\npassword:OLD`, `[ca]\nrepository: ${REPO_URL}\nusername: aws\npassword:${NEW}`],
      [`[ca]\rRepository\t=\t${REPO_URL}  \rPASSWORD  =  OLD \t\r`, `[ca]\rRepository\t=\t${REPO_URL}  \rPASSWORD  =  ${NEW} \t\r`],
      [`\uFEFF[ca]\nrepository = ${REPO_URL}\npassword = OLD\n`, `\uFEFF[ca]\nrepository = ${REPO_URL}\npassword = ${NEW}\n`],
    ];
    for (const [text, expected] of cases) {
      rewrites(text, expected, 1);
      assert.deepEqual(findTokens(text).map((t) => t.kind), ['pypirc']);
    }
  });

  it('the token line is the password line, even when it comes before the repository line', () => {
    const text = `[ca]\npassword = OLD\nusername = aws\nrepository = ${REPO_URL}\n`;
    assert.equal(findTokens(text)[0].line, 1);
    assert.equal(findEndpoints(text)[0].line, 3);
  });

  it('an empty password is a placeholder written at the end of its line; {auth_token} too; ${VAR} never', () => {
    rewrites(`[ca]\nrepository = ${REPO_URL}\npassword =\n`, `[ca]\nrepository = ${REPO_URL}\npassword =${NEW}\n`, 1);
    rewrites(`[ca]\nrepository = ${REPO_URL}\npassword = {auth_token}\n`, `[ca]\nrepository = ${REPO_URL}\npassword = ${NEW}\n`, 1);
    const env = `[ca]\nrepository = ${REPO_URL}\npassword = \${CODEARTIFACT_AUTH_TOKEN}\n`;
    untouched(env);
    assert.equal(findEndpoints(env)[0].tokenPosition, 'env-reference');
    assert.equal(onlyEnvReferences(env), true);
  });

  it('a CodeArtifact repository without a password line is an endpoint with no token position', () => {
    const text = `[ca]\nrepository = ${REPO_URL}\nusername = aws\n`;
    assert.deepEqual(findEndpoints(text).map((e) => e.tokenPosition), ['none']);
    untouched(text);
  });

  it('never touches a password of a section whose repository is not CodeArtifact (PyPI, look-alike, other section)', () => {
    const texts = [
      `[pypi]\nrepository = https://upload.pypi.org/legacy/\nusername = __token__\npassword = SYNTH_PYPI\n`,
      `[evil]\nrepository = https://${HOST}.evil.com/pypi/r/\nusername = aws\npassword = SYNTH_EVIL\n`,
      `[short-owner]\nrepository = https://mydomain-11112222333.d.codeartifact.us-east-1.amazonaws.com/pypi/r/\npassword = SYNTH\n`,
      `[a]\nrepository = ${REPO_URL}\n[b]\npassword = SYNTH_OTHER_SECTION\n`,
      `password = SYNTH_NO_SECTION\nrepository = ${REPO_URL}\n`,
      `[a]\nrepository = see ${REPO_URL}\npassword = SYNTH_NOT_A_URL_VALUE\n`,
    ];
    for (const text of texts) {
      untouched(text);
      assert.equal(findTokens(text).length, 0);
    }
  });

  it('a username other than aws, a multi-line or spaced value, or a quoted value is not a position', () => {
    const texts = [
      `[ca]\nrepository = ${REPO_URL}\nusername = bob\npassword = SYNTH\n`,
      `[ca]\nrepository = ${REPO_URL}\npassword = SYNTH\n\tcontinued\n`,
      `[ca]\nrepository = ${REPO_URL}\npassword =\n\n  SYNTH_ON_A_CONTINUATION_LINE\n`,
      `[ca]\nrepository = ${REPO_URL}\npassword = SYNTH # a comment is part of the value in configparser\n`,
      `[ca]\nrepository = ${REPO_URL}\npassword = "SYNTH"\n`,
    ];
    for (const text of texts) {
      untouched(text);
      assert.deepEqual(findEndpoints(text).map((e) => e.tokenPosition), ['none']);
    }
  });

  it('an indented key after a key is a continuation, not a password; a comment line ends the continuation', () => {
    untouched(`[ca]\nrepository = ${REPO_URL}\nindex-servers =\n    password = SYNTH\n`);
    rewrites(`[ca]\nrepository = ${REPO_URL}\nx =\n# c\n  password = OLD\n`, `[ca]\nrepository = ${REPO_URL}\nx =\n# c\n  password = ${NEW}\n`, 1);
  });

  it('a repository URL with aws:TOKEN@ keeps that position and gains the password position', () => {
    const text = `[ca]\nrepository = https://aws:OLD1@${HOST}/pypi/r/\npassword = OLD2\n`;
    assert.deepEqual(findTokens(text).map((t) => t.kind), ['url', 'pypirc']);
    rewrites(text, `[ca]\nrepository = https://aws:${NEW}@${HOST}/pypi/r/\npassword = ${NEW}\n`, 2);
  });

  it('two CodeArtifact sections get the tokens of their own domains', () => {
    const b = 'beta-444455556666.d.codeartifact.eu-west-1.amazonaws.com';
    const text = `[a]\nrepository = ${REPO_URL}\npassword = OLD_A\n\n[b]\npassword = OLD_B\nrepository = https://${b}/pypi/r/\n`;
    const r = replaceTokens(text, tokenFor);
    assertSameText(r.text, text.replace('OLD_A', 'FRESH_mydomain_us-east-1').replace('OLD_B', 'FRESH_beta_eu-west-1'));
  });
});

describe('core/formats: .netrc', () => {
  const M = `machine ${HOST}`;

  it('fixture: one-line and spread entries, quoted password, CRLF, macdef, foreign machine and default untouched', () => {
    const text = read('netrc');
    assert.deepEqual(findEndpoints(text).map((e) => [e.domain, e.format, e.repository, e.line, e.tokenPosition]), [
      ['team-a', '', '', 1, 'literal'],
      ['data-2', '', '', 3, 'literal'],
    ]);
    assert.deepEqual(findTokens(text).map((t) => [t.kind, t.line]), [['netrc', 1], ['netrc', 5]]);
    const r = replaceTokens(text, tokenFor);
    assert.equal(r.replaced, 2);
    assertSameText(r.text, text.replace('SYNTHETIC_OLD_TOKEN_F', 'FRESH_team-a_us-east-1').replace('"SYNTHETIC_OLD_TOKEN_G"', '"FRESH_data-2_eu-west-1"'));
  });

  it('tokens on one line or spread over lines, in any order, with account', () => {
    rewrites(`${M} login aws password OLD\n`, `${M} login aws password ${NEW}\n`, 1);
    rewrites(`${M}\n\tpassword OLD\n\tlogin aws\n`, `${M}\n\tpassword ${NEW}\n\tlogin aws\n`, 1);
    rewrites(`machine\n${HOST}\naccount x\npassword\r\nOLD`, `machine\n${HOST}\naccount x\npassword\r\n${NEW}`, 1);
    rewrites(`${M} password OLD`, `${M} password ${NEW}`, 1);
  });

  it('a default entry is never attributed to the machine before it', () => {
    const text = `${M} login aws password OLD\ndefault login aws password SYNTH_DEFAULT\n`;
    rewrites(text, `${M} login aws password ${NEW}\ndefault login aws password SYNTH_DEFAULT\n`, 1);
    untouched(`${M} login aws\ndefault\npassword SYNTH_DEFAULT\n`);
  });

  it('comments: a # where a keyword is expected comments out the rest of the line', () => {
    untouched(`# ${M} login aws password SYNTH\n`);
    rewrites(`${M} # password SYNTH\n  password OLD # trailing\n`, `${M} # password SYNTH\n  password ${NEW} # trailing\n`, 1);
  });

  it('macdef NAME: the macro up to the next empty line is skipped; entries after it count again', () => {
    untouched(`macdef init\n${M} login aws password SYNTH\ncd /pub\n`);
    const text = `macdef init\r\n${M} password SYNTH\r\n\r\n${M} password OLD\r\n`;
    rewrites(text, `macdef init\r\n${M} password SYNTH\r\n\r\n${M} password ${NEW}\r\n`, 1);
  });

  it('never touches a password of a machine that is not a CodeArtifact host (look-alikes included)', () => {
    for (const host of [`${HOST}.evil.com`, `x.${HOST}`, 'mydomain-11112222333.d.codeartifact.us-east-1.amazonaws.com', 'pypi.example.com', `https://${HOST}/`, `${HOST}:443`]) {
      const text = `machine ${host} login aws password SYNTH\n`;
      untouched(text);
      assert.equal(findEndpoints(text).length, host.startsWith('https://') ? 1 : 0);
    }
  });

  it('a login other than aws, a quoted value with spaces or an escape is not a position; an empty quoted one is a placeholder', () => {
    for (const text of [`${M} login bob password SYNTH\n`, `${M} password "SY NTH"\n`, `${M} password SY\\NTH\n`, `${M} password "SYNTH`]) {
      untouched(text);
      assert.deepEqual(findEndpoints(text).map((e) => e.tokenPosition), ['none']);
    }
    rewrites(`${M} password ""\n`, `${M} password "${NEW}"\n`, 1);
  });

  it('an unknown word ends the entry: a password after it is not the machine\'s', () => {
    untouched(`${M} login aws port 443 password SYNTH\n`);
  });

  it('${VAR} and placeholders as today; a bare host without the machine keyword is not an endpoint', () => {
    const env = `${M} login aws password \${CODEARTIFACT_AUTH_TOKEN}\n`;
    untouched(env);
    assert.equal(onlyEnvReferences(env), true);
    rewrites(`${M} login aws password {auth_token}\n`, `${M} login aws password ${NEW}\n`, 1);
    assert.equal(findEndpoints(`host ${HOST} login aws password SYNTH`).length, 0);
  });

  it('host matched case-insensitively, identity lower-cased, bytes kept', () => {
    const upper = HOST.toUpperCase();
    const text = `machine ${upper} password OLD`;
    assert.deepEqual(findEndpoints(text).map((e) => [e.domain, e.region, e.host]), [['mydomain', 'us-east-1', upper]]);
    rewrites(text, `machine ${upper} password ${NEW}`, 1);
  });
});

describe('core/formats: uv.toml and pyproject.toml index URLs (the URL rule)', () => {
  it('uv.toml [[index]]: double and single quotes, ${VAR} kept, foreign host kept', () => {
    const text = read('uv.toml');
    assert.deepEqual(findEndpoints(text).map((e) => [e.repository, e.tokenPosition]), [['main', 'literal'], ['mirror', 'literal'], ['env', 'env-reference']]);
    const r = replaceTokens(text, tokenFor);
    assert.equal(r.replaced, 2);
    assertSameText(r.text, text.replace('SYNTHETIC_OLD_TOKEN_H', 'FRESH_team-a_us-east-1').replace('SYNTHETIC_OLD_TOKEN_I', 'FRESH_data-2_eu-west-1'));
  });

  it('pyproject.toml [[tool.uv.index]], inline tables and an array of inline tables', () => {
    const text = read('pyproject.toml');
    assert.deepEqual(findTokens(text).map((t) => [t.kind, t.line, t.placeholder]), [['url', 6, false], ['url', 10, false], ['url', 13, true]]);
    const r = replaceTokens(text, tokenFor);
    assert.equal(r.replaced, 3);
    assertSameText(
      r.text,
      text.replace('SYNTHETIC_OLD_TOKEN_J', 'FRESH_team-a_us-east-1').replace('SYNTHETIC_OLD_TOKEN_K', 'FRESH_data-2_eu-west-1').replace('{auth_token}', 'FRESH_team-a_us-east-1'),
    );
  });
});

describe('core/formats: redaction', () => {
  it('hides .pypirc password values at any host (= or :, indented, CRLF), keeps placeholders and the rest', () => {
    const text = `[pypi]\r\nrepository = https://upload.pypi.org/legacy/\r\nPassword: SYNTH_PYPI  \r\n  password=SYNTH two words\r\npassword = {auth_token}\r\npassword = \${T}\r\npassword =\r\n`;
    const expected = `[pypi]\r\nrepository = https://upload.pypi.org/legacy/\r\nPassword: ****  \r\n  password=****\r\npassword = {auth_token}\r\npassword = \${T}\r\npassword =\r\n`;
    assertSameText(redact(text), expected, 'redacted .pypirc differs', ['SYNTH_PYPI', 'SYNTH two words']);
    assert.equal(redact(expected), expected);
  });

  it('hides .netrc passwords of every machine and default entry, commented-out ones too, quoted ones inside the quotes', () => {
    const text = `machine pypi.example.com login aws password SYNTH_A\ndefault\n  password "SYNTH B"\n# machine x password SYNTH_C\nmachine ${HOST} password \${T}\n`;
    const expected = `machine pypi.example.com login aws password ****\ndefault\n  password "****"\n# machine x password ****\nmachine ${HOST} password \${T}\n`;
    assertSameText(redact(text), expected, 'redacted .netrc differs', ['SYNTH_A', 'SYNTH B', 'SYNTH_C']);
    assert.equal(redact(expected), expected);
  });

  it('the fixtures redact without any synthetic token left', () => {
    for (const name of ['pypirc', 'netrc', 'uv.toml', 'pyproject.toml']) {
      const out = redact(read(name));
      assert.ok(!/SYNTHETIC_[A-Z_]+/.test(out), `${name}: a token survived redaction`);
    }
  });

  it('TOKEN_POSITION_HINT in the NoEndpoints message survives redaction', () => {
    const message = `~/.pypirc has 1 CodeArtifact URL but no token position in it (${TOKEN_POSITION_HINT}).`;
    assert.equal(redact(message), message);
    assert.equal(redact(`${message}\nAdd the credentials part.`), `${message}\nAdd the credentials part.`);
  });
});
