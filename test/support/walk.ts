/** The recursive file walk the harness's helpers share (storage scan, code-server's logs, the aws login's HOME). */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface WalkOptions {
  /** Only regular files; default every entry that is not a directory (symlinks, sockets, ... included). */
  regularFilesOnly?: boolean;
  /** A folder that cannot be read (the root included) is skipped; default its error is thrown. */
  skipUnreadable?: boolean;
}

/**
 * Every entry under `dir` that is not a directory, depth first in readdir order (not sorted), as `dir` joined with its
 * relative path. Symlinks to folders are not followed.
 */
export function* walkFiles(dir: string, opts: WalkOptions = {}): Generator<string> {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    if (opts.skipUnreadable) return;
    throw e;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* walkFiles(p, opts);
    else if (!opts.regularFilesOnly || e.isFile()) yield p;
  }
}
