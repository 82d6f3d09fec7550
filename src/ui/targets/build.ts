/** Builds targets from what a command gets: an S3 location (typed, configured or tracked) or an open document. */
import * as vscode from 'vscode';
import { formatS3Uri, parseS3Location } from '../../core/s3location';
import type { Target } from '../../core/target';
import type { Deps } from '../deps';
import { configuredEntryFor, settingsProfileFor, type ConfiguredRemoteFile } from '../remoteFiles';
import { readSettings } from '../settings';
import { DocumentTarget } from './openDocument';
import { S3ObjectTarget } from './s3Object';
import { UnusableTarget } from './unusable';

export interface S3Request {
  uri: string;
  /** A profile given explicitly (command argument); else the entry's, else the workspace's. */
  profile?: string;
  /** The configured entry, when the object came from settings. */
  entry?: ConfiguredRemoteFile;
}

/** Never throws: a bad location or a missing profile becomes a target that fails alone with that reason. */
export async function s3Target(deps: Deps, request: S3Request): Promise<Target> {
  const entry = request.entry ?? configuredEntryFor(request.uri);
  const label = entry?.label;
  try {
    const location = parseS3Location(request.uri);
    const uri = formatS3Uri(location);
    const profile = await deps.profiles.resolve(request.profile ?? entry?.profile, entry ? settingsProfileFor(entry) : undefined);
    return new S3ObjectTarget({ id: uri, kind: 's3', label: label ?? uri, profile }, location, deps.aws, (l) => deps.log.info(l));
  } catch (e) {
    return new UnusableTarget({ id: request.uri, kind: 's3', label: label ?? request.uri, profile: request.profile ?? entry?.profile ?? '' }, e);
  }
}

/** The document's folder decides the profile setting and whether to save after the refresh. */
export async function documentTarget(deps: Deps, doc: vscode.TextDocument): Promise<Target> {
  const settings = readSettings(doc.uri);
  const profile = await deps.profiles.resolve(undefined, settings.profile);
  return new DocumentTarget(doc, profile, settings.saveAfterRefresh);
}
