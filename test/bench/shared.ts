/**
 * What the bench runner (plain node) and the editor-side bench module (inside the extension host) agree on.
 * No SDK and no vscode import here: the editor side must not load the AWS SDK on its own.
 */
export const BENCH_RESULT_FILE_ENV = 'BENCH_EDITOR_RESULT_FILE';
/** Endpoints of the latency proxies (50 ms per round trip) the editor switches to for the many-objects run. */
export const BENCH_LATENCY_S3_ENV = 'BENCH_LATENCY_S3';
export const BENCH_LATENCY_CA_ENV = 'BENCH_LATENCY_CODEARTIFACT';
export const BENCH_LATENCY_MS = 50;
export const MANY_OBJECTS = 20;
/** Warm runs of one refresh in the editor and in-process (b/c/d use their own counts). */
export const WARM_RUNS = 30;

export function manyObjectKeys(n = MANY_OBJECTS): string[] {
  return Array.from({ length: n }, (_, i) => `bench/env-${String(i + 1).padStart(2, '0')}/dags/codeartifact.txt`);
}

export interface Counted {
  tokenCalls: number;
  s3Requests: number;
}

export interface EditorResult {
  wasActiveBefore: boolean;
  activation: {
    activateOutsideMs: number;
    activationMs?: number;
    modulesLoaded: number;
    bytesLoaded: number;
    files: { path: string; bytes: number }[];
    awsModulesAfterActivation: string[];
    awsModulesBeforeFirstCall: string[];
  };
  firstRefresh: { ms: number; status: string; modulesLoaded: number; bytesLoaded: number; awsFiles: { path: string; bytes: number }[] } & Counted;
  warm: { samplesMs: number[]; statuses: string[] } & Counted;
  latency?: {
    singleSamplesMs: number[];
    manySamplesMs: number[];
    manyRuns: ({ written: number; failed: number } & Counted)[];
    note?: string;
  };
  scan: { name: string; bytes: number; scans: number; perScanMs: number; perScanOutsideMs: number }[];
  idle: { simulatedMinutes: number; ticks: number; setTimeoutCalls: number; visible: boolean } & Counted;
  /** 7. A workspace of `files` files, `withUrls` of them holding CodeArtifact URLs: discovery and Refresh All Tokens. */
  places?: {
    files: number;
    withUrls: number;
    discoveryMs: number[];
    found: number;
    refreshAll?: { places: number; domains: number; ms: number; written: number; failed: number } & Counted;
  };
  errors: string[];
}
