/**
 * Bench module run inside the real editor's extension host (loaded as `extensionTestsPath` by test/bench/editor/runner.ts).
 * It measures, in this order: activation (time, modules and bytes loaded, no AWS SDK), the first refresh after
 * activation (SDK load and credential resolution included) and warm refreshes through the real command, refreshAll
 * over many objects behind 50 ms latency proxies, a simulated idle status bar, and the DocumentScanner's cost per scan.
 * It asserts nothing about time: it writes what it measured to the file named by BENCH_EDITOR_RESULT_FILE.
 * It never loads the AWS SDK itself (the sandbox control client uses node:http only).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Clock } from '../../../src/ui/clock';
import { ExpiryStatusBar, type Timers } from '../../../src/ui/statusBar';
import type { WarnedTokens } from '../../../src/ui/state';
import type { Deps } from '../../../src/ui/deps';
import type { DocumentScanner } from '../../../src/ui/documentScanner';
import { SandboxControl } from '../../support/sandbox/controlClient';
import { realisticText } from '../core';
import { BENCH_LATENCY_CA_ENV, BENCH_LATENCY_S3_ENV, BENCH_RESULT_FILE_ENV, manyObjectKeys, WARM_RUNS, type Counted, type EditorResult } from '../shared';

const EXTENSION_ID = 'codeartifact-tools.codeartifact-token-refresher';
const BUCKET = 'mwaa-dev-environment';
const OBJECT = `s3://${BUCKET}/dags/codeartifact.txt`;

interface TestApi {
  deps: Deps;
  scanner: DocumentScanner;
  activationMs: number;
}

const ms = (t0: number) => performance.now() - t0;

function fileBytes(p: string): number {
  try {
    return fs.statSync(p).size;
  } catch {
    return 0;
  }
}

function isAwsModule(k: string): boolean {
  return k.includes(`${path.sep}@aws-sdk${path.sep}`) || k.includes(`${path.sep}@smithy${path.sep}`) || k.endsWith(`${path.sep}dist${path.sep}aws.js`);
}

function awsModulesLoaded(): string[] {
  return Object.keys(require.cache).filter(isAwsModule);
}

function loadedSince(before: Set<string>): { path: string; bytes: number }[] {
  return Object.keys(require.cache)
    .filter((k) => !before.has(k))
    .map((k) => ({ path: k, bytes: fileBytes(k) }));
}

async function counters(control: SandboxControl): Promise<Counted> {
  const [calls, proxy] = await Promise.all([control.calls(), control.s3proxy()]);
  return { tokenCalls: calls.length, s3Requests: proxy.requests };
}

function delta(a: Counted, b: Counted, runs = 1): Counted {
  return { tokenCalls: (b.tokenCalls - a.tokenCalls) / runs, s3Requests: (b.s3Requests - a.s3Requests) / runs };
}

function statusOf(outcome: unknown): string {
  if (Array.isArray(outcome)) return outcome.map(statusOf).join(',');
  return typeof outcome === 'object' && outcome !== null && 'status' in outcome ? String((outcome as { status: unknown }).status) : String(outcome);
}

async function refreshOne(): Promise<{ ms: number; status: string }> {
  const t0 = performance.now();
  const outcome = await vscode.commands.executeCommand('codeartifact.refreshRemoteFile', { uri: OBJECT, confirm: false });
  return { ms: ms(t0), status: statusOf(outcome) };
}

/** Fake timers over a simulated clock: the status bar's setTimeout calls are recorded and fired in simulated time. */
function simulateIdle(deps: Deps, minutes: number): { ticks: number; setTimeoutCalls: number; visible: boolean } {
  const clock = new Clock();
  let now = Date.now();
  clock.set(new Date(now));
  let nextId = 1;
  const pending = new Map<number, { at: number; fn: () => void }>();
  let setTimeoutCalls = 0;
  const timers: Timers = {
    setTimeout: (fn, delayMs) => {
      setTimeoutCalls++;
      const id = nextId++;
      pending.set(id, { at: now + delayMs, fn });
      return id as unknown as ReturnType<typeof setTimeout>;
    },
    clearTimeout: (t) => void pending.delete(t as unknown as number),
  };
  const bar = new ExpiryStatusBar(deps.tracker, clock, deps.settings, deps.prompts, () => 'default', { has: () => true, add: () => undefined } as unknown as WarnedTokens, () => undefined, timers);
  try {
    const end = now + minutes * 60_000;
    for (;;) {
      const next = [...pending.entries()].sort((a, b) => a[1].at - b[1].at)[0];
      if (!next || next[1].at > end) break;
      pending.delete(next[0]);
      now = next[1].at;
      clock.set(new Date(now));
      next[1].fn();
    }
    return { ticks: bar.ticks, setTimeoutCalls, visible: bar.state.visible };
  } finally {
    bar.dispose();
  }
}

async function scanCost(scanner: DocumentScanner, file: string, name: string, rounds: number): Promise<EditorResult['scan'][number]> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  scanner.scan(doc); // first scan warms the code paths
  const before = { ...scanner.stats };
  const t0 = performance.now();
  for (let i = 0; i < rounds; i++) scanner.scan(doc);
  const outside = ms(t0);
  const scans = scanner.stats.scans - before.scans;
  return { name, bytes: Buffer.byteLength(doc.getText(), 'utf8'), scans, perScanMs: scans ? (scanner.stats.totalMs - before.totalMs) / scans : NaN, perScanOutsideMs: outside / rounds };
}

export async function run(): Promise<void> {
  const resultFile = process.env[BENCH_RESULT_FILE_ENV];
  if (!resultFile) throw new Error(`${BENCH_RESULT_FILE_ENV} is not set: run the bench with \`npm run bench\``);
  const control = SandboxControl.fromEnv();
  const errors: string[] = [];
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  if (!ext) throw new Error(`${EXTENSION_ID} is not installed in this editor`);

  // 4. Activation.
  const wasActiveBefore = ext.isActive;
  const beforeActivation = new Set(Object.keys(require.cache));
  const t0 = performance.now();
  const apiValue = (await ext.activate()) as TestApi | undefined;
  const activateOutsideMs = ms(t0);
  const activationFiles = loadedSince(beforeActivation);
  if (!apiValue?.deps) throw new Error('activate() returned no test API: is the extension running in test mode?');
  const api = apiValue;
  api.deps.prompts.answerer = () => undefined; // notifications are dismissed, as in the integration tests
  const awsModulesAfterActivation = awsModulesLoaded();
  await control.reseed();
  const awsModulesBeforeFirstCall = awsModulesLoaded();

  // 2e. First refresh after activation, then warm refreshes.
  const beforeFirst = new Set(Object.keys(require.cache));
  const c0 = await counters(control);
  const first = await refreshOne();
  const c1 = await counters(control);
  const firstFiles = loadedSince(beforeFirst);
  const warmSamples: number[] = [];
  const statuses: string[] = [];
  for (let i = 0; i < WARM_RUNS; i++) {
    const r = await refreshOne();
    warmSamples.push(r.ms);
    statuses.push(r.status);
  }
  const c2 = await counters(control);

  // 6. Idle: ten simulated minutes of the status bar with the tokens the refreshes just tracked.
  const i0 = await counters(control);
  const idleRun = simulateIdle(api.deps, 10);
  const idle = { simulatedMinutes: 10, ...idleRun, ...delta(i0, await counters(control)) };

  // 3. Many objects behind latency proxies: switch the endpoints (as a restart with other AWS_ENDPOINT_URL_* would).
  let latency: EditorResult['latency'];
  const ls3 = process.env[BENCH_LATENCY_S3_ENV];
  const lca = process.env[BENCH_LATENCY_CA_ENV];
  if (ls3 && lca) {
    const saved = { s3: process.env.AWS_ENDPOINT_URL_S3, ca: process.env.AWS_ENDPOINT_URL_CODEARTIFACT };
    process.env.AWS_ENDPOINT_URL_S3 = ls3;
    process.env.AWS_ENDPOINT_URL_CODEARTIFACT = lca;
    api.deps.aws.dispose(); // the next call builds new clients from the new environment (the SDK stays loaded)
    const config = vscode.workspace.getConfiguration('codeartifact');
    try {
      await refreshOne(); // warm the new clients
      const singleSamplesMs: number[] = [];
      for (let i = 0; i < 5; i++) singleSamplesMs.push((await refreshOne()).ms);
      await config.update('remoteFiles', manyObjectKeys().map((k) => ({ uri: `s3://${BUCKET}/${k}` })), vscode.ConfigurationTarget.Workspace);
      const manySamplesMs: number[] = [];
      const manyRuns: NonNullable<EditorResult['latency']>['manyRuns'] = [];
      for (let r = 0; r < 3; r++) {
        const before = await counters(control);
        const t = performance.now();
        const outcomes = (await vscode.commands.executeCommand('codeartifact.refreshAllRemoteFiles', { confirm: false })) as { status: string }[] | { status: string; message?: string };
        manySamplesMs.push(ms(t));
        const list = Array.isArray(outcomes) ? outcomes : [outcomes];
        const written = list.filter((o) => o.status === 'written').length;
        if (!Array.isArray(outcomes)) errors.push(`refreshAll: ${outcomes.status} ${outcomes.message ?? ''}`);
        manyRuns.push({ written, failed: list.length - written, ...delta(before, await counters(control)) });
      }
      latency = { singleSamplesMs, manySamplesMs, manyRuns };
    } finally {
      await config.update('remoteFiles', undefined, vscode.ConfigurationTarget.Workspace);
      process.env.AWS_ENDPOINT_URL_S3 = saved.s3;
      process.env.AWS_ENDPOINT_URL_CODEARTIFACT = saved.ca;
      api.deps.aws.dispose();
    }
  } else {
    errors.push(`${BENCH_LATENCY_S3_ENV}/${BENCH_LATENCY_CA_ENV} not set: many-objects run skipped`);
  }

  // 5. DocumentScanner per scan: a typical requirements file and a 1 MB file (last: its synthetic tokens are tracked).
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const scan: EditorResult['scan'] = [];
  if (folder) {
    const typical = path.join(folder, 'requirements-lf.txt');
    if (fs.existsSync(typical)) scan.push(await scanCost(api.scanner, typical, 'requirements file', 500));
    const big = path.join(folder, 'bench-1mb.txt');
    fs.writeFileSync(big, realisticText(1024 * 1024));
    scan.push(await scanCost(api.scanner, big, '1 MB mixed file', 20));
  } else {
    errors.push('no workspace folder: scanner cost not measured');
  }

  // 7. Places on disk: a workspace of 2,000 candidate files, 20 with CodeArtifact URLs (discovery); then Refresh All
  // Tokens over 50 workspace files sharing 3 domains (confirm: false).
  let places: EditorResult['places'];
  if (folder) {
    const root = path.join(folder, 'bench-places');
    const host = (d: string) => `${d}-111122223333.d.codeartifact.us-east-1.amazonaws.com`;
    const write = (i: number, text: string) => {
      fs.mkdirSync(path.join(root, `pkg-${i}`), { recursive: true });
      fs.writeFileSync(path.join(root, `pkg-${i}`, 'requirements.txt'), text);
    };
    for (let i = 0; i < 2000; i++) write(i, i % 100 === 0 ? `--extra-index-url https://aws:{auth_token}@${host('mydomain')}/pypi/my-repo/simple/\nrequests==2.32.3\n` : `requests==2.32.3\nnumpy==2.1.0\n# pkg ${i}\n`);
    const discovery = (api as unknown as { discovery: { scanWorkspace(): Promise<unknown[]> } }).discovery;
    const discoveryMs: number[] = [];
    let found = 0;
    for (let r = 0; r < 3; r++) {
      const t = performance.now();
      found = (await discovery.scanWorkspace()).filter((p) => String((p as { uri: vscode.Uri }).uri.fsPath).startsWith(root)).length;
      discoveryMs.push(ms(t));
    }
    // Exactly 50 places sharing 3 domains: the 20 files with URLs go plain, 50 others (every 40th) get URLs, the
    // domains rotating over them.
    const domains = ['mydomain', 'teamb', 'teamc'];
    for (let i = 0; i < 2000; i += 100) write(i, `requests==2.32.3\n# pkg ${i}\n`);
    for (let n = 0; n < 50; n++) write(n * 40 + 1, `--extra-index-url https://aws:{auth_token}@${host(domains[n % 3])}/pypi/my-repo/simple/\nrequests==2.32.3\n`);
    const config = vscode.workspace.getConfiguration('codeartifact');
    const savedRemote = config.inspect('remoteFiles')?.workspaceValue;
    const search = vscode.workspace.getConfiguration('search');
    const savedExclude = search.inspect('exclude')?.workspaceValue;
    // Only the 50 places: no configured S3 object, and the workspace's own top-level requirements files left out.
    await config.update('remoteFiles', [], vscode.ConfigurationTarget.Workspace);
    await search.update('exclude', { '*.txt': true }, vscode.ConfigurationTarget.Workspace);
    try {
      const before = await counters(control);
      const t = performance.now();
      const outcomes = (await vscode.commands.executeCommand('codeartifact.refreshAll', { confirm: false })) as { id: string; status: string }[] | { status: string; message?: string };
      const took = ms(t);
      const list = (Array.isArray(outcomes) ? outcomes : []).filter((o) => o.id.includes('/bench-places/'));
      if (!Array.isArray(outcomes)) errors.push(`refreshAll: ${outcomes.status} ${outcomes.message ?? ''}`);
      const written = list.filter((o) => o.status === 'written').length;
      places = { files: 2000, withUrls: 20, discoveryMs, found, refreshAll: { places: list.length, domains: 3, ms: took, written, failed: list.length - written, ...delta(before, await counters(control)) } };
    } finally {
      await config.update('remoteFiles', savedRemote, vscode.ConfigurationTarget.Workspace);
      await search.update('exclude', savedExclude, vscode.ConfigurationTarget.Workspace);
      fs.rmSync(root, { recursive: true, force: true });
    }
  }

  const result: EditorResult = {
    wasActiveBefore,
    activation: {
      activateOutsideMs,
      activationMs: api.activationMs,
      modulesLoaded: activationFiles.length,
      bytesLoaded: activationFiles.reduce((n, f) => n + f.bytes, 0),
      files: activationFiles,
      awsModulesAfterActivation,
      awsModulesBeforeFirstCall,
    },
    firstRefresh: {
      ...first,
      ...delta(c0, c1),
      modulesLoaded: firstFiles.length,
      bytesLoaded: firstFiles.reduce((n, f) => n + f.bytes, 0),
      awsFiles: firstFiles.filter((f) => isAwsModule(f.path)),
    },
    warm: { samplesMs: warmSamples, statuses, ...delta(c1, c2, WARM_RUNS) },
    latency,
    scan,
    idle,
    places,
    errors,
  };
  fs.writeFileSync(resultFile, JSON.stringify(result, null, 2));
}
