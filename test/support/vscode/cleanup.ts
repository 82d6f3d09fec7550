/**
 * Stops what a runner started, in reverse order, exactly once, on every path: normal end, error, SIGINT, SIGTERM.
 * One failing step does not keep the others from running.
 */
export class Cleanup {
  private readonly steps: { name: string; fn: () => unknown }[] = [];
  private running: Promise<void> | undefined;

  add(name: string, fn: () => unknown): void {
    this.steps.push({ name, fn });
  }

  run(): Promise<void> {
    this.running ??= (async () => {
      for (const { name, fn } of this.steps.reverse()) {
        const t0 = Date.now();
        try {
          await fn();
          if (Date.now() - t0 > 1000) console.log(`[cleanup] stopping ${name} took ${((Date.now() - t0) / 1000).toFixed(1)}s`);
        } catch (e) {
          console.error(`[cleanup] stopping ${name} failed: ${e instanceof Error ? e.message : String(e)}`);
        }
      }
    })();
    return this.running;
  }

  /** On Ctrl-C / SIGTERM: stop everything, then exit 130 / 143. A second Ctrl-C exits at once. */
  onSignals(): void {
    for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
      process.once(signal, () => {
        console.error(`[cleanup] ${signal}: stopping everything`);
        process.once(signal, () => process.exit(code));
        void this.run().finally(() => process.exit(code));
      });
    }
  }
}
