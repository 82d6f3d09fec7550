/**
 * Watches open documents: tracks the expiry of tokens found in them (no AWS call) and sets the context key that shows
 * "Refresh CodeArtifact Tokens in This File" for files with CodeArtifact URLs. Debounced while typing.
 */
import * as vscode from 'vscode';
import { findEndpoints } from '../core';
import type { ExpiryTracker } from '../core/tracker';
import { fileKind } from './places';
import { documentLabel } from './targets/openDocument';
import { recordScan } from './tracking';

export const CONTEXT_HAS_ENDPOINTS = 'codeartifact.activeEditorHasEndpoints';
const DEBOUNCE_MS = 300;
/** Larger documents are not scanned while typing: a token file is a few lines, and a 1 MB scan costs ~20 ms (bench). */
const MAX_SCAN_CHARS = 1024 * 1024;

export class DocumentScanner implements vscode.Disposable {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly subscriptions: vscode.Disposable[] = [];
  /** Scans done and time spent (ms), for the bench. */
  readonly stats = { scans: 0, totalMs: 0 };

  constructor(private readonly tracker: ExpiryTracker) {
    this.subscriptions.push(
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d, 0)),
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document, DEBOUNCE_MS)),
      vscode.window.onDidChangeActiveTextEditor(() => this.updateContext()),
      // An untitled document is gone once closed: forget its tokens (a file keeps them on disk, so it stays tracked).
      vscode.workspace.onDidCloseTextDocument((d) => {
        if (d.isUntitled) tracker.setTarget(d.uri.toString(), [], () => '');
      }),
    );
    // At activation: every document already open (restored editors after a reload included), visible ones first.
    const visible = vscode.window.visibleTextEditors.map((e) => e.document);
    for (const d of new Set([...visible, ...vscode.workspace.textDocuments])) this.scan(d);
    this.updateContext();
  }

  private schedule(doc: vscode.TextDocument, delay: number): void {
    if (!scannable(doc)) return;
    const key = doc.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        if (!doc.isClosed) this.scan(doc);
        if (vscode.window.activeTextEditor?.document === doc) this.updateContext();
      }, delay),
    );
  }

  scan(doc: vscode.TextDocument): void {
    if (!scannable(doc)) return;
    const t0 = performance.now();
    const text = doc.getText();
    if (text.length > MAX_SCAN_CHARS) return;
    // Cheap test first: nearly every document has nothing to do with CodeArtifact.
    if (text.includes('.d.codeartifact.') || this.tracker.forTarget(doc.uri.toString()).length > 0) recordScan(this.tracker, { id: doc.uri.toString(), kind: fileKind(doc.uri), label: documentLabel(doc) }, text);
    this.stats.scans++;
    this.stats.totalMs += performance.now() - t0;
  }

  private updateContext(): void {
    const doc = vscode.window.activeTextEditor?.document;
    const text = doc && scannable(doc) ? doc.getText() : '';
    const has = text.length <= MAX_SCAN_CHARS && text.includes('.d.codeartifact.') && findEndpoints(text).length > 0;
    void vscode.commands.executeCommand('setContext', CONTEXT_HAS_ENDPOINTS, has);
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const s of this.subscriptions) s.dispose();
  }
}

/** Files and untitled editors only: not our own previews, not git/diff views of old versions, not output channels. */
const SCANNED_SCHEMES = new Set(['file', 'untitled', 'vscode-remote', 'vscode-userdata']);

function scannable(doc: vscode.TextDocument): boolean {
  return SCANNED_SCHEMES.has(doc.uri.scheme);
}
