/**
 * One sandbox per mocha run, shared by every file in test/server: `const sb = await getSandbox()` in a `before`.
 * Importing this file registers a root-level `after` hook that stops the sandbox (servers and radosgw daemons).
 * SANDBOX_LOG=1 prints the sandbox's progress lines (ports, start-up times).
 */
import { Sandbox, startSandbox } from '../support/sandbox';

let sandbox: Promise<Sandbox> | undefined;

export function getSandbox(): Promise<Sandbox> {
  sandbox ??= startSandbox({ log: process.env.SANDBOX_LOG ? (l) => console.log(l) : undefined });
  return sandbox;
}

// Guarded so that importing this file outside mocha (a script) does not throw.
if (typeof after === 'function') {
  after(async function () {
    this.timeout(60_000);
    if (!sandbox) return;
    const sb = await sandbox.catch(() => undefined);
    await sb?.stop();
  });
}
