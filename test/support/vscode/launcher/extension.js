// Test-harness-only extension, loaded beside the extension under test by test/runIntegration.ts (code-server runner).
//
// Why it exists: when VS Code is started with `extensionTestsPath` it refuses every modal dialog ("DialogService:
// refused to show dialog in tests") and auto-confirms confirmations, so a test could never answer a REAL "Write" modal.
// Started without it, this extension runs the mocha entry (out/test/integration/index.js) after start-up.
//
// Phases: every extension host the workbench starts activates this extension once. It reads HARNESS_PHASE_FILE (the
// runner rewrites it before each phase: which phase, where its result goes, which files to leave open), runs that
// phase's tests (index.js runPhase), opens the files to leave open for the next phase, and writes the phase's result.
// Phase 1 runs in the first extension host; the runner then reloads the workbench, and the new extension host runs
// phase 2. Outside the runner it does nothing.
'use strict';
const fs = require('node:fs');
const vscode = require('vscode');

const processStartedAt = Math.round(Date.now() - process.uptime() * 1000);

function writeAtomically(file, value) {
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(value));
  fs.renameSync(`${file}.tmp`, file);
}

/** Opens each file in a pinned editor (the last one active), as a person double-clicking it in the explorer. */
async function openEditors(files) {
  for (const f of files) {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(f));
    await vscode.window.showTextDocument(doc, { preview: false, preserveFocus: false });
  }
}

async function runPhase(testsModule, spec) {
  const message = (e) => (e && e.message ? e.message : String(e));
  console.log(`[launcher] phase ${spec.phase}: starting in extension host pid ${process.pid}`);
  let result = { phase: spec.phase, code: 0, pid: process.pid, processStartedAt, endedAt: 0, opened: [] };
  let mod;
  try {
    mod = require(testsModule);
    await mod.runPhase(spec.phase);
    result.summary = mod.summary;
  } catch (e) {
    console.error(`[launcher] phase ${spec.phase} failed: ${message(e)}`);
    result = { ...result, code: 1, error: message(e), summary: mod && mod.summary };
  }
  try {
    await openEditors(spec.openAfter || []);
    result.opened = spec.openAfter || [];
    // What this phase's tests leave for the next phase's (index.js handover), once the editors are open.
    if (mod && typeof mod.handover === 'function') result.handover = await mod.handover(spec.phase);
  } catch (e) {
    console.error(`[launcher] phase ${spec.phase}: could not open ${JSON.stringify(spec.openAfter)} or hand over: ${message(e)}`);
    result = { ...result, code: 1, error: `${result.error ? `${result.error}; ` : ''}opening editors or handing over failed: ${message(e)}` };
  }
  result.endedAt = Date.now();
  writeAtomically(spec.resultFile, result);
}

module.exports.activate = function activate() {
  const testsModule = process.env.HARNESS_TESTS_MODULE;
  const phaseFile = process.env.HARNESS_PHASE_FILE;
  if (!testsModule || !phaseFile) return;
  const spec = JSON.parse(fs.readFileSync(phaseFile, 'utf8'));
  if (fs.existsSync(spec.resultFile)) {
    // An unexpected reload (not the runner's) must not run a phase twice; the runner reports the missing phase.
    console.error(`[launcher] phase ${spec.phase} already ran (${spec.resultFile} exists); not running it again in pid ${process.pid}`);
    return;
  }
  // Not awaited: activation must finish; the phase runs on its own and reports through its result file.
  void runPhase(testsModule, spec);
};

module.exports.deactivate = function deactivate() {};
