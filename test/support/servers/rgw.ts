/**
 * A real S3 server for tests: Ceph RADOS Gateway (radosgw 16.2 from Debian) on a one-node, in-memory cluster.
 * start-rgw.sh / stop-rgw.sh (next to this file in the source tree) do the daemon work; this module picks free
 * ports, creates S3 users with radosgw-admin, and stops the daemons by their PID files only.
 */
import { execFile, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { freePort, waitFor } from './net';

const execFileP = promisify(execFile);

export interface RgwUser {
  uid: string;
  accessKeyId: string;
  secretAccessKey: string;
}

export interface RgwOptions {
  /** State folder (deleted and re-created). */
  dir: string;
  rgwPort?: number;
  monPort?: number;
  /** S3 users to create once the gateway answers. */
  users?: RgwUser[];
}

export interface Rgw {
  endpoint: string;
  dir: string;
  /** Milliseconds from start to ready (users created). */
  startupMs: number;
  createUser(user: RgwUser): Promise<void>;
  stop(): Promise<void>;
  /** Synchronous best-effort kill (for process 'exit' handlers): SIGKILL by PID file, no waiting. */
  killSync(): void;
}

const DAEMONS = ['client.rgw.r', 'osd.0', 'mon.a'];

/** The shell scripts live in the source tree (tsc does not copy them to out/). */
export function rgwScript(name: 'start-rgw.sh' | 'stop-rgw.sh'): string {
  const candidates = [path.join(__dirname, name), path.resolve(__dirname, '../../../../test/support/servers', name)];
  const found = candidates.find((p) => fs.existsSync(p));
  if (!found) throw new Error(`rgw: ${name} not found (looked in ${candidates.join(', ')})`);
  return found;
}

export function logTail(dir: string, lines = 15): string {
  const logDir = path.join(dir, 'log');
  if (!fs.existsSync(logDir)) return '(no logs)';
  return fs
    .readdirSync(logDir)
    .map((f) => {
      const text = fs.readFileSync(path.join(logDir, f), 'utf8').trimEnd().split('\n');
      return `--- ${f} (last ${lines} lines)\n${text.slice(-lines).join('\n')}`;
    })
    .join('\n');
}

function pidsOf(dir: string): number[] {
  const pids: number[] = [];
  for (const d of DAEMONS) {
    const f = path.join(dir, 'run', `${d}.pid`);
    if (!fs.existsSync(f)) continue;
    const pid = Number(fs.readFileSync(f, 'utf8').trim());
    if (Number.isInteger(pid) && pid > 0) pids.push(pid);
  }
  return pids;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Stops the daemons of `dir` by their PID files (gateway first), waiting for each to exit; SIGKILL after 10 s. */
export async function stopRgwDir(dir: string): Promise<void> {
  for (const pid of pidsOf(dir)) {
    if (!alive(pid)) continue;
    process.kill(pid, 'SIGTERM');
    try {
      await waitFor(() => !alive(pid), 10_000, `rgw daemon ${pid} to exit`, 50);
    } catch {
      if (alive(pid)) process.kill(pid, 'SIGKILL');
      await waitFor(() => !alive(pid), 5_000, `rgw daemon ${pid} to die`, 50);
    }
  }
}

/** Starts radosgw; when the ports were picked here, a failed start (a port taken in between) is retried once on new ports. */
export async function startRgw(opts: RgwOptions): Promise<Rgw> {
  const started = Date.now();
  try {
    return await startRgwOnce(opts, started);
  } catch (e) {
    if (opts.rgwPort !== undefined || opts.monPort !== undefined) throw e;
    return await startRgwOnce(opts, started).catch((second: unknown) => {
      throw new Error(`${(second as Error).message}\n(first attempt: ${(e as Error).message.split('\n')[0]})`);
    });
  }
}

async function startRgwOnce(opts: RgwOptions, started: number): Promise<Rgw> {
  const dir = path.resolve(opts.dir);
  const rgwPort = opts.rgwPort ?? (await freePort());
  let monPort = opts.monPort ?? (await freePort());
  while (monPort === rgwPort) monPort = await freePort();
  const env = { ...process.env, RGW_PORT: String(rgwPort), MON_PORT: String(monPort), CEPH_CONF: path.join(dir, 'ceph.conf') };
  const output: string[] = [];
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn('bash', [rgwScript('start-rgw.sh'), dir], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (c: Buffer) => output.push(c.toString()));
    child.stderr.on('data', (c: Buffer) => output.push(c.toString()));
    child.on('error', reject);
    child.on('exit', resolve);
  });
  const killSync = (): void => {
    for (const pid of pidsOf(dir)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
  };
  if (code !== 0) {
    await stopRgwDir(dir).catch(() => killSync());
    const script = output.join('').trimEnd().split('\n').slice(-15).join('\n');
    throw new Error(`radosgw failed to start (exit ${code}, ports rgw=${rgwPort} mon=${monPort}).\n--- start-rgw.sh output\n${script}\n${logTail(dir)}`);
  }
  const createUser = async (u: RgwUser): Promise<void> => {
    try {
      await execFileP('radosgw-admin', ['user', 'create', '--uid', u.uid, '--display-name', u.uid, '--access-key', u.accessKeyId, '--secret-key', u.secretAccessKey], { env });
    } catch (e) {
      throw new Error(`radosgw-admin user create ${u.uid} failed: ${(e as { stderr?: string }).stderr ?? String(e)}`);
    }
  };
  try {
    // radosgw-admin calls are independent: create the users in parallel.
    await Promise.all((opts.users ?? []).map(createUser));
  } catch (e) {
    await stopRgwDir(dir).catch(() => killSync());
    throw new Error(`${(e as Error).message}\n${logTail(dir)}`);
  }
  return {
    endpoint: `http://127.0.0.1:${rgwPort}`,
    dir,
    startupMs: Date.now() - started,
    createUser,
    stop: () => stopRgwDir(dir),
    killSync,
  };
}
