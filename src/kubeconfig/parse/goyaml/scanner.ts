/**
 * go-yaml v2's scanner (scannerc.go, itself a port of libyaml), ported state for state: the same tokens, the same
 * simple-key rules (one line, 1024 characters), the same indentation, tab, comment, directive, anchor, tag,
 * escape and line-break rules, and the same refusals. It works on a JS string instead of a UTF-8 buffer: `pos` is
 * a UTF-16 offset (what the editor splices at); `index` and `column` count characters (code points), as go-yaml's
 * marks do. The reader rules (encoding, control characters) are checked separately: see input.ts.
 */
import { YamlError } from './errors';

export const enum T {
  StreamStart,
  StreamEnd,
  VersionDirective,
  TagDirective,
  DocumentStart,
  DocumentEnd,
  BlockSequenceStart,
  BlockMappingStart,
  BlockEnd,
  FlowSequenceStart,
  FlowSequenceEnd,
  FlowMappingStart,
  FlowMappingEnd,
  BlockEntry,
  FlowEntry,
  Key,
  Value,
  Alias,
  Anchor,
  Tag,
  Scalar,
}

export const enum Style {
  Plain,
  SingleQuoted,
  DoubleQuoted,
  Literal,
  Folded,
}

export interface Token {
  type: T;
  /** UTF-16 offsets of the token's text in the source. */
  start: number;
  end: number;
  /** 0-based line of `start`. */
  line: number;
  /** Scalar value ('' when raw); anchor or alias name; tag handle; %TAG handle. */
  value: string;
  /** A scalar whose value is its source text [start, end), not copied: a plain scalar written as one run of characters. */
  raw: boolean;
  /** Tag suffix; %TAG prefix. */
  suffix: string;
  style: Style;
  major: number;
  minor: number;
}

interface Mark {
  pos: number;
  index: number;
  line: number;
  column: number;
}

interface SimpleKey {
  possible: boolean;
  required: boolean;
  tokenNumber: number;
  mark: Mark;
}

const MAX_FLOW_LEVEL = 10000;
const MAX_INDENTS = 10000;

// Character classes, on UTF-16 code units. Past the end charCodeAt gives NaN, which is go-yaml's NUL at the end
// of input; the text never holds a NUL of its own (input.ts cuts it at the first character the reader refuses).
const isZ = (c: number) => !(c > 0);
const isBlank = (c: number) => c === 32 || c === 9;
const isBreak = (c: number) => c === 10 || c === 13 || c === 0x85 || c === 0x2028 || c === 0x2029;
const isBreakZ = (c: number) => isBreak(c) || isZ(c);
const isBlankZ = (c: number) => c === 32 || c === 9 || isBreakZ(c);
const isAlpha = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 45;
const isDigit = (c: number) => c >= 48 && c <= 57;
const isHex = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
const asHex = (c: number) => (c >= 97 ? c - 87 : c >= 65 ? c - 55 : c - 48);
// A high surrogate is the first half of one character: it does not count as a column of its own.
const counts = (c: number) => (c & 0xfc00) !== 0xd800;

// The characters that cannot start a plain scalar (apart from the exceptions in fetchNextToken).
const INDICATORS = new Uint8Array(128);
for (const ch of '-?:,[]{}#&*!|>\'"%@`') INDICATORS[ch.charCodeAt(0)] = 1;

// Runs of characters a plain scalar takes without a decision: no blank, break, ':', high surrogate (which would
// make a column of two code units), and in flow context no flow indicator or '?'.
const PLAIN_RUN_BLOCK = /[^ \t\r\n:\x85\u2028\u2029\ud800-\udbff]*/y;
const PLAIN_RUN_FLOW = /[^ \t\r\n:\x85\u2028\u2029\ud800-\udbff,?[\]{}]*/y;

// The URI characters of a tag (yaml_parser_scan_tag_uri), besides alphanumerics and '%'.
const URI_CHARS = new Set([...";/?:@&=+$,.!~*'()[]"].map((ch) => ch.charCodeAt(0)));

export class Scanner {
  pos = 0;
  index = 0;
  line = 0;
  column = 0;
  /** The furthest offset read: the reader's horizon (input.ts). */
  furthest = 0;

  private streamStartProduced = false;
  /** The queue: tokens[head, tail) (the array's slots are reused: emptying it would reallocate them). */
  private tokens: Token[] = [];
  private head = 0;
  private tail = 0;
  private tokensParsed = 0;
  private tokenAvailable = false;

  private indent = -1;
  private indents: number[] = [];
  private simpleKeyAllowed = false;
  private simpleKeys: SimpleKey[] = [];
  private simpleKeysByTok = new Map<number, number>();
  private flowLevel = 0;

  constructor(
    private readonly s: string,
    /** Where reading starts: after a BOM, which go-yaml's reader drops (marks still start at 0). */
    start = 0,
  ) {
    this.pos = start;
  }

  private at(offset = 0): number {
    return this.s.charCodeAt(this.pos + offset);
  }

  private mark(): Mark {
    return { pos: this.pos, index: this.index, line: this.line, column: this.column };
  }

  private error(context: string, contextMark: { line: number }, problem: string): YamlError {
    this.furthest = Math.max(this.furthest, this.pos);
    return new YamlError(problem, this.line + 1, this.pos, context, contextMark.line + 1);
  }

  private skip(): void {
    const c = this.s.charCodeAt(this.pos);
    this.pos++;
    if (!counts(c) && (this.s.charCodeAt(this.pos) & 0xfc00) === 0xdc00) this.pos++;
    this.index++;
    this.column++;
  }

  private skipLine(): void {
    const c = this.at();
    if (c === 13 && this.at(1) === 10) {
      this.pos += 2;
      this.index += 2;
    } else if (isBreak(c)) {
      this.pos++;
      this.index++;
    } else return;
    this.column = 0;
    this.line++;
  }

  /** read_line: a line break as go-yaml keeps it in a value (CR, LF, CRLF and NEL are '\n'; LS and PS stay). */
  private readLine(): string {
    const c = this.at();
    let out = '\n';
    if (c === 13 && this.at(1) === 10) {
      this.pos += 2;
      this.index += 2;
    } else if (c === 13 || c === 10 || c === 0x85) {
      this.pos++;
      this.index++;
    } else if (c === 0x2028 || c === 0x2029) {
      out = String.fromCharCode(c);
      this.pos++;
      this.index++;
    } else return '';
    this.column = 0;
    this.line++;
    return out;
  }

  /** The next token, which stays the next one until `skipToken`. */
  peek(): Token {
    if (!this.tokenAvailable) this.fetchMoreTokens();
    return this.tokens[this.head];
  }

  skipToken(): void {
    this.tokenAvailable = false;
    this.tokensParsed++;
    this.head++;
    if (this.head === this.tail) this.head = this.tail = 0;
  }

  private insertToken(at: number, token: Token): void {
    const tokens = this.tokens;
    if (at < 0) {
      tokens[this.tail++] = token;
      return;
    }
    for (let i = this.tail++; i > this.head + at; i--) tokens[i] = tokens[i - 1];
    tokens[this.head + at] = token;
  }

  private token(type: T, start: { pos: number; line: number }, end: number, value = '', style = Style.Plain): Token {
    return { type, start: start.pos, end, line: start.line, value, raw: false, suffix: '', style, major: 0, minor: 0 };
  }

  /** A one-character token at the current position (an indicator), consumed. */
  private indicator(type: T): Token {
    const token = this.token(type, this, this.pos + 1);
    this.skip();
    return token;
  }

  private fetchMoreTokens(): void {
    for (;;) {
      if (this.head !== this.tail) {
        const index = this.simpleKeysByTok.get(this.tokensParsed);
        if (index === undefined || !this.simpleKeyIsValid(this.simpleKeys[index])) break;
      }
      this.fetchNextToken();
    }
    this.tokenAvailable = true;
    if (this.pos > this.furthest) this.furthest = this.pos;
  }

  private fetchNextToken(): void {
    if (!this.streamStartProduced) return this.fetchStreamStart();
    this.scanToNextToken();
    this.unrollIndent(this.column);
    const c = this.at();
    if (isZ(c)) return this.fetchStreamEnd();
    if (this.column === 0 && c === 37 /* % */) return this.fetchDirective();
    if (this.column === 0 && c === 45 && this.at(1) === 45 && this.at(2) === 45 && isBlankZ(this.at(3))) return this.fetchDocumentIndicator(T.DocumentStart);
    if (this.column === 0 && c === 46 && this.at(1) === 46 && this.at(2) === 46 && isBlankZ(this.at(3))) return this.fetchDocumentIndicator(T.DocumentEnd);
    switch (c) {
      case 91: // [
        return this.fetchFlowCollectionStart(T.FlowSequenceStart);
      case 123: // {
        return this.fetchFlowCollectionStart(T.FlowMappingStart);
      case 93: // ]
        return this.fetchFlowCollectionEnd(T.FlowSequenceEnd);
      case 125: // }
        return this.fetchFlowCollectionEnd(T.FlowMappingEnd);
      case 44: // ,
        return this.fetchFlowEntry();
    }
    const next = this.at(1);
    if (c === 45 && isBlankZ(next)) return this.fetchBlockEntry();
    if (c === 63 /* ? */ && (this.flowLevel > 0 || isBlankZ(next))) return this.fetchKey();
    if (c === 58 /* : */ && (this.flowLevel > 0 || isBlankZ(next))) return this.fetchValue();
    if (c === 42 /* * */) {
      this.possibleKey();
      return this.insertToken(-1, this.scanAnchor(T.Alias));
    }
    if (c === 38 /* & */) {
      this.possibleKey();
      return this.insertToken(-1, this.scanAnchor(T.Anchor));
    }
    if (c === 33 /* ! */) {
      this.possibleKey();
      return this.insertToken(-1, this.scanTag());
    }
    if (c === 124 /* | */ && this.flowLevel === 0) return this.fetchBlockScalar(true);
    if (c === 62 /* > */ && this.flowLevel === 0) return this.fetchBlockScalar(false);
    if (c === 39 /* ' */) {
      this.possibleKey();
      return this.insertToken(-1, this.scanFlowScalar(true));
    }
    if (c === 34 /* " */) {
      this.possibleKey();
      return this.insertToken(-1, this.scanFlowScalar(false));
    }
    if (!(isBlankZ(c) || INDICATORS[c] === 1) || (c === 45 && !isBlank(next)) || (this.flowLevel === 0 && (c === 63 || c === 58) && !isBlankZ(next))) {
      this.possibleKey();
      return this.insertToken(-1, this.scanPlainScalar());
    }
    throw this.error('while scanning for the next token', this.mark(), 'found character that cannot start any token');
  }

  private simpleKeyIsValid(key: SimpleKey): boolean {
    if (!key.possible) return false;
    if (key.mark.line < this.line || key.mark.index + 1024 < this.index) {
      if (key.required) throw new YamlError("could not find expected ':'", key.mark.line + 1, key.mark.pos, 'while scanning a simple key', key.mark.line + 1);
      key.possible = false;
      return false;
    }
    return true;
  }

  private saveSimpleKey(): void {
    const required = this.flowLevel === 0 && this.indent === this.column;
    if (!this.simpleKeyAllowed) return;
    const tokenNumber = this.tokensParsed + (this.tail - this.head);
    this.removeSimpleKey();
    // The level's key is overwritten in place (go-yaml copies a struct): a new object per scalar is garbage.
    const key = this.simpleKeys[this.simpleKeys.length - 1];
    key.possible = true;
    key.required = required;
    key.tokenNumber = tokenNumber;
    const mark = key.mark;
    mark.pos = this.pos;
    mark.index = this.index;
    mark.line = this.line;
    mark.column = this.column;
    this.simpleKeysByTok.set(tokenNumber, this.simpleKeys.length - 1);
  }

  private removeSimpleKey(): void {
    const key = this.simpleKeys[this.simpleKeys.length - 1];
    if (!key.possible) return;
    if (key.required) throw new YamlError("could not find expected ':'", key.mark.line + 1, key.mark.pos, 'while scanning a simple key', key.mark.line + 1);
    key.possible = false;
    this.simpleKeysByTok.delete(key.tokenNumber);
  }

  private increaseFlowLevel(): void {
    const mark = this.mark();
    this.simpleKeys.push({ possible: false, required: false, tokenNumber: this.tokensParsed + (this.tail - this.head), mark });
    this.flowLevel++;
    if (this.flowLevel > MAX_FLOW_LEVEL) throw this.error('while increasing flow level', mark, `exceeded max depth of ${MAX_FLOW_LEVEL}`);
  }

  private decreaseFlowLevel(): void {
    if (this.flowLevel === 0) return;
    this.flowLevel--;
    const key = this.simpleKeys.pop()!;
    this.simpleKeysByTok.delete(key.tokenNumber);
  }

  private rollIndent(column: number, number: number, type: T, mark: { pos: number; line: number }): void {
    if (this.flowLevel > 0 || this.indent >= column) return;
    this.indents.push(this.indent);
    this.indent = column;
    if (this.indents.length > MAX_INDENTS) throw this.error('while increasing indent level', mark, `exceeded max depth of ${MAX_INDENTS}`);
    const token = this.token(type, mark, mark.pos);
    this.insertToken(number > -1 ? number - this.tokensParsed : -1, token);
  }

  private unrollIndent(column: number): void {
    if (this.flowLevel > 0) return;
    while (this.indent > column) {
      this.insertToken(-1, this.token(T.BlockEnd, this, this.pos));
      this.indent = this.indents.pop()!;
    }
  }

  private fetchStreamStart(): void {
    this.indent = -1;
    this.simpleKeys.push({ possible: false, required: false, tokenNumber: 0, mark: this.mark() });
    this.simpleKeyAllowed = true;
    this.streamStartProduced = true;
    this.insertToken(-1, this.token(T.StreamStart, this.mark(), this.pos));
  }

  private fetchStreamEnd(): void {
    if (this.column !== 0) {
      this.column = 0;
      this.line++;
    }
    this.unrollIndent(-1);
    this.removeSimpleKey();
    this.simpleKeyAllowed = false;
    this.insertToken(-1, this.token(T.StreamEnd, this.mark(), this.pos));
  }

  private fetchDirective(): void {
    this.unrollIndent(-1);
    this.removeSimpleKey();
    this.simpleKeyAllowed = false;
    this.insertToken(-1, this.scanDirective());
  }

  private fetchDocumentIndicator(type: T): void {
    this.unrollIndent(-1);
    this.removeSimpleKey();
    this.simpleKeyAllowed = false;
    const start = this.mark();
    this.skip();
    this.skip();
    this.skip();
    this.insertToken(-1, this.token(type, start, this.pos));
  }

  private fetchFlowCollectionStart(type: T): void {
    this.saveSimpleKey();
    this.increaseFlowLevel();
    this.simpleKeyAllowed = true;
    this.insertToken(-1, this.indicator(type));
  }

  private fetchFlowCollectionEnd(type: T): void {
    this.removeSimpleKey();
    this.decreaseFlowLevel();
    this.simpleKeyAllowed = false;
    this.insertToken(-1, this.indicator(type));
  }

  private fetchFlowEntry(): void {
    this.removeSimpleKey();
    this.simpleKeyAllowed = true;
    this.insertToken(-1, this.indicator(T.FlowEntry));
  }

  private fetchBlockEntry(): void {
    this.fetchBlockIndicator(T.BlockEntry, T.BlockSequenceStart, 'block sequence entries', true);
  }

  private fetchKey(): void {
    this.fetchBlockIndicator(T.Key, T.BlockMappingStart, 'mapping keys', this.flowLevel === 0);
  }

  /** `- ` and `? `: in block context they may open a collection, where a simple key could start. */
  private fetchBlockIndicator(type: T, opens: T, what: string, simpleKeyAfter: boolean): void {
    if (this.flowLevel === 0) {
      if (!this.simpleKeyAllowed) throw this.error('', this, `${what} are not allowed in this context`);
      this.rollIndent(this.column, -1, opens, this);
    }
    this.removeSimpleKey();
    this.simpleKeyAllowed = simpleKeyAfter;
    this.insertToken(-1, this.indicator(type));
  }

  private fetchValue(): void {
    const key = this.simpleKeys[this.simpleKeys.length - 1];
    if (this.simpleKeyIsValid(key)) {
      this.insertToken(key.tokenNumber - this.tokensParsed, this.token(T.Key, key.mark, key.mark.pos));
      this.rollIndent(key.mark.column, key.tokenNumber, T.BlockMappingStart, key.mark);
      key.possible = false;
      this.simpleKeysByTok.delete(key.tokenNumber);
      this.simpleKeyAllowed = false;
    } else {
      if (this.flowLevel === 0) {
        if (!this.simpleKeyAllowed) throw this.error('', this, 'mapping values are not allowed in this context');
        this.rollIndent(this.column, -1, T.BlockMappingStart, this);
      }
      this.simpleKeyAllowed = this.flowLevel === 0;
    }
    this.insertToken(-1, this.indicator(T.Value));
  }

  /** Before a token that may start a simple key (an anchor, tag, quoted or plain scalar): remember where. */
  private possibleKey(): void {
    this.saveSimpleKey();
    this.simpleKeyAllowed = false;
  }

  private fetchBlockScalar(literal: boolean): void {
    this.removeSimpleKey();
    this.simpleKeyAllowed = true;
    this.insertToken(-1, this.scanBlockScalar(literal));
  }

  private scanToNextToken(): void {
    const s = this.s;
    for (;;) {
      // go-yaml skips a BOM at the start of a line (the reader has already dropped the one opening the file).
      if (this.column === 0 && this.at() === 0xfeff) this.skip();
      let c = s.charCodeAt(this.pos);
      while (c === 32 || ((this.flowLevel > 0 || !this.simpleKeyAllowed) && c === 9)) {
        this.pos++;
        this.index++;
        this.column++;
        c = s.charCodeAt(this.pos);
      }
      if (c === 35 /* # */) {
        while (!isBreakZ(c)) {
          this.pos++;
          if (counts(c)) {
            this.index++;
            this.column++;
          }
          c = s.charCodeAt(this.pos);
        }
      }
      if (!isBreak(c)) break;
      this.skipLine();
      if (this.flowLevel === 0) this.simpleKeyAllowed = true;
    }
  }

  private skipBlanks(): void {
    while (isBlank(this.at())) this.skip();
  }

  private skipComment(): void {
    if (this.at() !== 35) return;
    while (!isBreakZ(this.at())) this.skip();
  }

  private scanDirective(): Token {
    const start = this.mark();
    this.skip();
    const name = this.scanDirectiveName(start);
    const token = this.token(T.VersionDirective, start, 0);
    if (name === 'YAML') {
      this.skipBlanks();
      token.major = this.scanVersionNumber(start);
      if (this.at() !== 46) throw this.error('while scanning a %YAML directive', start, "did not find expected digit or '.' character");
      this.skip();
      token.minor = this.scanVersionNumber(start);
    } else if (name === 'TAG') {
      token.type = T.TagDirective;
      this.skipBlanks();
      token.value = this.scanTagHandle(true, start);
      if (!isBlank(this.at())) throw this.error('while scanning a %TAG directive', start, 'did not find expected whitespace');
      this.skipBlanks();
      token.suffix = this.scanTagUri(true, '', start);
      if (!isBlankZ(this.at())) throw this.error('while scanning a %TAG directive', start, 'did not find expected whitespace or line break');
    } else {
      throw this.error('while scanning a directive', start, 'found unknown directive name');
    }
    token.end = this.pos;
    this.skipBlanks();
    this.skipComment();
    if (!isBreakZ(this.at())) throw this.error('while scanning a directive', start, 'did not find expected comment or line break');
    this.skipLine();
    return token;
  }

  private scanDirectiveName(start: Mark): string {
    const from = this.pos;
    while (isAlpha(this.at())) this.skip();
    if (this.pos === from) throw this.error('while scanning a directive', start, 'could not find expected directive name');
    if (!isBlankZ(this.at())) throw this.error('while scanning a directive', start, 'found unexpected non-alphabetical character');
    return this.s.slice(from, this.pos);
  }

  private scanVersionNumber(start: Mark): number {
    let value = 0;
    let length = 0;
    while (isDigit(this.at())) {
      if (++length > 2) throw this.error('while scanning a %YAML directive', start, 'found extremely long version number');
      value = value * 10 + this.at() - 48;
      this.skip();
    }
    if (length === 0) throw this.error('while scanning a %YAML directive', start, 'did not find expected version number');
    return value;
  }

  private scanAnchor(type: T): Token {
    const start = this.mark();
    this.skip();
    const from = this.pos;
    while (isAlpha(this.at())) this.skip();
    const value = this.s.slice(from, this.pos);
    const c = this.at();
    if (value.length === 0 || !(isBlankZ(c) || c === 63 || c === 58 || c === 44 || c === 93 || c === 125 || c === 37 || c === 64 || c === 96)) {
      throw this.error(
        type === T.Anchor ? 'while scanning an anchor' : 'while scanning an alias',
        start,
        'did not find expected alphabetic or numeric character',
      );
    }
    return this.token(type, start, this.pos, value);
  }

  private scanTag(): Token {
    const start = this.mark();
    let handle: string;
    let suffix: string;
    if (this.at(1) === 60 /* < */) {
      this.skip();
      this.skip();
      handle = '';
      suffix = this.scanTagUri(false, '', start);
      if (this.at() !== 62) throw this.error('while scanning a tag', start, "did not find the expected '>'");
      this.skip();
    } else {
      handle = this.scanTagHandle(false, start);
      if (handle.length > 1 && handle.endsWith('!')) {
        suffix = this.scanTagUri(false, '', start);
      } else {
        suffix = this.scanTagUri(false, handle, start);
        handle = '!';
        if (suffix.length === 0) [handle, suffix] = [suffix, handle];
      }
    }
    if (!isBlankZ(this.at())) throw this.error('while scanning a tag', start, 'did not find expected whitespace or line break');
    const token = this.token(T.Tag, start, this.pos, handle);
    token.suffix = suffix;
    return token;
  }

  private scanTagHandle(directive: boolean, start: Mark): string {
    const context = directive ? 'while parsing a %TAG directive' : 'while parsing a tag';
    if (this.at() !== 33) throw this.error(context, start, "did not find expected '!'");
    const from = this.pos;
    this.skip();
    while (isAlpha(this.at())) this.skip();
    if (this.at() === 33) this.skip();
    else if (directive && this.pos - from !== 1) throw this.error(context, start, "did not find expected '!'");
    return this.s.slice(from, this.pos);
  }

  private scanTagUri(directive: boolean, head: string, start: Mark): string {
    let uri = head.length > 1 ? head.slice(1) : '';
    let hasTag = head.length > 0;
    for (let c = this.at(); isAlpha(c) || URI_CHARS.has(c) || c === 37; c = this.at()) {
      if (c === 37) uri += this.scanUriEscapes(directive, start);
      else {
        uri += String.fromCharCode(c);
        this.skip();
      }
      hasTag = true;
    }
    if (!hasTag) throw this.error(directive ? 'while parsing a %TAG directive' : 'while parsing a tag', start, 'did not find expected tag URI');
    return uri;
  }

  private scanUriEscapes(directive: boolean, start: Mark): string {
    const context = directive ? 'while parsing a %TAG directive' : 'while parsing a tag';
    const bytes: number[] = [];
    let width = 1024;
    while (width > 0) {
      if (!(this.at() === 37 && isHex(this.at(1)) && isHex(this.at(2)))) throw this.error(context, start, 'did not find URI escaped octet');
      const octet = (asHex(this.at(1)) << 4) + asHex(this.at(2));
      if (width === 1024) {
        width = (octet & 0x80) === 0 ? 1 : (octet & 0xe0) === 0xc0 ? 2 : (octet & 0xf0) === 0xe0 ? 3 : (octet & 0xf8) === 0xf0 ? 4 : 0;
        if (width === 0) throw this.error(context, start, 'found an incorrect leading UTF-8 octet');
      } else if ((octet & 0xc0) !== 0x80) throw this.error(context, start, 'found an incorrect trailing UTF-8 octet');
      bytes.push(octet);
      this.skip();
      this.skip();
      this.skip();
      width--;
    }
    return Buffer.from(bytes).toString('utf8');
  }

  private scanBlockScalar(literal: boolean): Token {
    const start = this.mark();
    this.skip();
    let chomping = 0;
    let increment = 0;
    let c = this.at();
    if (c === 43 || c === 45) {
      chomping = c === 43 ? 1 : -1;
      this.skip();
      if (isDigit(this.at())) {
        if (this.at() === 48) throw this.error('while scanning a block scalar', start, 'found an indentation indicator equal to 0');
        increment = this.at() - 48;
        this.skip();
      }
    } else if (isDigit(c)) {
      if (c === 48) throw this.error('while scanning a block scalar', start, 'found an indentation indicator equal to 0');
      increment = c - 48;
      this.skip();
      c = this.at();
      if (c === 43 || c === 45) {
        chomping = c === 43 ? 1 : -1;
        this.skip();
      }
    }
    this.skipBlanks();
    this.skipComment();
    if (!isBreakZ(this.at())) throw this.error('while scanning a block scalar', start, 'did not find expected comment or line break');
    this.skipLine();
    const end = { pos: this.pos };
    let indent = increment > 0 ? (this.indent >= 0 ? this.indent + increment : increment) : 0;
    let value = '';
    let leadingBreak = '';
    let trailingBreaks = '';
    const breaks = (): void => {
      const r = this.blockScalarBreaks(indent, start, end);
      indent = r.indent;
      trailingBreaks += r.breaks;
    };
    breaks();
    let leadingBlank = false;
    while (this.column === indent && !isZ(this.at())) {
      const trailingBlank = isBlank(this.at());
      if (!literal && !leadingBlank && !trailingBlank && leadingBreak.startsWith('\n')) {
        if (trailingBreaks.length === 0) value += ' ';
      } else value += leadingBreak;
      leadingBreak = '';
      value += trailingBreaks;
      trailingBreaks = '';
      leadingBlank = isBlank(this.at());
      const from = this.pos;
      while (!isBreakZ(this.at())) this.skip();
      value += this.s.slice(from, this.pos);
      leadingBreak = this.readLine();
      breaks();
    }
    if (chomping !== -1) value += leadingBreak;
    if (chomping === 1) value += trailingBreaks;
    return this.token(T.Scalar, start, end.pos, value, literal ? Style.Literal : Style.Folded);
  }

  private blockScalarBreaks(indent: number, start: Mark, end: { pos: number }): { indent: number; breaks: string } {
    end.pos = this.pos;
    let maxIndent = 0;
    let breaks = '';
    for (;;) {
      while ((indent === 0 || this.column < indent) && this.at() === 32) this.skip();
      if (this.column > maxIndent) maxIndent = this.column;
      if ((indent === 0 || this.column < indent) && this.at() === 9) {
        throw this.error('while scanning a block scalar', start, 'found a tab character where an indentation space is expected');
      }
      if (!isBreak(this.at())) break;
      breaks += this.readLine();
      end.pos = this.pos;
    }
    if (indent === 0) indent = Math.max(maxIndent, this.indent + 1, 1);
    return { indent, breaks };
  }

  private atDocumentIndicator(): boolean {
    if (this.column !== 0) return false;
    const c = this.at();
    return (c === 45 || c === 46) && this.at(1) === c && this.at(2) === c && isBlankZ(this.at(3));
  }

  private scanFlowScalar(single: boolean): Token {
    const start = this.mark();
    const s = this.s;
    this.skip();
    let value = '';
    let leadingBreak = '';
    let trailingBreaks = '';
    let whitespaces = '';
    for (;;) {
      if (this.atDocumentIndicator()) throw this.error('while scanning a quoted scalar', start, 'found unexpected document indicator');
      if (isZ(this.at())) throw this.error('while scanning a quoted scalar', start, 'found unexpected end of stream');
      let leadingBlanks = false;
      let c = s.charCodeAt(this.pos);
      while (!isBlankZ(c)) {
        if (single && c === 39) {
          if (s.charCodeAt(this.pos + 1) !== 39) break;
          value += "'";
          this.skip();
          this.skip();
        } else if (!single && c === 34) {
          break;
        } else if (!single && c === 92 && isBreak(s.charCodeAt(this.pos + 1))) {
          this.skip();
          this.skipLine();
          leadingBlanks = true;
          break;
        } else if (!single && c === 92) {
          value += this.scanEscape(start);
        } else {
          // A run of ordinary characters, taken as one slice.
          const from = this.pos;
          do {
            this.pos++;
            if (counts(c)) {
              this.index++;
              this.column++;
            }
            c = s.charCodeAt(this.pos);
          } while (!isBlankZ(c) && c !== 39 && c !== 34 && c !== 92);
          value += s.slice(from, this.pos);
        }
        c = s.charCodeAt(this.pos);
      }
      if (c === (single ? 39 : 34)) break;
      for (c = this.at(); isBlank(c) || isBreak(c); c = this.at()) {
        if (isBlank(c)) {
          if (!leadingBlanks) whitespaces += String.fromCharCode(c);
          this.skip();
        } else if (!leadingBlanks) {
          whitespaces = '';
          leadingBreak = this.readLine();
          leadingBlanks = true;
        } else trailingBreaks += this.readLine();
      }
      if (leadingBlanks) {
        if (leadingBreak.startsWith('\n')) value += trailingBreaks.length === 0 ? ' ' : trailingBreaks;
        else value += leadingBreak + trailingBreaks;
        trailingBreaks = '';
        leadingBreak = '';
      } else {
        value += whitespaces;
        whitespaces = '';
      }
    }
    this.skip();
    return this.token(T.Scalar, start, this.pos, value, single ? Style.SingleQuoted : Style.DoubleQuoted);
  }

  private scanEscape(start: Mark): string {
    const c = this.at(1);
    let out: string | undefined;
    let length = 0;
    switch (c) {
      case 48:
        out = '\0';
        break; // 0
      case 97:
        out = '\x07';
        break; // a
      case 98:
        out = '\b';
        break; // b
      case 116: // t
      case 9:
        out = '\t';
        break;
      case 110:
        out = '\n';
        break; // n
      case 118:
        out = '\v';
        break; // v
      case 102:
        out = '\f';
        break; // f
      case 114:
        out = '\r';
        break; // r
      case 101:
        out = '\x1b';
        break; // e
      case 32:
        out = ' ';
        break;
      case 34:
        out = '"';
        break;
      case 39:
        out = "'";
        break;
      case 92:
        out = '\\';
        break;
      case 78:
        out = '\x85';
        break; // N
      case 95:
        out = '\xa0';
        break; // _
      case 76:
        out = '\u2028';
        break; // L
      case 80:
        out = '\u2029';
        break; // P
      case 120:
        length = 2;
        break; // x
      case 117:
        length = 4;
        break; // u
      case 85:
        length = 8;
        break; // U
      default:
        throw this.error('while parsing a quoted scalar', start, 'found unknown escape character');
    }
    this.skip();
    this.skip();
    if (length === 0) return out!;
    let value = 0;
    for (let k = 0; k < length; k++) {
      const h = this.at(k);
      if (!isHex(h)) throw this.error('while parsing a quoted scalar', start, 'did not find expected hexdecimal number');
      value = value * 16 + asHex(h);
    }
    if ((value >= 0xd800 && value <= 0xdfff) || value > 0x10ffff) {
      throw this.error('while parsing a quoted scalar', start, 'found invalid Unicode character escape code');
    }
    for (let k = 0; k < length; k++) this.skip();
    return String.fromCodePoint(value);
  }

  private scanPlainScalar(): Token {
    const s = this.s;
    // Plain positions, not a Mark: this runs for almost every token of a kubeconfig.
    const startPos = this.pos;
    const startLine = this.line;
    const indent = this.indent + 1;
    const inFlow = this.flowLevel > 0;
    let end = this.pos;
    let value = '';
    let leadingBreak = '';
    let trailingBreaks = '';
    let whitespaces = '';
    let leadingBlanks = false;
    // One run of characters, never joined to another across blanks or a line break.
    let raw = true;
    for (;;) {
      if (this.atDocumentIndicator()) break;
      let c = s.charCodeAt(this.pos);
      if (c === 35) break;
      const from = this.pos;
      // Most of a plain scalar is characters that need no decision (base64 data, names): skip them natively.
      const run = inFlow ? PLAIN_RUN_FLOW : PLAIN_RUN_BLOCK;
      run.lastIndex = this.pos;
      run.test(s);
      if (run.lastIndex > this.pos) {
        this.index += run.lastIndex - this.pos;
        this.column += run.lastIndex - this.pos;
        this.pos = run.lastIndex;
        c = s.charCodeAt(this.pos);
      }
      while (!isBlankZ(c)) {
        if (c === 58 && isBlankZ(s.charCodeAt(this.pos + 1))) break;
        if (inFlow && (c === 44 || c === 63 || c === 91 || c === 93 || c === 123 || c === 125)) break;
        this.pos++;
        if (counts(c)) {
          this.index++;
          this.column++;
        }
        c = s.charCodeAt(this.pos);
      }
      if (this.pos > from) {
        if (raw && from > startPos) {
          // A run after another (or after blanks): the value is no longer the source text.
          value = s.slice(startPos, end);
          raw = false;
        }
        if (leadingBlanks) {
          if (leadingBreak.startsWith('\n')) value += trailingBreaks.length === 0 ? ' ' : trailingBreaks;
          else value += leadingBreak + trailingBreaks;
          trailingBreaks = '';
          leadingBreak = '';
          leadingBlanks = false;
        } else if (whitespaces) {
          value += whitespaces;
          whitespaces = '';
        }
        if (!raw) value += s.slice(from, this.pos);
        end = this.pos;
      }
      if (!(isBlank(c) || isBreak(c))) break;
      for (; isBlank(c) || isBreak(c); c = s.charCodeAt(this.pos)) {
        if (isBlank(c)) {
          if (leadingBlanks && this.column < indent && c === 9) {
            throw this.error('while scanning a plain scalar', { line: startLine }, 'found a tab character that violates indentation');
          }
          if (!leadingBlanks) whitespaces += String.fromCharCode(c);
          this.skip();
        } else if (!leadingBlanks) {
          whitespaces = '';
          leadingBreak = this.readLine();
          leadingBlanks = true;
        } else trailingBreaks += this.readLine();
      }
      if (!inFlow && this.column < indent) break;
    }
    if (leadingBlanks) this.simpleKeyAllowed = true;
    return { type: T.Scalar, start: startPos, end, line: startLine, value, raw, suffix: '', style: Style.Plain, major: 0, minor: 0 };
  }
}
