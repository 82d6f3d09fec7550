/**
 * Activation (on start-up finished, so the countdown is back after every reload with no command run) builds the
 * pieces and registers them. Nothing here loads the AWS SDK or calls AWS: persisted expiries render in the status bar,
 * open documents are scanned for tokens (their expiry is read from the token), and the context key that puts
 * "Refresh Tokens in This File" on the editor's context menu is set. In Development/Test mode, activate() returns
 * handles the integration tests use to watch and answer the UI.
 */
import * as vscode from 'vscode';
import { ExpiryTracker, type TrackedToken } from './core/tracker';
import { LazyAws } from './ui/awsLoader';
import { Clock } from './ui/clock';
import { CommandId } from './ui/commandIds';
import { registerCommands } from './ui/commands';
import type { Deps } from './ui/deps';
import { Discovery } from './ui/discovery';
import { GitGuard } from './ui/gitGuard';
import { DocumentScanner } from './ui/documentScanner';
import { Log } from './ui/log';
import { PreviewProvider } from './ui/preview';
import { ProfileStore } from './ui/profiles';
import { ProfileStatusItem } from './ui/profileStatus';
import { Prompts } from './ui/prompts';
import { WorkspaceEntriesConsent } from './ui/remoteFiles';
import { Reviewer } from './ui/review';
import { readSettings, SECTION } from './ui/settings';
import { debounced, trackerStore, WarnedTokens } from './ui/state';
import { ExpiryStatusBar } from './ui/statusBar';
import { MWAA_VIEW_ID, MwaaEnvironmentsView } from './ui/mwaa/view';
import { TerminalEnvironment } from './ui/environment/service';
import { UseVariableActions } from './ui/environment/useVariable';
import { AutoRefresh } from './ui/environment/autoRefresh';

/** Which workspace this window has open: local files' expiries belong to it (undefined: an empty window). */
function workspaceKey(): string | undefined {
  const file = vscode.workspace.workspaceFile;
  if (file && file.scheme !== 'untitled') return file.toString();
  const folders = vscode.workspace.workspaceFolders;
  return folders?.length ? folders.map((f) => f.uri.toString()).join('|') : undefined;
}

export function activate(context: vscode.ExtensionContext) {
  const t0 = performance.now();
  // Where activation's time goes (logged with the total): a name per step, ms since the previous one.
  const laps: string[] = [];
  let lapAt = t0;
  const lap = (name: string) => {
    const now = performance.now();
    laps.push(`${name} ${(now - lapAt).toFixed(1)}`);
    lapAt = now;
  };
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
    lap('log+prompts+aws');
    const tracker = new ExpiryTracker(trackerStore(context.globalState), workspaceKey());
    lap('tracker');
    const persist = debounced(() => tracker.persist());
    const clock = new Clock();
    const profiles = new ProfileStore(context.workspaceState, context.globalState, aws, () => settings);
    const preview = new PreviewProvider();
    const gitGuard = new GitGuard((l) => log.info(l));
    const deps: Deps = {
      aws,
      log,
      prompts,
      profiles,
      tracker,
      preview,
      clock,
      review: new Reviewer(prompts, preview, () => settings, async (p) => (p.info.kind === 'file' && p.info.id.startsWith('file:') ? gitGuard.warning(vscode.Uri.parse(p.info.id)) : undefined)),
      consent: new WorkspaceEntriesConsent(prompts, (l) => log.info(l)),
      settings: () => settings,
    };
    const refreshTracked = (entries: readonly TrackedToken[]) => void vscode.commands.executeCommand(CommandId.refreshTracked, { ids: entries.map((e) => e.id) });
    lap('deps');
    const statusBar = new ExpiryStatusBar(tracker, clock, () => settings, prompts, () => profiles.displayName, new WarnedTokens(context.globalState, () => clock.now()), refreshTracked);
    const profileItem = new ProfileStatusItem(profiles, tracker);
    lap('status bar');
    const scanner = new DocumentScanner(tracker);
    lap('scanner');
    // Files on disk (user-level and workspace) are found after activation returns: no AWS call, no blocking.
    const discovery = new Discovery(tracker, (l) => log.info(l));
    discovery.onPlace = (place) => void (place.kind === 'file' && gitGuard.check(place.uri, place.text));
    const discovered = discovery.start();
    // Amazon MWAA environments view: loads nothing (no SDK, no AWS call) until the view is opened.
    lap('discovery');
    const mwaaView = new MwaaEnvironmentsView(deps);
    lap('mwaa view');
    // Terminal environment (issue 11): variables in memory only (the constructor sets persistent = false before any
    // value); the first look at the workspace runs after activate() returned (a token call never blocks activation);
    // refreshed before expiry; "Use an environment variable instead" moves a literal token out of a file.
    const environment = new TerminalEnvironment(context.environmentVariableCollection, deps);
    context.subscriptions.push(environment, vscode.languages.registerCodeActionsProvider({ scheme: 'file' }, new UseVariableActions(), UseVariableActions.metadata));
    void discovered.then((files) => environment.start(files)); // one search of the workspace at start-up, not two
    lap('environment');
    // Opt-in codeartifact.autoRefresh: S3 objects and open files on the same schedule (a hook per kind of place).
    const autoRefresh = new AutoRefresh(deps);
    lap('auto refresh');
    context.subscriptions.push(autoRefresh);
    context.subscriptions.push(
      { dispose: () => aws.dispose() },
      tracker.onDidChange(() => tracker.unsaved && persist.schedule()),
      persist,
      profiles,
      preview,
      statusBar,
      profileItem,
      scanner,
      discovery,
      gitGuard,
      mwaaView,
      vscode.window.registerTreeDataProvider(MWAA_VIEW_ID, mwaaView),
      ...registerCommands(deps, discovery, mwaaView, environment),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration(SECTION)) return;
        settings = readSettings();
        statusBar.render();
      }),
    );
    const activationMs = performance.now() - t0;
    lap('register');
    log.info(`Activated in ${activationMs.toFixed(1)} ms (AWS SDK not loaded yet; ${laps.join(', ')}); ${tracker.all().length} token(s) tracked`);
    return testMode
      ? { deps, statusBar, profileItem, scanner, discovery, discovered, gitGuard, mwaaView, environment, autoRefresh, awsLoadedAtActivation: aws.loaded, activationMs, context }
      : undefined;
  } catch (e) {
    // VS Code does not tell the person when activation fails; say it, with the log one click away.
    log.error('Activation failed', e);
    void vscode.window.showErrorMessage(`CodeArtifact Token Refresher failed to start: ${log.redact(e instanceof Error ? e.message : String(e))}`, 'Show Log').then((c) => c && log.show());
    throw e;
  }
}

export function deactivate(): void {}
