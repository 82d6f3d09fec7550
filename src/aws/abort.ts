/**
 * AbortSignal helpers: an abort always becomes RefresherError('Cancelled').
 *
 * Many calls may share one caller signal (a refresh of many objects). Node warns past 10 listeners on one signal
 * (MaxListenersExceededWarning), so this layer never adds a listener per call: `onAbort` keeps ONE listener per
 * signal, fans the abort out to the calls subscribed, and removes the listener when the last call has finished.
 * What a call hands to the SDK is its own `linkSignal` signal, so the SDK's listeners land there, not on the caller's.
 */
import { RefresherError } from '../core/errors';

export function cancelled(what: string): RefresherError {
  return new RefresherError('Cancelled', `Cancelled: ${what}.`);
}

export function throwIfAborted(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted) throw cancelled(what);
}

interface Relay {
  callbacks: Set<() => void>;
  listener: () => void;
}

const relays = new WeakMap<AbortSignal, Relay>();

/**
 * Runs `callback` once when `signal` aborts (at once, synchronously, if it already has). Returns the unsubscribe
 * function; call it when the work ends. At most one listener is on `signal` however many calls subscribe.
 */
export function onAbort(signal: AbortSignal | undefined, callback: () => void): () => void {
  if (!signal) return () => undefined;
  if (signal.aborted) {
    callback();
    return () => undefined;
  }
  let relay = relays.get(signal);
  if (!relay) {
    const callbacks = new Set<() => void>();
    const listener = () => {
      relays.delete(signal);
      for (const cb of [...callbacks]) cb();
      callbacks.clear();
    };
    relay = { callbacks, listener };
    relays.set(signal, relay);
    signal.addEventListener('abort', listener, { once: true });
  }
  const r = relay;
  let active = true;
  const once = () => {
    if (!active) return;
    active = false;
    callback();
  };
  r.callbacks.add(once);
  return () => {
    active = false;
    r.callbacks.delete(once);
    if (r.callbacks.size === 0 && relays.get(signal) === r) {
      relays.delete(signal);
      signal.removeEventListener('abort', r.listener);
    }
  };
}

/** A signal of this call's own that aborts when `signal` does; `dispose()` when the call ends. */
export function linkSignal(signal: AbortSignal | undefined): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const dispose = onAbort(signal, () => controller.abort());
  return { signal: controller.signal, dispose };
}

/** Settles like `promise`, or rejects with Cancelled as soon as `signal` aborts (the work itself is not stopped). */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined, what: string): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(cancelled(what));
  return new Promise<T>((resolve, reject) => {
    const unsubscribe = onAbort(signal, () => reject(cancelled(what)));
    promise.then(
      (v) => {
        unsubscribe();
        resolve(v);
      },
      (e: unknown) => {
        unsubscribe();
        reject(e);
      },
    );
  });
}
