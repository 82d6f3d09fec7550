/**
 * 0-based line numbers for UTF-16 offsets, counting line breaks the way VS Code does: `\r\n`, a lone `\r` and a lone
 * `\n` each end one line. Offsets must be asked for in non-decreasing order (one linear pass over the text).
 */
export class LineCounter {
  private pos = 0;
  private line = 0;

  constructor(private readonly text: string) {}

  lineAt(offset: number): number {
    if (offset < this.pos) throw new RangeError('LineCounter offsets must not decrease');
    const text = this.text;
    for (let i = this.pos; i < offset; i++) {
      const c = text.charCodeAt(i);
      if (c === 13) this.line++;
      else if (c === 10 && (i === 0 || text.charCodeAt(i - 1) !== 13)) this.line++;
    }
    this.pos = offset;
    return this.line;
  }
}
