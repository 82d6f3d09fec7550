/**
 * Mocha entry for the integration tier, loaded by VS Code as `extensionTestsPath` inside the extension host. It does
 * not care which runner started it (code-server + chromium, or @vscode/test-electron): it runs every
 * out/test/integration/**\/*.test.js and rejects when a test fails or when no test ran.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import { redact } from '../../src/core/redact';

function testFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.test.js'))
    .map((f) => path.join(dir, f))
    .sort();
}

/** Counts of the last run, read by the harness launcher (test/support/vscode/launcher) to report them. */
/** Read by the launcher-mode runner from the result file: console output may still be in flight when the suite ends. */
export const summary = { passed: 0, failed: 0, files: 0, failures: [] as { title: string; error: string }[] };

export async function run(): Promise<void> {
  // INTEGRATION_GREP runs only the matching tests (while working on one); unset in CI.
  const grep = process.env.INTEGRATION_GREP;
  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', color: false, timeout: 60_000, slow: 5_000, ...(grep ? { grep } : {}) });
  const files = testFiles(__dirname);
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
  console.log(`integration: ${total - failures} passed, ${failures} failed (${files.length} files)`);
  if (failures > 0) throw new Error(`${failures} of ${total} integration tests failed`);
  if (total === 0) throw new Error(`no integration test ran (files: ${files.length})`);
}
