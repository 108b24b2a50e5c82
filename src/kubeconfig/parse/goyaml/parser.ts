/**
 * go-yaml v2's parser (parserc.go's state machine, written as the recursive descent it encodes) and its node
 * builder (decode.go's `parser`), for the first document only, as yaml.Unmarshal reads it. Every node keeps its
 * source range, so the editor can splice the text without another parser.
 */
import { YamlError } from './errors';
import { readerInput, readerProblem } from './input';
import { Scanner, Style, T, Token } from './scanner';
import { Kind, SyntaxTree, TreeBuilder, YNode } from './tree';

export { Kind, SyntaxTree, type YNode };

export interface ParsedDocument {
  tree: SyntaxTree;
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

class Parser {
  private readonly anchors = new Map<string, YNode>();
  private tagDirectives: Array<[string, string]> = [];
  readonly aliased = new Set<YNode>();
  readonly tree: TreeBuilder;

  constructor(
    readonly scanner: Scanner,
    source: string,
  ) {
    this.tree = new TreeBuilder(source);
  }

  private peek(): Token {
    return this.scanner.peek();
  }

  private skip(): void {
    this.scanner.skipToken();
  }

  private error(problem: string, token: Token, context?: string): YamlError {
    return new YamlError(problem, token.line + 1, token.start, context);
  }

  /** The first document, and the tree its nodes are in. */
  document(): ParsedDocument {
    return { ...this.firstDocument(), tree: this.tree.build() };
  }

  private firstDocument(): Omit<ParsedDocument, 'tree'> {
    let token = this.peek();
    if (token.type !== T.StreamStart) throw this.error('did not find expected <stream-start>', token);
    this.skip();
    token = this.peek();
    const result: Omit<ParsedDocument, 'tree'> = { aliased: this.aliased, explicitStart: false };
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
    const n = this.tree.add(Kind.Scalar, at, line);
    this.tree.setImplicit(n);
    return n;
  }

  private parseNode(block: boolean, indentless: boolean): YNode {
    const tree = this.tree;
    let token = this.peek();
    if (token.type === T.Alias) {
      const n = tree.add(Kind.Alias, token.start, token.line);
      tree.setEnd(n, token.end);
      tree.setValue(n, token.value, false);
      const target = this.anchors.get(token.value);
      if (target === undefined) throw new YamlError(`unknown anchor '${token.value}' referenced`, token.line + 1, token.start);
      tree.setTarget(n, target);
      this.aliased.add(target);
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
      return this.indentlessSequence(this.withProperties(Kind.Sequence, start, line, token.start, tag, tagToken, anchor));
    if (token.type === T.Scalar) {
      const n = this.withProperties(Kind.Scalar, start, line, token.start, tag, tagToken, anchor);
      tree.setValue(n, token.value, token.raw);
      tree.setStyle(n, token.style);
      if ((tag === '' && token.style === Style.Plain) || tag === '!') tree.setImplicit(n);
      tree.setEnd(n, token.end);
      this.skip();
      return n;
    }
    if (token.type === T.FlowSequenceStart) return this.flowSequence(this.withProperties(Kind.Sequence, start, line, token.start, tag, tagToken, anchor));
    if (token.type === T.FlowMappingStart) return this.flowMapping(this.withProperties(Kind.Mapping, start, line, token.start, tag, tagToken, anchor));
    if (block && token.type === T.BlockSequenceStart)
      return this.blockSequence(this.withProperties(Kind.Sequence, start, line, token.start, tag, tagToken, anchor));
    if (block && token.type === T.BlockMappingStart)
      return this.blockMapping(this.withProperties(Kind.Mapping, start, line, token.start, tag, tagToken, anchor));
    if (anchor || tag) {
      // A node with properties and no content: an empty plain scalar, which ends where its properties end.
      const n = this.withProperties(Kind.Scalar, start, line, token.start, tag, tagToken, anchor);
      if (tag === '') tree.setImplicit(n);
      const end = Math.max(anchorToken?.end ?? 0, tagToken?.end ?? 0);
      tree.setEnd(n, end);
      tree.setContentStart(n, end);
      return n;
    }
    throw this.error('did not find expected node content', token, block ? 'while parsing a block node' : 'while parsing a flow node');
  }

  /** A node with its properties; an anchor names it from here on (so an alias inside it is to itself). */
  private withProperties(kind: Kind, start: number, line: number, contentStart: number, tag: string, tagToken: Token | undefined, anchor: string): YNode {
    const n = this.tree.add(kind, start, line);
    this.tree.setContentStart(n, contentStart);
    if (tagToken) this.tree.setTag(n, tag, [tagToken.start, tagToken.end]);
    if (anchor) {
      this.tree.setAnchor(n, anchor);
      this.anchors.set(anchor, n);
    }
    return n;
  }

  /** A collection's last child: it ends where that child ends (flow collections at their closing bracket). */
  private child(n: YNode, child: YNode): void {
    this.tree.push(child);
    this.tree.setEnd(n, this.tree.end(child));
  }

  private indentlessSequence(n: YNode): YNode {
    const mark = this.tree.open();
    for (let token = this.peek(); token.type === T.BlockEntry; token = this.peek()) {
      const after = token.end;
      this.skip();
      token = this.peek();
      const empty = token.type === T.BlockEntry || token.type === T.Key || token.type === T.Value || token.type === T.BlockEnd;
      this.child(n, empty ? this.emptyScalar(after, token.line) : this.parseNode(true, false));
    }
    this.tree.close(n, mark);
    return n;
  }

  private blockSequence(n: YNode): YNode {
    const mark = this.tree.open();
    const open = this.peek();
    this.skip();
    for (;;) {
      let token = this.peek();
      if (token.type === T.BlockEntry) {
        const after = token.end;
        this.skip();
        token = this.peek();
        const empty = token.type === T.BlockEntry || token.type === T.BlockEnd;
        this.child(n, empty ? this.emptyScalar(after, token.line) : this.parseNode(true, false));
      } else if (token.type === T.BlockEnd) {
        this.skip();
        this.tree.close(n, mark);
        return n;
      } else throw new YamlError("did not find expected '-' indicator", token.line + 1, token.start, 'while parsing a block collection', open.line + 1);
    }
  }

  private blockMapping(n: YNode): YNode {
    const tree = this.tree;
    const mark = tree.open();
    const open = this.peek();
    this.skip();
    for (;;) {
      let token = this.peek();
      if (token.type === T.Key) {
        const after = token.end;
        this.skip();
        token = this.peek();
        const empty = token.type === T.Key || token.type === T.Value || token.type === T.BlockEnd;
        const key = empty ? this.emptyScalar(after, token.line) : this.parseNode(true, true);
        tree.push(key);
        token = this.peek();
        let value: YNode;
        if (token.type === T.Value) {
          const afterValue = token.end;
          this.skip();
          token = this.peek();
          const emptyValue = token.type === T.Key || token.type === T.Value || token.type === T.BlockEnd;
          value = emptyValue ? this.emptyScalar(afterValue, token.line) : this.parseNode(true, true);
        } else value = this.emptyScalar(token.start, token.line);
        tree.push(value);
        tree.setEnd(n, Math.max(tree.end(key), tree.end(value)));
      } else if (token.type === T.BlockEnd) {
        this.skip();
        tree.close(n, mark);
        return n;
      } else throw new YamlError('did not find expected key', token.line + 1, token.start, 'while parsing a block mapping', open.line + 1);
    }
  }

  private flowSequence(n: YNode): YNode {
    const tree = this.tree;
    const mark = tree.open();
    const open = this.peek();
    tree.setFlow(n);
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
        const pair = tree.add(Kind.Mapping, token.start, token.line);
        const pairMark = tree.open();
        tree.setFlow(pair);
        this.skip();
        token = this.peek();
        let key: YNode;
        if (token.type !== T.Value && token.type !== T.FlowEntry && token.type !== T.FlowSequenceEnd) key = this.parseNode(false, false);
        else {
          key = this.emptyScalar(token.end, token.line);
          this.skip();
        }
        tree.push(key);
        token = this.peek();
        let value: YNode | undefined;
        if (token.type === T.Value) {
          this.skip();
          const next = this.peek();
          if (next.type !== T.FlowEntry && next.type !== T.FlowSequenceEnd) value = this.parseNode(false, false);
        }
        value ??= this.emptyScalar(token.start, token.line);
        tree.push(value);
        tree.setEnd(pair, Math.max(tree.end(key), tree.end(value)));
        tree.close(pair, pairMark);
        tree.push(pair);
        continue;
      }
      tree.push(this.parseNode(false, false));
    }
    const close = this.peek();
    this.skip();
    return this.finish(n, mark, close.end);
  }

  private flowMapping(n: YNode): YNode {
    const tree = this.tree;
    const mark = tree.open();
    const open = this.peek();
    tree.setFlow(n);
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
        tree.push(empty ? this.emptyScalar(token.start, token.line) : this.parseNode(false, false));
        token = this.peek();
        let value: YNode | undefined;
        if (token.type === T.Value) {
          this.skip();
          const next = this.peek();
          if (next.type !== T.FlowEntry && next.type !== T.FlowMappingEnd) value = this.parseNode(false, false);
          else token = next;
        }
        tree.push(value ?? this.emptyScalar(token.start, token.line));
      } else {
        tree.push(this.parseNode(false, false));
        const next = this.peek();
        tree.push(this.emptyScalar(next.start, next.line));
      }
    }
    const close = this.peek();
    this.skip();
    return this.finish(n, mark, close.end);
  }

  /** A flow collection is complete at its closing bracket. */
  private finish(n: YNode, mark: number, end: number): YNode {
    this.tree.close(n, mark);
    this.tree.setEnd(n, Math.max(end, this.tree.contentStart(n)));
    return n;
  }
}

/**
 * The first YAML document of `text` as go-yaml v2's parser builds it, refusing what go-yaml's reader, scanner or
 * parser refuses before the end of that document (the reader looks a little further ahead: see input.ts).
 */
export function parseDocument(text: string): ParsedDocument {
  const input = readerInput(text);
  const scanner = new Scanner(input.text, input.start);
  const parser = new Parser(scanner, input.text);
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
