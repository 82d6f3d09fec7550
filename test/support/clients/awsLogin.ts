/**
 * Runs the real `aws codeartifact login` of Debian's awscli v2 (/usr/bin/aws, 2.9.x; never the `aws` on PATH, which
 * may be a pyenv aws-cli 1.x) against the local CodeArtifact stub, with a scratch HOME, and returns the bytes it wrote.
 *
 * What the CLI does (awscli/customizations/codeartifact/login.py, seen against the stub): GetAuthorizationToken, then
 * GetRepositoryEndpoint (GET /v1/repository/endpoint), then per tool
 *   pip:   runs `pip config set global.index-url URL`  -> $XDG_CONFIG_HOME/pip/pip.conf (the scratch ~/.config)
 *   npm:   runs `npm config set registry|//HOST/PATH:always-auth|//HOST/PATH:_authToken`  -> ~/.npmrc
 *   twine: writes ~/.pypirc itself
 * `pip` and `npm` are found on PATH, so PATH is /usr/bin:/bin (Debian's pip) plus the folder of the running node
 * (npm next to it when node is not Debian's). awscli 2.9 predates AWS_ENDPOINT_URL_*: the stub is given with
 * --endpoint-url, and only profiles with static keys work (a role profile would call the real STS).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { walkFiles } from '../walk';
import { DEBIAN_AWS, execCaptured } from './exec';
import { redactOutput } from './pip';

export type LoginTool = 'pip' | 'twine' | 'npm';

export interface AwsLoginOptions {
  tool: LoginTool;
  domain: string;
  domainOwner: string;
  repository: string;
  /** The CodeArtifact stub's URL (sandbox.endpoints.codeartifact). */
  endpointUrl: string;
  /** AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE (e.g. sandbox.env); other AWS_* variables are not passed. */
  awsEnv: Record<string, string>;
  /** AWS_PROFILE; default `default`. A profile with static keys (see the file comment). */
  profile?: string;
  /** Overrides the region of the profile (--region). */
  region?: string;
  /** --duration-seconds */
  durationSeconds?: number;
  /** Scratch HOME to use (kept); default a fresh one under the OS temp dir (also kept: the caller removes `home`). */
  home?: string;
  timeoutMs?: number;
}

export interface AwsLoginResult {
  code: number | null;
  /** stdout + stderr, redacted. */
  output: string;
  home: string;
  /** The file the tool's configuration went to: ~/.config/pip/pip.conf, ~/.pypirc or ~/.npmrc. */
  configFile: string;
  /** Its bytes, or undefined when it was not written. */
  bytes?: Buffer;
  /** Every file under `home` afterwards, relative to it, sorted (npm may add its logs under .npm/). */
  files: string[];
}

/** Where each tool's configuration lands for a scratch HOME (XDG_CONFIG_HOME = HOME/.config, NPM_CONFIG_USERCONFIG unset). */
export function loginConfigFile(tool: LoginTool, home: string): string {
  if (tool === 'pip') return path.join(home, '.config', 'pip', 'pip.conf');
  if (tool === 'twine') return path.join(home, '.pypirc');
  return path.join(home, '.npmrc');
}

export async function awsCodeartifactLogin(opts: AwsLoginOptions): Promise<AwsLoginResult> {
  const home = opts.home ?? fs.mkdtempSync(path.join(os.tmpdir(), 'aws-login-home-'));
  const env: Record<string, string> = {
    PATH: ['/usr/bin', '/bin', path.dirname(process.execPath)].join(path.delimiter),
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    LANG: 'C.UTF-8',
    AWS_PROFILE: opts.profile ?? 'default',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: '',
    // npm's update check would ask the registry the CLI just set (a CodeArtifact host): no network here.
    npm_config_update_notifier: 'false',
  };
  for (const k of ['AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE']) if (opts.awsEnv[k]) env[k] = opts.awsEnv[k];
  const args = ['codeartifact', 'login', '--tool', opts.tool, '--domain', opts.domain, '--domain-owner', opts.domainOwner, '--repository', opts.repository, '--endpoint-url', opts.endpointUrl];
  if (opts.region) args.push('--region', opts.region);
  if (opts.durationSeconds !== undefined) args.push('--duration-seconds', String(opts.durationSeconds));
  const { code, output } = await execCaptured(DEBIAN_AWS, args, { cwd: home, env, timeout: opts.timeoutMs ?? 60_000 });
  const configFile = loginConfigFile(opts.tool, home);
  return {
    code,
    output: redactOutput(output),
    home,
    configFile,
    bytes: fs.existsSync(configFile) ? fs.readFileSync(configFile) : undefined,
    files: [...walkFiles(home)].map((p) => path.relative(home, p)).sort(),
  };
}
