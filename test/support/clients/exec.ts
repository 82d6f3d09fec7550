/** Debian's own client programs (never the ones on PATH, which may be pyenv's) and how the clients run them. */
import { execFile, type ExecFileOptions } from 'node:child_process';

/** Debian's python3 (package python3-pip for `-m pip`, python3-boto3 for the bench). */
export const DEBIAN_PYTHON = '/usr/bin/python3';
/** Debian's awscli v2 (2.9.x). */
export const DEBIAN_AWS = '/usr/bin/aws';

/**
 * Runs `file args` to completion and resolves its exit code (0; the child's code; null when it has none, e.g. killed
 * by the timeout) and stdout + stderr. Never rejects. `options` go to execFile as given (maxBuffer included).
 */
export function execCaptured(file: string, args: string[], options: ExecFileOptions): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    execFile(file, args, options, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : null) : 0;
      resolve({ code, output: `${stdout}${stderr}` });
    });
  });
}
