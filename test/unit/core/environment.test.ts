/**
 * The terminal environment's pure parts: variable names by uv's and poetry's documented rules, `${NAME}` references
 * and named indexes read from files, which variables a workspace gets, the synthetic text the refresh loop reads and
 * writes, and the "Use an environment variable instead" rewrite (byte for byte).
 */
import * as assert from 'node:assert/strict';
import { planRefresh } from '../../../src/core/pipeline';
import { formatEnvironmentText, parseEnvironmentText } from '../../../src/core/environment/envText';
import { applyReferenceEdits, expandsUrlReferences, planMoveToEnvironment } from '../../../src/core/environment/moveToEnvironment';
import { domainTokenVariable, isPipExpandable, isVariableName, poetrySourceVariables, uvIndexVariables } from '../../../src/core/environment/names';
import { findEnvReferences, findNamedIndexes } from '../../../src/core/environment/references';
import { planKeys, planVariables } from '../../../src/core/environment/variables';
import { codeArtifactHeader, makeJwe } from './helpers';

const HOST = 'mydomain-111122223333.d.codeartifact.us-east-1.amazonaws.com';
const HOST2 = 'other-444455556666.d.codeartifact.eu-west-1.amazonaws.com';
const KEY = { domain: 'mydomain', domainOwner: '111122223333', region: 'us-east-1' };
const KEY2 = { domain: 'other', domainOwner: '444455556666', region: 'eu-west-1' };
const tok = (seed: string) => makeJwe(codeArtifactHeader(2_000_000_000), seed);

/** A text with `${NAME}` at each kind of token position (requirements URL, .npmrc, .pypirc) and one in plain prose. */
function envReferences(host: string, host2: string): string {
  return [
    'echo ${NOT_A_POSITION}',
    `--extra-index-url https://aws:\${CODEARTIFACT_AUTH_TOKEN}@${host}/pypi/repo/simple/`,
    `//${host2}/npm/repo/:_authToken=\${NPM_TOKEN}`,
    '',
    '[codeartifact]',
    `repository = https://${host}/pypi/repo/`,
    'password = ${PYPIRC_TOKEN}',
    '',
  ].join('\n');
}

describe('environment: variable names', () => {
  it('uv: upper-case, every non-alphanumeric character to `_` (the docs\' internal-proxy example)', () => {
    assert.deepEqual(uvIndexVariables('internal-proxy'), { username: 'UV_INDEX_INTERNAL_PROXY_USERNAME', password: 'UV_INDEX_INTERNAL_PROXY_PASSWORD' });
    assert.equal(uvIndexVariables('my.Repo_2')?.password, 'UV_INDEX_MY_REPO_2_PASSWORD');
    assert.equal(uvIndexVariables('a b+c')?.username, 'UV_INDEX_A_B_C_USERNAME');
    assert.equal(uvIndexVariables(''), undefined);
  });

  it('poetry: upper-case, dots and dashes to `_` (POETRY_HTTP_BASIC_MY_REPOSITORY_PASSWORD); other characters: no variable', () => {
    assert.deepEqual(poetrySourceVariables('my-repository'), { username: 'POETRY_HTTP_BASIC_MY_REPOSITORY_USERNAME', password: 'POETRY_HTTP_BASIC_MY_REPOSITORY_PASSWORD' });
    assert.equal(poetrySourceVariables('code.artifact_1')?.password, 'POETRY_HTTP_BASIC_CODE_ARTIFACT_1_PASSWORD');
    assert.equal(poetrySourceVariables('with space'), undefined);
    assert.equal(poetrySourceVariables(''), undefined);
  });

  it('shell names, pip-expandable names, the second domain\'s name', () => {
    assert.ok(isVariableName('CODEARTIFACT_AUTH_TOKEN') && isVariableName('_x1') && !isVariableName('1X') && !isVariableName('A-B'));
    assert.ok(isPipExpandable('CODEARTIFACT_AUTH_TOKEN') && !isPipExpandable('codeartifact_auth_token'));
    assert.equal(domainTokenVariable({ domain: 'my-domain', domainOwner: '111122223333' }), 'CODEARTIFACT_AUTH_TOKEN_MY_DOMAIN_111122223333');
  });
});

describe('environment: what files reference', () => {
  it('finds ${NAME} at every kind of token position, with its domain, and nothing elsewhere', () => {
    const refs = findEnvReferences(envReferences(HOST, HOST2));
    assert.deepEqual(
      refs.map((r) => [r.name, r.domain, r.line]),
      [
        ['CODEARTIFACT_AUTH_TOKEN', 'mydomain', 1],
        ['NPM_TOKEN', 'other', 2],
        ['PYPIRC_TOKEN', 'mydomain', 6],
      ],
    );
  });

  it('a placeholder {auth_token} or a literal token is not a reference', () => {
    assert.deepEqual(findEnvReferences(`--index-url https://aws:{auth_token}@${HOST}/pypi/r/simple/\n--extra-index-url https://aws:${tok('a')}@${HOST}/pypi/r/simple/\n`), []);
  });

  it('reads uv indexes (pyproject.toml and uv.toml) and poetry sources with CodeArtifact URLs only', () => {
    const text = [
      '[project]', 'name = "x"', '',
      '[[tool.uv.index]]', 'name = "internal-proxy"', `url = "https://${HOST}/pypi/repo/simple/"`, '',
      '[[tool.uv.index]]', 'name = "pytorch"', 'url = "https://download.pytorch.org/whl/cpu"', '',
      '[[tool.poetry.source]]', "name = 'code.artifact'", `url = 'https://${HOST2}/pypi/other-repo/simple/' # comment`, 'priority = "supplemental"', '',
      '[tool.other]', 'name = "not-an-index"', `url = "https://${HOST}/pypi/repo/simple/"`,
    ].join('\r\n');
    const found = findNamedIndexes(text);
    assert.deepEqual(found.map((i) => [i.tool, i.name, i.domain, i.repository]), [
      ['uv', 'internal-proxy', 'mydomain', 'repo'],
      ['poetry', 'code.artifact', 'other', 'other-repo'],
    ]);
    assert.deepEqual(findNamedIndexes(`[[index]]\nname = "ca"\nurl = "https://${HOST}/pypi/repo/simple/"\n`).map((i) => i.name), ['ca']);
  });
});

describe('environment: which variables a workspace gets', () => {
  const files = [
    { label: 'requirements.txt', text: `--extra-index-url https://aws:\${CODEARTIFACT_AUTH_TOKEN}@${HOST}/pypi/repo/simple/\nrequests\n` },
    { label: 'pyproject.toml', text: `[[tool.uv.index]]\nname = "internal-proxy"\nurl = "https://${HOST2}/pypi/r2/simple/"\n[[tool.poetry.source]]\nname = "ca"\nurl = "https://${HOST}/pypi/repo/simple/"\n` },
  ];

  it('references, uv, poetry; one key per domain; pip/twine only when opted in', () => {
    const plan = planVariables(files, { pip: false, twine: false, explicit: [] });
    assert.deepEqual(plan.variables.map((v) => [v.name, v.shape, v.key?.domain ?? v.value]), [
      ['CODEARTIFACT_AUTH_TOKEN', 'token', 'mydomain'],
      ['UV_INDEX_INTERNAL_PROXY_USERNAME', 'plain', 'aws'],
      ['UV_INDEX_INTERNAL_PROXY_PASSWORD', 'token', 'other'],
      ['POETRY_HTTP_BASIC_CA_USERNAME', 'plain', 'aws'],
      ['POETRY_HTTP_BASIC_CA_PASSWORD', 'token', 'mydomain'],
    ]);
    assert.deepEqual(planKeys(plan).map((k) => k.domain), ['mydomain', 'other']);
    assert.deepEqual(plan.conflicts, []);
  });

  it('pip and twine when opted in; explicit settings win and a disagreement is reported', () => {
    const plan = planVariables(files, { pip: true, twine: true, explicit: [{ variable: 'CODEARTIFACT_AUTH_TOKEN', ...KEY2 }, { variable: 'bad-name', ...KEY }] });
    const v = new Map(plan.variables.map((x) => [x.name, x]));
    assert.equal(v.get('CODEARTIFACT_AUTH_TOKEN')?.key?.domain, 'other');
    assert.equal(plan.conflicts.length, 1);
    assert.match(plan.conflicts[0], /^CODEARTIFACT_AUTH_TOKEN: requirements\.txt:1 names the token of mydomain/);
    assert.equal(v.get('PIP_INDEX_URL')?.value, `https://aws:{auth_token}@${HOST2}/pypi/r2/simple/`);
    assert.equal(v.get('TWINE_REPOSITORY_URL')?.value, `https://${HOST2}/pypi/r2/`);
    assert.equal(v.get('TWINE_PASSWORD')?.key?.domain, 'other');
    assert.ok(!v.has('bad-name'));
  });

  it('nothing referenced: no variable, no key (no token call)', () => {
    const plan = planVariables([{ label: 'requirements.txt', text: `--index-url https://aws:${tok('a')}@${HOST}/pypi/r/simple/\n` }], { pip: false, twine: false, explicit: [] });
    assert.deepEqual(plan.variables, []);
    assert.deepEqual(planKeys(plan), []);
  });
});

describe('environment: the text the refresh loop reads and writes', () => {
  const plan = planVariables(
    [{ label: 'requirements.txt', text: `-i https://aws:\${CODEARTIFACT_AUTH_TOKEN}@${HOST}/pypi/repo/simple/\n--extra-index-url https://aws:\${OTHER}@${HOST2}/pypi/r/simple/\n` }],
    { pip: true, twine: false, explicit: [] },
  );

  it('unset variables are placeholders; the loop fills each with its own domain\'s token; parsing gives the values', async () => {
    const text = formatEnvironmentText(plan.variables, new Map());
    assert.ok(!parseEnvironmentText(text).values.size, 'nothing is set before the first refresh');
    const issued = { mydomain: tok('m'), other: tok('o') };
    const p = await planRefresh(text, 'terminal environment', async (k) => ({ token: issued[k.domain as 'mydomain' | 'other'], expiration: new Date(2_000_000_000_000) }));
    assert.equal(p.tokens.length, 2, 'one token per key');
    const parsed = parseEnvironmentText(p.after);
    assert.ok(parsed.values.get('CODEARTIFACT_AUTH_TOKEN') === issued.mydomain, 'CODEARTIFACT_AUTH_TOKEN holds mydomain\'s token');
    assert.ok(parsed.values.get('OTHER') === issued.other, 'OTHER holds other\'s token');
    assert.ok(parsed.values.get('PIP_INDEX_URL') === `https://aws:${issued.mydomain}@${HOST}/pypi/repo/simple/`, 'PIP_INDEX_URL is the URL with the token');
    // Formatting what was parsed gives the same text back: the next read sees the current tokens.
    assert.ok(formatEnvironmentText(plan.variables, parsed.tokens) === p.after, 'round trip');
  });
});

describe('environment: "Use an environment variable instead" rewrite', () => {
  it('rewrites literal URL passwords in a requirements file, byte for byte (CRLF, comments and other lines untouched)', () => {
    const a = tok('a');
    const b = tok('b');
    const before = `# deps\r\n--index-url https://aws:${a}@${HOST}/pypi/repo/simple/\r\n--extra-index-url https://aws:${b}@${HOST2}/pypi/r/simple/ # two\r\n-i https://aws:{auth_token}@${HOST}/pypi/x/simple/\r\nrequests==2\r\n`;
    const plan = planMoveToEnvironment(before, 'requirements-dev.txt');
    const expected = `# deps\r\n--index-url https://aws:\${CODEARTIFACT_AUTH_TOKEN}@${HOST}/pypi/repo/simple/\r\n--extra-index-url https://aws:\${CODEARTIFACT_AUTH_TOKEN_OTHER_444455556666}@${HOST2}/pypi/r/simple/ # two\r\n-i https://aws:{auth_token}@${HOST}/pypi/x/simple/\r\nrequests==2\r\n`;
    assert.ok(applyReferenceEdits(before, plan.edits) === expected, 'rewritten text differs from the expected bytes (not printed: it holds tokens)');
    assert.deepEqual(plan.variables.map((v) => [v.name, v.key.domain]), [['CODEARTIFACT_AUTH_TOKEN', 'mydomain'], ['CODEARTIFACT_AUTH_TOKEN_OTHER_444455556666', 'other']]);
    // The rewritten file now references exactly those variables.
    assert.deepEqual(findEnvReferences(expected).map((r) => r.name), ['CODEARTIFACT_AUTH_TOKEN', 'CODEARTIFACT_AUTH_TOKEN_OTHER_444455556666']);
  });

  it('rewrites an .npmrc _authToken with braces; leaves pip.conf, .pypirc and TOML alone', () => {
    const a = tok('a');
    const npmrc = `registry=https://${HOST}/npm/repo/\n//${HOST}/npm/repo/:_authToken=${a}\n`;
    assert.equal(applyReferenceEdits(npmrc, planMoveToEnvironment(npmrc, '.npmrc').edits), `registry=https://${HOST}/npm/repo/\n//${HOST}/npm/repo/:_authToken=\${CODEARTIFACT_AUTH_TOKEN}\n`);
    assert.deepEqual(planMoveToEnvironment(`[global]\nindex-url = https://aws:${a}@${HOST}/pypi/repo/simple/\n`, 'pip.conf').edits, []);
    assert.deepEqual(planMoveToEnvironment(`[ca]\nrepository = https://${HOST}/pypi/repo/\nusername = aws\npassword = ${a}\n`, '.pypirc').edits, []);
    assert.ok(expandsUrlReferences('/w/requirements.in') && expandsUrlReferences('codeartifact.txt') && !expandsUrlReferences('uv.toml'));
  });
  it('never puts a token into a variable that steers the shell or a tool (${PATH}, ${PROMPT_COMMAND}, LD_*)', () => {
    const host = 'mydomain-111122223333.d.codeartifact.us-east-1.amazonaws.com';
    const text = ['PATH', 'PROMPT_COMMAND', 'LD_PRELOAD', 'CODEARTIFACT_AUTH_TOKEN'].map((n) => `--extra-index-url https://aws:\${${n}}@${host}/pypi/r/simple/\n`).join('');
    const plan = planVariables([{ label: 'requirements.txt', text }], { pip: false, twine: false, explicit: [] });
    assert.deepEqual(plan.variables.map((v) => v.name), ['CODEARTIFACT_AUTH_TOKEN']);
    assert.equal(plan.conflicts.filter((c) => /never set/.test(c)).length, 3);
  });
});
