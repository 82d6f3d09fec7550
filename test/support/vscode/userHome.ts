/**
 * The user-level files a developer has after `aws codeartifact login --tool pip|twine|npm` — written by the real
 * Debian AWS CLI 2.9 against the local CodeArtifact endpoint into the editor's scratch HOME before it starts — plus a
 * ~/.netrc (0600) and a uv config written by hand (no tool writes those). Every token expired 30 minutes ago (the
 * endpoint is told to issue such tokens for the login): the extension must find them at start-up, with no command
 * and no AWS call, and show them as expired. The endpoint's call log is cleared afterwards, so a test can check that
 * the editor made no token call.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { awsCodeartifactLogin, type LoginTool } from '../clients/awsLogin';
import { expiredToken, indexUrl, repositoryHost, SANDBOX_ACCOUNT_ID, SEED, type Sandbox } from '../sandbox';

/** Relative to HOME: what the CLI writes for each tool, then the hand-written ones. */
export const USER_TOKEN_FILES = ['.config/pip/pip.conf', '.pypirc', '.npmrc', '.netrc', '.config/uv/uv.toml'] as const;

/** Writes every user-level token file under `home`; returns their absolute paths. */
export async function seedUserHome(home: string, sandbox: Sandbox): Promise<string[]> {
  sandbox.codeartifact.setBehavior(SEED.domain, { kind: 'expiresIn', seconds: -30 * 60 });
  try {
    for (const tool of ['pip', 'twine', 'npm'] as LoginTool[]) {
      const r = await awsCodeartifactLogin({ tool, domain: SEED.domain, domainOwner: SANDBOX_ACCOUNT_ID, repository: SEED.repository, endpointUrl: sandbox.endpoints.codeartifact, awsEnv: sandbox.env, profile: 'dev', home });
      if (r.code !== 0) throw new Error(`aws codeartifact login --tool ${tool} failed (${r.code}): ${r.output}`);
    }
  } finally {
    sandbox.codeartifact.setBehavior(SEED.domain, undefined);
  }
  const now = Math.floor(Date.now() / 1000);
  const netrc = path.join(home, '.netrc');
  fs.writeFileSync(netrc, `# written by hand\nmachine ${repositoryHost()}\n  login aws\n  password ${expiredToken(now)}\n`, { mode: 0o600 });
  fs.chmodSync(netrc, 0o600);
  const uv = path.join(home, '.config', 'uv', 'uv.toml');
  fs.mkdirSync(path.dirname(uv), { recursive: true });
  fs.writeFileSync(uv, `[[index]]\nname = "codeartifact"\nurl = "${indexUrl(expiredToken(now))}"\n`);
  sandbox.codeartifact.reset();
  const files = USER_TOKEN_FILES.map((rel) => path.join(home, rel));
  for (const f of files) if (!fs.existsSync(f)) throw new Error(`seeding HOME: ${f} was not written`);
  return files;
}
