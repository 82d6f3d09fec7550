/** A cancellable progress notification whose Cancel aborts the work through an AbortSignal. */
import * as vscode from 'vscode';
import { RefresherError } from '../core/errors';

export function cancelledError(): RefresherError {
  return new RefresherError('Cancelled', 'Cancelled; nothing was written.');
}

export async function withCancellableProgress<T>(title: string, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (_progress, token) => {
    const controller = new AbortController();
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
      const result = await Promise.race([work(controller.signal), aborted]);
      if (controller.signal.aborted) throw cancelledError();
      return result;
    } finally {
      sub.dispose();
      controller.signal.removeEventListener('abort', onAbort);
    }
  });
}
