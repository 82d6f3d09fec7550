/**
 * An MWAA environment's requirements.txt and the files it pulls in from the DAG folder. MWAA syncs the environment's
 * DAG folder (`s3://BUCKET/DagS3Path/`) to `/usr/local/airflow/dags/` on every container, so a line such as
 * `-r /usr/local/airflow/dags/codeartifact.txt` reads `s3://BUCKET/dags/codeartifact.txt`: the legacy pattern whose
 * token must be refreshed before any worker starts.
 */

/** Where MWAA puts the DAG folder on every Airflow container. */
export const MWAA_DAGS_MOUNT = '/usr/local/airflow/dags/';

export interface DagInclude {
  /** The path as written (`/usr/local/airflow/dags/codeartifact.txt`). */
  path: string;
  /** The part under the DAG folder (`codeartifact.txt`): joined to DagS3Path it is the object's key. */
  relative: string;
  /** UTF-16 offsets of the whole line, its line terminator included (what a removal cuts out). */
  start: number;
  end: number;
}

/** `-r PATH`, `-rPATH`, `--requirement PATH`, `--requirement=PATH`, with an optional trailing comment. */
const INCLUDE = /^[ \t]*(?:-r[ \t]*|--requirement(?:[ \t]*=[ \t]*|[ \t]+))(\S+)[ \t]*(?:#.*)?$/;

/** Every `-r` line of requirements.txt that reads a file from the DAG folder, in order. */
export function dagIncludes(requirements: string): DagInclude[] {
  const out: DagInclude[] = [];
  let at = 0;
  while (at < requirements.length) {
    const nl = /\r\n|\n|\r/g;
    nl.lastIndex = at;
    const m = nl.exec(requirements);
    const lineEnd = m ? m.index : requirements.length;
    const next = m ? m.index + m[0].length : requirements.length;
    const line = requirements.slice(at, lineEnd);
    const inc = INCLUDE.exec(line);
    if (inc && inc[1].startsWith(MWAA_DAGS_MOUNT) && inc[1].length > MWAA_DAGS_MOUNT.length) {
      out.push({ path: inc[1], relative: inc[1].slice(MWAA_DAGS_MOUNT.length), start: at, end: next });
    }
    at = next;
  }
  return out;
}

/** The S3 key of a DAG-folder file: DagS3Path (`dags`, `dags/`, `airflow/dags`) joined with the relative path. */
export function dagObjectKey(dagS3Path: string, relative: string): string {
  const dir = dagS3Path.replace(/^\/+|\/+$/g, '');
  return dir ? `${dir}/${relative}` : relative;
}

/**
 * requirements.txt without the given include lines: each line goes with its own terminator; every other byte stays as
 * it was (other lines, their order, their line endings, a missing final newline elsewhere).
 */
export function withoutIncludes(requirements: string, remove: readonly DagInclude[]): string {
  const spans = [...remove].sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const s of spans) {
    if (s.start < at) continue;
    out += requirements.slice(at, s.start);
    at = s.end;
  }
  return out + requirements.slice(at);
}
