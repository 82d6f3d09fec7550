/**
 * Registers every command through one wrapper: it logs the start (redacted), turns any error into a short
 * notification that names the fix with a "Show Log" button, and returns a result automation can read.
 * One file per command beside this one.
 */
import * as vscode from 'vscode';
import { describeError, isRefresherError } from '../../core/errors';
import { CommandId } from '../commandIds';
import type { Deps } from '../deps';
import type { Discovery } from '../discovery';
import type { TerminalEnvironment } from '../environment/service';
import { useEnvironmentVariable } from '../environment/useVariable';
import { confirmArg, s3Args, trackedIdsArg } from './args';
import { refreshAll } from './refreshAll';
import { refreshAllS3Objects } from './refreshAllS3Objects';
import { refreshS3Object } from './refreshS3Object';
import { refreshThisFile } from './refreshThisFile';
import { refreshTracked } from './refreshTracked';
import { selectProfile } from './selectProfile';
import { showTokenStatus } from './showTokenStatus';
import { addToRemoteFiles, migrateFromView, refreshEnvironment } from '../mwaa/commands';
import type { MwaaEnvironmentsView } from '../mwaa/view';

export interface FailedOutcome {
  status: 'failed' | 'cancelled';
  code?: string;
  message: string;
}

export function registerCommands(deps: Deps, discovery: Discovery, mwaaView: MwaaEnvironmentsView, environment: TerminalEnvironment): vscode.Disposable[] {
  const handlers: Record<CommandId, (...args: unknown[]) => Promise<unknown>> = {
    [CommandId.selectProfile]: () => selectProfile(deps),
    [CommandId.refreshRemoteFile]: (args) => refreshS3Object(deps, s3Args(args)),
    [CommandId.refreshAllRemoteFiles]: (args) => refreshAllS3Objects(deps, confirmArg(args)),
    [CommandId.refreshAll]: (args) => refreshAll(deps, discovery, confirmArg(args)),
    // From the editor context menu the first argument is the file's URI.
    [CommandId.refreshActiveFile]: (arg) => refreshThisFile(deps, arg instanceof vscode.Uri ? arg : undefined),
    [CommandId.showTokenStatus]: () => showTokenStatus(deps),
    [CommandId.showLog]: async () => deps.log.show(),
    [CommandId.refreshTracked]: async (arg) => {
      const ids = new Set(trackedIdsArg(arg));
      return refreshTracked(deps, deps.tracker.all().filter((e) => ids.has(e.id)));
    },
    // Amazon MWAA: from the view the argument is the environment's node; from automation, plain JSON.
    [CommandId.mwaaReload]: async () => mwaaView.reload(),
    [CommandId.mwaaRefreshEnvironment]: (arg) => refreshEnvironment(deps, mwaaView, arg),
    [CommandId.mwaaAddToRemoteFiles]: (arg) => addToRemoteFiles(deps, arg),
    [CommandId.mwaaMigrateToStartupScript]: (arg) => migrateFromView(deps, mwaaView, arg),
    [CommandId.refreshTerminalEnvironment]: () => environment.refreshNow(),
    [CommandId.useEnvironmentVariable]: (arg) => useEnvironmentVariable(deps, environment, arg instanceof vscode.Uri ? arg : undefined),
  };
  return Object.entries(handlers).map(([id, handler]) => vscode.commands.registerCommand(id, (...args: unknown[]) => run(deps, id, () => handler(...args))));
}

async function run(deps: Deps, id: string, fn: () => Promise<unknown>): Promise<unknown> {
  const t0 = Date.now();
  deps.log.info(`${id}: started`);
  try {
    const result = await fn();
    deps.log.info(`${id}: done in ${Date.now() - t0} ms`);
    return result;
  } catch (e) {
    const message = deps.log.redact(describeError(e));
    if (isRefresherError(e) && e.code === 'Cancelled') {
      deps.log.info(`${id}: cancelled after ${Date.now() - t0} ms; nothing was written`);
      void deps.prompts.notify('info', 'CodeArtifact: cancelled; nothing was written.');
      return { status: 'cancelled', code: e.code, message } satisfies FailedOutcome;
    }
    deps.log.error(`${id}: failed after ${Date.now() - t0} ms: ${message}`, isRefresherError(e) && e.code !== 'Unexpected' ? undefined : e);
    void deps.prompts.notify('error', message, 'Show Log').then((c) => {
      if (c === 'Show Log') deps.log.show();
    });
    return { status: 'failed', ...(isRefresherError(e) ? { code: e.code } : {}), message } satisfies FailedOutcome;
  }
}
