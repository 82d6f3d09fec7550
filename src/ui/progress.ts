/**
 * A cancellable progress notification whose Cancel aborts the work through an AbortSignal. Shown only when the work
 * takes longer than SHOW_AFTER_MS: a refresh usually takes tens of milliseconds, and a notification that flashes up
 * and away is noise (VS Code delays its own progress the same way).
 */
import * as vscode from 'vscode';
import { RefresherError } from '../core/errors';

export const SHOW_AFTER_MS = 400;

export function cancelledError(): RefresherError {
  return new RefresherError('Cancelled', 'Cancelled; nothing was written.');
}

/**
 * `cancellable: false` for a write in flight: once a PUT is sent, aborting the connection cannot promise that nothing
 * was written, so the notification offers no Cancel then.
 */
export async function withCancellableProgress<T>(title: string, work: (signal: AbortSignal) => Promise<T>, cancellable = true): Promise<T> {
  const controller = new AbortController();
  const running = work(controller.signal);
  const settled = running.then(
    () => true,
    () => true,
  );
  let timer: ReturnType<typeof setTimeout> | undefined;
  const slow = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), SHOW_AFTER_MS)));
  const quick = await Promise.race([settled, slow]);
  clearTimeout(timer);
  if (quick) return running;
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable }, async (_progress, token) => {
    let onAbort: () => void = () => undefined;
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(cancelledError());
      controller.signal.addEventListener('abort', onAbort, { once: true });
    });
    aborted.catch(() => undefined);
    const sub = token.onCancellationRequested(() => controller.abort());
    try {
      // Settle on Cancel even if the work does not notice the signal in time; the work itself checks the signal
      // before any write, so a write never starts after Cancel.
      const result = await Promise.race([running, aborted]);
      if (controller.signal.aborted) throw cancelledError();
      return result;
    } finally {
      sub.dispose();
      controller.signal.removeEventListener('abort', onAbort);
    }
  });
}
