/**
 * First integration tests, inside the real editor: the extension is there, activates cheaply (no AWS SDK at
 * activation), its contributed and registered commands match, the sandbox environment reached the extension host,
 * and the runner's browser hooks (screenshot, click a real notification/modal button) work.
 */
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { clickButton, screenshot } from '../support/vscode/harnessClient';
import { MODE_ENV, RUNNER_ENV, SANDBOX_HASH_ENV, SANDBOX_KEYS_ENV, sandboxEnvDigestInput } from '../support/vscode/hookProtocol';

const EXTENSION_ID = 'codeartifact-tools.codeartifact-token-refresher';

interface ContributedCommand {
  command: string;
}

function extension(): vscode.Extension<unknown> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not installed in this editor`);
  return ext;
}

function contributedCommands(): string[] {
  const cmds = (extension().packageJSON.contributes?.commands ?? []) as ContributedCommand[];
  return cmds.map((c) => c.command);
}

/** Modules of the AWS SDK or of the lazily loaded AWS bundle currently in the (shared) require cache. */
function awsModulesLoaded(): string[] {
  return Object.keys(require.cache).filter((k) => k.includes(`${path.sep}@aws-sdk${path.sep}`) || k.endsWith(`${path.sep}dist${path.sep}aws.js`));
}

function fileSize(p: string): number {
  try {
    return fs.statSync(p).size;
  } catch {
    return 0;
  }
}

describe('activation', () => {
  it('is installed in the editor', () => {
    const ext = extension();
    assert.equal(ext.packageJSON.name, 'codeartifact-token-refresher');
  });

  it('contributes commands', () => {
    // Fails until the UI lands: an extension with no commands would make the checks below vacuous.
    assert.ok(contributedCommands().length > 0, 'package.json contributes no commands');
  });

  it('activates without loading the AWS SDK, and reports its cost', async () => {
    const ext = extension();
    const wasActive = ext.isActive;
    const before = new Set(Object.keys(require.cache));
    const t0 = performance.now();
    await ext.activate();
    const ms = performance.now() - t0;
    const loaded = Object.keys(require.cache).filter((k) => !before.has(k));
    const bytes = loaded.reduce((n, k) => n + fileSize(k), 0);
    console.log(`[activation] ${wasActive ? 'already active before the test; ' : ''}activate() took ${ms.toFixed(1)} ms, ` +
      `loaded ${loaded.length} modules, ${(bytes / 1024).toFixed(1)} KiB: ${loaded.map((k) => path.basename(k)).join(', ')}`);
    assert.ok(ext.isActive, 'extension did not activate');
    // Activation itself loads no SDK module (the handle records it when activate() returned); the terminal environment's
    // first token call, just after, may load it (this workspace references ${CODEARTIFACT_AUTH_TOKEN}).
    const handles = ext.exports as { awsLoadedAtActivation?: boolean } | undefined;
    assert.equal(handles?.awsLoadedAtActivation, false, 'activation loaded the AWS SDK (it must load lazily, on first use)');
    assert.ok(!loaded.some((k) => awsModulesLoaded().includes(k)) || wasActive, 'this activate() call loaded the AWS SDK');
  });

  it('registers every contributed command, and contributes every codeartifact.* command it registers', async () => {
    await extension().activate();
    const contributed = contributedCommands();
    const registered = await vscode.commands.getCommands(true);
    const registeredSet = new Set(registered);
    assert.deepEqual(contributed.filter((c) => !registeredSet.has(c)), [], 'contributed but not registered');
    const contributedSet = new Set(contributed);
    // The workbench registers `<viewId>.focus`, `.open`, ... for every contributed view (codeartifact.mwaaEnvironments).
    const views = Object.values((extension().packageJSON.contributes?.views ?? {}) as Record<string, { id: string }[]>).flat().map((v) => `${v.id}.`);
    const own = (c: string) => c.startsWith('codeartifact.') && !views.some((v) => c.startsWith(v));
    assert.deepEqual(registered.filter((c) => own(c) && !contributedSet.has(c)), [], 'registered but not contributed');
  });
});

describe('harness', () => {
  it('passes the sandbox environment (AWS_CONFIG_FILE, endpoints) to the extension host unchanged', () => {
    const keys = process.env[SANDBOX_KEYS_ENV]?.split(',').filter(Boolean) ?? [];
    assert.ok(keys.length > 0, `${SANDBOX_KEYS_ENV} not set: the runner did not pass the sandbox environment`);
    for (const k of ['AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE']) assert.ok(keys.includes(k), `sandbox env lacks ${k}`);
    assert.deepEqual(keys.filter((k) => process.env[k] === undefined), [], 'sandbox variables missing in the extension host');
    // Values are compared by hash: some may be secrets and assertion messages print values.
    const hash = createHash('sha256').update(sandboxEnvDigestInput(process.env, keys)).digest('hex');
    assert.ok(hash === process.env[SANDBOX_HASH_ENV], 'sandbox variable values differ in the extension host');
    assert.ok(fs.existsSync(process.env.AWS_CONFIG_FILE ?? ''), 'AWS_CONFIG_FILE does not exist in the extension host');
  });

  if (process.env[RUNNER_ENV] === 'code-server') {
    it('runs in the web workbench of code-server', () => {
      assert.equal(vscode.env.uiKind, vscode.UIKind.Web);
      assert.ok(vscode.env.remoteName, 'expected a remote extension host');
    });

    it('takes a screenshot of the workbench', async () => {
      const file = await screenshot('harness-selftest');
      const head = fs.readFileSync(file).subarray(0, 8);
      assert.deepEqual([...head], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'not a PNG');
      assert.ok(fs.statSync(file).size > 10_000, 'screenshot is suspiciously small');
    });

    it('clicks a button of a notification', async () => {
      const answer = vscode.window.showInformationMessage('Harness self-test: notification', 'Answer A', 'Answer B');
      await clickButton('Answer B');
      assert.equal(await answer, 'Answer B');
    });

    if (process.env[MODE_ENV] === 'launcher') {
      it('clicks a button of a real modal dialog', async () => {
        const answer = vscode.window.showWarningMessage('Harness self-test: modal', { modal: true }, 'Write', 'Other');
        await clickButton('Write');
        assert.equal(await answer, 'Write');
      });
    } else {
      it('in extension-tests mode VS Code refuses modal dialogs (INTEGRATION_MODE=launcher shows them)', async () => {
        await assert.rejects(
          Promise.resolve(vscode.window.showWarningMessage('Harness self-test: modal', { modal: true }, 'Write')),
          /refused to show dialog in tests/,
        );
      });
    }
  } else {
    it('refuses browser hooks clearly under a runner without a browser', async () => {
      await assert.rejects(screenshot('never'), /needs the code-server runner/);
      await assert.rejects(clickButton('Write'), /needs the code-server runner/);
    });
  }
});
