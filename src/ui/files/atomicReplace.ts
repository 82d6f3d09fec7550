/**
 * Reading and replacing a file on disk the way an editor should: the replacement is written to a temporary file in the
 * same folder and renamed over the original (a reader never sees half a file), keeping the original's mode and owner
 * (a 0600 .netrc stays 0600) and following symlinks (the link stays a link; the file it points to is replaced). Just
 * before the rename the file is read again: if it is no longer what was read, nothing is replaced.
 *
 * No `vscode` here: unit-tested on a real file system with plain Node.
 */
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { isRefresherError, RefresherError } from '../../core/errors';

/** Token files are a few lines; anything bigger is not edited. */
export const MAX_FILE_BYTES = 1024 * 1024;

export interface FileSnapshot {
  /** The file the path resolves to (symlinks followed). */
  realPath: string;
  text: string;
  /** SHA-256 of the bytes read. */
  hash: string;
}

export function hashBytes(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Reads `file` (following symlinks) as strict UTF-8, BOM kept. Throws RefresherError with the fix. */
export async function readTextFile(file: string): Promise<FileSnapshot> {
  let realPath: string;
  let bytes: Buffer;
  try {
    realPath = await fs.realpath(file);
    const stat = await fs.stat(realPath);
    if (!stat.isFile()) throw new RefresherError('InvalidInput', `${file} is not a file.`);
    if (stat.size > MAX_FILE_BYTES) throw new RefresherError('ObjectTooLarge', `${file} is ${stat.size} bytes; files over 1 MiB are not edited.`);
    bytes = await fs.readFile(realPath);
  } catch (e) {
    throw fileError(e, file, 'read');
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new RefresherError('NotText', `${file} is not UTF-8 text; it was left alone.`);
  }
  return { realPath, text, hash: hashBytes(bytes) };
}

/**
 * Replaces the file read as `snapshot` with `text`, only if it still holds exactly what was read (else
 * ChangedSinceRead, nothing replaced). Mode and owner are kept; the temporary file is removed on every failure.
 */
export async function replaceTextFile(snapshot: FileSnapshot, text: string, shownName: string): Promise<void> {
  const target = snapshot.realPath;
  const dir = path.dirname(target);
  const tmp = path.join(dir, `.${path.basename(target)}.codeartifact-${randomBytes(6).toString('hex')}.tmp`);
  let created = false;
  try {
    const stat = await fs.stat(target);
    const handle = await fs.open(tmp, 'wx', stat.mode & 0o7777);
    created = true;
    try {
      await handle.writeFile(Buffer.from(text, 'utf8'));
      // The process umask may have narrowed the mode given to open(): set it exactly.
      await handle.chmod(stat.mode & 0o7777);
      await handle.chown(stat.uid, stat.gid).catch((e: NodeJS.ErrnoException) => {
        // Only root may give a file away; a file the person owns keeps its owner anyway.
        if (e.code !== 'EPERM') throw e;
      });
      await handle.sync();
    } finally {
      await handle.close();
    }
    // The last moment to notice another writer: compare what is there now with what was read.
    const now = await fs.readFile(target);
    if (hashBytes(now) !== snapshot.hash) {
      throw new RefresherError('ChangedSinceRead', `${shownName} changed after it was read; nothing was written.`, 'Refresh again to see its current content.');
    }
    await fs.rename(tmp, target);
    created = false;
  } catch (e) {
    throw fileError(e, shownName, 'write');
  } finally {
    if (created) await fs.rm(tmp, { force: true }).catch(() => undefined);
  }
}

function fileError(e: unknown, file: string, op: 'read' | 'write'): unknown {
  if (isRefresherError(e)) return e;
  const code = (e as NodeJS.ErrnoException)?.code;
  if (!code) return e;
  if (code === 'ENOENT') return new RefresherError('NoSuchKey', `${file} does not exist.`, 'Check the path, or run `aws codeartifact login` to create it.');
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new RefresherError('InvalidInput', `${file} cannot be ${op === 'read' ? 'read' : 'written'} (${code}); nothing was changed.`, 'Check the file and folder permissions.');
  }
  return new RefresherError('Unexpected', `${op === 'read' ? 'Reading' : 'Writing'} ${file} failed (${code}); nothing was changed.`);
}
