/**
 * Where tokens live, found without asking and without any AWS call: the user-level files pip, twine, npm, uv and
 * netrc readers use, and the workspace's files with CodeArtifact URLs. Runs after activation returns; keeps the
 * tracker (status bar, token list) up to date as files change: a workspace watcher, and a cheap `stat` of the
 * user-level files once a minute (their contents are read only when they changed).
 */
import * as os from 'node:os';
import * as vscode from 'vscode';
import { findTokens } from '../../core/endpoints';
import { userConfigFiles, WORKSPACE_FILE_GLOB, type UserFile } from '../../core/discovery/userFiles';
import type { ExpiryTracker } from '../../core/tracker';
import { readTextFile } from '../files/atomicReplace';
import { fileKind, fileLabel } from '../places';
import { recordScan } from '../tracking';
import { findWorkspaceTokenFiles, MAX_FILE_BYTES, type FoundFile } from './workspaceFiles';

export interface Place {
  uri: vscode.Uri;
  kind: 'file' | 'user-file';
  label: string;
  text: string;
  /** The tool that reads it (user-level files). */
  tool?: UserFile['tool'];
  folder?: vscode.WorkspaceFolder;
}

const USER_FILES_EVERY_MS = 60_000;

export class Discovery implements vscode.Disposable {
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly mtimes = new Map<string, number>();
  private timer: ReturnType<typeof setInterval> | undefined;
  /** For tests and the bench: user-level file reads, and how long the first scan took. */
  readonly stats = { userReads: 0, lastScanMs: 0 };
  /** Called with each place found or updated (the git guard listens). */
  onPlace?: (place: Place) => void;

  constructor(
    private readonly tracker: ExpiryTracker,
    private readonly log: (line: string) => void,
    private readonly env: NodeJS.ProcessEnv = process.env,
    private readonly home: string = os.homedir(),
  ) {}

  /**
   * Starts the first scan after the caller returns (activation must stay cheap), then keeps watching. Resolves with
   * the workspace files read (undefined if the scan failed), which the terminal environment's first look reuses.
   */
  start(): Promise<FoundFile[] | undefined> {
    return new Promise((resolve) =>
      setTimeout(() => {
        if (this.disposed) return resolve(undefined);
        const watcher = vscode.workspace.createFileSystemWatcher(WORKSPACE_FILE_GLOB);
        this.subscriptions.push(
          watcher,
          watcher.onDidChange((uri) => void this.rescanFile(uri)),
          watcher.onDidCreate((uri) => void this.rescanFile(uri)),
          watcher.onDidDelete((uri) => this.tracker.setTarget(uri.toString(), [], () => '')),
        );
        this.timer = setInterval(() => void this.scanUserFiles(), USER_FILES_EVERY_MS);
        const t0 = performance.now();
        let files: FoundFile[] | undefined;
        void Promise.all([this.scanUserFiles(), this.scanWorkspace((f) => (files = f))])
          .then(([user, ws]) => {
            this.stats.lastScanMs = performance.now() - t0;
            this.log(`Found ${user.length} user-level and ${ws.length} workspace file(s) with CodeArtifact tokens in ${this.stats.lastScanMs.toFixed(0)} ms (no AWS call)`);
          })
          .catch((e: unknown) => this.log(`Discovery failed: ${e instanceof Error ? e.message : String(e)}`))
          .finally(() => resolve(files));
      }, 0),
    );
  }

  /** The user-level files the tools read, as this machine's environment names them. */
  userFiles(): UserFile[] {
    return userConfigFiles({ env: this.env, platform: process.platform, home: this.home });
  }

  /** Every place that holds a token position now (fresh read): workspace files first, then user-level files. */
  async places(): Promise<Place[]> {
    const [ws, user] = await Promise.all([this.scanWorkspace(), this.scanUserFiles(true)]);
    return [...ws, ...user];
  }

  /** Reads the user-level files that changed since the last look (all of them with `force`). */
  async scanUserFiles(force = false): Promise<Place[]> {
    const found: Place[] = [];
    await Promise.all(
      this.userFiles().map(async (f) => {
        const uri = vscode.Uri.file(f.path);
        let mtime: number;
        try {
          const stat = await vscode.workspace.fs.stat(uri);
          if (stat.size > MAX_FILE_BYTES) return;
          mtime = stat.mtime;
        } catch {
          if (this.mtimes.delete(f.path)) this.tracker.setTarget(uri.toString(), [], () => '');
          return;
        }
        if (!force && this.mtimes.get(f.path) === mtime) return;
        this.mtimes.set(f.path, mtime);
        try {
          const { text } = await readTextFile(f.path);
          this.stats.userReads++;
          const place: Place = { uri, kind: fileKind(uri) === 'file' ? 'file' : 'user-file', label: fileLabel(uri), text, tool: f.tool };
          this.record(place);
          if (findTokens(text).length > 0) found.push(place);
        } catch {
          // unreadable: nothing to track
        }
      }),
    );
    return found.sort((a, b) => a.label.localeCompare(b.label));
  }

  /** The workspace files with CodeArtifact URLs as places (`read` also gets every file read, tokens or not). */
  async scanWorkspace(read?: (files: FoundFile[]) => void): Promise<Place[]> {
    const files = await findWorkspaceTokenFiles();
    read?.(files);
    const places = files.map((f) => ({ uri: f.uri, kind: 'file' as const, label: fileLabel(f.uri), text: f.text, ...(f.folder ? { folder: f.folder } : {}) }));
    for (const p of places) this.record(p);
    return places.filter((p) => findTokens(p.text).length > 0);
  }

  private async rescanFile(uri: vscode.Uri): Promise<void> {
    try {
      const { text } = await readTextFile(uri.fsPath);
      if (text.includes('.d.codeartifact.') || this.tracker.forTarget(uri.toString()).length > 0) {
        this.record({ uri, kind: 'file', label: fileLabel(uri), text });
      }
    } catch {
      // gone or unreadable
    }
  }

  private record(place: Place): void {
    // An open editor's text is the scanner's business (it may differ from the disk).
    if (vscode.workspace.textDocuments.some((d) => d.uri.toString() === place.uri.toString() && d.isDirty)) return;
    recordScan(this.tracker, { id: place.uri.toString(), kind: place.kind, label: place.label }, place.text);
    this.onPlace?.(place);
  }

  private disposed = false;

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearInterval(this.timer);
    for (const s of this.subscriptions) s.dispose();
  }
}
