/**
 * `npm run bench`: measures and prints; asserts nothing. Prints a table to stdout and writes bench/results/latest.json.
 *   1. package sizes (production bundles, .vsix and its files)
 *   2. one refresh of one S3 object: AWS CLI (a), boto3 (b), warm SDK v3 floor (c), extension pipeline warm (d),
 *      the real extension in the real editor (e: first after activation, warm median), requests per refresh
 *   3. 20 objects sharing one domain behind 50 ms latency: token calls, S3 requests, wall time (editor and in-process)
 *   4. activation in the real editor: activate() time, modules/bytes loaded, no AWS SDK before the first AWS call
 *   5. core throughput (measureCoreThroughput) and DocumentScanner cost per scan
 *   6. idle: 10 simulated minutes of the status bar: ticks and network calls
 * Prerequisites: `node test/support/setup.js --for bench` (radosgw, awscli, python3-boto3) and, for 2e/3/4/5/6, the
 * code-server the integration tests use (`node test/support/setup.js --for test`).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { indexUrl, startSandbox, type Sandbox } from '../support/sandbox';
import { startLatencyProxy } from '../support/servers/latencyProxy';
import { REPO_ROOT } from '../support/vscode/codeServer';
import { measureAwsCli, measureBoto3, sandboxProbe, type Endpoints, type ManyResult, type RunSet } from './clients';
import { DEBIAN_AWS, DEBIAN_PYTHON } from '../support/clients/exec';
import { runWorker } from './worker';
import { measureCoreThroughput, type CoreThroughput } from './core';
import { runEditorBench } from './editor/runner';
import { measurePackage, type PackageSizes } from './package';
import { BENCH_LATENCY_MS, manyObjectKeys, WARM_RUNS, type EditorResult } from './shared';
import { kib, median, round, summarize, verdict } from './stats';

const RUNS = { cli: 5, boto3: 10, floor: WARM_RUNS, pipeline: WARM_RUNS, latencySingle: 5, latencyMany: 3 };
const VSIX_GOAL_BYTES = 1.5 * 1024 * 1024;

type Row = [string, string, string, string];
const rows: Row[] = [];
const section = (title: string): void => void rows.push([`## ${title}`, '', '', '']);
const row = (what: string, value: string, goal = '', ok?: boolean): void => void rows.push([what, value, goal, verdict(ok)]);
const notMeasured = (what: string, why: string): void => row(what, `not measured: ${why}`);

function log(line: string): void {
  console.error(`[bench] ${line}`);
}

function machine() {
  const model = /model name\s*:\s*(.*)/.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown';
  return { nproc: os.availableParallelism(), cpu: model, node: process.version, memGiB: round(os.totalmem() / 2 ** 30), platform: `${os.type()} ${os.release()}` };
}

function ms(x: number): string {
  return Number.isFinite(x) ? `${round(x)} ms` : 'n/a';
}

function runSetRow(name: string, r: RunSet): void {
  if (r.notMeasured) return notMeasured(name, r.notMeasured);
  const s = summarize(r.samplesMs);
  row(name, `median ${ms(s.medianMs)} (min ${ms(s.minMs)}, max ${ms(s.maxMs)}, ${s.runs} runs)${r.unverified ? ', last write NOT verified' : ', last write verified'}`,
    '', undefined);
  row(`  requests per refresh`, `${r.tokenCalls} token + ${r.s3Requests} S3`);
  if (r.stepsMedianMs) row('  median per request', `token ${ms(r.stepsMedianMs.token)}, GET ${ms(r.stepsMedianMs.get)}, PUT If-Match ${ms(r.stepsMedianMs.put)}`);
}

async function seedMany(sb: Sandbox, keys: string[]): Promise<void> {
  const body = `--extra-index-url ${indexUrl(sb.seedTokens.primary)}\n`;
  await Promise.all(keys.map((Key) => sb.admin.send(new PutObjectCommand({ Bucket: sb.bucket, Key, Body: body, ContentType: 'text/plain' }))));
}

function printTable(): void {
  const w = [0, 1, 2].map((i) => Math.max(...rows.filter((r) => !r[0].startsWith('## ')).map((r) => r[i].length)));
  for (const r of rows) {
    if (r[0].startsWith('## ')) console.log(`\n${r[0]}`);
    else console.log(`${r[0].padEnd(w[0])}  ${r[1].padEnd(w[1])}  ${r[2].padEnd(w[2])}  ${r[3]}`.trimEnd());
  }
}

async function main(): Promise<void> {
  const t0 = Date.now();
  const m = machine();
  const json: Record<string, unknown> = { when: new Date().toISOString(), machine: m };
  section(`machine: ${m.nproc} cores, ${m.cpu}, ${m.memGiB} GiB, Node ${m.node}, ${m.platform}`);

  // 1. Package.
  log('package sizes (vsce package)');
  const pkg: PackageSizes = measurePackage(REPO_ROOT);
  json.package = pkg;
  section('1. package (production build)');
  row('dist/extension.js', kib(pkg.extensionJsBytes));
  row('dist/aws.js (SDK, loaded on first AWS call)', kib(pkg.awsJsBytes));
  if (pkg.vsixBytes !== undefined) {
    row('.vsix', kib(pkg.vsixBytes), '≤ 1.5 MB', pkg.vsixBytes <= VSIX_GOAL_BYTES);
    for (const f of pkg.vsixFiles ?? []) row(`  ${f.path}`, kib(f.bytes));
  } else notMeasured('.vsix', pkg.notMeasured ?? 'unknown');

  log('starting the sandbox (radosgw ~15 s)');
  const sb = await startSandbox({ log: (l) => log(l) });
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'ca-bench-home-'));
  const stops: (() => Promise<void> | void)[] = [() => sb.stop(), () => fs.rmSync(home, { recursive: true, force: true })];
  try {
    const direct: Endpoints = { s3: sb.endpoints.s3, codeartifact: sb.endpoints.codeartifact };
    const ls3 = await startLatencyProxy({ target: sb.s3proxy.endpoint, latencyMs: BENCH_LATENCY_MS });
    const lca = await startLatencyProxy({ target: sb.codeartifact.endpoint, latencyMs: BENCH_LATENCY_MS });
    stops.push(() => ls3.stop(), () => lca.stop());
    const slow: Endpoints = { s3: ls3.endpoint, codeartifact: lca.endpoint };
    const keys = manyObjectKeys();
    await seedMany(sb, keys);

    // 2a-d.
    const probe = sandboxProbe(sb);
    stops.push(() => probe.dispose());
    log(`a. AWS CLI (${RUNS.cli} runs)`);
    const cli = fs.existsSync(DEBIAN_AWS) ? await measureAwsCli(sb, probe, direct, RUNS.cli, home) : { samplesMs: [], unverified: 0, tokenCalls: 0, s3Requests: 0, notMeasured: `${DEBIAN_AWS} missing (apt awscli)` };
    log(`b. boto3 (${RUNS.boto3} runs)`);
    const boto3 = fs.existsSync(DEBIAN_PYTHON) ? await measureBoto3(sb, probe, direct, RUNS.boto3, REPO_ROOT, home) : { samplesMs: [], unverified: 0, tokenCalls: 0, s3Requests: 0, notMeasured: `${DEBIAN_PYTHON} missing` };
    log(`c. floor (${RUNS.floor} runs), d. pipeline warm (${RUNS.pipeline} runs), 3. ${keys.length} objects behind ${BENCH_LATENCY_MS} ms in-process: in a worker process`);
    const { floor, pipeline, manyIn } = await runWorker(sb, { direct, slow, keys, runs: RUNS, root: REPO_ROOT });
    log('5. core throughput');
    const core: CoreThroughput = measureCoreThroughput(4 * 1024 * 1024, false);
    log('2e/3/4/5/6 in the real editor (code-server + chromium)');
    const editor = await runEditorBench(sb, slow, log);
    json.refresh = { cli, boto3, floor, pipeline };
    json.manyInProcess = manyIn;
    json.core = core;
    json.editor = editor;

    // 2. Print.
    const floorMed = median(floor.samplesMs);
    const cliMed = median(cli.samplesMs);
    const botoMed = median(boto3.samplesMs);
    section('2. one refresh of one S3 object (token + GET + PUT), local radosgw + CodeArtifact stub');
    runSetRow('a. AWS CLI 2.9 script (4 processes)', cli);
    runSetRow('b. boto3 script (1 process)', boto3);
    runSetRow('c. floor: warm SDK v3 clients, in-process', floor);
    runSetRow('d. extension pipeline warm, in-process', pipeline);
    const e = editor.result;
    if (e) {
      const warm = summarize(e.warm.samplesMs);
      const firstGoal = e.firstRefresh.ms <= 400;
      row('e. editor: first refresh after activation', `${ms(e.firstRefresh.ms)} (${e.firstRefresh.status})`, '≤ 400 ms', firstGoal);
      row('  requests (first)', `${e.firstRefresh.tokenCalls} token + ${e.firstRefresh.s3Requests} S3`, '1 + 2', e.firstRefresh.tokenCalls === 1 && e.firstRefresh.s3Requests === 2);
      row('e. editor: warm median', `${ms(warm.medianMs)} (min ${ms(warm.minMs)}, max ${ms(warm.maxMs)}, ${warm.runs} runs, ${e.warm.statuses.filter((s) => s === 'written').length} written)`);
      row('  requests per warm refresh', `${e.warm.tokenCalls} token + ${e.warm.s3Requests} S3`, '1 + 2', e.warm.tokenCalls === 1 && e.warm.s3Requests === 2);
      const vsFloor = warm.medianMs / floorMed;
      row('  editor warm / floor (c)', `${round(vsFloor, 2)}×`, '≤ 1.2×', vsFloor <= 1.2);
      if (Number.isFinite(cliMed)) row('  AWS CLI (a) / editor warm', `${round(cliMed / warm.medianMs)}×`, '≥ 50×', cliMed / warm.medianMs >= 50);
      else notMeasured('  AWS CLI (a) / editor warm', 'no CLI number');
      if (Number.isFinite(botoMed)) row('  boto3 (b) / editor warm', `${round(botoMed / warm.medianMs)}×`, '≥ 15×', botoMed / warm.medianMs >= 15);
      else notMeasured('  boto3 (b) / editor warm', 'no boto3 number');
    } else {
      notMeasured('e. editor refresh', editor.notMeasured ?? 'unknown');
    }
    row('  pipeline warm (d) / floor (c)', `${round(median(pipeline.samplesMs) / floorMed, 2)}×`);

    section(`3. ${keys.length} objects, one domain, ${BENCH_LATENCY_MS} ms latency in front of S3 and CodeArtifact`);
    const manyRows = (label: string, r: ManyResult | EditorResult['latency']): void => {
      if (!r) return notMeasured(label, 'no result');
      const single = median(r.singleSamplesMs);
      const many = median(r.manySamplesMs);
      const last = r.manyRuns.at(-1)!;
      row(`${label}: one object (median of ${r.singleSamplesMs.length})`, ms(single));
      row(`${label}: ${keys.length} objects (median of ${r.manySamplesMs.length})`, `${ms(many)} = ${round(many / single, 2)}× one object`, '≤ 3×', many / single <= 3);
      row(`  token calls per run`, r.manyRuns.map((x) => x.tokenCalls).join(', '), '1', r.manyRuns.every((x) => x.tokenCalls === 1));
      row(`  S3 requests per run`, `${r.manyRuns.map((x) => x.s3Requests).join(', ')} (${round(last.s3Requests / keys.length, 2)} per object)`, `${2 * keys.length}`, r.manyRuns.every((x) => x.s3Requests === 2 * keys.length));
      row(`  objects written per run`, r.manyRuns.map((x) => `${x.written}/${x.written + x.failed}`).join(', '));
    };
    if (e?.latency) manyRows('editor refreshAllRemoteFiles', e.latency);
    else notMeasured('editor refreshAllRemoteFiles', editor.notMeasured ?? e?.errors.join('; ') ?? 'unknown');
    manyRows('in-process pipeline (shared TokenBatch)', manyIn);

    section('4. activation in the real editor');
    if (e) {
      const a = e.activation;
      row('activate() inside (activationMs)', a.activationMs === undefined ? 'not returned' : ms(a.activationMs), '≤ 10 ms', a.activationMs === undefined ? undefined : a.activationMs <= 10);
      row('ext.activate() timed from outside', ms(a.activateOutsideMs));
      row('already active before the bench', String(e.wasActiveBefore));
      row('JS loaded at activation', `${a.modulesLoaded} module(s), ${kib(a.bytesLoaded)}: ${a.files.map((f) => path.relative(REPO_ROOT, f.path)).join(', ')}`, '≤ 60 KB', a.bytesLoaded <= 60 * 1000);
      row('AWS modules after activation / before 1st AWS call', `${a.awsModulesAfterActivation.length} / ${a.awsModulesBeforeFirstCall.length}`, '0 / 0', a.awsModulesAfterActivation.length + a.awsModulesBeforeFirstCall.length === 0);
      row('JS loaded by the first AWS call', `${e.firstRefresh.modulesLoaded} module(s), ${kib(e.firstRefresh.bytesLoaded)} (${e.firstRefresh.awsFiles.map((f) => `${path.relative(REPO_ROOT, f.path)} ${kib(f.bytes)}`).join(', ')})`);
    } else notMeasured('activation', editor.notMeasured ?? 'unknown');

    section('5. core throughput and document scanning');
    row(`findEndpoints on ${kib(core.bytes)}`, `${core.findMBps} MB/s`);
    row(`replaceTokens on ${kib(core.bytes)}`, `${core.replaceMBps} MB/s`);
    row(`redact on ${kib(core.bytes)}`, `${core.redactMBps} MB/s`);
    if (e) for (const s of e.scan) row(`DocumentScanner.scan: ${s.name} (${kib(s.bytes)})`, `${round(s.perScanMs, 3)} ms per scan (${s.scans} scans; ${round(s.perScanOutsideMs, 3)} ms timed outside)`);
    else notMeasured('DocumentScanner.scan', editor.notMeasured ?? 'unknown');

    section('6. idle: status bar tracking tokens, 10 simulated minutes');
    if (e) {
      const i = e.idle;
      row('timer ticks', `${i.ticks} ticks, ${i.setTimeoutCalls} setTimeout calls in ${i.simulatedMinutes} min (item visible: ${i.visible})`, `≤ ${i.simulatedMinutes}`, i.ticks <= i.simulatedMinutes && i.setTimeoutCalls <= i.simulatedMinutes + 1);
      row('network calls while idle', `${i.tokenCalls} token + ${i.s3Requests} S3`, '0', i.tokenCalls + i.s3Requests === 0);
    } else notMeasured('idle', editor.notMeasured ?? 'unknown');
    section('7. places on disk: discovery and Refresh All Tokens');
    if (e?.places) {
      const p = e.places;
      const d = [...p.discoveryMs].sort((a, b) => a - b);
      row(`workspace discovery: ${p.files} files, ${p.withUrls} with CodeArtifact URLs`, `median ${ms(d[Math.floor(d.length / 2)])} (min ${ms(d[0])}, max ${ms(d[d.length - 1])}, ${d.length} runs; after activation, no AWS call); found ${p.found}`);
      const r = p.refreshAll;
      if (r) {
        row(`Refresh All Tokens: ${r.places} places sharing ${r.domains} domains (confirm: false)`, `${ms(r.ms)}; ${r.written} written, ${r.failed} not; ${r.tokenCalls} token calls, ${r.s3Requests} S3 requests`, `${r.domains} calls`, r.tokenCalls === r.domains);
      }
    } else notMeasured('places', editor.notMeasured ?? 'unknown');
    if (e?.errors.length) row('editor bench notes', e.errors.join('; '));
    if (editor.startupMs !== undefined) row('(editor start-up: code-server + workbench)', ms(editor.startupMs));
  } finally {
    for (const s of stops.reverse()) await s();
  }
  rows.push(['', '', '', '']);
  row('bench wall time', `${round((Date.now() - t0) / 1000)} s`);
  printTable();
  const out = path.join(REPO_ROOT, 'bench', 'results', 'latest.json');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify({ ...json, table: rows }, null, 2));
  console.log(`\nJSON: ${path.relative(REPO_ROOT, out)}`);
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
