/** src/core/mwaa: requirements.txt includes and their removal, the startup script (byte for byte), classification. */
import * as assert from 'node:assert/strict';
import { classifySetup, dagIncludes, dagObjectKey, describeSetup, exportsPipIndex, pipIndexes, startupBlock, startupScript, withoutIncludes } from '../../../src/core/mwaa';
import { isRefresherError } from '../../../src/core';
import { codeArtifactHeader, makeJwe } from '../core/helpers';

const host = (domain: string, owner = '111122223333', region = 'us-east-1') => `${domain}-${owner}.d.codeartifact.${region}.amazonaws.com`;
const EXPIRED = makeJwe(codeArtifactHeader(Math.floor(Date.parse('2026-01-01T00:00:00Z') / 1000)), 'expired');
const LATER = makeJwe(codeArtifactHeader(Math.floor(Date.parse('2026-01-02T00:00:00Z') / 1000)), 'later');
const url = (token: string, h = host('mydomain'), repo = 'my-repo') => `https://aws:${token}@${h}/pypi/${repo}/simple/`;

describe('core/mwaa: requirements.txt', () => {
  it('finds -r lines into the DAG folder in every spelling, with their spans', () => {
    const text = '-r /usr/local/airflow/dags/codeartifact.txt\r\nboto3\n  --requirement=/usr/local/airflow/dags/sub/x.txt # pinned\n-r other.txt\n-r/usr/local/airflow/dags/y.txt';
    const inc = dagIncludes(text);
    assert.deepEqual(inc.map((i) => [i.relative, text.slice(i.start, i.end)]), [
      ['codeartifact.txt', '-r /usr/local/airflow/dags/codeartifact.txt\r\n'],
      ['sub/x.txt', '  --requirement=/usr/local/airflow/dags/sub/x.txt # pinned\n'],
      ['y.txt', '-r/usr/local/airflow/dags/y.txt'],
    ]);
  });

  it('removes exactly the include line (and its own terminator); every other byte is unchanged', () => {
    const text = 'apache-airflow-providers-amazon==8.25.0\r\n-r /usr/local/airflow/dags/codeartifact.txt\r\n# keep\n\nboto3==1.34.0';
    const [inc] = dagIncludes(text);
    assert.equal(withoutIncludes(text, [inc]), 'apache-airflow-providers-amazon==8.25.0\r\n# keep\n\nboto3==1.34.0');
    const last = 'boto3\n-r /usr/local/airflow/dags/codeartifact.txt';
    assert.equal(withoutIncludes(last, dagIncludes(last)), 'boto3\n');
    const only = '-r /usr/local/airflow/dags/codeartifact.txt\n';
    assert.equal(withoutIncludes(only, dagIncludes(only)), '');
  });

  it('joins DagS3Path and the relative path into the object key', () => {
    assert.equal(dagObjectKey('dags', 'codeartifact.txt'), 'dags/codeartifact.txt');
    assert.equal(dagObjectKey('/airflow/dags/', 'a/b.txt'), 'airflow/dags/a/b.txt');
  });
});

describe('core/mwaa: startup script', () => {
  const file = [
    `--index-url ${url(EXPIRED)}`,
    `--extra-index-url ${url(EXPIRED, host('mydomain'), 'second')}`,
    'not-an-option https://example.com/',
    `--extra-index-url=${url(LATER, host('otherdomain', '444455556666', 'eu-west-1'), 'ml')}`,
    '--extra-index-url https://pypi.example.com/simple/',
    '',
  ].join('\r\n');

  it('reads --index-url / --extra-index-url lines with CodeArtifact URLs, in order', () => {
    assert.deepEqual(pipIndexes(file).map((i) => [i.option, i.endpoint.domain, i.endpoint.region]), [
      ['index', 'mydomain', 'us-east-1'],
      ['extra', 'mydomain', 'us-east-1'],
      ['extra', 'otherdomain', 'eu-west-1'],
    ]);
  });

  it('generates the block byte for byte: one token call per domain/owner/region, extras space-separated in order', () => {
    const expected = [
      '# >>> CodeArtifact pip index (written by CodeArtifact Token Refresher) >>>',
      '# A fresh CodeArtifact token at every container start (nothing to refresh). The execution role needs',
      '# codeartifact:GetAuthorizationToken and sts:GetServiceBearerToken. The token is never printed.',
      '__codeartifact_shell_options="$(set +o)"',
      'set +x',
      'set -euo pipefail',
      'if ! CODEARTIFACT_TOKEN_1="$(aws codeartifact get-authorization-token --domain mydomain --domain-owner 111122223333 --region us-east-1 --query authorizationToken --output text)" ||',
      '  [ -z "${CODEARTIFACT_TOKEN_1}" ] || [ "${CODEARTIFACT_TOKEN_1}" = "None" ]; then',
      '  echo "startup script: no CodeArtifact token for mydomain-111122223333 (us-east-1); pip index variables not set" >&2',
      '  exit 1',
      'fi',
      'if ! CODEARTIFACT_TOKEN_2="$(aws codeartifact get-authorization-token --domain otherdomain --domain-owner 444455556666 --region eu-west-1 --query authorizationToken --output text)" ||',
      '  [ -z "${CODEARTIFACT_TOKEN_2}" ] || [ "${CODEARTIFACT_TOKEN_2}" = "None" ]; then',
      '  echo "startup script: no CodeArtifact token for otherdomain-444455556666 (eu-west-1); pip index variables not set" >&2',
      '  exit 1',
      'fi',
      `export PIP_INDEX_URL="https://aws:\${CODEARTIFACT_TOKEN_1}@${host('mydomain')}/pypi/my-repo/simple/"`,
      `export PIP_EXTRA_INDEX_URL="https://aws:\${CODEARTIFACT_TOKEN_1}@${host('mydomain')}/pypi/second/simple/ https://aws:\${CODEARTIFACT_TOKEN_2}@${host('otherdomain', '444455556666', 'eu-west-1')}/pypi/ml/simple/"`,
      'unset CODEARTIFACT_TOKEN_1 CODEARTIFACT_TOKEN_2',
      '# the shell options as they were before this block (MWAA may source the script)',
      'eval "${__codeartifact_shell_options}"',
      'unset __codeartifact_shell_options',
      '# <<< CodeArtifact pip index <<<',
      '',
    ].join('\n');
    const block = startupBlock(pipIndexes(file));
    assert.equal(block, expected);
    assert.ok(!block.includes(EXPIRED) && !block.includes(LATER), 'no token from the file goes into the script');
    assert.equal(startupScript(undefined, pipIndexes(file)), `#!/usr/bin/env bash\n\n${expected}`);
  });

  it('keeps an existing script byte for byte and appends; a second run replaces its own block only', () => {
    const existing = '#!/bin/bash\r\nexport AIRFLOW_VAR=1\r\n';
    const indexes = pipIndexes(`--extra-index-url ${url(EXPIRED)}\n`);
    const once = startupScript(existing, indexes);
    assert.ok(once.startsWith(existing + '\r\n# >>> CodeArtifact'), 'existing text kept, then a blank line and the block');
    assert.ok(!/[^\r]\n/.test(once), 'the block takes the script\'s CRLF line endings');
    assert.equal(startupScript(once, indexes), once, 'regenerating is idempotent');
    const exiting = startupScript('#!/bin/bash\necho hi\nexit 0\n# end\n', indexes);
    assert.ok(exiting.startsWith('#!/bin/bash\necho hi\n# >>> CodeArtifact'), 'the block goes before a final exit');
    assert.ok(exiting.endsWith('# <<< CodeArtifact pip index <<<\n\nexit 0\n# end\n'));
    const noFinalNewline = startupScript('#!/bin/bash\necho hi', indexes);
    assert.ok(noFinalNewline.startsWith('#!/bin/bash\necho hi\n\n# >>>'));
  });

  it('refuses a file with no CodeArtifact index option, and URLs a shell would expand', () => {
    assert.throws(() => startupBlock(pipIndexes('boto3\n')), (e: unknown) => isRefresherError(e) && e.code === 'NoEndpoints');
    assert.throws(() => startupBlock(pipIndexes(`--index-url https://aws:T0K3N@${host('d1')}/pypi/$(reboot)/simple/\n`)), (e: unknown) => isRefresherError(e) && e.code === 'InvalidInput' && !e.message.includes('T0K3N'));
  });

  it('a URL without an aws: password gets one', () => {
    const [i] = pipIndexes(`-i https://${host('mydomain')}/pypi/r/simple/\n`);
    assert.ok(startupBlock([i]).includes(`export PIP_INDEX_URL="https://aws:\${CODEARTIFACT_TOKEN_1}@${host('mydomain')}/pypi/r/simple/"`));
  });
});

describe('core/mwaa: classification', () => {
  const requirements = '-r /usr/local/airflow/dags/codeartifact.txt\nboto3\n';
  const included = (text?: string) => dagIncludes(requirements).map((include) => ({ include, text }));
  const script = '#!/bin/bash\nexport PIP_EXTRA_INDEX_URL="https://aws:${T}@x/"\n';
  const now = new Date('2026-01-01T12:00:00Z');

  it('legacy file, startup script, both, none', () => {
    assert.equal(classifySetup({ requirements, included: included(`--extra-index-url ${url(EXPIRED)}\n`) }).kind, 'legacy-file');
    assert.equal(classifySetup({ requirements: 'boto3\n', included: [], startupScript: script }).kind, 'startup-script');
    assert.equal(classifySetup({ requirements, included: included(`--extra-index-url ${url(EXPIRED)}\n`), startupScript: script }).kind, 'both');
    assert.equal(classifySetup({ requirements, included: included(undefined), startupScript: '#!/bin/bash\necho PIP_INDEX_URL\n' }).kind, 'none', 'a missing file and a script that only mentions the name');
    assert.equal(classifySetup({ requirements, included: included('pandas\n') }).kind, 'none', 'an included file without a CodeArtifact URL');
  });

  it('reads the soonest expiry from the tokens and flags an expired one', () => {
    const setup = classifySetup({ requirements, included: included(`--index-url ${url(LATER)}\n--extra-index-url ${url(EXPIRED, host('d2'))}\n`) });
    assert.equal(setup.tokenExpiry?.toISOString(), '2026-01-01T00:00:00.000Z');
    assert.match(describeSetup(setup, now), /token expired: new workers will fail to install packages/);
    assert.doesNotMatch(describeSetup(setup, new Date('2025-12-31T00:00:00Z')), /expired/);
  });

  it('recognises exports of pip index variables', () => {
    assert.ok(exportsPipIndex('export PIP_INDEX_URL=x'));
    assert.ok(exportsPipIndex('  export FOO=1 PIP_EXTRA_INDEX_URL'));
    assert.ok(!exportsPipIndex('# export PIP_INDEX_URL=x'));
    assert.ok(!exportsPipIndex('export PIP_INDEX_URLS=x'));
  });
});
