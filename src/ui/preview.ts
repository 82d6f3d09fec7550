/**
 * The diff shown before anything is written: current vs proposed, through a read-only content provider.
 * URIs and titles carry an opaque id and the object's name only; tokens are masked in the text unless
 * `codeartifact.diff.showTokens` is on.
 */
import * as vscode from 'vscode';
import { findTokens, readTokenExpiry } from '../core';

export const PREVIEW_SCHEME = 'codeartifact-preview';

interface PreviewPair {
  current: string;
  proposed: string;
}

export class PreviewProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly pairs = new Map<string, PreviewPair>();
  /** Ids shown as diffs (closed by close(), not when one side's document closes). */
  private readonly diffs = new Set<string>();
  private next = 0;
  private readonly registration: vscode.Disposable;

  constructor() {
    this.registration = vscode.Disposable.from(
      vscode.workspace.registerTextDocumentContentProvider(PREVIEW_SCHEME, this),
      // Free what a view holds when it closes (a diff is closed by close(); a read-only view by the person).
      vscode.workspace.onDidCloseTextDocument((d) => {
        if (d.uri.scheme !== PREVIEW_SCHEME) return;
        const id = d.uri.path.split('/')[1];
        if (!this.diffs.has(id)) this.pairs.delete(id);
      }),
    );
  }

  /** Texts currently held (tests check that closed views are forgotten). */
  get held(): number {
    return this.pairs.size;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const [, id, side] = uri.path.split('/');
    const pair = this.pairs.get(id);
    if (!pair) return '';
    return side === 'proposed' ? pair.proposed : pair.current;
  }

  /**
   * Opens the diff. `path` is the place's id or key: the tab shows its last segment (e.g. codeartifact.txt); `where`
   * is s3://bucket/key or the place's label. Returns the id to pass to `close`.
   */
  async show(path: string, where: string, current: string, proposed: string, showTokens: boolean): Promise<string> {
    const name = path.split('/').pop() || path;
    const id = String(++this.next);
    this.diffs.add(id);
    this.pairs.set(id, showTokens ? { current, proposed } : { current: maskTokens(current, 'current'), proposed: maskTokens(proposed, 'new') });
    const safeName = encodeURIComponent(name);
    const left = vscode.Uri.from({ scheme: PREVIEW_SCHEME, path: `/${id}/current/${safeName}` });
    const right = vscode.Uri.from({ scheme: PREVIEW_SCHEME, path: `/${id}/proposed/${safeName}` });
    // Not in the preview slot: that would replace the preview tab the person had open (their file would disappear).
    await vscode.commands.executeCommand('vscode.diff', left, right, `${name}: current ↔ refreshed (${where})`, { preview: false });
    return id;
  }

  /**
   * Opens `text` as a read-only document of this provider (never an untitled document: hot exit would write that to
   * disk). Its text is forgotten when the document closes.
   */
  async showText(name: string, text: string, showTokens: boolean): Promise<vscode.TextDocument> {
    const id = String(++this.next);
    const shown = showTokens ? text : maskTokens(text, 'current');
    this.pairs.set(id, { current: shown, proposed: shown });
    const uri = vscode.Uri.from({ scheme: PREVIEW_SCHEME, path: `/${id}/current/${encodeURIComponent(name)}` });
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { preview: true });
    return doc;
  }

  /** Closes the diff tabs of a preview and forgets its texts. */
  async close(id: string): Promise<void> {
    this.pairs.delete(id);
    this.diffs.delete(id);
    const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => {
      const input = t.input;
      return input instanceof vscode.TabInputTextDiff && input.modified.scheme === PREVIEW_SCHEME && input.modified.path.split('/')[1] === id;
    });
    if (tabs.length) await vscode.window.tabGroups.close(tabs);
  }

  dispose(): void {
    this.pairs.clear();
    this.registration.dispose();
  }
}

/**
 * Replaces each literal token with a label that still shows what changes: `‹token, expires 2026-11-25 22:00 UTC›`.
 * Placeholders such as {auth_token} stay as they are: they are not secrets and show what the file was seeded with.
 */
export function maskTokens(text: string, which: 'current' | 'new'): string {
  let out = '';
  let at = 0;
  for (const t of findTokens(text)) {
    if (t.placeholder) continue;
    const exp = readTokenExpiry(t.token);
    const label = `‹${which === 'new' ? 'new token' : 'token'}${exp ? `, expires ${exp.toISOString().slice(0, 16).replace('T', ' ')} UTC` : ''}›`;
    out += text.slice(at, t.start) + label;
    at = t.end;
  }
  return out + text.slice(at);
}
