/**
 * A file on disk that is not open in an editor (a user-level ~/.pypirc, a workspace requirements file nobody opened):
 * read from disk, written by atomic replace (temp file + rename, mode and owner kept, symlinks followed), only if the
 * file still holds what was read. If the file is open in an editor with unsaved changes when the write comes, nothing
 * is written (the editor's text would otherwise be silently out of date): the loop reads again and gives up after its
 * rounds, and the person refreshes the open editor instead.
 */
import * as vscode from 'vscode';
import { RefresherError } from '../../core/errors';
import type { Snapshot, Target, TargetInfo, WriteReceipt } from '../../core/target';
import { readTextFile, replaceTextFile, type FileSnapshot } from '../files/atomicReplace';

export class FileOnDiskTarget implements Target {
  private readonly snapshots = new Map<string, FileSnapshot>();

  constructor(
    readonly info: TargetInfo,
    private readonly path: string,
  ) {}

  async read(): Promise<Snapshot> {
    const s = await readTextFile(this.path);
    this.snapshots.set(s.hash, s);
    return { text: s.text, version: s.hash };
  }

  async write(snapshot: Snapshot, plan: { after: string }): Promise<WriteReceipt> {
    const read = this.snapshots.get(snapshot.version);
    if (!read) throw new Error(`internal: ${this.info.label} was not read at version ${snapshot.version}`);
    const open = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && (d.uri.fsPath === this.path || d.uri.fsPath === read.realPath));
    if (open?.isDirty) {
      throw new RefresherError('ChangedSinceRead', `${this.info.label} has unsaved changes in an editor; nothing was written.`, 'Save or revert it, or run "Refresh Tokens in This File" in that editor.');
    }
    await replaceTextFile(read, plan.after, this.info.label);
    return {};
  }
}
