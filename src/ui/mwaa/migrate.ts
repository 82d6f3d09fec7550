/**
 * `codeartifact.mwaa.migrateToStartupScript` `{ environment, region?, profile?, confirm? }`: moves an MWAA environment
 * from a refreshed codeartifact.txt to a startup script that fetches a fresh token at every container start
 * (core/mwaa/migration.ts). Both new objects are shown as diffs first; then conditional writes, one UpdateEnvironment,
 * and the environment followed to AVAILABLE or UPDATE_FAILED in a progress notification. codeartifact.txt is kept.
 */
import * as vscode from 'vscode';
import { applyMigration, followUpdate, planMigration, type EnvironmentUpdate } from '../../core/mwaa/migration';
import { isObject } from '../commands/args';
import type { Deps } from '../deps';
import { withCancellableProgress } from '../progress';
import { migrationPorts } from './ports';
import { profileRegion } from './settings';

export interface MigrateArgs {
  environment?: string;
  region?: string;
  profile?: string;
  /** false: no diff, no question (automation). */
  confirm?: boolean;
}

export function migrateArgs(v: unknown): MigrateArgs {
  if (!isObject(v)) return {};
  return {
    ...(typeof v.environment === 'string' && v.environment ? { environment: v.environment } : {}),
    ...(typeof v.region === 'string' && v.region ? { region: v.region } : {}),
    ...(typeof v.profile === 'string' && v.profile ? { profile: v.profile } : {}),
    ...(v.confirm === false ? { confirm: false } : {}),
  };
}

export interface MigrateResult {
  status: 'migrated' | 'declined';
  environment: string;
  region: string;
  profile: string;
  update?: EnvironmentUpdate;
  finalStatus?: string;
}

/** How long an MWAA update may take before the notification gives up following it (the update goes on). */
const FOLLOW_TIMEOUT_MS = 90 * 60_000;
/** Poll soon (a stub or a no-op update settles fast), then every 15 s (a real update takes 20-40 minutes). */
const POLL_STEPS_MS = [1000, 2000, 4000, 8000, 15_000];

export async function migrateToStartupScript(deps: Deps, args: MigrateArgs = {}): Promise<MigrateResult | undefined> {
  const environment =
    args.environment ??
    (await deps.prompts.input({ title: 'Move an MWAA environment to a startup script', prompt: 'Environment name', ignoreFocusOut: true, validateInput: (v) => (v.trim() ? undefined : 'Enter the environment\'s name') }))?.trim();
  if (!environment) return undefined;
  const profile = await deps.profiles.resolve(args.profile);
  const region = args.region ?? profileRegion(await deps.aws.get().listProfiles(), profile);
  const ref = { name: environment, region, profile };
  const base: Omit<MigrateResult, 'status'> = { environment, region, profile };
  deps.log.info(`MWAA ${environment} (${region}, profile ${profile}): planning the move to a startup script`);

  const plan = await withCancellableProgress(`CodeArtifact: reading MWAA environment ${environment}`, (signal) => planMigration(migrationPorts(deps.aws.get(), ref, signal)));
  const where = (key: string) => `s3://${plan.bucket}/${key}`;
  deps.log.info(`MWAA ${environment}: ${plan.legacyFiles.map((l) => where(l.key)).join(', ')} -> ${where(plan.script.key)}${plan.script.object ? ' (extended)' : ' (new)'}; ${plan.indexes.length} index URL(s)`);

  if (args.confirm !== false) {
    const showTokens = deps.settings().diffShowTokens;
    const shown: string[] = [];
    try {
      shown.push(await deps.preview.show(plan.script.key, where(plan.script.key), plan.script.before, plan.script.after, showTokens));
      shown.push(await deps.preview.show(plan.requirements.key, where(plan.requirements.key), plan.requirements.before, plan.requirements.after, showTokens));
      const go = 'Write and Update Environment';
      const answer = await deps.prompts.confirm(
        `Move MWAA environment ${environment} to a startup script?`,
        `${plan.script.object ? 'Extends' : 'Creates'} ${where(plan.script.key)} and removes the -r line from ${where(plan.requirements.key)} (both as new versions, written only if nobody changed them), ` +
          `then updates the environment to use them (MWAA restarts its containers; this takes 20-40 minutes). ${plan.legacyFiles.map((l) => where(l.key)).join(', ')} stays in place. ` +
          'The execution role needs codeartifact:GetAuthorizationToken and sts:GetServiceBearerToken.',
        go,
      );
      if (answer !== go) {
        void deps.prompts.notify('info', `Nothing was written; environment ${environment} is unchanged.`);
        return { status: 'declined', ...base };
      }
    } finally {
      for (const id of shown) await deps.preview.close(id);
    }
  }

  // Not cancellable: once a PUT is sent, aborting it cannot promise that nothing was written.
  const sentAt = Date.now();
  const update = await withCancellableProgress(`CodeArtifact: updating MWAA environment ${environment}`, () => applyMigration(plan, migrationPorts(deps.aws.get(), ref)), false);
  deps.log.info(`MWAA ${environment}: UpdateEnvironment sent (requirements ${update.requirementsS3ObjectVersion}, startup script ${update.startupScriptS3Path} ${update.startupScriptS3ObjectVersion})`);

  const final = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `MWAA ${environment}`, cancellable: false }, async (progress) => {
    let step = 0;
    return followUpdate(() => deps.aws.get().getEnvironment(environment, region, { profile }), {
      intervalMs: POLL_STEPS_MS[0],
      timeoutMs: FOLLOW_TIMEOUT_MS,
      sentAt,
      onStatus: (s) => {
        progress.report({ message: s });
        deps.log.info(`MWAA ${environment}: ${s}`);
      },
      sleep: (_ms) => new Promise<void>((r) => setTimeout(r, POLL_STEPS_MS[Math.min(step++, POLL_STEPS_MS.length - 1)])),
    });
  });
  void deps.prompts.notify('info', `MWAA environment ${environment} is ${final.status} with its startup script; new containers fetch a fresh CodeArtifact token at start.`);
  return { status: 'migrated', ...base, update, finalStatus: final.status };
}
