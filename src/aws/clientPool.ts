/**
 * SDK clients by key, lent out per call. A retired client (its profile's credentials were invalidated) is no longer
 * lent, and is destroyed as soon as the calls that hold it are done (at once when none does), so switching
 * profiles does not pile up open clients and their sockets.
 */
export interface Destroyable {
  destroy(): void;
}

export interface Lease<T> {
  client: T;
  /** Call once when the call (body included) is done. */
  release(): void;
}

interface Entry<T> {
  client: T;
  users: number;
  retired: boolean;
}

export class ClientPool<T extends Destroyable> {
  private readonly live = new Map<string, Entry<T>>();
  /** Retired clients still used by a call. */
  private readonly draining = new Set<Entry<T>>();

  acquire(key: string, make: () => T): Lease<T> {
    let entry = this.live.get(key);
    if (!entry) {
      entry = { client: make(), users: 0, retired: false };
      this.live.set(key, entry);
    }
    const e = entry;
    e.users++;
    let released = false;
    return {
      client: e.client,
      release: () => {
        if (released) return;
        released = true;
        e.users--;
        if (e.retired && e.users === 0) {
          this.draining.delete(e);
          e.client.destroy();
        }
      },
    };
  }

  /** Retires every client whose key matches. */
  retire(matches: (key: string) => boolean): void {
    for (const [key, entry] of this.live) {
      if (!matches(key)) continue;
      this.live.delete(key);
      entry.retired = true;
      if (entry.users === 0) entry.client.destroy();
      else this.draining.add(entry);
    }
  }

  dispose(): void {
    for (const entry of [...this.live.values(), ...this.draining]) {
      entry.retired = true;
      entry.client.destroy();
    }
    this.live.clear();
    this.draining.clear();
  }
}
