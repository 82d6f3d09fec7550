/** AbortSignal helpers: an abort always becomes RefresherError('Cancelled'). */
import { RefresherError } from '../core/errors';

export function cancelled(what: string): RefresherError {
  return new RefresherError('Cancelled', `Cancelled: ${what}.`);
}

export function throwIfAborted(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted) throw cancelled(what);
}

/** Settles like `promise`, or rejects with Cancelled as soon as `signal` aborts (the work itself is not stopped). */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined, what: string): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(cancelled(what));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(cancelled(what));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
