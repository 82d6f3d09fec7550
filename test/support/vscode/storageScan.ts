/**
 * After a run: looks for every token the CodeArtifact stub issued in what the editor keeps on disk — the server's
 * user-data folder (global and workspace storage, state databases, logs, extension storage) and the scratch HOME.
 * VS Code's local history (User/History) is reported apart: it keeps copies of files a test saved on purpose (a
 * refreshed requirements file holds its token by design), which is the product's documented trade-off, not a leak.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { walkFiles } from '../walk';

const MAX_FILE_BYTES = 64 * 1024 * 1024;
/** A token-shaped marker the suite stores in the extension's global and workspace state (zz-leak-scan.test.ts). */
export const CANARY_ENV = 'HARNESS_STORAGE_CANARY';

export interface StorageScan {
  files: number;
  bytes: number;
  /** Relative paths that hold an issued token (never the token). */
  leaks: string[];
  /** Files under User/History holding a token (copies of files saved on purpose). */
  history: string[];
  /** Files holding the canary (a token-shaped marker the suite stored in the extension's state): proves the scan sees that state. */
  canary: string[];
}

/**
 * Needles: each token whole and the first 40 characters of its secret part (a truncated copy is still a leak), each
 * as UTF-8 and as UTF-16LE (some stores, SQLite text and IndexedDB, keep strings that way).
 */
function needles(tokens: readonly string[]): [utf8: Buffer, utf16le: Buffer][] {
  const out = new Set<string>();
  for (const t of tokens) {
    out.add(t);
    const secret = t.split('.').slice(1).join('.');
    if (secret.length > 40) out.add(secret.slice(0, 40));
  }
  return [...out].map((s) => {
    const utf8 = Buffer.from(s);
    return [utf8, Buffer.from(utf8.toString('utf8'), 'utf16le')];
  });
}

/** `tokenFiles`: files that hold a token by design (the user-level token files the extension refreshes). */
export function scanStorage(roots: readonly string[], tokens: readonly string[], canary?: string, tokenFiles: readonly string[] = []): StorageScan {
  const result: StorageScan = { files: 0, bytes: 0, leaks: [], history: [], canary: [] };
  const marker = canary ? needles([canary]) : [];
  const find = needles(tokens);
  for (const root of roots) {
    for (const file of walkFiles(root, { regularFilesOnly: true, skipUnreadable: true })) {
      if (tokenFiles.includes(file)) continue;
      const size = fs.statSync(file).size;
      if (size > MAX_FILE_BYTES) continue;
      const data = fs.readFileSync(file);
      result.files++;
      result.bytes += size;
      const has = (list: [Buffer, Buffer][]) => list.some(([utf8, utf16le]) => data.includes(utf8) || data.includes(utf16le));
      const rel = path.relative(path.dirname(root), file);
      if (has(marker)) result.canary.push(rel);
      if (!has(find)) continue;
      (rel.split(path.sep).includes('History') ? result.history : result.leaks).push(rel);
    }
  }
  return result;
}
