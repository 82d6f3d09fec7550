/** Bytes <-> text for S3 objects: strict UTF-8, no NUL, BOM kept (so read -> write is byte-for-byte). */
export const MAX_OBJECT_BYTES = 1024 * 1024;

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The text, or undefined when the bytes are not UTF-8 text (invalid sequences or NUL bytes). */
export function decodeText(bytes: Uint8Array): string | undefined {
  if (bytes.includes(0)) return undefined;
  try {
    return decoder.decode(bytes);
  } catch {
    return undefined;
  }
}

export function encodeText(text: string): Buffer {
  return Buffer.from(text, 'utf8');
}
