/**
 * Runs first (files run in name order), before any test calls activate() or runs a command: the extension must have
 * started by itself after the workbench loaded, as it does in a person's window, without loading the AWS SDK.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { api, EXTENSION_ID, SELF_ACTIVATION_MS } from './helpers';

/** Modules of the AWS SDK or of the lazily loaded AWS bundle in the (shared) require cache. */
function awsModulesLoaded(): string[] {
  return Object.keys(require.cache).filter((k) => k.includes(`${path.sep}@aws-sdk${path.sep}`) || k.endsWith(`${path.sep}dist${path.sep}aws.js`));
}

describe('start-up (before any test touched the extension)', () => {
  it(`is active by itself within ${SELF_ACTIVATION_MS / 1000} s of start-up, with no activate() call and no command run`, async function () {
    this.timeout(SELF_ACTIVATION_MS + 10_000);
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `extension ${EXTENSION_ID} is not installed in this editor`);
    const t0 = Date.now();
    const a = await api(); // polls isActive; never calls activate()
    console.log(`[start-up] extension ${ext.isActive ? 'active' : 'inactive'} ${Date.now() - t0} ms after the first test asked; activate() took ${a.activationMs.toFixed(1)} ms`);
    console.log(`[start-up] ${a.deps.log.recent.find((l) => l.includes('Activated in')) ?? '(no activation line in the log)'}`);
    assert.ok(ext.isActive);
  });

  it('did not load the AWS SDK while activating', async () => {
    assert.ok(vscode.extensions.getExtension(EXTENSION_ID)?.isActive, 'the extension is not active: nothing was started to check');
    // The workspace's pip.conf references ${CODEARTIFACT_AUTH_TOKEN}, so the terminal environment fetches a token right
    // after activation (and loads the SDK then): what activate() itself loaded is what it recorded when it returned.
    const a = (await api()) as Awaited<ReturnType<typeof api>> & { awsLoadedAtActivation?: boolean };
    assert.equal(a.awsLoadedAtActivation, false, 'activate() loaded the AWS SDK (it must load lazily, after activation)');
    console.log(`[start-up] AWS modules in the require cache now: ${awsModulesLoaded().length} (the environment's first token call may have loaded them after activation)`);
  });
});
