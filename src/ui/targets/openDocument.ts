/**
 * An open editor document as a refresh target. Read: its text now (unsaved edits included) and its version. Write: one
 * WorkspaceEdit of the minimal token edits (one undo reverts it), applied only if the document is still at the version
 * that was read — a person typing meanwhile makes it "changed since read", and the loop plans again on the new text.
 */
import * as vscode from 'vscode';
import { RefresherError } from '../../core/errors';
import type { TokenEdit } from '../../core/pipeline';
import type { Snapshot, Target, TargetInfo, WriteReceipt } from '../../core/target';
import { fileKind, fileLabel } from '../places';

export function documentLabel(doc: vscode.TextDocument): string {
  return fileLabel(doc.uri);
}

export class DocumentTarget implements Target {
  readonly info: TargetInfo;

  constructor(
    private readonly doc: vscode.TextDocument,
    profile: string,
    private readonly save: boolean,
  ) {
    this.info = { id: doc.uri.toString(), kind: fileKind(doc.uri), label: documentLabel(doc), profile, undoable: true };
  }

  private get name(): string {
    return this.doc.isUntitled ? 'This untitled file' : this.info.label;
  }

  async read(): Promise<Snapshot> {
    this.checkOpen();
    return { text: this.doc.getText(), version: String(this.doc.version) };
  }

  async write(snapshot: Snapshot, plan: { edits: TokenEdit[] }): Promise<WriteReceipt> {
    this.checkOpen();
    if (String(this.doc.version) !== snapshot.version) throw this.changed();
    const edit = new vscode.WorkspaceEdit();
    for (const e of plan.edits) edit.replace(this.doc.uri, new vscode.Range(this.doc.positionAt(e.start), this.doc.positionAt(e.end)), e.text);
    const applied = await vscode.workspace.applyEdit(edit);
    if (!applied) {
      this.checkOpen();
      // The editor refuses an edit whose document changed under it: that is a concurrent edit, read again.
      if (String(this.doc.version) !== snapshot.version) throw this.changed();
      throw new RefresherError('Unexpected', `The editor did not accept the change to ${this.name}; nothing was changed.`, 'Make sure the file is not read-only and try again.');
    }
    const saved = this.save && !this.doc.isUntitled ? await this.doc.save() : false;
    return { saved };
  }

  private checkOpen(): void {
    if (this.doc.isClosed) throw new RefresherError('InvalidInput', `${this.name} was closed during the refresh; nothing was changed.`, 'Open it again and run the command again.');
  }

  private changed(): RefresherError {
    return new RefresherError('ChangedSinceRead', `${this.name} changed during the refresh; nothing was changed.`, 'Run the command again.');
  }
}
