/**
 * `.netrc` / `_netrc` (read by pip and requests through Python's `netrc` module, by uv and by curl), tokenised the way
 * Python's `netrc` does it, in one forward pass:
 * - tokens are separated by space, tab, CR and LF, so an entry may sit on one line or be spread over many;
 * - a token starting with `"` runs to the next `"`; a `\` escapes the next character (inside or outside quotes);
 * - `machine NAME`, `default` and `macdef NAME` start top-level items; inside an entry come `login`/`user`, `account`
 *   and `password`, each followed by its value; any other word ends the entry (so nothing after it is attributed to
 *   the machine before);
 * - a token starting with `#` where a keyword is expected comments out the rest of its line;
 * - `macdef NAME`: the rest of its line and the following lines up to an empty line are the macro (skipped).
 */

export interface NetrcToken {
  /** Raw extent, quotes included. */
  start: number;
  end: number;
  /** The value's characters (inside the quotes for a quoted token). */
  valueStart: number;
  valueEnd: number;
  /** False when the value is not the raw text between valueStart and valueEnd (an escape, an unterminated quote). */
  plain: boolean;
}

export interface NetrcEntry {
  /** The token after `machine`; undefined for `default`. */
  machine?: NetrcToken;
  /** The `login` (or `user`) value as written; '\0' when it is not plain; undefined when the entry has none. */
  login?: string;
  /** Every `password` value of the entry, in order. */
  passwords: NetrcToken[];
}

export interface ReadNetrcOptions {
  /**
   * What to do with `#` comments and `macdef` bodies: `skip` them (default, as the tools do), or `read` them as if they
   * were entries (the redactor: a commented-out line or a macro may still hold a secret).
   */
  hidden?: 'skip' | 'read';
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}
function isBreak(c: number): boolean {
  return c === 10 || c === 13;
}

class Lexer {
  private pos = 0;

  constructor(private readonly text: string) {}

  next(): NetrcToken | undefined {
    const t = this.text;
    const n = t.length;
    let i = this.pos;
    while (i < n && isSpace(t.charCodeAt(i))) i++;
    if (i >= n) {
      this.pos = n;
      return undefined;
    }
    const start = i;
    let plain = true;
    if (t.charCodeAt(i) === 34 /* " */) {
      i++;
      const valueStart = i;
      while (i < n && t.charCodeAt(i) !== 34) {
        if (t.charCodeAt(i) === 92 /* \ */) {
          plain = false;
          i++;
        }
        i++;
      }
      const valueEnd = Math.min(i, n);
      if (i < n) i++; // the closing quote
      else plain = false; // unterminated
      this.pos = Math.min(i, n);
      return { start, end: this.pos, valueStart, valueEnd, plain };
    }
    while (i < n && !isSpace(t.charCodeAt(i))) {
      if (t.charCodeAt(i) === 92) {
        plain = false;
        i++;
      }
      i++;
    }
    this.pos = Math.min(i, n);
    return { start, end: this.pos, valueStart: start, valueEnd: this.pos, plain };
  }

  /** Moves to the end of the line that holds `from` (the line break itself is whitespace to the lexer). */
  skipLine(from: number): void {
    const t = this.text;
    let i = Math.max(from, this.pos);
    while (i < t.length && !isBreak(t.charCodeAt(i))) i++;
    this.pos = i;
  }

  /** After `macdef NAME`: skips the rest of that line, then every line up to and including the next empty one. */
  skipMacro(from: number): void {
    const t = this.text;
    const n = t.length;
    this.skipLine(from);
    let i = this.pos;
    while (i < n) {
      // i is at a line break: step over it (CRLF counts as one)
      i += t.charCodeAt(i) === 13 && t.charCodeAt(i + 1) === 10 ? 2 : 1;
      if (i >= n || isBreak(t.charCodeAt(i))) break; // an empty line ends the macro
      while (i < n && !isBreak(t.charCodeAt(i))) i++;
    }
    this.pos = Math.min(i, n);
  }
}

/** The value of a plain token (keywords are compared on it). */
function word(text: string, tok: NetrcToken): string | undefined {
  return tok.plain ? text.slice(tok.valueStart, tok.valueEnd) : undefined;
}

/** Every `machine` and `default` entry of the text, in order. Linear in the text's length. */
export function readNetrc(text: string, options: ReadNetrcOptions = {}): NetrcEntry[] {
  const skip = options.hidden !== 'read';
  const lexer = new Lexer(text);
  const out: NetrcEntry[] = [];
  let entry: NetrcEntry | undefined;
  const close = () => {
    if (entry) out.push(entry);
    entry = undefined;
  };
  for (let tok = lexer.next(); tok; tok = lexer.next()) {
    if (skip && text.charCodeAt(tok.start) === 35 /* # */) {
      lexer.skipLine(tok.end);
      continue;
    }
    const w = word(text, tok);
    if (w === 'machine') {
      close();
      const host = lexer.next();
      if (!host) break;
      entry = { machine: host, passwords: [] };
    } else if (w === 'default') {
      close();
      entry = { passwords: [] };
    } else if (w === 'macdef') {
      close();
      const name = lexer.next();
      if (!name) break;
      if (skip) lexer.skipMacro(name.end);
    } else if (entry && (w === 'login' || w === 'user')) {
      const v = lexer.next();
      if (!v) break;
      entry.login = word(text, v) ?? '\0';
    } else if (entry && w === 'account') {
      if (!lexer.next()) break;
    } else if (entry && w === 'password') {
      const v = lexer.next();
      if (!v) break;
      entry.passwords.push(v);
    } else {
      close(); // anything else ends the entry; at top level it is skipped
    }
  }
  close();
  return out;
}
