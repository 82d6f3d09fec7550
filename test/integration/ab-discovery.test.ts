/**
 * Runs second (after aa-startup), before any suite touches the tracker: the user-level files the tools read
 * (~/.config/pip/pip.conf, ~/.pypirc, ~/.npmrc, ~/.netrc, uv.toml), written into HOME before the editor started with
 * a token that expired 30 minutes ago, are found at start-up with no command run and no AWS call, never opened.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { findTokens, readTokenExpiry } from '../../src/core';
import { api, sandbox, type TestApi } from './helpers';

const HOME = process.env.HOME ?? '';
const USER_FILES = ['.config/pip/pip.conf', '.pypirc', '.npmrc', '.netrc', '.config/uv/uv.toml'];
const abs = (rel: string) => path.join(HOME, rel);

describe('discovery at start-up (issue 10)', () => {
  let a: TestApi;
  const original = new Map<string, string>();

  before(async () => {
    a = await api();
    const fs = await import('node:fs');
    for (const rel of USER_FILES) original.set(rel, fs.readFileSync(abs(rel), 'utf8'));
  });

  const literalTokens = (text: string) => [...new Set(findTokens(text).filter((t) => !t.placeholder).map((t) => t.token))];

  it('finds every user-level token file at start-up, none opened, and shows each as expired (read from the token)', async () => {
    const ext = a as TestApi & { discovered?: Promise<void>; discovery?: { stats: { userReads: number } } };
    await ext.discovered;
    for (const rel of USER_FILES) {
      const id = vscode.Uri.file(abs(rel)).toString();
      const entries = a.deps.tracker.forTarget(id);
      assert.equal(entries.length, 1, `${rel} is tracked`);
      assert.equal(entries[0].targetKind, 'user-file');
      assert.equal(entries[0].source, 'scan', 'its expiry was read from the token, not from a token call');
      assert.equal(entries[0].targetLabel, `~/${rel}`);
      const [token] = literalTokens(original.get(rel)!);
      assert.equal(entries[0].expiresAt, readTokenExpiry(token)!.getTime());
      assert.ok(entries[0].expiresAt < Date.now(), 'expired');
      assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.fsPath === abs(rel)), `${rel} was never opened`);
    }
    assert.ok((ext.discovery?.stats.userReads ?? 0) >= USER_FILES.length);
    assert.equal((await sandbox().calls()).length, 0, 'no token call yet in this run: nothing but reading files happened');
    assert.ok(a.deps.log.recent.some((l) => /Found \d+ user-level and \d+ workspace file\(s\) with CodeArtifact tokens .*\(no AWS call\)/.test(l)));
  });

});
