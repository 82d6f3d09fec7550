/**
 * Runs Debian's real pip (`/usr/bin/python3 -m pip`, package python3-pip; never the pyenv pip on PATH) against the
 * PyPI stand-in, through its CONNECT proxy and trusting its throwaway CA. Plain node:child_process, so it works from
 * mocha on node and from an integration test inside the extension host (with `pypiStandInFromControl`).
 *
 *   pip install --no-cache-dir --disable-pip-version-check --no-input --target <scratch> <args...>
 *
 * --target needs no --break-system-packages with Debian's pip 23.0.1 (PEP 668's check skips --target), and
 * --no-input makes a 401 fail at once instead of prompting for a password.
 * The child's environment is `env` as given (nothing inherited, so no developer PIP_* or proxy variable leaks in),
 * plus PATH=/usr/bin:/bin and a scratch HOME when `env` has none, plus HTTPS_PROXY/https_proxy=<proxy> and
 * PIP_CERT=<ca>. Give HOME in `env` to use a ~/.netrc or ~/.config/pip/pip.conf, PIP_CONFIG_FILE for a pip.conf
 * elsewhere, NETRC for a netrc elsewhere, CODEARTIFACT_AUTH_TOKEN & co for ${VAR} in requirement files.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { PypiRequest } from '../servers/pypiStandIn';
import type { SandboxControl } from '../sandbox/controlClient';
import { DEBIAN_PYTHON, execCaptured } from './exec';

/** What pipInstall needs of the stand-in: the sandbox's `sandbox.pypi`, or `pypiStandInFromControl(control)`. */
export interface PipStandIn {
  proxyUrl: string;
  caFile: string;
  requests(): PypiRequest[] | Promise<PypiRequest[]>;
}

export interface PipInstallOptions {
  cwd: string;
  /** After `install`, e.g. ['-r', 'requirements.txt'] or ['--index-url', url, 'ca-probe']. */
  args: string[];
  /** The child's whole environment (see the file comment for what is added). */
  env?: Record<string, string>;
  standIn: PipStandIn;
  /** Where packages go; default a fresh folder under the OS temp dir (the caller removes it). */
  target?: string;
  /** Strings to redact from the output besides CodeArtifact-shaped tokens and URL passwords. */
  secrets?: string[];
  timeoutMs?: number;
}

export interface PipInstallResult {
  /** pip's exit code (null when killed by the timeout). */
  code: number | null;
  /** stdout + stderr, redacted. */
  output: string;
  target: string;
  /** What the stand-in recorded while pip ran. */
  requests: PypiRequest[];
  /** Whether `target` holds the probe package's module (ca_probe/__init__.py). */
  installed: boolean;
}

/**
 * Redacts CodeArtifact-shaped tokens (JWE compact, header starting `eyJ`), `aws:SECRET@` (except placeholders such as
 * `aws:<TOKEN>@` and pip's own `aws:****@`) and the given secrets.
 */
export function redactOutput(text: string, secrets: string[] = []): string {
  let out = text;
  for (const s of secrets) if (s.length >= 8) out = out.split(s).join('<redacted>');
  return out.replace(/eyJ[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]*){2,4}/g, '<redacted-token>').replace(/(\baws:)(?![<*])[^@\s/]+@/g, '$1<redacted>@');
}

export async function pipInstall(opts: PipInstallOptions): Promise<PipInstallResult> {
  const target = opts.target ?? fs.mkdtempSync(path.join(os.tmpdir(), 'pip-target-'));
  let scratchHome: string | undefined;
  const env: Record<string, string> = { PATH: '/usr/bin:/bin', LANG: 'C.UTF-8', ...opts.env };
  if (!env.HOME) env.HOME = scratchHome = fs.mkdtempSync(path.join(os.tmpdir(), 'pip-home-'));
  Object.assign(env, { HTTPS_PROXY: opts.standIn.proxyUrl, https_proxy: opts.standIn.proxyUrl, PIP_CERT: opts.standIn.caFile });
  for (const k of ['NO_PROXY', 'no_proxy', 'HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'all_proxy']) delete env[k];
  const before = (await opts.standIn.requests()).length;
  const args = ['-m', 'pip', 'install', '--no-cache-dir', '--disable-pip-version-check', '--no-input', '--target', target, ...opts.args];
  try {
    const { code, output } = await execCaptured(DEBIAN_PYTHON, args, { cwd: opts.cwd, env, timeout: opts.timeoutMs ?? 120_000, maxBuffer: 16 * 1024 * 1024 });
    const requests = (await opts.standIn.requests()).slice(before);
    return { code, output: redactOutput(output, opts.secrets), target, requests, installed: fs.existsSync(path.join(target, 'ca_probe', '__init__.py')) };
  } finally {
    if (scratchHome) fs.rmSync(scratchHome, { recursive: true, force: true });
  }
}

/** The stand-in seen from an integration test (inside the extension host), through the sandbox control channel. */
export async function pypiStandInFromControl(control: SandboxControl): Promise<PipStandIn> {
  const { pypi } = await control.info();
  return { proxyUrl: pypi.proxyUrl, caFile: pypi.caFile, requests: () => control.pypiRequests() };
}
