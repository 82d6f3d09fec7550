/**
 * One refresh of one S3 object (token + GET + PUT) done four ways outside the editor, against the same local servers:
 *   a. the AWS CLI (Debian's /usr/bin/aws 2.9), one process per step, as a person's shell script would;
 *   b. a boto3 script (Debian's python3-boto3), one process;
 *   c. the floor: the three requests with warm SDK v3 clients, in-process;
 *   d. the extension's pipeline (dist/aws.js createAwsServices -> readObject -> planRefresh + TokenBatch -> writeObject), warm.
 * Each run is checked: the object must hold the token the stub issued last (compared, never printed).
 */
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { CodeartifactClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-codeartifact';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { fromIni } from '@aws-sdk/credential-providers';
import { planRefresh } from '../../src/core/pipeline';
import { redact } from '../../src/core/redact';
import { parseS3Location } from '../../src/core/s3location';
import { TokenBatch } from '../../src/core/tokenBatch';
import type { AwsServices, AwsServicesOptions } from '../../src/aws/api';
import { DEBIAN_AWS, DEBIAN_PYTHON } from '../support/clients/exec';
import { SEED, sandboxProcessEnv, type Sandbox } from '../support/sandbox';
import { median, nowMs, round, timeRuns } from './stats';
import type { Counted } from './shared';

const execFileP = promisify(execFile);

export interface Endpoints {
  s3: string;
  codeartifact: string;
}

export interface RunSet extends Counted {
  samplesMs: number[];
  /** 1 when, after the last run, the object did not hold the token issued last. */
  unverified: number;
  notMeasured?: string;
  /** Floor only: per-request medians (ms) over the measured runs. */
  stepsMedianMs?: { token: number; get: number; put: number };
}

/** What a measurement needs to know about the servers (plain data: it crosses to the worker process). */
export interface BenchTarget {
  bucket: string;
  accountId: string;
  configFile: string;
  credentialsFile: string;
  env: Record<string, string>;
}

/** Request counters and the check that a run wrote the newly issued token; answered by the process that runs the sandbox. */
export interface Probe {
  counters(): Promise<Counted>;
  /** True when the object holds the token the stub issued last (compared, never printed). */
  holdsLastToken(key: string): Promise<boolean>;
}

export function targetOf(sb: Sandbox): BenchTarget {
  return { bucket: sb.bucket, accountId: sb.accountId, configFile: sb.configFile, credentialsFile: sb.credentialsFile, env: sb.env };
}

/** The probe in the sandbox's own process. Reads as the `default` profile straight from radosgw: the runs' objects belong to that user. */
export function sandboxProbe(sb: Sandbox): Probe & { dispose(): void } {
  const reader = new S3Client({
    region: SEED.region,
    endpoint: sb.endpoints.s3Direct,
    forcePathStyle: true,
    credentials: fromIni({ profile: 'default', filepath: sb.credentialsFile, configFilepath: sb.configFile }),
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  return {
    counters: async () => ({ tokenCalls: sb.codeartifact.calls.length, s3Requests: sb.s3proxy.requests }),
    holdsLastToken: async (key) => {
      const last = sb.codeartifact.issuedTokens.at(-1);
      if (last === undefined) return false;
      const r = await reader.send(new GetObjectCommand({ Bucket: sb.bucket, Key: key }));
      return (await r.Body!.transformToString()).includes(`aws:${last}@`);
    },
    dispose: () => reader.destroy(),
  };
}

function diff(a: Counted, b: Counted, runs: number): Counted {
  return { tokenCalls: (b.tokenCalls - a.tokenCalls) / runs, s3Requests: (b.s3Requests - a.s3Requests) / runs };
}

async function measure(probe: Probe, runs: number, key: string, one: () => Promise<void>): Promise<RunSet> {
  const before = await probe.counters();
  let unverified = 0;
  const samplesMs: number[] = [];
  // Runs back to back, as in the editor's warm loop (a check between runs changed the server's timing); the object is
  // checked after the last run, and the counters show one token call and two S3 requests per run.
  samplesMs.push(...(await timeRuns(runs, one)));
  if (!(await probe.holdsLastToken(key))) unverified++;
  return { samplesMs, unverified, ...diff(before, await probe.counters(), runs) };
}

function failure(e: unknown): string {
  const err = e as { stderr?: string; message?: string };
  return redact(`${err.stderr || err.message || String(e)}`.split('\n').filter(Boolean).slice(-2).join(' '));
}

/** a. The AWS CLI, as a shell script: token, `s3 cp` down, sed, `s3 cp` up; each a process (4 processes per run). */
export async function measureAwsCli(sb: Sandbox, probe: Probe, ep: Endpoints, runs: number, home: string): Promise<RunSet> {
  const key = SEED.codeartifactKey;
  const s3uri = `s3://${sb.bucket}/${key}`;
  // awscli 2.9 predates AWS_ENDPOINT_URL_<SERVICE> (added in 2.13): the endpoints must be given with --endpoint-url.
  const script = [
    'set -euo pipefail',
    `TOKEN=$(${DEBIAN_AWS} codeartifact get-authorization-token --domain ${SEED.domain} --domain-owner ${sb.accountId} --endpoint-url "$CA" --query authorizationToken --output text)`,
    `${DEBIAN_AWS} s3 cp "${s3uri}" - --endpoint-url "$S3" | sed -E "s#(aws:)[^@[:space:]]+@#\\1$TOKEN@#" | ${DEBIAN_AWS} s3 cp - "${s3uri}" --endpoint-url "$S3" --content-type text/plain`,
  ].join('\n');
  const env = { ...sandboxProcessEnv(sb, { PATH: process.env.PATH, HOME: home }), CA: ep.codeartifact, S3: ep.s3, AWS_PAGER: '' };
  try {
    return await measure(probe, runs, key, async () => {
      await execFileP('/bin/bash', ['-c', script], { env, timeout: 60_000 });
    });
  } catch (e) {
    return { samplesMs: [], unverified: 0, tokenCalls: 0, s3Requests: 0, notMeasured: `AWS CLI run failed: ${failure(e)}` };
  }
}

/** b. A boto3 script (test/bench/boto3-refresh.py), one process per run. */
export async function measureBoto3(sb: Sandbox, probe: Probe, ep: Endpoints, runs: number, root: string, home: string): Promise<RunSet> {
  const key = SEED.codeartifactKey;
  const env = {
    ...sandboxProcessEnv(sb, { PATH: process.env.PATH, HOME: home }),
    BENCH_CA_ENDPOINT: ep.codeartifact,
    BENCH_S3_ENDPOINT: ep.s3,
    BENCH_DOMAIN: SEED.domain,
    BENCH_OWNER: sb.accountId,
    BENCH_BUCKET: sb.bucket,
    BENCH_KEY: key,
  };
  const script = path.join(root, 'test', 'bench', 'boto3-refresh.py');
  try {
    return await measure(probe, runs, key, async () => {
      await execFileP(DEBIAN_PYTHON, [script], { env, timeout: 60_000 });
    });
  } catch (e) {
    return { samplesMs: [], unverified: 0, tokenCalls: 0, s3Requests: 0, notMeasured: `boto3 run failed: ${failure(e)}` };
  }
}

/** c. The floor: GetAuthorizationToken, GetObject, PutObject (If-Match, like the extension) with warm SDK v3 clients. */
export async function measureFloor(sb: BenchTarget, probe: Probe, ep: Endpoints, runs: number): Promise<RunSet> {
  const key = SEED.codeartifactKey;
  const resolved = await fromIni({ profile: 'default', filepath: sb.credentialsFile, configFilepath: sb.configFile })();
  const credentials = { accessKeyId: resolved.accessKeyId, secretAccessKey: resolved.secretAccessKey };
  const ca = new CodeartifactClient({ region: SEED.region, endpoint: ep.codeartifact, credentials });
  const s3 = new S3Client({
    region: SEED.region,
    endpoint: ep.s3,
    forcePathStyle: true,
    credentials,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const steps = { token: [] as number[], get: [] as number[], put: [] as number[] };
  const one = async () => {
    const t0 = nowMs();
    const t = await ca.send(new GetAuthorizationTokenCommand({ domain: SEED.domain, domainOwner: sb.accountId }));
    const t1 = nowMs();
    const got = await s3.send(new GetObjectCommand({ Bucket: sb.bucket, Key: key }));
    const text = (await got.Body!.transformToString()).replace(/(aws:)[^@\s]+@/g, (_m, p: string) => `${p}${t.authorizationToken}@`);
    const t2 = nowMs();
    await s3.send(new PutObjectCommand({ Bucket: sb.bucket, Key: key, Body: text, ContentType: 'text/plain', IfMatch: got.ETag }));
    steps.token.push(t1 - t0);
    steps.get.push(t2 - t1);
    steps.put.push(nowMs() - t2);
  };
  try {
    await one(); // warm: connections, signing keys, lazy SDK modules
    for (const k of ['token', 'get', 'put'] as const) steps[k].length = 0;
    const r = await measure(probe, runs, key, one);
    return { ...r, stepsMedianMs: { token: round(median(steps.token)), get: round(median(steps.get)), put: round(median(steps.put)) } };
  } finally {
    ca.destroy();
    s3.destroy();
  }
}

type AwsModule = { createAwsServices(options: AwsServicesOptions): AwsServices };

/** The shipped AWS bundle (dist/aws.js), loaded the way the extension loads it. */
export function loadShippedAws(root: string): AwsModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the shipped bundle, by path, as the extension loads it
  return require(path.join(root, 'dist', 'aws.js')) as AwsModule;
}

/** One refresh the way the extension does it (minus the editor): read, plan with a fresh TokenBatch, conditional write. */
export async function pipelineRefresh(services: AwsServices, uri: string, profile: string, batch?: TokenBatch): Promise<number> {
  const location = parseS3Location(uri);
  const b = batch ?? new TokenBatch((k, p) => services.getToken(k, { profile: p, durationSeconds: 43200 }));
  const object = await services.readObject(location, { profile });
  const plan = await planRefresh(object.text, uri, (k) => b.get(k, profile));
  if (plan.changed) await services.writeObject(object, plan.after, { profile });
  return plan.replaced;
}

export function pipelineEnv(sb: BenchTarget, ep: Endpoints): Record<string, string> {
  return { ...sb.env, AWS_ENDPOINT_URL_S3: ep.s3, AWS_ENDPOINT_URL_CODEARTIFACT: ep.codeartifact };
}

/** d. The extension's pipeline, warm (services created once, as in a running editor). */
export async function measurePipeline(sb: BenchTarget, probe: Probe, ep: Endpoints, runs: number, root: string): Promise<RunSet> {
  const services = loadShippedAws(root).createAwsServices({ env: pipelineEnv(sb, ep) });
  const uri = `s3://${sb.bucket}/${SEED.codeartifactKey}`;
  try {
    const profile = (await services.defaultProfile()) ?? 'default';
    await pipelineRefresh(services, uri, profile); // warm
    return await measure(probe, runs, SEED.codeartifactKey, async () => {
      await pipelineRefresh(services, uri, profile);
    });
  } finally {
    services.dispose();
  }
}

export interface ManyResult {
  singleSamplesMs: number[];
  manySamplesMs: number[];
  manyRuns: ({ written: number; failed: number } & Counted)[];
}

/** 3, in-process: N objects sharing one domain through the latency proxies; one TokenBatch per run, reads and writes concurrent. */
export async function measureManyInProcess(sb: BenchTarget, probe: Probe, ep: Endpoints, keys: string[], singleRuns: number, manyRuns: number, root: string): Promise<ManyResult> {
  const services = loadShippedAws(root).createAwsServices({ env: pipelineEnv(sb, ep) });
  try {
    const profile = (await services.defaultProfile()) ?? 'default';
    const uri = (k: string) => `s3://${sb.bucket}/${k}`;
    await pipelineRefresh(services, uri(SEED.codeartifactKey), profile); // warm
    const singleSamplesMs = await timeRuns(singleRuns, async () => {
      await pipelineRefresh(services, uri(SEED.codeartifactKey), profile);
    });
    const result: ManyResult = { singleSamplesMs, manySamplesMs: [], manyRuns: [] };
    for (let r = 0; r < manyRuns; r++) {
      const before = await probe.counters();
      const batch = new TokenBatch((k, p) => services.getToken(k, { profile: p, durationSeconds: 43200 }));
      let written = 0;
      let failed = 0;
      const [ms] = await timeRuns(1, async () => {
        const settled = await Promise.allSettled(keys.map((k) => pipelineRefresh(services, uri(k), profile, batch)));
        written = settled.filter((s) => s.status === 'fulfilled').length;
        failed = settled.length - written;
      });
      result.manySamplesMs.push(ms);
      result.manyRuns.push({ written, failed, ...diff(before, await probe.counters(), 1) });
    }
    return result;
  } finally {
    services.dispose();
  }
}
