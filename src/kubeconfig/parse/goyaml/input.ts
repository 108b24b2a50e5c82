import { YamlError } from './errors';

// What go-yaml's reader refuses: characters outside YAML's printable set (#x9 #xA #xD #x20-#x7E #x85
// #xA0-#xD7FF #xE000-#xFFFD #x10000-#x10FFFF), and bytes that are not UTF-8 (lone surrogates here).
const REFUSED = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** The text the scanner reads: after the BOM, and cut at the first character the reader refuses. */
export interface ReaderInput {
  text: string;
  /** Offset of the first character after a leading BOM (0 or 1). */
  start: number;
  /** Offset of the first refused character, if any: the scanner's text ends there. */
  refused?: number;
}

// A quick first pass: surrogates are almost always well-formed pairs, which only REFUSED can tell.
const SUSPECT = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff\ud800-\udfff]/;

export function readerInput(text: string): ReaderInput {
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const match = SUSPECT.test(text) ? REFUSED.exec(text) : null;
  if (!match) return { text, start };
  return { text: text.slice(0, match.index), start, refused: match.index };
}

/**
 * go-yaml's reader decodes its input ahead of the scanner, in 512-byte chunks (readerc.go): a refused character
 * is an error as soon as its chunk is decoded, even past the end of the first document; a multi-byte sequence
 * cut by the end of the chunk (or of the file) waits for the next read, which only a scanner needing more makes.
 */
export function readerProblem(full: string, input: ReaderInput, furthest: number): YamlError | undefined {
  const at = input.refused;
  if (at === undefined) return undefined;
  const line = lineAt(full, at);
  const c = full.charCodeAt(at);
  const escaped = c >= 0xdc80 && c <= 0xdcff;
  const byte = c - 0xdc00;
  const width = !escaped ? 1 : (byte & 0xe0) === 0xc0 ? 2 : (byte & 0xf0) === 0xe0 ? 3 : (byte & 0xf8) === 0xf0 ? 4 : 0;
  const problem = !escaped ? 'control characters are not allowed' : width === 0 ? 'invalid leading UTF-8 octet' : 'invalid trailing UTF-8 octet';
  // The scanner reached it: go-yaml needed it, so its reader decoded it (or found the file ends inside it).
  if (furthest >= at) return new YamlError(width > 1 && at + 1 >= full.length ? 'incomplete UTF-8 octet sequence' : problem, line, at);
  const total = Buffer.byteLength(full, 'utf8') - 2 * (full.slice(at).match(/[\udc80-\udcff]/g)?.length ?? 0);
  const needed = Buffer.byteLength(full.slice(0, Math.min(furthest + 1, at)), 'utf8');
  const decoded = Math.min(total, Math.ceil(needed / 512) * 512);
  const offset = Buffer.byteLength(full.slice(0, at), 'utf8');
  const length = escaped ? Math.max(width, 1) : Buffer.byteLength(full[at], 'utf8');
  return offset + length <= decoded ? new YamlError(problem, line, at) : undefined;
}

/** Whether a line ends at offset `i`, as go-yaml counts lines (CRLF once, at its LF; CR, LF, NEL, LS, PS). */
export function endsLine(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  return c === 10 || c === 0x85 || c === 0x2028 || c === 0x2029 || (c === 13 && text.charCodeAt(i + 1) !== 10);
}

/** The 1-based line of an offset. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (endsLine(text, i)) line++;
  return line;
}
