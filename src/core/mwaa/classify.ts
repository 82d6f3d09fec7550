/**
 * What an MWAA environment does for CodeArtifact, read from its objects at the versions it pins:
 *   legacy-file     requirements.txt has `-r /usr/local/airflow/dags/FILE` and FILE (in the DAG folder) holds a
 *                   CodeArtifact URL: the token in FILE must be refreshed before any worker starts;
 *   startup-script  the startup script exports PIP_INDEX_URL / PIP_EXTRA_INDEX_URL (a fresh token per container);
 *   both, none.
 */
import { findEndpoints } from '../endpoints';
import { tokenExpiryOf } from '../textExpiry';
import type { DagInclude } from './requirements';
import { exportsPipIndex } from './script';

export type CodeArtifactSetup = 'legacy-file' | 'startup-script' | 'both' | 'none';

export interface IncludedFile {
  include: DagInclude;
  /** The file's text; undefined when it does not exist (or could not be read). */
  text?: string;
}

export interface SetupInput {
  /** requirements.txt at the pinned version; undefined when the environment has none. */
  requirements?: string;
  /** The DAG-folder files requirements.txt includes (dagIncludes), with their text. */
  included: readonly IncludedFile[];
  /** The startup script at the pinned version; undefined when the environment has none. */
  startupScript?: string;
}

export interface Setup {
  kind: CodeArtifactSetup;
  /** Included files that hold a CodeArtifact URL (the legacy files). */
  legacyFiles: DagInclude[];
  /** The soonest expiry of a literal token in the legacy files, read from the token itself (no token call). */
  tokenExpiry?: Date;
  /** The legacy files hold token positions whose expiry cannot be read (placeholders, unknown token shapes). */
  unknownExpiry: boolean;
}

export function classifySetup(input: SetupInput): Setup {
  const legacy = input.included.filter((f) => f.text !== undefined && findEndpoints(f.text).length > 0);
  const script = input.startupScript !== undefined && exportsPipIndex(input.startupScript);
  let soonest: Date | undefined;
  let unknownExpiry = false;
  for (const f of legacy) {
    const e = tokenExpiryOf(f.text!);
    if (e.unknown) unknownExpiry = true;
    if (e.soonest && (!soonest || e.soonest < soonest)) soonest = e.soonest;
  }
  const kind: CodeArtifactSetup = legacy.length && script ? 'both' : legacy.length ? 'legacy-file' : script ? 'startup-script' : 'none';
  return { kind, legacyFiles: legacy.map((f) => f.include), ...(soonest ? { tokenExpiry: soonest } : {}), unknownExpiry };
}

/** One line for a person: what the environment does, and whether new workers can install packages. */
export function describeSetup(setup: Setup, now: Date): string {
  const base = {
    'legacy-file': 'codeartifact.txt (refreshed token)',
    'startup-script': 'startup script (fresh token per container)',
    both: 'codeartifact.txt and a startup script',
    none: 'no CodeArtifact setup',
  }[setup.kind];
  if (!setup.legacyFiles.length) return base;
  if (setup.tokenExpiry && setup.tokenExpiry.getTime() <= now.getTime()) return `${base}; token expired: new workers will fail to install packages`;
  return base;
}
