/**
 * A target: anything that holds text with CodeArtifact tokens and can be read and conditionally written. The refresh
 * loop (refresh.ts) knows targets only through this interface.
 */
import type { RefreshPlan } from './pipeline';

/** Kinds of place a token lives; the tracker, status bar and token list show them. */
/**
 * 's3': an S3 object; 'file': a file of this workspace (or an untitled one); 'user-file': a file outside the workspace
 * (~/.pypirc); 'environment': the terminal environment's variables (per workspace folder).
 */
export type TargetKind = 's3' | 'file' | 'user-file' | 'environment';

export const TARGET_KINDS: readonly TargetKind[] = ['s3', 'file', 'user-file', 'environment'];

export interface TargetInfo {
  /** Where the token lives, stable across sessions: `s3://bucket/key`, a document URI. */
  id: string;
  kind: TargetKind;
  /** What a person recognises: a settings label, a workspace-relative path. */
  label: string;
  /** The AWS profile whose credentials fetch this target's tokens (already resolved). */
  profile: string;
  /**
   * True when the write can be undone in the editor (an open document: one undo reverts it). Undoable targets are
   * written without asking; others are shown as a diff and written only after the person agrees (unless confirm: false).
   */
  undoable?: boolean;
}

/** The text a target held when it was read, and the version a conditional write checks against. */
export interface Snapshot {
  text: string;
  /** ETag, document version, content hash: opaque to the loop. */
  version: string;
}

/** What a write reports back (shown to automation; never a token). */
export interface WriteReceipt {
  etag?: string;
  versionId?: string;
  saved?: boolean;
}

export interface Target {
  readonly info: TargetInfo;
  read(signal: AbortSignal): Promise<Snapshot>;
  /**
   * Writes `plan.after` only if the target still holds `snapshot`; otherwise throws RefresherError('ChangedSinceRead')
   * and changes nothing. `plan.edits` are the minimal edits from `snapshot.text` to `plan.after`.
   */
  write(snapshot: Snapshot, plan: Pick<RefreshPlan, 'after' | 'edits'>, signal: AbortSignal): Promise<WriteReceipt>;
}

