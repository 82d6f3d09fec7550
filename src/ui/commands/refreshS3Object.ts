/**
 * `codeartifact.refreshRemoteFile` — "Refresh Token in S3 File…": one S3 object (picked from the configured ones,
 * typed, or given as `{ uri, profile?, confirm? }`) through the refresh loop: diff, confirm, conditional write.
 */
import type { Outcome } from '../../core/outcome';
import { validateS3Uri } from '../../core/s3location';
import type { Deps } from '../deps';
import { refresh } from '../refreshRun';
import { configuredEntryFor, configuredRemoteFiles, saveToSettings, type ConfiguredRemoteFile } from '../remoteFiles';
import { s3Target } from '../targets/build';
import type { S3Args } from './args';
import { expiresText, plural, singleOutcome } from './outcomes';

export async function refreshS3Object(deps: Deps, args: S3Args = {}): Promise<Outcome | undefined> {
  const chosen = args.uri ? { uri: args.uri } : await chooseS3Object(deps);
  if (!chosen) return undefined;
  const target = await s3Target(deps, { uri: chosen.uri, ...(args.profile ? { profile: args.profile } : {}), ...('source' in chosen ? { entry: chosen } : {}) });
  const confirm = args.confirm !== false;
  deps.log.info(`Refreshing ${target.info.id} with profile ${target.info.profile || '(none)'}${confirm ? '' : ' (no confirmation)'}`);
  const outcome = singleOutcome(await refresh(deps, { targets: [target], confirm, titles: { read: `CodeArtifact: reading ${target.info.id}`, write: `CodeArtifact: writing ${target.info.id}` } }));
  const where = outcome.id;
  if (outcome.status === 'declined') void deps.prompts.notify('info', `Nothing was written to ${where}.`);
  else if (outcome.status === 'unchanged') void deps.prompts.notify('info', `${where} already holds current CodeArtifact tokens; nothing was written.`);
  else void offerToSave(deps, where, `Refreshed ${plural(outcome.replaced ?? 0, 'CodeArtifact token')} in ${where}${expiresText(outcome)}.`);
  return outcome;
}

/** "Save to Settings" only for an object that no settings scope lists yet. */
async function offerToSave(deps: Deps, uri: string, message: string): Promise<void> {
  if (configuredEntryFor(uri)) {
    await deps.prompts.notify('info', message);
    return;
  }
  const save = 'Save to Settings';
  if ((await deps.prompts.notify('info', message, save)) !== save) return;
  const where = await saveToSettings(uri);
  deps.log.info(`Saved ${uri} to codeartifact.remoteFiles (${where} settings)`);
}

/** The configured objects (asking first in an untrusted workspace), then "Enter an S3 location…". */
async function chooseS3Object(deps: Deps): Promise<ConfiguredRemoteFile | { uri: string } | undefined> {
  const entries = await deps.consent.usable(configuredRemoteFiles());
  if (entries.length > 0) {
    const other = { label: '$(edit) Enter an S3 location…', entry: undefined as ConfiguredRemoteFile | undefined };
    const items = [
      ...entries.map((e) => ({ label: e.label ?? e.uri, description: e.label ? e.uri : undefined, detail: e.profile ? `Profile: ${e.profile}` : undefined, entry: e as ConfiguredRemoteFile | undefined })),
      other,
    ];
    const picked = await deps.prompts.pick(items, { title: 'Refresh the CodeArtifact token in which S3 object?', matchOnDescription: true });
    if (!picked) return undefined;
    if (picked.entry) return picked.entry;
  }
  const uri = await deps.prompts.input({
    title: 'Refresh the CodeArtifact token in an S3 object',
    prompt: 'S3 location of the file holding the pip index URL (s3://bucket/key, an S3 URL, or the console URL)',
    placeHolder: 's3://my-mwaa-bucket/dags/codeartifact.txt',
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() ? validateS3Uri(v) : 'Enter an S3 location such as s3://bucket/dags/codeartifact.txt'),
  });
  return uri ? { uri } : undefined;
}
