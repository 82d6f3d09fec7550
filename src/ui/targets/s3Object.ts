/** An S3 object as a refresh target: read with GetObject, written with PutObject If-Match (the ETag that was read). */
import type { S3Location } from '../../core/s3location';
import type { Snapshot, Target, TargetInfo, WriteReceipt } from '../../core/target';
import type { S3TextObject } from '../../aws/api';
import type { LazyAws } from '../awsLoader';

export class S3ObjectTarget implements Target {
  /** The objects read, by version (ETag): a write carries the settings of the object it replaces. */
  private readonly objects = new Map<string, S3TextObject>();

  constructor(
    readonly info: TargetInfo,
    private readonly location: S3Location,
    private readonly aws: LazyAws,
    private readonly log: (line: string) => void,
  ) {}

  async read(signal: AbortSignal): Promise<Snapshot> {
    const object = await this.aws.get().readObject(this.location, { profile: this.info.profile, signal });
    this.log(`Read ${this.info.id} (${object.size} bytes, ETag ${object.etag}${object.versionId ? `, version ${object.versionId}` : ''})`);
    this.objects.set(object.etag, object);
    return { text: object.text, version: object.etag };
  }

  async write(snapshot: Snapshot, plan: { after: string }, signal: AbortSignal): Promise<WriteReceipt> {
    const previous = this.objects.get(snapshot.version);
    if (!previous) throw new Error(`internal: ${this.info.id} was not read at version ${snapshot.version}`);
    const result = await this.aws.get().writeObject(previous, plan.after, { profile: this.info.profile, signal });
    this.log(`Wrote ${this.info.id}: ETag ${result.etag}${result.versionId ? `, version ${result.versionId}` : ''}`);
    return { etag: result.etag, ...(result.versionId ? { versionId: result.versionId } : {}) };
  }
}
