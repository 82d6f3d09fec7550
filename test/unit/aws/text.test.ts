import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decodeText, encodeText } from '../../../src/aws/text';

describe('aws/text decodeText/encodeText', () => {
  it('keeps a BOM and CRLF: bytes -> text -> bytes is identical', () => {
    const bytes = Buffer.from('\uFEFF--index-url x\r\nboto3\r\n', 'utf8');
    const text = decodeText(bytes);
    assert.equal(text?.charCodeAt(0), 0xfeff);
    assert.ok(encodeText(text!).equals(bytes));
  });
  it('refuses NUL bytes and invalid UTF-8', () => {
    assert.equal(decodeText(Buffer.from('a\u0000b')), undefined);
    assert.equal(decodeText(Buffer.from([0x63, 0x61, 0x66, 0xe9])), undefined);
    assert.equal(decodeText(Buffer.from([0xc3])), undefined); // truncated sequence
  });
  it('round-trips any NUL-free string (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }).filter((s) => !s.includes('\u0000')), (s) => decodeText(encodeText(s)) === s),
    );
  });
});
