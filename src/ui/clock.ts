/** The time the status bar counts with. Settable in tests (through the test API) so ok/warning/expired can be shown. */
export class Clock {
  private fixed: number | undefined;
  private readonly listeners = new Set<() => void>();

  now(): Date {
    return new Date(this.fixed ?? Date.now());
  }

  /** Freeze the clock at `at` (tests), or unfreeze with undefined. */
  set(at: Date | undefined): void {
    this.fixed = at?.getTime();
    for (const l of this.listeners) l();
  }

  onDidSet(l: () => void): { dispose(): void } {
    this.listeners.add(l);
    return { dispose: () => this.listeners.delete(l) };
  }
}
