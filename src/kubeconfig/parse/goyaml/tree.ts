import { Style } from './scanner';

export const enum Kind {
  Scalar = 1,
  Mapping,
  Sequence,
  Alias,
}

/** A node of a SyntaxTree: an index into its columns. */
export type YNode = number;

/**
 * go-yaml's node tree, stored by column: one typed array per field, indexed by node. A 7 MB kubeconfig has about
 * 135,000 nodes; as objects (each with its children array and its value string) they were most of what the
 * garbage collector copied while a write read its file twice, and typed arrays are not copied at all. A scalar's
 * value is kept only when it differs from its source text, which is read back on demand.
 */
export class SyntaxTree {
  constructor(
    /** The text the nodes' offsets are in. */
    private readonly source: string,
    private readonly columns: Columns,
  ) {}

  kind(n: YNode): Kind {
    return this.columns.kind[n];
  }

  /** UTF-16 offset of the node's first property (anchor or tag) or of its content. */
  start(n: YNode): number {
    return this.columns.start[n];
  }

  /** UTF-16 offset of the end of the node's content. */
  end(n: YNode): number {
    return this.columns.end[n];
  }

  /** Where the content starts, after any anchor and tag (a scalar's quote, a flow collection's bracket). */
  contentStart(n: YNode): number {
    return this.columns.contentStart[n];
  }

  /** 0-based line of `start`, as go-yaml's node.line. */
  line(n: YNode): number {
    return this.columns.line[n];
  }

  style(n: YNode): Style {
    return this.columns.style[n];
  }

  /** go-yaml's `implicit`: a plain scalar without a tag, or with the non-specific tag `!`. */
  implicit(n: YNode): boolean {
    return (this.columns.flags[n] & IMPLICIT) !== 0;
  }

  /** Flow style (`{…}`, `[…]`), for collections. */
  flow(n: YNode): boolean {
    return (this.columns.flags[n] & FLOW) !== 0;
  }

  /** A scalar's value; an alias's anchor name; '' for a collection. */
  value(n: YNode): string {
    if (this.columns.flags[n] & RAW) return this.source.slice(this.columns.contentStart[n], this.columns.end[n]);
    return this.columns.values.get(n) ?? '';
  }

  /** The resolved tag (`tag:yaml.org,2002:str`, `!foo`), or '' when none was written. */
  tag(n: YNode): string {
    return this.columns.tags.get(n)?.tag ?? '';
  }

  /** Where the tag is written, [start, end), if one is. */
  tagRange(n: YNode): readonly [number, number] | undefined {
    return this.columns.tags.get(n)?.range;
  }

  anchor(n: YNode): string {
    return this.columns.anchors.get(n) ?? '';
  }

  /** For an alias: the node its anchor names. */
  target(n: YNode): YNode | undefined {
    return this.columns.targets.get(n);
  }

  /** A mapping's keys and values, alternating; a sequence's items. */
  childCount(n: YNode): number {
    return this.columns.childCount[n];
  }

  child(n: YNode, i: number): YNode {
    return this.columns.children[this.columns.firstChild[n] + i];
  }

  /** The value of a mapping's last pair whose key is a scalar of this value (the pair go-yaml keeps), if any. */
  valueOf(map: YNode, key: string): YNode | undefined {
    if (this.kind(map) !== Kind.Mapping) return undefined;
    for (let i = this.childCount(map) - 2; i >= 0; i -= 2) {
      const k = this.child(map, i);
      if (this.kind(k) === Kind.Scalar && this.value(k) === key) return this.child(map, i + 1);
    }
    return undefined;
  }

  /** Whether a mapping has a `<<` key (a merge, or a key go-yaml would read as one). */
  hasMergeKey(map: YNode): boolean {
    for (let i = 0; i < this.childCount(map); i += 2) {
      const k = this.child(map, i);
      if (this.kind(k) === Kind.Scalar && this.value(k) === '<<') return true;
    }
    return false;
  }
}

const IMPLICIT = 1;
const FLOW = 2;
/** The value is the source text [contentStart, end) itself. */
const RAW = 4;

interface Columns {
  count: number;
  kind: Uint8Array;
  style: Uint8Array;
  flags: Uint8Array;
  start: Int32Array;
  end: Int32Array;
  contentStart: Int32Array;
  line: Int32Array;
  firstChild: Int32Array;
  childCount: Int32Array;
  /** Every collection's children, each collection's contiguous. */
  children: Int32Array;
  // What few nodes have.
  values: Map<YNode, string>;
  tags: Map<YNode, { tag: string; range?: [number, number] }>;
  anchors: Map<YNode, string>;
  targets: Map<YNode, YNode>;
}

const grown = <A extends Uint8Array | Int32Array>(a: A, size: number): A => {
  if (size <= a.length) return a;
  const b = new (a.constructor as new (n: number) => A)(Math.max(size, a.length * 2));
  b.set(a);
  return b;
};

/**
 * Builds a SyntaxTree as the parser reads: nodes are added in document order, and a collection's children are
 * pushed as each is complete, then stored together when the collection closes.
 */
export class TreeBuilder {
  private readonly c: Columns;
  /** Children of the collections still open, innermost last. */
  private pending = new Int32Array(64);
  private pendingCount = 0;
  private childrenCount = 0;

  constructor(private readonly source: string) {
    // Room for one node per 32 characters (kubeconfigs have one per 40 to 60): a large file's columns are not
    // reallocated as they fill.
    const n = Math.max(1024, source.length >> 5);
    this.c = {
      count: 0,
      kind: new Uint8Array(n),
      style: new Uint8Array(n),
      flags: new Uint8Array(n),
      start: new Int32Array(n),
      end: new Int32Array(n),
      contentStart: new Int32Array(n),
      line: new Int32Array(n),
      firstChild: new Int32Array(n),
      childCount: new Int32Array(n),
      children: new Int32Array(n),
      values: new Map(),
      tags: new Map(),
      anchors: new Map(),
      targets: new Map(),
    };
  }

  /** A node starting (and, until `setEnd`, ending) at `start`. */
  add(kind: Kind, start: number, line: number): YNode {
    const c = this.c;
    const n = c.count++;
    if (n === c.kind.length) {
      const size = n * 2;
      c.kind = grown(c.kind, size);
      c.style = grown(c.style, size);
      c.flags = grown(c.flags, size);
      c.start = grown(c.start, size);
      c.end = grown(c.end, size);
      c.contentStart = grown(c.contentStart, size);
      c.line = grown(c.line, size);
      c.firstChild = grown(c.firstChild, size);
      c.childCount = grown(c.childCount, size);
    }
    c.kind[n] = kind;
    c.start[n] = c.end[n] = c.contentStart[n] = start;
    c.line[n] = line;
    return n;
  }

  end(n: YNode): number {
    return this.c.end[n];
  }

  contentStart(n: YNode): number {
    return this.c.contentStart[n];
  }

  setEnd(n: YNode, end: number): void {
    this.c.end[n] = end;
  }

  setContentStart(n: YNode, at: number): void {
    this.c.contentStart[n] = at;
  }

  setStyle(n: YNode, style: Style): void {
    this.c.style[n] = style;
  }

  setImplicit(n: YNode): void {
    this.c.flags[n] |= IMPLICIT;
  }

  setFlow(n: YNode): void {
    this.c.flags[n] |= FLOW;
  }

  /** A scalar's value: `raw` when it is its source text [contentStart, end), which is then not kept twice. */
  setValue(n: YNode, value: string, raw: boolean): void {
    if (raw) this.c.flags[n] |= RAW;
    else if (value !== '') this.c.values.set(n, value);
  }

  setTag(n: YNode, tag: string, range: [number, number] | undefined): void {
    this.c.tags.set(n, { tag, range });
  }

  setAnchor(n: YNode, anchor: string): void {
    this.c.anchors.set(n, anchor);
  }

  setTarget(n: YNode, target: YNode): void {
    this.c.targets.set(n, target);
  }

  /** Where the children of a collection opening now will start. */
  open(): number {
    return this.pendingCount;
  }

  push(child: YNode): void {
    if (this.pendingCount === this.pending.length) this.pending = grown(this.pending, this.pendingCount + 1);
    this.pending[this.pendingCount++] = child;
  }

  /** The collection opened at `mark` is complete: its children are the ones pushed since. */
  close(n: YNode, mark: number): void {
    const c = this.c;
    const first = this.childrenCount;
    const count = this.pendingCount - mark;
    if (first + count > c.children.length) c.children = grown(c.children, first + count);
    // Most collections have a few children: a loop, not a subarray view for each.
    const children = c.children;
    const pending = this.pending;
    for (let i = 0; i < count; i++) children[first + i] = pending[mark + i];
    c.firstChild[n] = first;
    c.childCount[n] = count;
    this.childrenCount = first + count;
    this.pendingCount = mark;
  }

  build(): SyntaxTree {
    return new SyntaxTree(this.source, this.c);
  }
}
