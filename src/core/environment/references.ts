/**
 * What a workspace file asks of the environment: the `${NAME}` references at CodeArtifact token positions (pip and npm
 * expand them), and the named uv indexes / poetry sources whose URL is a CodeArtifact repository (uv and poetry read
 * their credentials from variables named after the index). Pure; nothing here reads a token.
 */
import { findEndpoints, findTokens, type EndpointIdentity } from '../endpoints';

export interface EnvReference extends EndpointIdentity {
  /** The variable name inside `${…}`. */
  name: string;
  /** 0-based line of the reference. */
  line: number;
}

const REF = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/**
 * Every `${NAME}` that sits at a CodeArtifact token position (URL password, `_authToken`, `.pypirc`/`.netrc` password),
 * with the domain/owner/region of its URL. The scanner reports `${NAME}` positions only as "env-reference"; to learn the
 * NAME, each `${NAME}` is turned into the placeholder `{NAME}` (one character shorter), the placeholder positions are
 * found with the same scanner, and those that came from a reference are kept.
 */
export function findEnvReferences(text: string): EnvReference[] {
  if (!text.includes('${')) return [];
  const starts = new Set<number>();
  let shift = 0;
  const rewritten = text.replace(REF, (_m, name: string, offset: number) => {
    starts.add(offset - shift);
    shift++;
    return `{${name}}`;
  });
  const out: EnvReference[] = [];
  for (const t of findTokens(rewritten)) {
    if (!t.placeholder || !starts.has(t.start)) continue;
    out.push({ name: t.token.slice(1, -1), domain: t.domain, domainOwner: t.domainOwner, region: t.region, line: t.line });
  }
  return out;
}

export interface NamedIndex extends EndpointIdentity {
  tool: 'uv' | 'poetry';
  /** The index/source name as written. */
  name: string;
  /** The index URL as written (it may already hold credentials). */
  url: string;
  /** CodeArtifact repository format and name from the URL ('' when the URL has no path). */
  format: string;
  repository: string;
}

/** Table headers that hold one named index each: `[[tool.uv.index]]` (pyproject.toml), `[[index]]` (uv.toml), poetry's sources. */
const TABLES: Record<string, NamedIndex['tool']> = { 'tool.uv.index': 'uv', index: 'uv', 'tool.poetry.source': 'poetry' };
const HEADER = /^\s*\[\[\s*([A-Za-z0-9_.\s-]+?)\s*\]\]\s*(?:#.*)?$/;
const TABLE = /^\s*\[/;
const KEY = /^\s*(name|url)\s*=\s*(?:"([^"\\]*)"|'([^']*)')\s*(?:#.*)?$/;

/**
 * The named indexes of a `pyproject.toml` / `uv.toml` whose URL is a CodeArtifact repository. A small reader of the
 * array-of-tables form (`[[tool.uv.index]]` then `name = "…"` / `url = "…"` lines, basic or literal strings without
 * escapes) — the form uv's and poetry's documentation use; inline-table arrays are not read.
 */
export function findNamedIndexes(text: string): NamedIndex[] {
  if (!text.includes('[[')) return [];
  const out: NamedIndex[] = [];
  let tool: NamedIndex['tool'] | undefined;
  let entry: { name?: string; url?: string } = {};
  const flush = () => {
    if (tool && entry.name && entry.url) {
      const e = findEndpoints(entry.url)[0];
      if (e) out.push({ tool, name: entry.name, url: entry.url, domain: e.domain, domainOwner: e.domainOwner, region: e.region, format: e.format, repository: e.repository });
    }
    entry = {};
  };
  for (const line of text.split(/\r\n|\r|\n/)) {
    const h = HEADER.exec(line);
    if (h) {
      flush();
      tool = TABLES[h[1].replace(/\s+/g, '')];
      continue;
    }
    if (TABLE.test(line)) {
      flush();
      tool = undefined;
      continue;
    }
    if (!tool) continue;
    const k = KEY.exec(line);
    if (k) entry[k[1] as 'name' | 'url'] = k[2] ?? k[3];
  }
  flush();
  return out;
}
