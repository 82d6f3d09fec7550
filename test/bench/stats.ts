/** Small helpers shared by the bench: timing, medians, formatting. No timed assertions anywhere: it measures and prints. */

export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export interface Sample {
  runs: number;
  medianMs: number;
  minMs: number;
  maxMs: number;
}

export function summarize(xs: readonly number[]): Sample {
  return { runs: xs.length, medianMs: round(median(xs)), minMs: round(Math.min(...xs)), maxMs: round(Math.max(...xs)) };
}

export function round(x: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** Runs `fn` `runs` times one after another and returns the durations in ms. */
export async function timeRuns(runs: number, fn: (i: number) => Promise<void>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = nowMs();
    await fn(i);
    out.push(nowMs() - t0);
  }
  return out;
}

export function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

/** "goal met" / "goal MISSED" for a printed line; undefined goal prints nothing. */
export function verdict(ok: boolean | undefined): string {
  return ok === undefined ? '' : ok ? 'goal met' : 'goal MISSED';
}
