/**
 * Registers every command through one wrapper: it logs the start (redacted), turns any error into a short
 * notification that names the fix with a "Show Log" button, and returns a result automation can read.
 */
import * as vscode from 'vscode';
import { describeError, isRefresherError } from '../core/errors';
import { CommandId } from './commandIds';
import type { Deps } from './deps';
import { refreshActiveFile } from './refreshLocal';
import { refreshAllRemoteFiles, refreshRemoteFile, type RemoteArgs } from './refreshRemote';
import { selectProfile } from './profiles';
import { refreshTracked, showTokenStatus } from './tokenStatus';

export interface FailedOutcome {
  status: 'failed' | 'cancelled';
  code?: string;
  message: string;
}

export function registerCommands(deps: Deps): vscode.Disposable[] {
  const handlers: Record<CommandId, (...args: unknown[]) => Promise<unknown>> = {
    [CommandId.selectProfile]: () => selectProfile(deps.profiles, deps.aws, deps.prompts),
    [CommandId.refreshRemoteFile]: (args) => refreshRemoteFile(deps, asRemoteArgs(args)),
    [CommandId.refreshAllRemoteFiles]: (args) => refreshAllRemoteFiles(deps, { ...(isObject(args) && args.confirm === false ? { confirm: false } : {}) }),
    // From the editor context menu the first argument is the file's URI.
    [CommandId.refreshActiveFile]: (arg) => refreshActiveFile(deps, arg instanceof vscode.Uri ? arg : undefined),
    [CommandId.showTokenStatus]: () => showTokenStatus(deps),
    [CommandId.showLog]: async () => deps.log.show(),
    [CommandId.refreshTracked]: async (arg) => {
      const id = isObject(arg) && typeof arg.id === 'string' ? arg.id : undefined;
      const entry = deps.tracker.all().find((e) => e.id === id);
      return entry ? refreshTracked(deps, entry) : undefined;
    },
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

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

function asRemoteArgs(v: unknown): RemoteArgs {
  if (!isObject(v)) return {};
  return {
    ...(typeof v.uri === 'string' ? { uri: v.uri } : {}),
    ...(typeof v.profile === 'string' ? { profile: v.profile } : {}),
    ...(v.confirm === false ? { confirm: false } : {}),
  };
}
