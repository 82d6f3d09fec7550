/**
 * Starts code-server (the real VS Code 1.100.3 workbench, served to a browser) on 127.0.0.1 with a scratch HOME, XDG
 * dirs, user-data and extensions dirs, and stops it with its whole process group. Used by the integration runner and
 * by `npm start`. Installed by test/support/setup.js into .vscode-test/code-server/.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { freePort } from '../servers/net';
import { walkFiles } from '../walk';

export { freePort };

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..', '..');
export const CODE_SERVER_VERSION = '4.100.3';
export const CODE_SERVER_ENTRY = path.join(REPO_ROOT, '.vscode-test', 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js');

export interface CodeServerDirs {
  home: string;
  userData: string;
  extensions: string;
  log: string;
}

export interface CodeServer {
  url: string;
  port: number;
  dirs: CodeServerDirs;
  /** Everything code-server printed so far. */
  output(): string;
  /** The server-side log files (exthost, remoteagent, ...) under the user-data dir, newest content. */
  logFiles(): { path: string; contents: string }[];
  stop(): Promise<void>;
}

export interface CodeServerOptions {
  /** Scratch root; HOME, XDG dirs, user-data and extensions dirs are created below it. */
  dir: string;
  /** Extra environment for code-server and therefore for the remote extension host. */
  env?: Record<string, string>;
  /** Folder to open by default. */
  folder?: string;
  readyTimeoutMs?: number;
  /** Port on 127.0.0.1; default a free one. */
  port?: number;
  /** Merged over QUIET_SETTINGS into the user settings. */
  userSettings?: Record<string, unknown>;
  /** Unpacked extension folders to put into the extensions dir before start (installed, not under development). */
  extraExtensions?: string[];
}

/** User settings for a quiet, offline, repeatable workbench (no welcome page, no update or gallery checks). */
export const QUIET_SETTINGS: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'telemetry.telemetryLevel': 'off',
  'security.workspace.trust.enabled': false,
  'chat.disableAIFeatures': true,
  'remote.autoForwardPorts': false, // the sandbox's servers are not the user's application
  'git.openRepositoryInParentFolders': 'never',
};

export function assertCodeServerInstalled(): void {
  if (!fs.existsSync(CODE_SERVER_ENTRY)) {
    throw new Error(`code-server ${CODE_SERVER_VERSION} is not installed (${path.relative(REPO_ROOT, CODE_SERVER_ENTRY)} missing). ` +
      'Run `node test/support/setup.js --for test` (npm test runs it as pretest).');
  }
}

export function scratchDirs(dir: string): CodeServerDirs {
  const dirs = {
    home: path.join(dir, 'home'),
    userData: path.join(dir, 'user-data'),
    extensions: path.join(dir, 'extensions'),
    log: path.join(dir, 'code-server.log'),
  };
  for (const d of [dirs.home, dirs.userData, dirs.extensions]) fs.mkdirSync(d, { recursive: true });
  return dirs;
}

/** Environment that keeps code-server's writes (it writes under HOME even for --version) inside the scratch dir. */
// The developer's own AWS_* variables are dropped: the editor must reach only the sandbox the caller passes in `extra`.
export function scratchEnv(dirs: CodeServerDirs, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  // Also dropped: what `npm test` / `npm start` export to their scripts (npm_config_userconfig=~/.npmrc of the real
  // user, npm_package_*, ...): the editor must see the scratch HOME's ~/.npmrc as a developer's editor would.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_') && !/^npm_/i.test(k)));
  return {
    ...inherited,
    ...extra,
    HOME: dirs.home,
    XDG_CONFIG_HOME: path.join(dirs.home, '.config'),
    XDG_DATA_HOME: path.join(dirs.home, '.local', 'share'),
    XDG_CACHE_HOME: path.join(dirs.home, '.cache'),
    XDG_STATE_HOME: path.join(dirs.home, '.local', 'state'),
  };
}


/** Runs `code-server ARGS` to completion with the scratch env (e.g. --install-extension). */
export function runCodeServerCli(dirs: CodeServerDirs, args: string[], env: Record<string, string> = {}): { ok: boolean; output: string } {
  assertCodeServerInstalled();
  const r = spawnSync(process.execPath, [CODE_SERVER_ENTRY, '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions, ...args], {
    env: scratchEnv(dirs, env),
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { ok: r.status === 0, output: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
}

function listLogs(root: string): string[] {
  return [...walkFiles(root, { skipUnreadable: true })].filter((p) => path.basename(p).endsWith('.log')).sort();
}

async function waitHealthy(url: string, child: ChildProcess, deadline: number, output: () => string): Promise<void> {
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`code-server exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${output()}`);
    }
    try {
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`code-server did not answer ${url}/healthz in time:\n${output()}`);
}

export async function startCodeServer(opts: CodeServerOptions): Promise<CodeServer> {
  assertCodeServerInstalled();
  const dirs = scratchDirs(opts.dir);
  fs.mkdirSync(path.join(dirs.userData, 'User'), { recursive: true });
  fs.writeFileSync(path.join(dirs.userData, 'User', 'settings.json'), JSON.stringify({ ...QUIET_SETTINGS, ...opts.userSettings }, null, 2));
  for (const ext of opts.extraExtensions ?? []) {
    const pkg = JSON.parse(fs.readFileSync(path.join(ext, 'package.json'), 'utf8')) as { publisher: string; name: string; version: string };
    fs.cpSync(ext, path.join(dirs.extensions, `${pkg.publisher}.${pkg.name}-${pkg.version}`), { recursive: true });
  }
  const port = opts.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const args = [
    CODE_SERVER_ENTRY,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--user-data-dir', dirs.userData,
    '--extensions-dir', dirs.extensions,
    ...(opts.folder ? [opts.folder] : []),
  ];
  const logStream = fs.createWriteStream(dirs.log);
  let buffered = '';
  // detached: its own process group, so stop() also ends the extension host and pty host it spawns.
  const child = spawn(process.execPath, args, { env: scratchEnv(dirs, opts.env), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const onData = (b: Buffer) => {
    const s = b.toString();
    buffered += s;
    if (buffered.length > 1_000_000) buffered = buffered.slice(-500_000);
    logStream.write(s);
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Last resort when the process exits without stop() (e.g. another SIGINT handler calls process.exit first).
  const killOnExit = () => killGroup('SIGKILL');
  process.on('exit', killOnExit);

  const killGroup = (signal: NodeJS.Signals) => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      /* already gone */
    }
  };
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        killGroup('SIGTERM');
        const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 5000).unref());
        if ((await Promise.race([exited.then(() => 'exited' as const), timer])) === 'timeout') killGroup('SIGKILL');
      }
      // Children of the group (exthost) may outlive the leader briefly; make sure none is left.
      killGroup('SIGKILL');
      process.off('exit', killOnExit);
      await new Promise<void>((r) => logStream.end(() => r()));
    })();
    return stopping;
  };

  try {
    await waitHealthy(url, child, Date.now() + (opts.readyTimeoutMs ?? 60_000), () => buffered);
  } catch (e) {
    await stop();
    throw e;
  }
  return {
    url,
    port,
    dirs,
    output: () => buffered,
    logFiles: () => listLogs(dirs.userData).map((p) => ({ path: p, contents: fs.readFileSync(p, 'utf8') })),
    stop,
  };
}
