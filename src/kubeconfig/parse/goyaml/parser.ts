/**
 * go-yaml v2's parser (parserc.go's state machine, written as the recursive descent it encodes) and its node
 * builder (decode.go's `parser`), for the first document only, as yaml.Unmarshal reads it. Every node keeps its
 * source range, so the editor can splice the text without another parser.
 */
import { YamlError } from './errors';
import { lineAt, readerInput, readerProblem } from './input';
import { Scanner, Style, T, Token } from './scanner';

export const enum Kind {
  Scalar = 1,
  Mapping,
  Sequence,
  Alias,
}

export interface YNode {
  kind: Kind;
  /** UTF-16 offsets: from the node's first property (anchor or tag) or content to the end of its content. */
  start: number;
  end: number;
  /** Where the content starts, after any anchor and tag (a scalar's quote, a flow collection's bracket). */
  contentStart: number;
  /** 0-based line of `start`, as go-yaml's node.line. */
  line: number;
  /** The resolved tag (`tag:yaml.org,2002:str`, `!foo`), or '' when none was written. */
  tag: string;
  /** Where the tag is written, [start, end), or undefined. */
  tagRange?: [number, number];
  anchor: string;
  value: string;
  /** go-yaml's `implicit`: a plain scalar without a tag, or with the non-specific tag `!`. */
  implicit: boolean;
  style: Style;
  /** Flow style (`{…}`, `[…]`), for collections. */
  flow: boolean;
  /** A mapping's keys and values, alternating; a sequence's items. */
  children: YNode[];
  /** For an alias: the node its anchor names. */
  target?: YNode;
}

export interface ParsedDocument {
  /** The first document's root node; undefined for a stream without documents (empty or comments only). */
  root?: YNode;
  /** Every anchored node, for the editor: a node an alias or merge reads. */
  aliased: Set<YNode>;
  /** Where the first document's text stops: its `...` marker or the next document's `---` (none: the end of the text). */
  end?: number;
  /** Whether the first document began with `---` (explicit), and where its content may start. */
  explicitStart: boolean;
}

const DEFAULT_TAG_DIRECTIVES: Array<[string, string]> = [
  ['!', '!'],
  ['!!', 'tag:yaml.org,2002:'],
];

const NO_CHILDREN: YNode[] = [];

function node(kind: Kind, start: number, line: number): YNode {
  const children = kind === Kind.Mapping || kind === Kind.Sequence ? [] : NO_CHILDREN;
  return {
    kind,
    start,
    end: start,
    contentStart: start,
    line,
    tag: '',
    tagRange: undefined,
    anchor: '',
    value: '',
    implicit: false,
    style: Style.Plain,
    flow: false,
    children,
    target: undefined,
  };
}

class Parser {
  private readonly anchors = new Map<string, YNode>();
  private tagDirectives: Array<[string, string]> = [];
  readonly aliased = new Set<YNode>();

  constructor(readonly scanner: Scanner) {}

  private peek(): Token {
    return this.scanner.peek();
  }

  private skip(): void {
    this.scanner.skipToken();
  }

  private error(problem: string, token: Token, context?: string): YamlError {
    return new YamlError(problem, token.line + 1, token.start, context);
  }

  document(): ParsedDocument {
    let token = this.peek();
    if (token.type !== T.StreamStart) throw this.error('did not find expected <stream-start>', token);
    this.skip();
    token = this.peek();
    const result: ParsedDocument = { aliased: this.aliased, explicitStart: false };
    if (token.type === T.StreamEnd) return result;
    if (token.type !== T.VersionDirective && token.type !== T.TagDirective && token.type !== T.DocumentStart) {
      this.processDirectives();
      result.root = this.parseNode(true, false);
    } else {
      this.processDirectives();
      token = this.peek();
      if (token.type !== T.DocumentStart) throw this.error('did not find expected <document start>', token);
      result.explicitStart = true;
      this.skip();
      token = this.peek();
      const empty =
        token.type === T.VersionDirective ||
        token.type === T.TagDirective ||
        token.type === T.DocumentStart ||
        token.type === T.DocumentEnd ||
        token.type === T.StreamEnd;
      result.root = empty ? this.emptyScalar(token.start, token.line) : this.parseNode(true, false);
    }
    token = this.peek();
    if (token.type === T.DocumentEnd || token.type === T.DocumentStart) result.end = token.start;
    if (token.type === T.DocumentEnd) this.skip();
    return result;
  }

  private processDirectives(): void {
    let version = false;
    const seen: string[] = [];
    for (let token = this.peek(); token.type === T.VersionDirective || token.type === T.TagDirective; token = this.peek()) {
      if (token.type === T.VersionDirective) {
        if (version) throw this.error('found duplicate %YAML directive', token);
        if (token.major !== 1 || token.minor !== 1) throw this.error('found incompatible YAML document', token);
        version = true;
      } else {
        if (seen.includes(token.value)) throw this.error('found duplicate %TAG directive', token);
        seen.push(token.value);
        this.tagDirectives.push([token.value, token.suffix]);
      }
      this.skip();
    }
    for (const [handle, prefix] of DEFAULT_TAG_DIRECTIVES) if (!this.tagDirectives.some(([h]) => h === handle)) this.tagDirectives.push([handle, prefix]);
  }

  private emptyScalar(at: number, line: number): YNode {
    const n = node(Kind.Scalar, at, line);
    n.implicit = true;
    return n;
  }

  private parseNode(block: boolean, indentless: boolean): YNode {
    let token = this.peek();
    if (token.type === T.Alias) {
      const n = node(Kind.Alias, token.start, token.line);
      n.end = token.end;
      n.contentStart = token.start;
      n.value = token.value;
      n.target = this.anchors.get(token.value);
      if (!n.target) throw new YamlError(`unknown anchor '${token.value}' referenced`, token.line + 1, token.start);
      this.aliased.add(n.target);
      this.skip();
      return n;
    }
    const start = token.start;
    const line = token.line;
    let anchor = '';
    let anchorToken: Token | undefined;
    let tagToken: Token | undefined;
    if (token.type === T.Anchor) {
      anchor = token.value;
      anchorToken = token;
      this.skip();
      token = this.peek();
      if (token.type === T.Tag) {
        tagToken = token;
        this.skip();
        token = this.peek();
      }
    } else if (token.type === T.Tag) {
      tagToken = token;
      this.skip();
      token = this.peek();
      if (token.type === T.Anchor) {
        anchor = token.value;
        anchorToken = token;
        this.skip();
        token = this.peek();
      }
    }
    let tag = '';
    if (tagToken) {
      if (tagToken.value === '') tag = tagToken.suffix;
      else {
        const directive = this.tagDirectives.find(([handle]) => handle === tagToken!.value);
        if (directive) tag = directive[1] + tagToken.suffix;
        if (tag === '') throw new YamlError('found undefined tag handle', tagToken.line + 1, tagToken.start, 'while parsing a node');
      }
    }
    if (indentless && token.type === T.BlockEntry)
      return this.indentlessSequence(this.collection(Kind.Sequence, start, line, token.start, tag, tagToken, anchor));
    if (token.type === T.Scalar) {
      const n = node(Kind.Scalar, start, line);
      n.contentStart = token.start;
      if (tagToken || anchor) {
        n.tag = tag;
        n.tagRange = tagToken && [tagToken.start, tagToken.end];
        n.anchor = anchor;
        if (anchor) this.anchors.set(anchor, n);
      }
      n.value = token.value;
      n.style = token.style;
      n.implicit = (tag === '' && token.style === Style.Plain) || tag === '!';
      n.end = token.end;
      this.skip();
      return n;
    }
    if (token.type === T.FlowSequenceStart) return this.flowSequence(this.collection(Kind.Sequence, start, line, token.start, tag, tagToken, anchor));
    if (token.type === T.FlowMappingStart) return this.flowMapping(this.collection(Kind.Mapping, start, line, token.start, tag, tagToken, anchor));
    if (block && token.type === T.BlockSequenceStart)
      return this.blockSequence(this.collection(Kind.Sequence, start, line, token.start, tag, tagToken, anchor));
    if (block && token.type === T.BlockMappingStart) return this.blockMapping(this.collection(Kind.Mapping, start, line, token.start, tag, tagToken, anchor));
    if (anchor || tag) {
      // A node with properties and no content: an empty plain scalar, which ends where its properties end.
      const n = this.collection(Kind.Scalar, start, line, token.start, tag, tagToken, anchor);
      n.implicit = tag === '';
      n.end = n.contentStart = Math.max(anchorToken?.end ?? 0, tagToken?.end ?? 0);
      return n;
    }
    throw this.error('did not find expected node content', token, block ? 'while parsing a block node' : 'while parsing a flow node');
  }

  /** A node with its properties; an anchor names it from here on (so an alias inside it is to itself). */
  private collection(kind: Kind, start: number, line: number, contentStart: number, tag: string, tagToken: Token | undefined, anchor: string): YNode {
    const n = node(kind, start, line);
    n.contentStart = contentStart;
    if (tagToken) {
      n.tag = tag;
      n.tagRange = [tagToken.start, tagToken.end];
    }
    if (anchor) {
      n.anchor = anchor;
      this.anchors.set(anchor, n);
    }
    return n;
  }

  private finish(n: YNode, end: number): YNode {
    n.end = Math.max(end, n.contentStart);
    return n;
  }

  private indentlessSequence(n: YNode): YNode {
    for (let token = this.peek(); token.type === T.BlockEntry; token = this.peek()) {
      const mark = token.end;
      this.skip();
      token = this.peek();
      const empty = token.type === T.BlockEntry || token.type === T.Key || token.type === T.Value || token.type === T.BlockEnd;
      n.children.push(empty ? this.emptyScalar(mark, token.line) : this.parseNode(true, false));
      n.end = n.children[n.children.length - 1].end;
    }
    return n;
  }

  private blockSequence(n: YNode): YNode {
    const open = this.peek();
    this.skip();
    for (;;) {
      let token = this.peek();
      if (token.type === T.BlockEntry) {
        const mark = token.end;
        this.skip();
        token = this.peek();
        const empty = token.type === T.BlockEntry || token.type === T.BlockEnd;
        n.children.push(empty ? this.emptyScalar(mark, token.line) : this.parseNode(true, false));
        n.end = n.children[n.children.length - 1].end;
      } else if (token.type === T.BlockEnd) {
        this.skip();
        return n;
      } else throw new YamlError("did not find expected '-' indicator", token.line + 1, token.start, 'while parsing a block collection', open.line + 1);
    }
  }

  private blockMapping(n: YNode): YNode {
    const open = this.peek();
    this.skip();
    for (;;) {
      let token = this.peek();
      if (token.type === T.Key) {
        const mark = token.end;
        this.skip();
        token = this.peek();
        const empty = token.type === T.Key || token.type === T.Value || token.type === T.BlockEnd;
        n.children.push(empty ? this.emptyScalar(mark, token.line) : this.parseNode(true, true));
        token = this.peek();
        if (token.type === T.Value) {
          const after = token.end;
          this.skip();
          token = this.peek();
          const emptyValue = token.type === T.Key || token.type === T.Value || token.type === T.BlockEnd;
          n.children.push(emptyValue ? this.emptyScalar(after, token.line) : this.parseNode(true, true));
        } else n.children.push(this.emptyScalar(token.start, token.line));
        n.end = Math.max(n.children[n.children.length - 2].end, n.children[n.children.length - 1].end);
      } else if (token.type === T.BlockEnd) {
        this.skip();
        return n;
      } else throw new YamlError('did not find expected key', token.line + 1, token.start, 'while parsing a block mapping', open.line + 1);
    }
  }

  private flowSequence(n: YNode): YNode {
    const open = this.peek();
    n.flow = true;
    this.skip();
    for (let first = true; ; first = false) {
      let token = this.peek();
      if (token.type === T.FlowSequenceEnd) break;
      if (!first) {
        if (token.type !== T.FlowEntry)
          throw new YamlError("did not find expected ',' or ']'", token.line + 1, token.start, 'while parsing a flow sequence', open.line + 1);
        this.skip();
        token = this.peek();
      }
      if (token.type === T.FlowSequenceEnd) break;
      if (token.type === T.Key) {
        // `[a: b]`: a single-pair mapping, parsed exactly as parserc.go does (including its handling of `? `).
        const pair = node(Kind.Mapping, token.start, token.line);
        pair.flow = true;
        this.skip();
        token = this.peek();
        if (token.type !== T.Value && token.type !== T.FlowEntry && token.type !== T.FlowSequenceEnd) pair.children.push(this.parseNode(false, false));
        else {
          pair.children.push(this.emptyScalar(token.end, token.line));
          this.skip();
        }
        token = this.peek();
        let value: YNode | undefined;
        if (token.type === T.Value) {
          this.skip();
          const next = this.peek();
          if (next.type !== T.FlowEntry && next.type !== T.FlowSequenceEnd) value = this.parseNode(false, false);
        }
        pair.children.push(value ?? this.emptyScalar(token.start, token.line));
        pair.end = Math.max(pair.children[0].end, pair.children[1].end);
        n.children.push(pair);
        continue;
      }
      n.children.push(this.parseNode(false, false));
    }
    const close = this.peek();
    this.skip();
    return this.finish(n, close.end);
  }

  private flowMapping(n: YNode): YNode {
    const open = this.peek();
    n.flow = true;
    this.skip();
    for (let first = true; ; first = false) {
      let token = this.peek();
      if (token.type === T.FlowMappingEnd) break;
      if (!first) {
        if (token.type !== T.FlowEntry)
          throw new YamlError("did not find expected ',' or '}'", token.line + 1, token.start, 'while parsing a flow mapping', open.line + 1);
        this.skip();
        token = this.peek();
      }
      if (token.type === T.FlowMappingEnd) break;
      if (token.type === T.Key) {
        this.skip();
        token = this.peek();
        const empty = token.type === T.Value || token.type === T.FlowEntry || token.type === T.FlowMappingEnd;
        n.children.push(empty ? this.emptyScalar(token.start, token.line) : this.parseNode(false, false));
        token = this.peek();
        let value: YNode | undefined;
        if (token.type === T.Value) {
          this.skip();
          const next = this.peek();
          if (next.type !== T.FlowEntry && next.type !== T.FlowMappingEnd) value = this.parseNode(false, false);
          else token = next;
        }
        n.children.push(value ?? this.emptyScalar(token.start, token.line));
      } else {
        n.children.push(this.parseNode(false, false));
        const next = this.peek();
        n.children.push(this.emptyScalar(next.start, next.line));
      }
    }
    const close = this.peek();
    this.skip();
    return this.finish(n, close.end);
  }
}

/**
 * The first YAML document of `text` as go-yaml v2's parser builds it, refusing what go-yaml's reader, scanner or
 * parser refuses before the end of that document (the reader looks a little further ahead: see input.ts).
 */
export function parseDocument(text: string): ParsedDocument {
  const input = readerInput(text);
  const scanner = new Scanner(input.text, input.start);
  const parser = new Parser(scanner);
  let result: ParsedDocument;
  try {
    result = parser.document();
  } catch (e) {
    // A character the reader refuses, where the scanner stopped: the reader's error comes first in go-yaml.
    if (e instanceof YamlError) throw readerProblem(text, input, Math.max(scanner.furthest, e.offset ?? 0)) ?? e;
    throw e;
  }
  const problem = readerProblem(text, input, scanner.furthest);
  if (problem) throw problem;
  return result;
}

export { lineAt };
