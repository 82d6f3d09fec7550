/**
 * A place that cannot be refreshed as configured (a malformed S3 location, no profile to use): a target whose read
 * fails with the reason, so it gets its own "failed" outcome beside the others instead of stopping them.
 */
import type { Snapshot, Target, TargetInfo, WriteReceipt } from '../../core/target';

export class UnusableTarget implements Target {
  constructor(
    readonly info: TargetInfo,
    private readonly error: unknown,
  ) {}

  read(): Promise<Snapshot> {
    return Promise.reject(this.error);
  }

  write(): Promise<WriteReceipt> {
    return Promise.reject(this.error);
  }
}
