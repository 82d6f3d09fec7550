/**
 * Mocha entry for the integration tier, loaded inside the extension host. Two phases (see test/runIntegration.ts):
 *   1: every out/test/integration/*.test.js (top level), the suite as VS Code's `extensionTestsPath` runs it (run());
 *   2: out/test/integration/afterReload/*.test.js, run by the harness launcher in the extension host that a real
 *      workbench reload started (runPhase(2)); those tests see what a person sees after "Developer: Reload Window".
 * Rejects when a test fails or when no test ran. It does not care which runner started it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';
import { redact } from '../../src/core/redact';
import { EXTENSION_ID, expiryWarnedIds, waitFor, type TestApi } from './helpers';

export const AFTER_RELOAD_DIR = 'afterReload';

function testFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { encoding: 'utf8' })
    .filter((f) => f.endsWith('.test.js'))
    .map((f) => path.join(dir, f))
    .sort();
}

/** Counts of the last run, read by the harness launcher (test/support/vscode/launcher) to report them. */
/** Read by the launcher-mode runner from the result file: console output may still be in flight when the suite ends. */
export const summary = { passed: 0, failed: 0, files: 0, failures: [] as { title: string; error: string }[] };

/**
 * What phase 1 leaves for phase 2's tests, collected by the launcher after it opened the editors to restore (it puts
 * the value into the phase result; phaseInfo() reads it back): the tracked tokens that are expired or about to expire
 * now and were warned about, which must not be warned about again after the reload. Waits up to 10 s for the
 * extension to scan the editors just opened and warn.
 */
export async function handover(phase: 1 | 2): Promise<{ expiryWarnedIds: string[] } | undefined> {
  const ext = vscode.extensions.getExtension<TestApi | undefined>(EXTENSION_ID);
  if (phase !== 1 || !ext?.isActive || !ext.exports?.deps) return undefined;
  const a = ext.exports;
  const due = () => {
    const warnBefore = a.deps.settings().warnBeforeExpiryMinutes * 60_000;
    const now = Date.now();
    return expiryWarnedIds(a).filter((id) => a.deps.tracker.all().some((e) => e.id === id && e.expiresAt - now <= warnBefore));
  };
  const ids = await waitFor('an expiry warning', () => (due().length > 0 ? due() : undefined), 10_000).catch(() => [] as string[]);
  return { expiryWarnedIds: ids };
}

/** `extensionTestsPath` entry (VS Code passes arguments we do not use): phase 1. */
export function run(): Promise<void> {
  return runPhase(1);
}

export async function runPhase(phase: 1 | 2): Promise<void> {
  // INTEGRATION_GREP runs only the matching tests (while working on one); unset in CI.
  const grep = process.env.INTEGRATION_GREP;
  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', color: false, timeout: 60_000, slow: 5_000, ...(grep ? { grep } : {}) });
  const files = testFiles(phase === 1 ? __dirname : path.join(__dirname, AFTER_RELOAD_DIR));
  for (const f of files) mocha.addFile(f);
  await mocha.loadFilesAsync();
  const { failures, total } = await new Promise<{ failures: number; total: number }>((resolve) => {
    const runner = mocha.run((failures) => resolve({ failures, total: runner.stats?.tests ?? 0 }));
    runner.on('fail', (test, err: unknown) => {
      const e = err as { stack?: string; message?: string } | undefined;
      summary.failures.push({ title: test.fullTitle(), error: redact(String(e?.stack ?? e?.message ?? err)).split('\n').slice(0, 12).join('\n') });
    });
  });
  Object.assign(summary, { passed: total - failures, failed: failures, files: files.length });
  console.log(`integration phase ${phase}: ${total - failures} passed, ${failures} failed (${files.length} files)`);
  if (failures > 0) throw new Error(`phase ${phase}: ${failures} of ${total} integration tests failed`);
  if (total === 0) throw new Error(`phase ${phase}: no integration test ran (files: ${files.length}${grep ? `, INTEGRATION_GREP=${grep}` : ''})`);
}
