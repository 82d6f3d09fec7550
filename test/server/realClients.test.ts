/**
 * Real clients at both ends (test/support/clients): Debian's awscli v2 (`/usr/bin/aws codeartifact login`) writes its
 * files against the CodeArtifact stub, and Debian's pip (`/usr/bin/python3 -m pip`) installs from the HTTPS PyPI
 * stand-in only with a token the stub issued. Tokens are never passed to assert.equal & co (their failure messages
 * print values): bytes are compared with the token replaced by a placeholder, presence with assert.ok.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { CodeartifactClient, GetAuthorizationTokenCommand, GetRepositoryEndpointCommand } from '@aws-sdk/client-codeartifact';
import { fromIni } from '@aws-sdk/credential-providers';
import { getSandbox } from './fixture';
import { SANDBOX_ACCOUNT_ID, SEED, type PypiRequest, type Sandbox } from '../support/sandbox';
import { syntheticToken } from '../support/servers/codeartifactStub';
import { startControlServer } from '../support/sandbox/control';
import { SandboxControl } from '../support/sandbox/controlClient';
import { awsCodeartifactLogin, type AwsLoginResult } from '../support/clients/awsLogin';
import { pipInstall, pypiStandInFromControl, redactOutput, type PipInstallResult } from '../support/clients/pip';

const TOKEN = '<TOKEN>';
const host = (domain: string, owner: string, region: string): string => `${domain}-${owner}.d.codeartifact.${region}.amazonaws.com`;
const HOST = host(SEED.domain, SANDBOX_ACCOUNT_ID, SEED.region);
const INDEX = `https://${HOST}/pypi/${SEED.repository}/simple/`;

describe('real clients: aws codeartifact login (Debian awscli v2) and pip (Debian python3-pip)', function () {
  this.timeout(120_000);
  let sb: Sandbox;
  let scratch: string;
  const secrets = (): string[] => sb.codeartifact.issuedTokens;

  before(async function () {
    sb = await getSandbox();
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'real-clients-'));
  });
  after(() => {
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  /** A token the stub issues now for domain/owner/region, through the SDK with the `dev` profile. */
  async function issue(domain: string = SEED.domain, region: string = SEED.region, owner = SANDBOX_ACCOUNT_ID): Promise<{ token: string; index: number }> {
    const client = new CodeartifactClient({ region, endpoint: sb.endpoints.codeartifact, credentials: fromIni({ profile: 'dev', filepath: sb.credentialsFile, configFilepath: sb.configFile }) });
    try {
      const r = await client.send(new GetAuthorizationTokenCommand({ domain, domainOwner: owner, durationSeconds: 900 }));
      const token = r.authorizationToken!;
      const issued = sb.codeartifact.findIssued(token);
      assert.ok(issued, 'the stub does not know the token it just issued');
      return { token, index: issued.index };
    } finally {
      client.destroy();
    }
  }

  /** The text of `bytes` with `token` replaced by <TOKEN>, any other token-shaped string redacted. */
  const shape = (bytes: Buffer | undefined, token: string): string => redactOutput((bytes ?? Buffer.alloc(0)).toString('utf8').split(token).join(TOKEN));

  const dirFor = (name: string): string => fs.mkdtempSync(path.join(scratch, `${name}-`));

  function assertInstalled(r: PipInstallResult, index: number, what: string): void {
    assert.equal(r.code, 0, `${what}: pip failed:\n${r.output}`);
    assert.ok(r.installed, `${what}: ca_probe/__init__.py is not in the target`);
    assert.ok(fs.existsSync(path.join(r.target, sb.pypi.probe.files[1], 'METADATA')), `${what}: no ${sb.pypi.probe.files[1]}/METADATA`);
    assert.ok(r.requests.length >= 2, `${what}: the stand-in saw ${r.requests.length} requests`);
    assert.ok(r.requests.some((q) => q.path.endsWith(`/${sb.pypi.probe.wheel}`) && q.status === 200), `${what}: the wheel was not served`);
    for (const q of r.requests) {
      assert.equal(q.host, HOST, what);
      assert.deepEqual([q.status, q.auth, q.tokenIndex], [200, 'ok', index], `${what}: ${q.path}`);
    }
  }

  function assertRefused(r: PipInstallResult, auth: PypiRequest['auth'], what: string): void {
    assert.notEqual(r.code, 0, `${what}: pip succeeded`);
    assert.ok(!r.installed, `${what}: the package was installed`);
    assert.ok(r.requests.length > 0, `${what}: the stand-in saw no request`);
    for (const q of r.requests) assert.deepEqual([q.status, q.auth], [401, auth], `${what}: ${q.path}`);
    assert.match(r.output, /No matching distribution found for ca-probe/, what);
  }

  describe('aws codeartifact login writes what the real CLI writes', function () {
    async function login(tool: 'pip' | 'twine' | 'npm', extra: { profile?: string; domain?: string; owner?: string } = {}): Promise<AwsLoginResult & { token: string }> {
      const tokensBefore = sb.codeartifact.issuedTokens.length;
      const endpointsBefore = sb.codeartifact.endpointCalls.length;
      const r = await awsCodeartifactLogin({
        tool,
        domain: extra.domain ?? SEED.domain,
        domainOwner: extra.owner ?? SANDBOX_ACCOUNT_ID,
        repository: SEED.repository,
        endpointUrl: sb.endpoints.codeartifact,
        awsEnv: sb.env,
        profile: extra.profile ?? 'dev',
        home: dirFor(`home-${tool}`),
      });
      assert.equal(r.code, 0, `aws codeartifact login --tool ${tool} failed:\n${r.output}`);
      const issued = sb.codeartifact.issuedTokens.slice(tokensBefore);
      assert.equal(issued.length, 1, 'one token issued per login');
      const [endpointCall] = sb.codeartifact.endpointCalls.slice(endpointsBefore);
      assert.ok(endpointCall?.ok, 'no successful GetRepositoryEndpoint call');
      assert.equal(endpointCall.format, tool === 'npm' ? 'npm' : 'pypi');
      assert.equal(endpointCall.accessKeyId, sb.profiles[extra.profile ?? 'dev'].accessKeyId, 'signed by the profile\'s key');
      assert.ok(r.bytes?.includes(issued[0]), `${path.relative(r.home, r.configFile)} does not hold the token the stub issued`);
      assert.ok(!r.output.includes(issued[0]), 'the CLI output (redacted) still holds the token');
      return { ...r, token: issued[0] };
    }

    it('--tool pip: `pip config set` writes ~/.config/pip/pip.conf (configparser: a blank line after the section)', async () => {
      const r = await login('pip');
      assert.deepEqual(r.files, ['.config/pip/pip.conf']);
      assert.equal(shape(r.bytes, r.token), `[global]\nindex-url = https://aws:${TOKEN}@${HOST}/pypi/${SEED.repository}/simple/\n\n`);
    });

    it('--tool twine: ~/.pypirc with `index-servers = ` (trailing space), tab-indented servers, password = TOKEN', async () => {
      const r = await login('twine');
      assert.deepEqual(r.files, ['.pypirc']);
      assert.equal(shape(r.bytes, r.token), `[distutils]\nindex-servers = \n\tpypi\n\tcodeartifact\n\n[codeartifact]\nrepository = https://${HOST}/pypi/${SEED.repository}/\nusername = aws\npassword = ${TOKEN}\n\n`);
    });

    it('--tool npm: `npm config set` writes ~/.npmrc (registry and _authToken; npm >= 9 refuses always-auth, the CLI ignores that)', async () => {
      const r = await login('npm');
      assert.ok(r.files.includes('.npmrc'), `files: ${r.files.join(', ')}`);
      assert.deepEqual(r.files.filter((f) => !f.startsWith('.npm/')), ['.npmrc'], 'nothing but .npmrc outside npm\'s own folder');
      const npmEndpoint = `${HOST}/npm/${SEED.repository}/`;
      assert.equal(shape(r.bytes, r.token), `registry=https://${npmEndpoint}\n//${npmEndpoint}:_authToken=${TOKEN}\n`);
    });

    it('the endpoint names the region the call was signed for: profile ops (eu-west-1) -> a pip.conf the real pip installs with', async () => {
      const r = await login('pip', { profile: 'ops', domain: SEED.secondDomain, owner: SEED.secondDomainOwner });
      const euHost = host(SEED.secondDomain, SEED.secondDomainOwner, SEED.secondRegion);
      assert.equal(shape(r.bytes, r.token), `[global]\nindex-url = https://aws:${TOKEN}@${euHost}/pypi/${SEED.repository}/simple/\n\n`);
      const index = sb.codeartifact.findIssued(r.token)!.index;
      const p = await pipInstall({ cwd: r.home, args: ['ca-probe'], env: { HOME: r.home }, standIn: sb.pypi, target: dirFor('target'), secrets: secrets() });
      assert.equal(p.code, 0, `pip with the CLI's pip.conf failed:\n${p.output}`);
      assert.ok(p.installed, 'not installed');
      assert.ok(p.requests.length >= 2 && p.requests.every((q) => q.host === euHost && q.auth === 'ok' && q.tokenIndex === index), JSON.stringify(p.requests));
    });
  });

  describe('GetRepositoryEndpoint route', function () {
    it('answers the SDK\'s GetRepositoryEndpoint (GET) with the signing region, and refuses an unsigned request', async () => {
      const client = new CodeartifactClient({ region: 'eu-west-1', endpoint: sb.endpoints.codeartifact, credentials: fromIni({ profile: 'ops', filepath: sb.credentialsFile, configFilepath: sb.configFile }) });
      try {
        const r = await client.send(new GetRepositoryEndpointCommand({ domain: 'sdk-domain', domainOwner: SANDBOX_ACCOUNT_ID, repository: 'sdk-repo', format: 'npm' }));
        assert.equal(r.repositoryEndpoint, `https://sdk-domain-${SANDBOX_ACCOUNT_ID}.d.codeartifact.eu-west-1.amazonaws.com/npm/sdk-repo/`);
        await assert.rejects(client.send(new GetRepositoryEndpointCommand({ domain: 'sdk-domain', repository: 'sdk-repo', format: 'rpm' as 'npm' })), (e: Error) => e.name === 'ValidationException');
      } finally {
        client.destroy();
      }
      const status = await new Promise<number>((resolve, reject) => {
        http.get(`${sb.endpoints.codeartifact}/v1/repository/endpoint?domain=x1&repository=r1&format=pypi`, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        }).on('error', reject);
      });
      assert.equal(status, 403, 'an unsigned GetRepositoryEndpoint must be refused');
      assert.equal(sb.codeartifact.endpointCalls.at(-1)?.errorType, 'UnrecognizedClientException');
    });
  });

  describe('Debian pip against the HTTPS stand-in', function () {
    it('a literal token in a requirements file (--index-url https://aws:TOKEN@HOST/...) installs; the stand-in saw that token', async () => {
      const { token, index } = await issue();
      const cwd = dirFor('literal');
      fs.writeFileSync(path.join(cwd, 'requirements.txt'), `--index-url https://aws:${token}@${HOST}/pypi/${SEED.repository}/simple/\nca-probe==1.0\n`);
      const r = await pipInstall({ cwd, args: ['-r', 'requirements.txt'], standIn: sb.pypi, target: dirFor('target'), secrets: secrets() });
      assertInstalled(r, index, 'literal token');
      assert.ok(!r.output.includes(token), 'the returned output holds the token');
    });

    it('${CODEARTIFACT_AUTH_TOKEN} in a requirements file is expanded by pip from the environment', async () => {
      const { token, index } = await issue();
      const cwd = dirFor('var');
      fs.writeFileSync(path.join(cwd, 'requirements.txt'), `--index-url https://aws:\${CODEARTIFACT_AUTH_TOKEN}@${HOST}/pypi/${SEED.repository}/simple/\nca-probe\n`);
      assertInstalled(await pipInstall({ cwd, args: ['-r', 'requirements.txt'], env: { CODEARTIFACT_AUTH_TOKEN: token }, standIn: sb.pypi, target: dirFor('target') }), index, '${VAR}');
      const unset = await pipInstall({ cwd, args: ['-r', 'requirements.txt'], standIn: sb.pypi, target: dirFor('target') });
      assert.notEqual(unset.code, 0, 'pip installed with the variable unset');
    });

    it('a pip.conf given by PIP_CONFIG_FILE installs', async () => {
      const { token, index } = await issue();
      const cwd = dirFor('conf');
      fs.writeFileSync(path.join(cwd, 'pip.conf'), `[global]\nindex-url = https://aws:${token}@${HOST}/pypi/${SEED.repository}/simple/\n`);
      assertInstalled(await pipInstall({ cwd, args: ['ca-probe'], env: { PIP_CONFIG_FILE: path.join(cwd, 'pip.conf') }, standIn: sb.pypi, target: dirFor('target') }), index, 'PIP_CONFIG_FILE');
    });

    it('~/.netrc (machine HOST login aws password TOKEN) with an index URL without credentials: Debian pip sends it on the first request', async () => {
      const { token, index } = await issue();
      const home = dirFor('netrc-home');
      fs.writeFileSync(path.join(home, '.netrc'), `machine ${HOST}\n  login aws\n  password ${token}\n`, { mode: 0o600 });
      const r = await pipInstall({ cwd: home, args: ['--index-url', INDEX, 'ca-probe'], env: { HOME: home }, standIn: sb.pypi, target: dirFor('target') });
      assertInstalled(r, index, 'netrc'); // every request 'ok': none went out without credentials first
      assert.match(r.output, new RegExp(`Looking in indexes: ${INDEX.replace(/[.]/g, '\\.')}`), 'the index URL carries no credentials');
    });

    it('an expired token: pip fails, the stand-in answered 401 (expired)', async () => {
      sb.codeartifact.setBehavior('expiring', { kind: 'expiresIn', seconds: -60 });
      try {
        const { token } = await issue('expiring');
        const url = `https://aws:${token}@${host('expiring', SANDBOX_ACCOUNT_ID, SEED.region)}/pypi/${SEED.repository}/simple/`;
        assertRefused(await pipInstall({ cwd: scratch, args: ['--index-url', url, 'ca-probe'], standIn: sb.pypi, target: dirFor('target'), secrets: [token] }), 'expired', 'expired token');
      } finally {
        sb.codeartifact.setBehavior('expiring', undefined);
      }
    });

    it('a token the stub never issued, no token at all, and another domain\'s token: 401 each', async () => {
      const now = Math.floor(Date.now() / 1000);
      const unknown = syntheticToken(now, now + 3600);
      assertRefused(await pipInstall({ cwd: scratch, args: ['--index-url', `https://aws:${unknown}@${HOST}/pypi/${SEED.repository}/simple/`, 'ca-probe'], standIn: sb.pypi, target: dirFor('target') }), 'unknown-token', 'unknown token');
      assertRefused(await pipInstall({ cwd: scratch, args: ['--index-url', INDEX, 'ca-probe'], standIn: sb.pypi, target: dirFor('target') }), 'none', 'no token');
      const other = await issue('otherdomain-x');
      assertRefused(await pipInstall({ cwd: scratch, args: ['--index-url', `https://aws:${other.token}@${HOST}/pypi/${SEED.repository}/simple/`, 'ca-probe'], standIn: sb.pypi, target: dirFor('target') }), 'wrong-domain', 'other domain\'s token');
    });

    it('the proxy tunnels only CodeArtifact hosts: pypi.org is refused and never reaches the stand-in', async () => {
      const before = sb.pypi.connects().length;
      const r = await pipInstall({ cwd: scratch, args: ['--retries', '0', '--index-url', 'https://pypi.org/simple/', 'ca-probe'], standIn: sb.pypi, target: dirFor('target') });
      assert.notEqual(r.code, 0);
      assert.equal(r.requests.length, 0, 'the stand-in saw a request for pypi.org');
      const connects = sb.pypi.connects().slice(before);
      assert.ok(connects.length > 0 && connects.every((c) => c.target === 'pypi.org:443' && !c.allowed), JSON.stringify(connects));
    });

    it('pip verifies the stand-in\'s certificate: trusting only the system CAs instead of the throwaway CA fails before any request', async () => {
      const { token } = await issue();
      const systemCas = '/etc/ssl/certs/ca-certificates.crt';
      assert.ok(fs.existsSync(systemCas), `${systemCas} missing (Debian package ca-certificates)`);
      const r = await pipInstall({ cwd: scratch, args: ['--retries', '0', '--index-url', `https://aws:${token}@${HOST}/pypi/${SEED.repository}/simple/`, 'ca-probe'], standIn: { ...sb.pypi, caFile: systemCas }, target: dirFor('target') });
      assert.notEqual(r.code, 0, 'pip installed without trusting the stand-in\'s CA');
      assert.match(r.output, /CERTIFICATE_VERIFY_FAILED/);
      assert.equal(r.requests.length, 0, 'a request got through without a verified certificate');
    });

    it('through the sandbox control channel (as an integration test does): pypiStandInFromControl + GET /pypi/requests', async () => {
      const server = await startControlServer(sb);
      try {
        const control = new SandboxControl(server.url);
        const standIn = await pypiStandInFromControl(control);
        assert.equal(standIn.caFile, sb.pypi.caFile);
        const { token, index } = await issue();
        assertInstalled(await pipInstall({ cwd: scratch, args: ['--index-url', `https://aws:${token}@${HOST}/pypi/${SEED.repository}/simple/`, 'ca-probe'], standIn, target: dirFor('target') }), index, 'via control');
        assert.equal((await control.pypiRequests()).length, sb.pypi.requests().length);
      } finally {
        await server.stop();
      }
    });
  });
});
