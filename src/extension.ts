/**
 * Activation builds the pieces and registers them; nothing here loads the AWS SDK (that happens on the first command
 * that talks to AWS). In test mode, activate() returns handles the integration tests use to watch and answer the UI.
 */
import * as vscode from 'vscode';
import { ExpiryTracker, type TrackedToken } from './core/tracker';
import { LazyAws } from './ui/awsLoader';
import { Clock } from './ui/clock';
import { CommandId } from './ui/commandIds';
import { registerCommands } from './ui/commands';
import type { Deps } from './ui/deps';
import { DocumentScanner } from './ui/documentScanner';
import { Log } from './ui/log';
import { PreviewProvider } from './ui/preview';
import { ProfileStore } from './ui/profiles';
import { Prompts } from './ui/prompts';
import { readSettings, SECTION } from './ui/settings';
import { ProfileStatusItem } from './ui/profileStatus';
import { ExpiryStatusBar } from './ui/statusBar';

const TRACKED_KEY = 'codeartifact.trackedTokens';

export function activate(context: vscode.ExtensionContext) {
  const t0 = performance.now();
  const log = new Log();
  context.subscriptions.push(log);
  try {
    // Test and Development (F5, and the integration runner's launcher mode, where real modals can be clicked) get the
    // handles; an installed extension (Production) does not.
    const testMode = context.extensionMode !== vscode.ExtensionMode.Production;
    const prompts = new Prompts(testMode);
    let settings = readSettings();
    const aws = new LazyAws({
      log: (line) => log.info(line),
      mfaCodeProvider: async (serial, profile) =>
        (await prompts.input({
          title: `MFA code for AWS profile ${profile}`,
          prompt: `Enter the current code of ${serial}`,
          password: true,
          ignoreFocusOut: true,
          validateInput: (v) => (/^\d{6}$/.test(v.trim()) ? undefined : 'The code is 6 digits.'),
        }))?.trim() ?? '',
    });
    // Persisted at most once a second: a refresh of 20 objects changes the tracker 20 times in a burst.
    let pending: TrackedToken[] | undefined;
    let saveTimer: ReturnType<typeof setTimeout> | undefined;
    const flush = () => {
      clearTimeout(saveTimer);
      saveTimer = undefined;
      if (pending) void context.globalState.update(TRACKED_KEY, pending);
      pending = undefined;
    };
    const tracker = new ExpiryTracker({
      load: () => context.globalState.get(TRACKED_KEY),
      save: (entries) => {
        pending = entries;
        saveTimer ??= setTimeout(flush, 1000);
      },
    });
    context.subscriptions.push({ dispose: flush });
    const clock = new Clock();
    const profiles = new ProfileStore(context.workspaceState, context.globalState, aws, () => settings);
    const preview = new PreviewProvider();
    const deps: Deps = { aws, log, prompts, profiles, tracker, preview, clock, settings: () => settings };
    const statusBar = new ExpiryStatusBar(tracker, clock, () => settings, prompts, () => profiles.displayName, (entry: TrackedToken) => {
      void vscode.commands.executeCommand(CommandId.refreshTracked, { id: entry.id });
    });
    const profileItem = new ProfileStatusItem(profiles, tracker);
    const scanner = new DocumentScanner(tracker);
    context.subscriptions.push(
      { dispose: () => aws.dispose() },
      profiles,
      preview,
      statusBar,
      profileItem,
      scanner,
      ...registerCommands(deps),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration(SECTION)) return;
        settings = readSettings();
        statusBar.render();
      }),
    );
    const activationMs = performance.now() - t0;
    log.info(`Activated in ${activationMs.toFixed(1)} ms (AWS SDK not loaded yet)`);
    return testMode ? { deps, statusBar, profileItem, scanner, activationMs, context } : undefined;
  } catch (e) {
    // VS Code does not tell the person when activation fails; say it, with the log one click away.
    log.error('Activation failed', e);
    void vscode.window.showErrorMessage(`CodeArtifact Token Refresher failed to start: ${log.redact(e instanceof Error ? e.message : String(e))}`, 'Show Log').then((c) => c && log.show());
    throw e;
  }
}

export function deactivate(): void {}
