/**
 * Refresh the token in text objects on S3 (an MWAA environment's dags/codeartifact.txt): read, one token per
 * domain/owner/region/profile, diff, ask, write only if the object has not changed since it was read.
 */
import * as vscode from 'vscode';
import { formatS3Uri, parseS3Location, validateS3Uri, type S3Location } from '../core/s3location';
import { describeError, isRefresherError, RefresherError, type ErrorCode } from '../core/errors';
import { planRefresh, type RefreshPlan } from '../core/pipeline';
import type { TokenBatch } from '../core/tokenBatch';
import type { IssuedToken, S3TextObject } from '../aws/api';
import type { Deps } from './deps';
import { pickManyWithButtons, type ButtonItem } from './prompts';
import { withCancellableProgress } from './progress';
import { SECTION, userRemoteFiles, workspaceRemoteFiles, type RemoteFileEntry } from './settings';
import { formatLocal } from './statusBar';
import { tokenBatch } from './tokenSource';
import { recordRefresh, recordScan, type TargetRef } from './tracking';

export interface RemoteArgs {
  uri?: string;
  profile?: string;
  /** false skips the question (automation); a concurrent edit is still never overwritten. */
  confirm?: boolean;
}

export type RemoteStatus = 'written' | 'unchanged' | 'declined' | 'changed-since-read' | 'cancelled' | 'failed';

export interface RemoteOutcome {
  uri: string;
  label: string;
  status: RemoteStatus;
  replaced?: number;
  etag?: string;
  versionId?: string;
  code?: ErrorCode;
  /** Redacted, human-readable reason for failures. */
  message?: string;
}

const MAX_ROUNDS = 3;

interface Resolved {
  location: S3Location;
  uri: string;
  label: string;
  profile: string;
}

interface Prepared {
  target: Resolved;
  object: S3TextObject;
  plan: RefreshPlan;
}

function targetRef(r: Resolved): TargetRef {
  return { id: r.uri, kind: 's3', label: r.label };
}

async function prepare(deps: Deps, target: Resolved, batch: TokenBatch<IssuedToken>, signal: AbortSignal): Promise<Prepared> {
  // While the object is read, ask for the tokens it needed last time (one round trip saved on every refresh after
  // the first). The batch still makes one call per key; a token the text no longer needs is simply dropped.
  for (const e of deps.tracker.forTarget(target.uri)) {
    if (e.profile === undefined || e.profile === target.profile) void batch.get(e, target.profile);
  }
  const object = await deps.aws.get().readObject(target.location, { profile: target.profile, signal });
  deps.log.info(`Read ${target.uri} (${object.size} bytes, ETag ${object.etag}${object.versionId ? `, version ${object.versionId}` : ''})`);
  try {
    const plan = await planRefresh(object.text, target.uri, (k) => batch.get(k, target.profile));
    return { target, object, plan };
  } catch (e) {
    keepScan(deps, { target, object });
    throw e;
  }
}

/**
 * When a refresh does not write, track what the object still holds (its tokens' own expiry). Not before: a scan of
 * an expired token in the middle of a refresh would raise a "token expired" warning about the very token being replaced.
 */
function keepScan(deps: Deps, p: Pick<Prepared, 'target' | 'object'>): void {
  recordScan(deps.tracker, targetRef(p.target), p.object.text, p.target.profile);
}

function fileName(location: S3Location): string {
  return location.key.split('/').pop() || location.key;
}

function expiryText(plan: RefreshPlan): string {
  const soonest = Math.min(...plan.tokens.map((t) => t.expiration.getTime()));
  return Number.isFinite(soonest) ? formatLocal(new Date(soonest)) : 'unknown';
}

/** `codeartifact.refreshRemoteFile` */
export async function refreshRemoteFile(deps: Deps, args: RemoteArgs = {}): Promise<RemoteOutcome | undefined> {
  const chosen = args.uri ? { uri: args.uri, profile: args.profile, label: undefined } : await chooseRemoteFile(deps);
  if (!chosen) return undefined;
  const location = parseS3Location(chosen.uri);
  const uri = formatS3Uri(location);
  const profile = await deps.profiles.resolve(chosen.profile ?? args.profile);
  // Called with a bare URI (a keybinding, the status bar): still show the name the settings give it.
  const label = chosen.label ?? labelFromSettings(deps, uri) ?? uri;
  const target: Resolved = { location, uri, label, profile };
  const confirm = args.confirm !== false;
  const signalRef: { signal?: AbortSignal } = {};
  const batch = tokenBatch(deps, signalRef);
  deps.log.info(`Refreshing ${uri} with profile ${profile}${confirm ? '' : ' (no confirmation)'}`);

  for (let round = 1; ; round++) {
    const prepared = await withCancellableProgress(`CodeArtifact: reading ${uri}`, (signal) => {
      signalRef.signal = signal;
      return prepare(deps, target, batch, signal);
    });
    const { plan, object } = prepared;
    if (!plan.changed) {
      recordRefresh(deps.tracker, targetRef(target), profile, plan.tokens);
      deps.log.info(`${uri} already holds the current token(s); nothing to write`);
      void deps.prompts.notify('info', `${uri} already holds current CodeArtifact tokens; nothing was written.`);
      return { uri, label: target.label, status: 'unchanged' };
    }
    let previewId: string | undefined;
    if (confirm) {
      previewId = await deps.preview.show(fileName(location), uri, plan.before, plan.after, deps.settings().diffShowTokens);
      const domains = [...new Set(plan.tokens.map((t) => t.domain))].join(', ');
      const answer = await deps.prompts.confirm(
        `Write the refreshed CodeArtifact token to ${uri}?`,
        `${plan.replaced} token position${plan.replaced === 1 ? '' : 's'} (${domains}) with profile ${profile}; new tokens expire ${expiryText(plan)}. ` +
          'The object is written only if nobody changed it since it was read.',
        'Write',
      );
      if (answer !== 'Write') {
        keepScan(deps, prepared);
        await deps.preview.close(previewId);
        deps.log.info(`Declined: nothing written to ${uri}`);
        void deps.prompts.notify('info', `Nothing was written to ${uri}.`);
        return { uri, label: target.label, status: 'declined' };
      }
    }
    try {
      const result = await withCancellableProgress(
        `CodeArtifact: writing ${uri}`,
        (signal) => deps.aws.get().writeObject(object, plan.after, { profile, signal }),
        false,
      );
      if (previewId) await deps.preview.close(previewId);
      recordRefresh(deps.tracker, targetRef(target), profile, plan.tokens);
      deps.log.info(`Wrote ${uri}: ${plan.replaced} token(s), ETag ${result.etag}${result.versionId ? `, version ${result.versionId}` : ''}`);
      void offerToSave(deps, chosen.uri, `Refreshed ${plan.replaced} CodeArtifact token${plan.replaced === 1 ? '' : 's'} in ${uri}; expires ${expiryText(plan)}.`, !args.uri && !chosen.label);
      return { uri, label: target.label, status: 'written', replaced: plan.replaced, etag: result.etag, ...(result.versionId ? { versionId: result.versionId } : {}) };
    } catch (e) {
      if (previewId) await deps.preview.close(previewId);
      if (!(isRefresherError(e) && e.code === 'ChangedSinceRead') || round >= MAX_ROUNDS) {
        keepScan(deps, prepared);
        throw e;
      }
      deps.log.warn(`${uri} changed since it was read (round ${round}); nothing was written; reading it again`);
      void deps.prompts.notify(
        'warning',
        confirm
          ? `${uri} changed since it was read, so nothing was written. Showing the diff against the new content.`
          : `${uri} changed since it was read, so nothing was written; applying the token to the new content.`,
      );
    }
  }
}

function labelFromSettings(deps: Deps, uri: string): string | undefined {
  for (const e of deps.settings().remoteFiles) {
    try {
      if (e.label && formatS3Uri(parseS3Location(e.uri)) === uri) return e.label;
    } catch {
      // a malformed entry names nothing
    }
  }
  return undefined;
}

interface Chosen {
  uri: string;
  profile?: string;
  label?: string;
}

/** The configured objects (asking first in an untrusted workspace), then "Enter an S3 location…". */
async function chooseRemoteFile(deps: Deps): Promise<Chosen | undefined> {
  const entries = await usableRemoteFiles(deps);
  if (entries.length > 0) {
    const other = { label: '$(edit) Enter an S3 location…', entry: undefined as RemoteFileEntry | undefined };
    const items = [
      ...entries.map((e) => ({ label: e.label ?? e.uri, description: e.label ? e.uri : undefined, detail: e.profile ? `Profile: ${e.profile}` : undefined, entry: e as RemoteFileEntry | undefined })),
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

async function offerToSave(deps: Deps, uri: string, message: string, offer: boolean): Promise<void> {
  if (!offer) {
    await deps.prompts.notify('info', message);
    return;
  }
  const save = 'Save to Settings';
  const choice = await deps.prompts.notify('info', message, save);
  if (choice !== save) return;
  const config = vscode.workspace.getConfiguration(SECTION);
  const target = vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  const i = config.inspect<unknown[]>('remoteFiles');
  const current = (target === vscode.ConfigurationTarget.Workspace ? i?.workspaceValue : i?.globalValue) ?? [];
  const normal = formatS3Uri(parseS3Location(uri));
  await config.update('remoteFiles', [...current, { uri: normal }], target);
  deps.log.info(`Saved ${normal} to codeartifact.remoteFiles (${target === vscode.ConfigurationTarget.Workspace ? 'workspace' : 'user'} settings)`);
}

/**
 * Entries from user settings, plus those from workspace settings — which, in an untrusted workspace, are used only
 * after the person agrees (once per session): a cloned repository must not aim refreshes at buckets by itself.
 */
let untrustedAnswer: boolean | undefined;
export async function usableRemoteFiles(deps: Deps): Promise<RemoteFileEntry[]> {
  const user = userRemoteFiles();
  const workspace = workspaceRemoteFiles();
  if (vscode.workspace.isTrusted || workspace.length === 0) return dedupe([...workspace, ...user]);
  if (untrustedAnswer === undefined) {
    const use = 'Use Them';
    const answer = await deps.prompts.confirm(
      `This workspace is not trusted, and its settings list ${workspace.length} S3 object${workspace.length === 1 ? '' : 's'} to refresh with your AWS credentials.`,
      workspace.map((w) => `${w.uri}${w.profile ? ` (profile ${w.profile})` : ''}`).join('\n') + '\n\nUse them?',
      use,
    );
    untrustedAnswer = answer === use;
    deps.log.info(`Untrusted workspace: workspace remoteFiles ${untrustedAnswer ? 'accepted' : 'ignored'} by the user`);
  }
  return dedupe(untrustedAnswer ? [...workspace, ...user] : user);
}

function dedupe(entries: RemoteFileEntry[]): RemoteFileEntry[] {
  const seen = new Set<string>();
  return entries.filter((e) => {
    const k = `${e.uri}\u0000${e.profile ?? ''}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** `codeartifact.refreshAllRemoteFiles` */
export async function refreshAllRemoteFiles(deps: Deps, args: { confirm?: boolean } = {}): Promise<RemoteOutcome[]> {
  const entries = await usableRemoteFiles(deps);
  if (entries.length === 0) {
    throw new RefresherError('InvalidInput', 'No S3 objects are listed in `codeartifact.remoteFiles`.', 'Add entries like { "uri": "s3://bucket/dags/codeartifact.txt", "profile": "dev" } to your settings, or use "Refresh Token in S3 File…".');
  }
  const confirm = args.confirm !== false;
  const outcomes = new Map<number, RemoteOutcome>();
  const fail = (i: number, uri: string, label: string, e: unknown): void => {
    const status: RemoteStatus = isRefresherError(e) && e.code === 'ChangedSinceRead' ? 'changed-since-read' : isRefresherError(e) && e.code === 'Cancelled' ? 'cancelled' : 'failed';
    outcomes.set(i, { uri, label, status, ...(isRefresherError(e) ? { code: e.code } : {}), message: deps.log.redact(describeError(e)) });
  };
  // Resolve every entry first; a bad entry fails alone.
  const targets: (Resolved | undefined)[] = await Promise.all(
    entries.map(async (e, i) => {
      try {
        const location = parseS3Location(e.uri);
        const uri = formatS3Uri(location);
        return { location, uri, label: e.label ?? uri, profile: await deps.profiles.resolve(e.profile) };
      } catch (err) {
        fail(i, e.uri, e.label ?? e.uri, err);
        return undefined;
      }
    }),
  );
  const signalRef: { signal?: AbortSignal } = {};
  const batch = tokenBatch(deps, signalRef);
  const prepared = new Map<number, Prepared>();
  await withCancellableProgress(`CodeArtifact: reading ${entries.length} S3 objects`, async (signal) => {
    signalRef.signal = signal;
    await Promise.all(
      targets.map(async (t, i) => {
        if (!t) return;
        try {
          const p = await prepare(deps, t, batch, signal);
          if (p.plan.changed) prepared.set(i, p);
          else {
            recordRefresh(deps.tracker, targetRef(t), t.profile, p.plan.tokens);
            outcomes.set(i, { uri: t.uri, label: t.label, status: 'unchanged' });
          }
        } catch (e) {
          if (signal.aborted) throw e;
          fail(i, t.uri, t.label, e);
        }
      }),
    );
  });
  deps.log.info(`Read ${targets.filter(Boolean).length} object(s) with ${batch.size} token call(s); ${prepared.size} would change`);

  let toWrite = [...prepared.entries()];
  if (confirm && toWrite.length > 0) {
    const previews: string[] = [];
    const items: (ButtonItem & { index: number })[] = toWrite.map(([i, p]) => ({
      label: p.target.label,
      description: p.target.label === p.target.uri ? `${p.target.profile}` : `${p.target.uri} · ${p.target.profile}`,
      detail: `${p.plan.replaced} token position${p.plan.replaced === 1 ? '' : 's'} (${[...new Set(p.plan.tokens.map((t) => t.domain))].join(', ')}); new tokens expire ${expiryText(p.plan)}`,
      picked: true,
      index: i,
      onButton: () => {
        void deps.preview.show(fileName(p.target.location), p.target.uri, p.plan.before, p.plan.after, deps.settings().diffShowTokens).then((id) => previews.push(id));
      },
    }));
    const chosen = await pickManyWithButtons(deps.prompts, items, `Write refreshed tokens to ${items.length} S3 object${items.length === 1 ? '' : 's'}? (unchecked ones are left alone)`, {
      iconPath: new vscode.ThemeIcon('diff'),
      tooltip: 'Open diff',
    });
    for (const id of previews) await deps.preview.close(id);
    const picked = new Set((chosen ?? []).map((c) => c.index));
    for (const [i, p] of toWrite) {
      if (picked.has(i)) continue;
      keepScan(deps, p);
      outcomes.set(i, { uri: p.target.uri, label: p.target.label, status: 'declined' });
    }
    toWrite = toWrite.filter(([i]) => picked.has(i));
  }

  if (toWrite.length > 0) {
    // Not cancellable: see withCancellableProgress. A re-read after a conflict is quick and ends in a write too.
    await withCancellableProgress(`CodeArtifact: writing ${toWrite.length} S3 object${toWrite.length === 1 ? '' : 's'}`, async (signal) => {
      signalRef.signal = signal;
      await Promise.all(
        toWrite.map(async ([i, p]) => {
          try {
            let current = p;
            for (let round = 1; ; round++) {
              try {
                const r = await deps.aws.get().writeObject(current.object, current.plan.after, { profile: current.target.profile, signal });
                recordRefresh(deps.tracker, targetRef(current.target), current.target.profile, current.plan.tokens);
                outcomes.set(i, { uri: current.target.uri, label: current.target.label, status: 'written', replaced: current.plan.replaced, etag: r.etag, ...(r.versionId ? { versionId: r.versionId } : {}) });
                return;
              } catch (e) {
                // Without a person to show a new diff to, apply the token to the new content (never overwriting it).
                if (confirm || round >= MAX_ROUNDS || !(isRefresherError(e) && e.code === 'ChangedSinceRead')) throw e;
                current = await prepare(deps, current.target, batch, signal);
                if (!current.plan.changed) {
                  outcomes.set(i, { uri: current.target.uri, label: current.target.label, status: 'unchanged' });
                  return;
                }
              }
            }
          } catch (e) {
            keepScan(deps, p);
            if (signal.aborted) throw e;
            fail(i, p.target.uri, p.target.label, e);
          }
        }),
      );
    }, false);
  }

  const list = entries.map((e, i) => outcomes.get(i) ?? { uri: e.uri, label: e.label ?? e.uri, status: 'declined' as const });
  for (const o of list) deps.log.info(`${o.uri}: ${o.status}${o.message ? ` — ${o.message}` : ''}`);
  const count = (s: RemoteStatus) => list.filter((o) => o.status === s).length;
  const parts = [
    count('written') && `${count('written')} written`,
    count('unchanged') && `${count('unchanged')} already current`,
    count('declined') && `${count('declined')} left alone`,
    count('changed-since-read') && `${count('changed-since-read')} changed since read (run again to see the new diff)`,
    count('failed') && `${count('failed')} failed`,
  ].filter(Boolean);
  const bad = count('failed') + count('changed-since-read');
  const summary = `CodeArtifact: ${list.length} S3 object${list.length === 1 ? '' : 's'}: ${parts.join(', ')}. Token calls: ${batch.size}.`;
  void deps.prompts.notify(bad ? 'warning' : 'info', summary, ...(bad ? ['Show Log'] : [])).then((c) => c === 'Show Log' && deps.log.show());
  return list;
}
