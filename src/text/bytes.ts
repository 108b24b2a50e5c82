import { isUtf8 } from 'node:buffer';

/**
 * Bytes → text, keeping what go-yaml's reader (readerc.go) needs to decide: a UTF-16 file (by its BOM) is decoded,
 * anything else is UTF-8, and each byte that is not valid UTF-8 becomes a lone low surrogate U+DC80+byte (Python's
 * "surrogateescape"), so the reader can refuse it where go-yaml would, and an edit writes every byte back unchanged.
 */
export function decodeBytes(bytes: Buffer): string {
  if (isUtf16(bytes)) {
    const body = Buffer.from(bytes.subarray(2, bytes.length - (bytes.length % 2)));
    if (bytes[0] === 0xfe) body.swap16();
    // An odd last byte is an incomplete UTF-16 character: kept as an invalid byte, which the reader refuses.
    return `\ufeff${body.toString('utf16le')}${bytes.length % 2 ? String.fromCharCode(0xdc00 + bytes[bytes.length - 1]) : ''}`;
  }
  return decodeUtf8(bytes);
}

/** Whether these bytes are a UTF-16 text (by its BOM), which decodeBytes reads but encodeText does not write. */
export const isUtf16 = (bytes: Buffer): boolean => bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff));

/** UTF-8 bytes → text, every invalid byte kept as U+DC80+byte (a tokenFile's bytes are what kubectl sends). */
export function decodeUtf8(bytes: Buffer): string {
  if (isUtf8(bytes)) return bytes.toString('utf8');
  let out = '';
  for (let i = 0; i < bytes.length;) {
    const width = utf8Width(bytes, i);
    out += width ? bytes.toString('utf8', i, i + width) : String.fromCharCode(0xdc00 + bytes[i]);
    i += width || 1;
  }
  return out;
}

/** Text → bytes, the inverse of decodeBytes for UTF-8 files: escaped invalid bytes are written back as they were. */
export function encodeText(text: string): Buffer {
  if (!/[\udc80-\udcff]/.test(text)) return Buffer.from(text, 'utf8');
  const parts: Buffer[] = [];
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xdc80 && c <= 0xdcff && !(i > 0 && (text.charCodeAt(i - 1) & 0xfc00) === 0xd800)) {
      parts.push(Buffer.from(text.slice(from, i), 'utf8'), Buffer.from([c - 0xdc00]));
      from = i + 1;
    }
  }
  parts.push(Buffer.from(text.slice(from), 'utf8'));
  return Buffer.concat(parts);
}

/** The length of the valid UTF-8 sequence at `i`, or 0 (RFC 3629, as go-yaml's reader checks it). */
function utf8Width(b: Buffer, i: number): number {
  const c = b[i];
  if (c < 0x80) return 1;
  const width = (c & 0xe0) === 0xc0 ? 2 : (c & 0xf0) === 0xe0 ? 3 : (c & 0xf8) === 0xf0 ? 4 : 0;
  if (width === 0 || i + width > b.length) return 0;
  let value = c & (width === 2 ? 0x1f : width === 3 ? 0x0f : 0x07);
  for (let k = 1; k < width; k++) {
    if ((b[i + k] & 0xc0) !== 0x80) return 0;
    value = (value << 6) | (b[i + k] & 0x3f);
  }
  const shortest = width === 2 ? value >= 0x80 : width === 3 ? value >= 0x800 : value >= 0x10000;
  return shortest && !(value >= 0xd800 && value <= 0xdfff) && value <= 0x10ffff ? width : 0;
}
