#!/usr/bin/env node
// Fresh-machine set-up for the test tiers, `npm start` and the bench. Plain Node, no dependencies (it runs before
// node_modules exists), idempotent, and fast when everything is already there.
//
//   node test/support/setup.js --for test|start|bench
//
// Steps (one line each, with timing):
//   1. Debian packages the tests need (radosgw for S3, chromium for the workbench, ...). Installed with apt-get when
//      running as root; otherwise fail with the exact `sudo apt-get install ...` line.
//   2. node_modules: `npm ci` when missing or older than package-lock.json.
//   3. code-server 4.100.3 (= VS Code 1.100.3, the last release on Node 20) into .vscode-test/code-server/, the real
//      VS Code workbench the integration tests run in (desktop VS Code cannot be downloaded here). Skipped when the
//      marker file says the right version is installed; always verified with `--version`.
// A missing prerequisite is an error that says what to install; nothing is skipped silently.
'use strict';

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const CODE_SERVER_VERSION = '4.100.3';
const CODE_SERVER_DIR = path.join(ROOT, '.vscode-test', 'code-server');
const CODE_SERVER_MARKER = path.join(CODE_SERVER_DIR, '.installed-version');
// @vscode/ripgrep (a code-server dependency) downloads rg from GitHub in its postinstall; we seed its cache instead.
const RIPGREP_CACHE_NAME = 'vscode-ripgrep-cache-1.15.11';
const RIPGREP_TARBALL = 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz';

// What each purpose needs from Debian. imagemagick is only for README pictures and is not needed here.
const APT_BASE = [
  'chromium', // headless workbench for the integration tests (driven by playwright-core)
  'libkrb5-dev', // code-server's kerberos native module builds against it
  'ripgrep', // seeds @vscode/ripgrep (no GitHub access)
  'ceph-mon', 'ceph-osd', 'radosgw', 'ceph-common', 'uuid-runtime', // real S3 server (RADOS Gateway)
  'curl',
  'openssl', // throwaway CA and certificate of the sandbox's HTTPS PyPI stand-in (test/support/servers/tls.ts)
  'build-essential', 'python3', // node-gyp builds code-server's native modules
];
// awscli: the real `aws codeartifact login` (test/support/clients/awsLogin.ts); python3-pip: the real pip that
// consumes what the extension writes (clients/pip.ts), and the `pip` that `aws codeartifact login --tool pip` runs;
// git: the git guard's `git check-ignore` (unit tier) and the repository the integration tier makes.
const APT_EXTRA = { test: ['awscli', 'python3-boto3', 'python3-pip', 'git'], bench: ['awscli', 'python3-boto3'], start: [] };

class SetupError extends Error {}

function parseArgs(argv) {
  const i = argv.indexOf('--for');
  const purpose = i >= 0 ? argv[i + 1] : 'test';
  if (!['test', 'start', 'bench'].includes(purpose)) {
    throw new SetupError(`unknown --for ${purpose}; use --for test, --for start or --for bench`);
  }
  return { purpose };
}

function seconds(t0) {
  return `${((Date.now() - t0) / 1000).toFixed(1)}s`;
}

function step(name, fn) {
  const t0 = Date.now();
  const detail = fn();
  console.log(`[setup] ${name}: ${detail} (${seconds(t0)})`);
}

/** Runs a command with inherited output; throws SetupError with `hint` on failure. */
function run(cmd, args, opts = {}, hint = '') {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.error) throw new SetupError(`${cmd} could not be started: ${r.error.message}${hint ? `. ${hint}` : ''}`);
  if (r.status !== 0) {
    throw new SetupError(`\`${cmd} ${args.join(' ')}\` failed with exit code ${r.status}${hint ? `. ${hint}` : ''}`);
  }
}

function capture(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...opts });
  return { ok: !r.error && r.status === 0, stdout: (r.stdout || '').trim(), stderr: (r.stderr || '').trim(), error: r.error };
}

function missingDebianPackages(pkgs) {
  if (!capture('dpkg-query', ['--version']).ok) {
    throw new SetupError(`dpkg-query not found: this set-up supports Debian/Ubuntu. Install by other means: ${pkgs.join(' ')}`);
  }
  return pkgs.filter((p) => {
    const r = capture('dpkg-query', ['-W', '-f=${Status}', p]);
    return !(r.ok && r.stdout === 'install ok installed');
  });
}

function ensureDebianPackages(purpose) {
  const wanted = [...APT_BASE, ...APT_EXTRA[purpose]];
  step(`debian packages (${wanted.length})`, () => {
    const missing = missingDebianPackages(wanted);
    if (missing.length === 0) return 'all installed';
    const installLine = `apt-get install -y --no-install-recommends ${missing.join(' ')}`;
    const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
    if (!isRoot) {
      throw new SetupError(`missing Debian packages: ${missing.join(' ')}. Run:\n  sudo apt-get update && sudo ${installLine}`);
    }
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const hint = `Install them by hand: ${installLine}`;
    run('apt-get', ['update'], { env }, hint);
    run('apt-get', ['install', '-y', '--no-install-recommends', ...missing], { env }, hint);
    const still = missingDebianPackages(missing);
    if (still.length) throw new SetupError(`apt-get did not install: ${still.join(' ')}`);
    return `installed ${missing.join(' ')}`;
  });
}

function mtime(p) {
  try {
    return fs.statSync(p).mtimeMs;
  } catch {
    return -1;
  }
}

function ensureNodeModules() {
  step('node_modules', () => {
    // A git worktree may share another checkout's node_modules through a link: `npm ci` would empty the shared folder
    // and replace the link by a private copy (seen once), so a linked node_modules is left to its owner.
    const nm = path.join(ROOT, 'node_modules');
    if (fs.lstatSync(nm, { throwIfNoEntry: false })?.isSymbolicLink()) return `linked to ${fs.realpathSync(nm)}: not managed here`;
    // npm writes node_modules/.package-lock.json on every install; it is our "installed at" stamp.
    const installed = mtime(path.join(ROOT, 'node_modules', '.package-lock.json'));
    const lock = mtime(path.join(ROOT, 'package-lock.json'));
    if (lock < 0) throw new SetupError('package-lock.json is missing; cannot run npm ci');
    if (installed >= lock) return 'up to date';
    run('npm', ['ci', '--no-audit', '--no-fund'], { cwd: ROOT }, 'npm ci failed: is the npm registry reachable?');
    return installed < 0 ? 'installed (npm ci)' : 'reinstalled: package-lock.json is newer (npm ci)';
  });
}

function codeServerBin() {
  return path.join(CODE_SERVER_DIR, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
}

/** `code-server --version` with a scratch HOME (it writes under HOME even for --version). */
function verifyCodeServer() {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'cs-version-'));
  try {
    const env = { ...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), XDG_DATA_HOME: path.join(home, '.local', 'share') };
    const r = capture(process.execPath, [codeServerBin(), '--version'], { env, timeout: 60_000 });
    // It prints an "info Wrote default config" line first on a fresh HOME; the version line starts with the version.
    const first = r.stdout.split('\n').find((l) => l.startsWith(`${CODE_SERVER_VERSION} `)) || '';
    if (!r.ok || !first) {
      throw new SetupError(`code-server does not run (\`code-server --version\` said: ${r.stdout || r.stderr || r.error}). ` +
        `Delete ${path.relative(ROOT, CODE_SERVER_DIR)} and run this set-up again.`);
    }
    return first;
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
}

function seedRipgrepCache(tmpDir) {
  const rg = '/usr/bin/rg';
  if (!fs.existsSync(rg)) throw new SetupError('ripgrep is missing (/usr/bin/rg): apt-get install ripgrep');
  const cache = path.join(tmpDir, RIPGREP_CACHE_NAME);
  fs.mkdirSync(cache, { recursive: true });
  const staging = fs.mkdtempSync(path.join(tmpDir, 'rg-'));
  fs.copyFileSync(rg, path.join(staging, 'rg'));
  fs.chmodSync(path.join(staging, 'rg'), 0o755);
  run('tar', ['-czf', path.join(cache, RIPGREP_TARBALL), '-C', staging, 'rg']);
}

function ensureCodeServer() {
  step(`code-server ${CODE_SERVER_VERSION}`, () => {
    let installedVersion = '';
    try {
      installedVersion = fs.readFileSync(CODE_SERVER_MARKER, 'utf8').trim();
    } catch {
      /* not installed */
    }
    if (installedVersion === CODE_SERVER_VERSION && fs.existsSync(codeServerBin())) {
      return `cached in ${path.relative(ROOT, CODE_SERVER_DIR)}, runs: ${verifyCodeServer()}`;
    }
    fs.rmSync(CODE_SERVER_DIR, { recursive: true, force: true });
    fs.mkdirSync(CODE_SERVER_DIR, { recursive: true });
    fs.writeFileSync(path.join(CODE_SERVER_DIR, 'package.json'), JSON.stringify({ private: true, name: 'code-server-cache' }, null, 2));
    const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cs-install-'));
    try {
      seedRipgrepCache(tmpDir);
      const nodedir = capture('npm', ['config', 'get', 'nodedir']).stdout;
      const env = {
        ...process.env,
        TMPDIR: tmpDir, // where @vscode/ripgrep looks for its cache
        npm_config_unsafe_perm: 'true', // root: let the postinstall scripts run as root
        npm_config_yes: 'true', // node-pty's postinstall runs npx
        npm_config_audit: 'false',
        npm_config_fund: 'false',
        npm_config_update_notifier: 'false',
      };
      // Native modules build against Node's own headers only if nodedir survives into the nested installs.
      if (nodedir && nodedir !== 'undefined' && nodedir !== 'null') env.npm_config_nodedir = nodedir;
      run('npm', ['install', '--omit=dev', '--no-package-lock', `code-server@${CODE_SERVER_VERSION}`],
        { cwd: CODE_SERVER_DIR, env },
        'code-server needs libkrb5-dev, a C/C++ toolchain (build-essential, python3) and the npm registry');
    } finally {
      fs.rmSync(tmpDir, { recursive: true, force: true });
    }
    const version = verifyCodeServer();
    fs.writeFileSync(CODE_SERVER_MARKER, `${CODE_SERVER_VERSION}\n`);
    return `installed into ${path.relative(ROOT, CODE_SERVER_DIR)}, runs: ${version}`;
  });
}

function main() {
  const t0 = Date.now();
  const { purpose } = parseArgs(process.argv.slice(2));
  if (process.platform !== 'linux') throw new SetupError('the local servers (radosgw) and this set-up need Linux (Debian)');
  ensureDebianPackages(purpose);
  ensureNodeModules();
  ensureCodeServer(); // every purpose runs the real editor (the bench measures activation and refreshes in it)
  console.log(`[setup] ready for ${purpose} (${seconds(t0)})`);
}

try {
  main();
} catch (e) {
  if (e instanceof SetupError) {
    console.error(`[setup] FAILED: ${e.message}`);
    process.exit(1);
  }
  throw e;
}
