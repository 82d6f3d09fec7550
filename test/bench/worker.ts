/**
 * The in-process measurements (c. floor, d. pipeline, 3. many objects in-process) run in this child process, not in
 * the bench runner: the runner hosts the If-Match proxy, the CodeArtifact stub and the latency proxies, and a client on
 * their event loop would wait for them (and they for it) — a "floor" that is not one. The editor's extension host is a
 * separate process too, so both sides are measured alike. Counters and checks are asked of the runner over IPC.
 */
import { fork } from 'node:child_process';
import type { Sandbox } from '../support/sandbox';
import { measureFloor, measureManyInProcess, measurePipeline, sandboxProbe, targetOf, type BenchTarget, type Endpoints, type ManyResult, type Probe, type RunSet } from './clients';

export interface WorkerJob {
  target: BenchTarget;
  direct: Endpoints;
  slow: Endpoints;
  keys: string[];
  runs: { floor: number; pipeline: number; latencySingle: number; latencyMany: number };
  root: string;
}

export interface WorkerResult {
  floor: RunSet;
  pipeline: RunSet;
  manyIn: ManyResult;
}

type ProbeAsk = { probe: 'counters' } | { probe: 'verify'; key: string };
type ProbeRequest = ProbeAsk & { id: number };
type FromWorker = ProbeRequest | { result: WorkerResult } | { error: string };

/** Runner side: forks this file, answers its probe requests, resolves with its results. */
export function runWorker(sb: Sandbox, job: Omit<WorkerJob, 'target'>): Promise<WorkerResult> {
  const probe = sandboxProbe(sb);
  const child = fork(__filename, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], env: { ...process.env, NODE_NO_WARNINGS: '1' } });
  return new Promise<WorkerResult>((resolve, reject) => {
    child.on('message', (m: FromWorker) => {
      if ('result' in m) resolve(m.result);
      else if ('error' in m) reject(new Error(`bench worker: ${m.error}`));
      else {
        const answer = m.probe === 'counters' ? probe.counters() : probe.holdsLastToken(m.key);
        void answer.then(
          (value) => child.send({ id: m.id, value }),
          (e: unknown) => child.send({ id: m.id, error: String(e) }),
        );
      }
    });
    child.on('exit', (code) => reject(new Error(`bench worker exited with ${code} before sending results`)));
    child.send({ ...job, target: targetOf(sb) } satisfies WorkerJob);
  }).finally(() => {
    probe.dispose();
    child.kill();
  });
}

/** Worker side: a Probe that asks the runner. */
function ipcProbe(): Probe {
  let next = 1;
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  process.on('message', (m: { id?: number; value?: unknown; error?: string }) => {
    const w = m.id === undefined ? undefined : waiting.get(m.id);
    if (!w) return;
    waiting.delete(m.id!);
    if (m.error) w.reject(new Error(m.error));
    else w.resolve(m.value);
  });
  const ask = <T>(req: ProbeAsk) =>
    new Promise<T>((resolve, reject) => {
      const id = next++;
      waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      process.send!({ ...req, id });
    });
  return { counters: () => ask({ probe: 'counters' }), holdsLastToken: (key) => ask({ probe: 'verify', key }) };
}

if (require.main === module && process.send) {
  process.once('message', (job: WorkerJob) => {
    const probe = ipcProbe();
    void (async () => {
      try {
        const floor = await measureFloor(job.target, probe, job.direct, job.runs.floor);
        const pipeline = await measurePipeline(job.target, probe, job.direct, job.runs.pipeline, job.root);
        const manyIn = await measureManyInProcess(job.target, probe, job.slow, job.keys, job.runs.latencySingle, job.runs.latencyMany, job.root);
        process.send!({ result: { floor, pipeline, manyIn } });
      } catch (e) {
        process.send!({ error: e instanceof Error ? e.message : String(e) });
      }
    })();
  });
}
