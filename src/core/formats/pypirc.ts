/**
 * `.pypirc` (what `aws codeartifact login --tool twine` writes), read line by line the way Python's `configparser`
 * (which twine uses) reads it:
 * - `[NAME]` starts a section (a line whose first non-blank character is `[` with a `]` later on it);
 * - `KEY = VALUE` or `KEY: VALUE` (the first `=` or `:` separates; key names are case-insensitive; the value is
 *   trimmed; there are no inline comments, so `password = X # note` is the value `X # note`);
 * - a line indented deeper than the key line before it continues that key's value (awscli writes
 *   `index-servers = ` followed by tab-indented section names); blank lines do not end a value, comment lines do;
 * - `#` and `;` start full-line comments; keys before the first section belong to no section.
 */

export interface IniValue {
  /** The trimmed value: `[start, end)`; for an empty value both are the end of the line. */
  start: number;
  end: number;
  /** False once a continuation line has made the value span several lines. */
  oneLine: boolean;
}

export interface PypircSection {
  /** `[NAME]`'s NAME. */
  name: string;
  repository?: IniValue;
  /** The `username` value as written (last one wins). */
  username?: string;
  passwords: IniValue[];
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 12 || c === 11;
}

/** Every section with its `repository`, `username` and `password` values, in order. Linear in the text's length. */
export function readPypirc(text: string): PypircSection[] {
  const out: PypircSection[] = [];
  const n = text.length;
  let section: PypircSection | undefined;
  /** The key whose value a deeper-indented line would continue. */
  let open: { indent: number; value: IniValue } | undefined;
  let ls = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (;;) {
    let le = ls;
    while (le < n && text.charCodeAt(le) !== 10 && text.charCodeAt(le) !== 13) le++;
    let p = ls;
    while (p < le && isBlank(text.charCodeAt(p))) p++;
    const indent = p - ls;
    if (p < le) {
      const c = text.charCodeAt(p);
      if (c === 35 /* # */ || c === 59 /* ; */) {
        open = undefined;
      } else if (open && indent > open.indent) {
        open.value.oneLine = false;
      } else {
        open = undefined;
        let q = le;
        while (q > p && isBlank(text.charCodeAt(q - 1))) q--;
        let close = c === 91 /* [ */ ? q - 1 : p;
        while (close > p + 1 && text.charCodeAt(close) !== 93 /* ] */) close--;
        if (close > p + 1) {
          section = { name: text.slice(p + 1, close), passwords: [] };
          out.push(section);
        } else {
          let sep = p;
          while (sep < q && text.charCodeAt(sep) !== 61 /* = */ && text.charCodeAt(sep) !== 58 /* : */) sep++;
          if (sep < q) {
            let ke = sep;
            while (ke > p && isBlank(text.charCodeAt(ke - 1))) ke--;
            let vs = sep + 1;
            while (vs < q && isBlank(text.charCodeAt(vs))) vs++;
            const value: IniValue = vs < q ? { start: vs, end: q, oneLine: true } : { start: le, end: le, oneLine: true };
            open = { indent, value };
            const key = text.slice(p, ke).toLowerCase();
            if (section && key === 'repository') section.repository = value;
            else if (section && key === 'username') section.username = text.slice(value.start, value.end);
            else if (section && key === 'password') section.passwords.push(value);
          }
        }
      }
    }
    if (le >= n) break;
    ls = le + (text.charCodeAt(le) === 13 && text.charCodeAt(le + 1) === 10 ? 2 : 1);
  }
  return out;
}
