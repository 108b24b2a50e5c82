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
 * go-yaml's reader decodes its input in 512-byte chunks, ahead of the scanner: a refused character is an error
 * as soon as the chunk that holds it is read, even when it lies past the end of the first document.
 */
export function readerProblem(full: string, input: ReaderInput, furthest: number): YamlError | undefined {
  const at = input.refused;
  if (at === undefined) return undefined;
  const needed = Math.min(furthest + 4, at);
  const reached = furthest >= at || Math.floor(byteLength(full, at) / 512) <= Math.floor(byteLength(full, needed) / 512);
  if (!reached) return undefined;
  const c = full.charCodeAt(at);
  const problem = c >= 0xd800 && c <= 0xdfff ? 'invalid UTF-8 (or UTF-16) byte sequence' : 'control characters are not allowed';
  return new YamlError(problem, lineAt(full, at), at);
}

const byteLength = (text: string, end: number): number => Buffer.byteLength(text.slice(0, end), 'utf8');

/** The 1-based line of an offset, counting line breaks as go-yaml does (CRLF once; CR, LF, NEL, LS, PS). */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 0x85 || c === 0x2028 || c === 0x2029 || (c === 13 && text.charCodeAt(i + 1) !== 10)) line++;
  }
  return line;
}
