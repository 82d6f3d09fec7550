// Test-harness-only extension, loaded beside the extension under test by test/runIntegration.ts (code-server runner).
//
// Why it exists: when VS Code is started with `extensionTestsPath` it refuses every modal dialog ("DialogService:
// refused to show dialog in tests") and auto-confirms confirmations, so a test could never answer a REAL "Write" modal.
// Started without it, this extension runs the same mocha entry (out/test/integration/index.js) after start-up and
// writes the result to HARNESS_RESULT_FILE, which the runner waits for. Outside the runner it does nothing.
'use strict';
const fs = require('node:fs');

async function runSuite(testsModule, resultFile) {
  let result;
  let mod;
  try {
    mod = require(testsModule);
    await mod.run();
    result = { code: 0, summary: mod.summary };
  } catch (e) {
    console.error(`[launcher] integration suite failed: ${e && e.message ? e.message : String(e)}`);
    result = { code: 1, error: e && e.message ? e.message : String(e), summary: mod && mod.summary };
  }
  fs.writeFileSync(`${resultFile}.tmp`, JSON.stringify(result));
  fs.renameSync(`${resultFile}.tmp`, resultFile);
}

module.exports.activate = function activate() {
  const testsModule = process.env.HARNESS_TESTS_MODULE;
  const resultFile = process.env.HARNESS_RESULT_FILE;
  if (!testsModule || !resultFile) return;
  // Not awaited: activation must finish; the suite runs on its own and reports through the result file.
  void runSuite(testsModule, resultFile);
};

module.exports.deactivate = function deactivate() {};
