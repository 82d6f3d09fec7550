/**
 * The generated startup script, run as MWAA would (bash, sourced) with Debian's AWS CLI v2 (/usr/bin/aws, not the
 * `aws` on PATH) against the local CodeArtifact stub. That CLI version ignores AWS_ENDPOINT_URL_CODEARTIFACT, so a shim
 * `aws` first on PATH adds `--endpoint-url`. Proves: the variables hold tokens the stub issued (one call per
 * domain/owner/region), the token never reaches the trace (bash -x), and a denied token call fails the script with
 * nothing exported. And a real pip, given just the exported variables, installs through the HTTPS stand-in.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pipIndexes, startupScript } from '../../src/core/mwaa';
import { indexUrl, sandboxProcessEnv, SEED, type Sandbox } from '../support/sandbox';
import { pipInstall } from '../support/clients/pip';
import { getSandbox } from './fixture';

const AWS_CLI_V2 = '/usr/bin/aws';

describe('startup script: bash + AWS CLI v2 against the CodeArtifact stub', function () {
  this.timeout(120_000);
  let sb: Sandbox;
  let dir: string;

  before(async function () {
    if (!fs.existsSync(AWS_CLI_V2)) this.skip();
    sb = await getSandbox();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mwaa-script-'));
    fs.mkdirSync(path.join(dir, 'bin'));
    fs.writeFileSync(path.join(dir, 'bin', 'aws'), `#!/bin/sh\nexec ${AWS_CLI_V2} "$@" --endpoint-url "$TEST_CODEARTIFACT_ENDPOINT"\n`, { mode: 0o755 });
  });
  after(() => dir && fs.rmSync(dir, { recursive: true, force: true }));

  /** Async: the stubs answer from this process, so it must not block while bash runs. */
  const bash = (args: string[], env: Record<string, string>) =>
    new Promise<{ status: number | null; stderr: string }>((resolve, reject) => {
      const child = spawn('bash', args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      child.on('error', reject);
      child.on('close', (status) => {
        clearTimeout(timer);
        resolve({ status, stderr });
      });
    });

  const run = async (script: string, domains: string[]) => {
    const file = path.join(dir, `startup-${domains.join('-')}.sh`);
    const out = path.join(dir, `env-${domains.join('-')}.txt`);
    fs.rmSync(out, { force: true });
    fs.writeFileSync(file, script);
    const inherited = Object.fromEntries(Object.entries(sandboxProcessEnv(sb)).filter(([k]) => k !== 'PIP_INDEX_URL' && k !== 'PIP_EXTRA_INDEX_URL'));
    const env = {
      ...inherited,
      PATH: `${path.join(dir, 'bin')}:/usr/bin:/bin`,
      AWS_PROFILE: 'dev',
      TEST_CODEARTIFACT_ENDPOINT: sb.endpoints.codeartifact,
      OUT: out,
      HOME: dir,
    };
    // Sourced with tracing on, as a caller with `set -x` would; the environment is dumped however the script ends.
    const r = await bash(['-x', '-c', 'trap \'env > "$OUT"\' EXIT; . "$0"', file], env);
    const vars = Object.fromEntries(
      (fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : '').split('\n').filter((l) => /^(PIP_INDEX_URL|PIP_EXTRA_INDEX_URL|CODEARTIFACT_TOKEN_\d+|__codeartifact\w*)=/.test(l)).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    return { status: r.status, stderr: r.stderr, vars };
  };

  const file = (t: string) =>
    `--index-url ${indexUrl(t, 'scriptone')}\n--extra-index-url ${indexUrl(t, 'scripttwo', SEED.secondDomainOwner, SEED.secondRegion)}\n--extra-index-url ${indexUrl(t, 'scriptone', undefined, undefined).replace('my-repo', 'second')}\n`;

  it('exports PIP_INDEX_URL / PIP_EXTRA_INDEX_URL holding tokens the stub issued; the trace never shows them', async () => {
    const script = startupScript(undefined, pipIndexes(file('OLDTOKENOLDTOKEN')));
    const calls = sb.codeartifact.calls.length;
    const issued = sb.codeartifact.issuedTokens.length;
    const r = await run(script, ['ok']);
    assert.equal(r.status, 0, `script failed: ${r.stderr.split('\n').filter((l) => !l.startsWith('+')).join(' ').slice(0, 300)}`);
    const made = sb.codeartifact.calls.slice(calls);
    assert.deepEqual(made.map((c) => [c.domain, c.region, c.accessKeyId, c.status]).sort(), [
      ['scriptone', 'us-east-1', sb.profiles.dev.accessKeyId, 200],
      ['scripttwo', 'eu-west-1', sb.profiles.dev.accessKeyId, 200],
    ], 'one token call per domain/owner/region, signed with the profile\'s key');
    const [t1, t2] = sb.codeartifact.issuedTokens.slice(issued);
    const byDomain = new Map(made.map((c, i) => [c.domain, [t1, t2][i]]));
    assert.ok(r.vars.PIP_INDEX_URL === indexUrl(byDomain.get('scriptone')!, 'scriptone'), 'PIP_INDEX_URL is the index URL with the issued token');
    const extras = r.vars.PIP_EXTRA_INDEX_URL?.split(' ') ?? [];
    assert.equal(extras.length, 2, 'two extra index URLs, space-separated');
    assert.ok(extras[0] === indexUrl(byDomain.get('scripttwo')!, 'scripttwo', SEED.secondDomainOwner, SEED.secondRegion), 'first extra URL (file order) holds the second domain\'s token');
    assert.ok(extras[1] === indexUrl(byDomain.get('scriptone')!, 'scriptone').replace('my-repo', 'second'), 'second extra URL holds the first domain\'s token');
    assert.ok(!('CODEARTIFACT_TOKEN_1' in r.vars), 'the token variables are unset');
    assert.ok(![t1, t2].some((t) => r.stderr.includes(t)), 'a token appeared in the bash -x trace');
    // What a worker then does: a real pip (Debian python3-pip) with just those variables installs from the HTTPS
    // stand-in for CodeArtifact, which checks each repository's token against its domain.
    const pip = await pipInstall({ cwd: dir, args: ['ca-probe'], env: { PIP_INDEX_URL: r.vars.PIP_INDEX_URL, PIP_EXTRA_INDEX_URL: r.vars.PIP_EXTRA_INDEX_URL, PIP_CONFIG_FILE: '/dev/null' }, standIn: sb.pypi, secrets: [t1, t2] });
    fs.rmSync(pip.target, { recursive: true, force: true });
    assert.equal(pip.code, 0, pip.output);
    assert.ok(pip.installed, 'the package was installed');
    assert.deepEqual([...new Set(pip.requests.map((q) => q.auth))], ['ok'], 'every index answered with the token of its own domain');
    assert.ok(new Set(pip.requests.map((q) => q.host)).size >= 2, 'both domains\' repositories were asked');
  });

  it('a denied token call fails the script (non-zero) and exports nothing', async () => {
    sb.codeartifact.setBehavior('scripttwo', { kind: 'accessDenied' });
    try {
      const r = await run(startupScript(undefined, pipIndexes(file('OLDTOKENOLDTOKEN'))), ['denied']);
      assert.notEqual(r.status, 0);
      assert.deepEqual(Object.keys(r.vars), [], 'no pip index or token variable in the environment');
      assert.match(r.stderr, /AccessDenied/);
      assert.match(r.stderr, /startup script: no CodeArtifact token for scripttwo-\d{12} \([a-z0-9-]+\); pip index variables not set/, 'the script says which domain failed, also under set -e');
    } finally {
      sb.codeartifact.setBehavior('scripttwo', undefined);
    }
  });
});
