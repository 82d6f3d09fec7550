import * as assert from 'node:assert/strict';
import { redact } from '../../../src/core';
import { assertSameText, codeArtifactHeader, makeJwe } from './helpers';

const HOST = 'mydomain-111122223333.d.codeartifact.us-east-1.amazonaws.com';
const JWE = makeJwe(codeArtifactHeader(1700043200));
const hidden = (out: string, secret: string) => assert.ok(!out.includes(secret), 'a secret survived redaction');

describe('core/redact', () => {
  it('hides the URL password at a CodeArtifact host and keeps the host visible', () => {
    const out = redact(`--extra-index-url https://aws:${JWE}@${HOST}/pypi/r/simple/`);
    assertSameText(out, `--extra-index-url https://aws:****@${HOST}/pypi/r/simple/`, 'redacted line differs', [JWE]);
  });

  it('hides short non-JWE URL passwords too, at any host', () => {
    const out = redact(`https://aws:SYNTHETIC_SHORT@${HOST}/pypi/r/ https://bob:hunter2@example.com/`);
    assert.equal(out, `https://aws:****@${HOST}/pypi/r/ https://bob:****@example.com/`);
  });

  it('hides .npmrc _authToken, _auth and _password values', () => {
    const text = `//${HOST}/npm/r/:_authToken=SYNTHETIC_NPM\n//x/:_auth = "dXNlcjpwYXNz"\n_password=cGFzcw==`;
    const out = redact(text);
    assert.equal(out, `//${HOST}/npm/r/:_authToken=****\n//x/:_auth = "****"\n_password=****`);
  });

  it('hides a bare JWE-looking token anywhere (an SDK error, a JSON body)', () => {
    const text = `Error: token ${JWE} rejected; {"authorizationToken":"${JWE}"}. Retry ${JWE}.`;
    const out = redact(text);
    hidden(out, JWE);
    assert.equal(out, 'Error: token **** rejected; {"authorizationToken":"****"}. Retry ****.');
  });

  it('leaves look-alikes that are not JWE alone (5 segments without a JSON header, version numbers)', () => {
    const text = 'version 1.2.3.4.5 and a.b.c.d.e and abcdefghijklmnopqrstuvwxyz.ABC';
    assert.equal(redact(text), text);
  });

  it('hides every literal secret of length >= 8, exact occurrences only', () => {
    const out = redact('key=SECRETVALUE1 other SECRETVALUE1x short=abc', ['SECRETVALUE1', 'abc', '']);
    assert.equal(out, 'key=**** other ****x short=abc');
  });

  it('hides TOKEN assignments and Bearer headers', () => {
    assert.equal(redact('export CODEARTIFACT_AUTH_TOKEN=SYNTHETIC_VALUE'), 'export CODEARTIFACT_AUTH_TOKEN=****');
    assert.equal(redact('Authorization: Bearer SYNTHETIC_VALUE_123'), 'Authorization: Bearer ****');
  });

  it('leaves placeholders and ${VAR} references visible', () => {
    for (const p of ['{auth_token}', '$AUTH_TOKEN', '${CODEARTIFACT_AUTH_TOKEN}', '']) {
      const text = `https://aws:${p}@${HOST}/pypi/r/simple/\n//${HOST}/npm/r/:_authToken=${p}\nexport CODEARTIFACT_AUTH_TOKEN=${p || '$X'}`;
      assert.equal(redact(text), text);
    }
  });

  it("keeps the extension's own NoEndpoints message intact (issue 9: `_authToken=` followed by a backtick)", () => {
    const message = 'requirements.txt has 1 CodeArtifact URL but no token position in it (no `aws:TOKEN@` part, no `_authToken=`).';
    assert.equal(redact(message), message);
    const hint = 'Add the credentials part, e.g. `https://aws:{auth_token}@HOST/...`, and run the refresh again.';
    assert.equal(redact(`${message} ${hint}`), `${message} ${hint}`);
    assert.equal(redact('see `_password=` and `_auth=`'), 'see `_password=` and `_auth=`');
  });

  it('still hides _authToken values next to punctuation, quoted or not', () => {
    assert.equal(redact('`_authToken=SYNTHETIC_NPM`'), '`_authToken=****`');
    assert.equal(redact('_authToken="SYNTHETIC_NPM").'), '_authToken="****").');
    assert.equal(redact("_authToken='npm_SYNTH'"), "_authToken='****'");
    assert.equal(redact('_auth=dXNlcjpwYXNz\n_authToken=a.b-c_d~e+f/g='), '_auth=****\n_authToken=****');
  });

  it('keeps every other byte (CRLF, BOM) and is idempotent', () => {
    const text = `\uFEFFa\r\n-i https://aws:${JWE}@${HOST}/pypi/r/\rb\n`;
    const once = redact(text);
    assert.ok(once === `\uFEFFa\r\n-i https://aws:****@${HOST}/pypi/r/\rb\n`, 'redacted text differs');
    assert.equal(redact(once), once);
  });
  it('hides the credentials of a presigned S3 URL (security token, signature, credential), any case', () => {
    const url = 'https://b.s3.amazonaws.com/dags/codeartifact.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=ASIAEXAMPLEKEY%2F20261126%2Fus-east-1%2Fs3%2Faws4_request&x-amz-security-token=IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKEN&X-Amz-Signature=0123456789abcdef';
    const out = redact(`failed: ${url}`);
    for (const secret of ['ASIAEXAMPLEKEY', 'IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKEN', '0123456789abcdef']) assert.ok(!out.includes(secret), `${secret.slice(0, 4)}… survived`);
    assert.match(out, /X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=\*\*\*\*&x-amz-security-token=\*\*\*\*&X-Amz-Signature=\*\*\*\*$/);
  });
});
