/**
 * Whether git ignores one path: `git check-ignore -q -- PATH`, run directly and read from its exit status once the
 * process has closed. VS Code's git extension has `Repository.checkIgnore`, but it resolves on the child's `exit`
 * event and parses the stdout collected so far; under load `exit` comes before the last stdout chunk, so an ignored
 * path now and then comes back "not ignored" (seen in CI: an ignored token file flagged as committable).
 */
import { execFile } from 'node:child_process';

/** Exit status 0: ignored; 1: not ignored (tracked files are never ignored: git would commit their changes). */
export function gitIgnores(gitPath: string, repoRoot: string, file: string, timeoutMs = 10_000): Promise<boolean> {
  return new Promise((resolve, reject) => {
    execFile(gitPath, ['-C', repoRoot, 'check-ignore', '-q', '--', file], { timeout: timeoutMs, windowsHide: true }, (error, _stdout, stderr) => {
      if (!error) return resolve(true);
      if (typeof error.code === 'number' && error.code === 1) return resolve(false);
      const why = String(stderr).trim().split(/\r?\n/)[0] || error.message;
      reject(new Error(`git check-ignore failed${typeof error.code === 'number' ? ` (exit ${error.code})` : ''}: ${why}`));
    });
  });
}
