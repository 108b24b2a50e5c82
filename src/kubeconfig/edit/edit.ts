import { Document, isAlias, isMap, isScalar, isSeq, Node, Pair, parseDocument, Scalar, visit, YAMLMap, YAMLSeq } from 'yaml';
import { configError, CwError, InternalError, invalidInput } from '../../errors';
import { ParseError, readKubeconfig } from '../parse/parse';
import { Kind, ParsedDocument, SyntaxTree, YNode } from '../parse/goyaml/parser';
import { Style } from '../parse/goyaml/scanner';
import { RawConfig, SECTIONS, Section, SectionValue } from '../model';
import { blockText, plainIsSafe } from './block-text';
import { IntendedConfig, sameValue } from './intended';

/**
 * A kubeconfig file edited in place, byte for byte: every edit splices the source text at the ranges the `yaml`
 * package's parser reports, so comments, key order, quoting, indentation, flow or block style, line endings and
 * unknown keys outside the edited value stay exactly as they were. (Re-serialising a `yaml` Document would
 * normalise indentation and spacing across the whole file, and js-yaml cannot keep comments at all.) The text is
 * re-parsed after each edit, which keeps every edit simple and correct; edits per command are few.
 *
 * Values are written so that go-yaml v2 (kubectl) reads them back as strings: a scalar YAML 1.1 would read as a
 * bool, number or null (`on`, `yes`, `12345`, `1e3`, `~`) is double-quoted.
 *
 * An edit never changes what another part of the file reads. So it refuses (CwError 'invalid-input', before
 * changing anything) to edit a value, body, entry or section that is an alias (`*t`), that carries an anchor
 * (`&t`) an alias or merge key uses, or that a merge key (`<<`) supplies. Removing or overwriting a whole value
 * only drops this entry's own reference to shared data, so an alias there is fine, but an anchor in it is not.
 */
export type ScalarValue = string | boolean;
/** A structured field value: JSON-like data. */
export type FieldValue = Record<string, unknown> | unknown[];

/** What an edit changes, as a refusal names it. */
interface Target {
  /** What is edited, as the message names it: `user "u1"`, `current-context`. */
  where: string;
  /** The part of it that is shared: `its token`, `the users list`. */
  what: string;
}

/** The source as kubectl reads it (go-yaml v2's syntax tree, with ranges, and the decoded config); checked after every edit. */
interface Parsed {
  syntax: ParsedDocument;
  config: RawConfig;
}

/** The source's syntax tree, with ranges to splice at: parsed only when an edit needs it (slow on large files). */
interface Tree {
  doc: Document.Parsed;
  /** Every node an alias or merge key refers to: changing one changes what reads it. */
  shared: Set<Node>;
}

/** A splice waiting for the end of a batch, at offsets of the source as it was when the batch began. */
interface PendingSplice {
  start: number;
  end: number;
  text: string;
}

export class KubeconfigDocument {
  private source: string;
  private parsed?: Parsed;
  private parsedTree?: Tree;
  /** The batch under way: its splices, at offsets of the source as it was when the batch began, and what they mean. */
  private pending?: { splices: PendingSplice[]; want: IntendedConfig };

  constructor(
    text: string,
    /** For messages only. */
    readonly file: string,
  ) {
    this.source = text;
    try {
      this.view(); // refuse a file kubectl would refuse, before anyone edits it
    } catch (e) {
      if (e instanceof ParseError) throw configError(`error loading config file "${file}": ${e.line ? `line ${e.line}: ` : ''}${e.message}`);
      throw e;
    }
  }

  /** The file as kubectl decodes it (go-yaml v2 semantics), after the edits so far. */
  get config(): RawConfig {
    return this.view().config;
  }

  /** The body (`user:`, `cluster:`, `context:`) of the entry of that name in this file, if it is defined here. */
  entry<S extends Section>(section: S, name: string): SectionValue[S] | undefined {
    const index = this.entryIndex(section, name);
    return index < 0 ? undefined : (((this.config[section]![index] as Record<string, unknown>)[SECTIONS[section]] ?? {}) as SectionValue[S]);
  }

  /**
   * Sets one field of an entry's body, adding the field (after the others) when it is absent. A list or mapping
   * value (`extensions`) replaces the field's value whole.
   */
  setField(section: Section, name: string, field: string, value: ScalarValue | FieldValue): void {
    this.intended(
      (want) => want.body(section, this.entryIndex(section, name), (body) => ({ ...body, [field]: value })),
      () => (typeof value !== 'object' && this.fastSetField(section, name, field, value)) || this.setFieldInTree(section, name, field, value),
    );
  }

  private setFieldInTree(section: Section, name: string, field: string, value: ScalarValue | FieldValue): void {
    const { item, keyColumn, where } = this.item(section, name);
    const key = SECTIONS[section];
    const bodyPair = this.ownPair(item, key, { where, what: `its ${key}` });
    if (!bodyPair) return this.insertPair(item, keyColumn, key, { [field]: value });
    const body = bodyPair.value;
    this.refuseShared({ where, what: `its ${key}` }, body);
    // An empty `{}` in block context is kubectl's way of writing nothing: it becomes a block body like any other.
    if (isMap(body) && (body.items.length > 0 || item.flow)) {
      const target = { where, what: `its ${field}` };
      const pair = this.ownPair(body, field, target);
      if (!pair) return this.insertPair(body, this.column(body) ?? keyColumn + 2, field, value);
      this.refuseShared(target, pair.value);
      if (typeof value === 'object')
        return this.replacePairValue(
          pair,
          body.flow ? ` ${flowText(value)}` : `\n${serialise(value, this.keyColumn(pair) + (Array.isArray(value) ? 0 : 2)).replace(/\n$/, '')}`,
        );
      if (isScalar(pair.value)) return this.replaceScalar(pair.value, value, body.flow);
      return this.replacePairValue(pair, formatScalar(value, undefined, body.flow));
    }
    this.replacePairValue(bodyPair, this.bodyText(item, bodyPair, { [field]: value }));
  }

  /** Removes a field of an entry's body (every copy of a repeated key); an emptied body becomes `{}`. Absent fields are no change. */
  deleteField(section: Section, name: string, field: string): void {
    if (this.pending) throw new Error('deleteField re-reads the document after each removal: it cannot run inside a batch');
    this.intended(
      (want) =>
        want.body(section, this.entryIndex(section, name), (body) => {
          const rest = { ...body };
          delete rest[field];
          return rest;
        }),
      () => {
        while (this.deleteOne(section, name, field));
      },
    );
  }

  /** Appends a new entry to a section, creating the section when the file has none. */
  addEntry<S extends Section>(section: S, name: string, body: SectionValue[S]): void {
    this.addEntries(section, [{ name, body }]);
  }

  /** Appends entries to a section in one splice: an import of thousands must not re-parse the file per entry. */
  addEntries<S extends Section>(section: S, entries: Array<{ name: string; body: SectionValue[S] }>): void {
    if (entries.length === 0) return;
    const existing = new Set((this.config[section] ?? []).map((e) => e?.name ?? ''));
    const taken = entries.find((e) => existing.has(e.name));
    if (taken) throw configError(`${SECTIONS[section]} "${taken.name}" already exists in "${this.file}"`);
    const items = entries.map(({ name, body }) => ({ name, [SECTIONS[section]]: body }));
    this.intended(
      (want) => {
        this.withHeader(want);
        want.append(section, items);
      },
      () => this.fastAddEntries(section, items) || this.addEntriesInTree(section, entries, items),
    );
  }

  private addEntriesInTree<S extends Section>(section: S, entries: Array<{ name: string; body: SectionValue[S] }>, items: unknown[]): void {
    const root = this.tree().doc.contents;
    if (!isMap(root)) return this.append(`${this.header()}${section}:\n${blockSeq(items, 0)}`);
    const target = { where: `${SECTIONS[section]} "${entries[0].name}"`, what: `the ${section} list` };
    const sectionPair = this.ownPair(root, section, target);
    if (!sectionPair) return this.insertPair(root, this.column(root) ?? 0, section, items);
    const seq = sectionPair.value;
    this.refuseShared(target, seq);
    if (isSeq(seq) && seq.items.length > 0) return seq.flow ? this.insertFlowItems(seq, items) : this.insertLines(seq, blockSeq(items, this.dashColumn(seq)));
    const text = root.flow ? ` ${flowText(items)}` : `\n${blockSeq(items, this.keyColumn(sectionPair)).replace(/\n$/, '')}`;
    this.replacePairValue(sectionPair, text);
  }

  /** Replaces an entry's whole body (`user:`, `cluster:`, `context:`): an overwrite; comments inside it go too. */
  replaceBody<S extends Section>(section: S, name: string, body: SectionValue[S]): void {
    this.intended(
      (want) => want.body(section, this.entryIndex(section, name), () => ({ ...body })),
      () => this.replaceBodyInTree(section, name, body),
    );
  }

  private replaceBodyInTree<S extends Section>(section: S, name: string, body: SectionValue[S]): void {
    const { item, keyColumn, where } = this.item(section, name);
    const key = SECTIONS[section];
    const target = { where, what: `its ${key}` };
    const bodyPair = this.ownPair(item, key, target);
    if (!bodyPair) return this.insertPair(item, keyColumn, key, body);
    this.refuseSharedWithin(target, bodyPair.value);
    this.replacePairValue(bodyPair, this.bodyText(item, bodyPair, body as Record<string, unknown>));
  }

  renameEntry(section: Section, from: string, to: string): void {
    if (from === to) return;
    if (this.entry(section, to)) throw configError(`${SECTIONS[section]} "${to}" already exists in "${this.file}"`);
    this.intended(
      (want) => want.entry(section, this.entryIndex(section, from), (entry) => ({ ...entry, name: to })),
      () => this.renameInTree(section, from, to),
    );
  }

  private renameInTree(section: Section, from: string, to: string): void {
    const { item, keyColumn, where } = this.item(section, from);
    const namePair = lastPair(item, 'name'); // item() made sure no merge key supplies it; absent means ""
    if (!namePair) return this.insertPair(item, keyColumn, 'name', to);
    this.refuseShared({ where, what: 'its name' }, namePair.value);
    this.replaceScalar(namePair.value as Scalar, to, item.flow); // kubectl reads a name only as a string
  }

  setCurrentContext(name: string): void {
    this.intended(
      (want) => {
        this.withHeader(want);
        want.set('current-context', name);
      },
      () => this.fastSetCurrentContext(name) || this.setCurrentContextInTree(name),
    );
  }

  private setCurrentContextInTree(name: string): void {
    const root = this.tree().doc.contents;
    if (!isMap(root)) return this.append(`${this.header()}current-context: ${formatScalar(name)}\n`);
    const target = { where: 'current-context', what: 'its value' };
    const pair = this.ownPair(root, 'current-context', target);
    if (!pair) return this.insertPair(root, this.column(root) ?? 0, 'current-context', name);
    this.refuseShared(target, pair.value);
    this.replaceScalar(pair.value as Scalar, name, root.flow); // kubectl reads current-context only as a string
  }

  /**
   * Makes every edit `work` does in one pass: one parse for all of them, one splice of their sorted ranges, one
   * re-read that must mean exactly what the edits, one after the other, intend; thousands of edits (a token
   * shared by 5,000 users, an import of 5,000 entries, a doctor fixing every shadowed name) stay linear in the
   * file. Inside, the document reads as it was before the batch, so each edit must touch its own part of the
   * file: edits whose ranges overlap are refused. Fields are set, entries renamed or added; a field is not
   * deleted inside a batch (deletion re-reads).
   */
  batch(work: () => void): void {
    if (this.pending) return work();
    const before = this.source;
    const want = new IntendedConfig(this.config);
    this.pending = { splices: [], want };
    let edits: PendingSplice[];
    try {
      work();
    } finally {
      edits = this.pending.splices;
      this.pending = undefined;
    }
    if (edits.length === 0) return;
    // Stable: two insertions at one offset keep the order they were made in.
    edits.sort((a, b) => a.start - b.start);
    const parts: string[] = [];
    let at = 0;
    for (const edit of edits) {
      if (edit.start < at) throw new Error(`edits of "${this.file}" overlap at offset ${edit.start}: they cannot be made in one batch`);
      parts.push(this.source.slice(at, edit.start), edit.text);
      at = edit.end;
    }
    parts.push(this.source.slice(at));
    this.replaceSource(parts.join(''));
    this.check(before, want);
  }

  toString(): string {
    return this.source;
  }

  // --- the intended change ----------------------------------------------------------------------------------

  /**
   * Runs an edit, then re-reads the result with the same reader kubectl's is a port of, and refuses (nothing
   * changed, CwError 'write') unless it means exactly what `expect` makes of the config before it: the edited
   * value, and nothing else, in whatever the file's line breaks, BOM, document markers, tags or style made of the
   * splice. Inside a batch, the expectation joins the batch's, which is checked once at its end.
   */
  private intended(expect: (want: IntendedConfig) => void, edit: () => void): void {
    if (this.pending) {
      expect(this.pending.want);
      return edit();
    }
    const before = this.source;
    const want = new IntendedConfig(this.config);
    expect(want);
    edit();
    this.check(before, want);
  }

  private check(before: string, want: IntendedConfig): void {
    if (this.source === before || sameValue(this.config, want.value)) return;
    this.source = before;
    this.parsed = undefined;
    this.parsedTree = undefined;
    throw new CwError(
      'write',
      `"${this.file}" could not be edited in place (kubectl would read the result differently from the intended change; a bug in kubectl-cwtoken, please report it); nothing was written: make the change by hand`,
    );
  }

  /** A blank file gets kubectl's header with the first entry. */
  private withHeader(want: IntendedConfig): void {
    if (this.source.trim() === '') want.defaults({ apiVersion: 'v1', kind: 'Config' });
  }

  // --- fast edits on the reader's own ranges -------------------------------------------------------------------
  // The common edits of a large, plain block-style file (no anchors, aliases or merge keys; `use`, `set` of a
  // token, a new entry) splice at go-yaml's ranges directly: building the `yaml` package's syntax tree of a
  // 7 MB file costs seconds. Anything else takes the syntax-tree path below. Both are checked by `intended`.

  /** The root mapping, when this file is simple enough for the fast edits. */
  private plainRoot(): YNode | undefined {
    const { tree, root, aliased } = this.view().syntax;
    return root !== undefined && isBlockMapping(tree, root) && aliased.size === 0 ? root : undefined;
  }

  /** The block mapping of an entry's item, and its body, in a plain file. */
  private plainItem(section: Section, name: string): { item: YNode; body: YNode | undefined } | undefined {
    const root = this.plainRoot();
    const tree = this.nodes;
    const seq = root === undefined ? undefined : tree.valueOf(root, section);
    const index = this.entryIndex(section, name);
    if (seq === undefined || tree.kind(seq) !== Kind.Sequence || tree.flow(seq) || index < 0 || index >= tree.childCount(seq)) return undefined;
    const item = tree.child(seq, index);
    return isBlockMapping(tree, item) ? { item, body: tree.valueOf(item, SECTIONS[section]) } : undefined;
  }

  private fastSetCurrentContext(name: string): boolean {
    const root = this.plainRoot();
    const value = root === undefined ? undefined : this.nodes.valueOf(root, 'current-context');
    return value !== undefined && this.fastReplaceScalar(value, name);
  }

  private fastSetField(section: Section, name: string, field: string, value: ScalarValue): boolean {
    const body = this.plainItem(section, name)?.body;
    const tree = this.nodes;
    if (body === undefined || !isBlockMapping(tree, body) || tree.childCount(body) === 0) return false;
    const existing = tree.valueOf(body, field);
    if (existing !== undefined) return this.fastReplaceScalar(existing, value);
    this.fastInsertAfter(tree.end(body), blockMap({ [field]: value }, this.columnOf(tree.start(tree.child(body, 0)))));
    return true;
  }

  private fastAddEntries(section: Section, items: unknown[]): boolean {
    const root = this.plainRoot();
    const tree = this.nodes;
    const seq = root === undefined ? undefined : tree.valueOf(root, section);
    if (seq === undefined || tree.kind(seq) !== Kind.Sequence || tree.flow(seq) || tree.childCount(seq) === 0) return false;
    this.fastInsertAfter(tree.end(seq), blockSeq(items, this.columnOf(tree.contentStart(seq))));
    return true;
  }

  /** Replaces a block-context scalar's text (and any tag: `!!binary` must not decode the new value). */
  private fastReplaceScalar(node: YNode, value: ScalarValue): boolean {
    const tree = this.nodes;
    const style = tree.style(node);
    if (tree.kind(node) !== Kind.Scalar || style === Style.Literal || style === Style.Folded || tree.start(node) === tree.end(node)) return false;
    if (/[\r\n\x85\u2028\u2029]/.test(this.source.slice(tree.contentStart(node), tree.end(node)))) return false;
    const keepStyle = style === Style.DoubleQuoted ? 'QUOTE_DOUBLE' : style === Style.SingleQuoted ? 'QUOTE_SINGLE' : undefined;
    this.splice(replacedFrom(tree, node), tree.end(node), this.afterProperties(node, formatScalar(value, keepStyle)));
    return true;
  }

  /** `text` as it may follow what stays of the node's properties: an anchor written flush against it (`&t:x`) needs a blank. */
  private afterProperties(node: YNode, text: string): string {
    const before = this.source[replacedFrom(this.nodes, node) - 1];
    return this.nodes.anchor(node) && before !== ' ' && before !== '\t' ? ` ${text}` : text;
  }

  /** Inserts whole lines after the line where a block collection's last item ends. */
  private fastInsertAfter(end: number, lines: string): void {
    const at = lineEndAfter(this.source, end);
    this.splice(at, at, `${isLineBreak(this.source.charCodeAt(at - 1)) ? '' : '\n'}${lines}`);
  }

  private columnOf(offset: number): number {
    return offset - lineStart(this.source, offset);
  }

  // --- the splicing machinery ---------------------------------------------------------------------------------

  /** go-yaml's syntax tree of the source as it is now. */
  private get nodes(): SyntaxTree {
    return this.view().syntax.tree;
  }

  /** Throws ParseError for text kubectl would refuse. */
  private view(): Parsed {
    this.parsed ??= readKubeconfig(this.source);
    return this.parsed;
  }

  private tree(): Tree {
    if (this.parsedTree) return this.parsedTree;
    // The `yaml` package breaks lines at LF only; go-yaml at a lone CR too. One character for one keeps every range.
    const doc = parseDocument(this.source.replace(/\r(?!\n)/g, '\n'), { version: '1.1', uniqueKeys: false });
    const shared = new Set<Node>();
    // An alias refers to an anchor, and an anchor is written with "&": without one, nothing is shared (and a
    // walk over every node of a large file is saved).
    if (this.source.includes('&')) {
      // One walk in document order, each alias taking the last anchor of its name before it (as Alias.resolve
      // does, which walks the whole document again for every alias: 5,000 aliases took minutes).
      const anchors = new Map<string, Node>();
      visit(doc, {
        Node(_, node) {
          if (isAlias(node)) {
            const source = anchors.get(node.source);
            if (source) shared.add(source);
          } else if (node.anchor) anchors.set(node.anchor, node);
        },
      });
    }
    this.parsedTree = { doc, shared };
    return this.parsedTree;
  }

  private splice(start: number, end: number, text: string): void {
    const replacement = text.replace(/\r?\n/g, lineBreak(this.source));
    if (this.pending) {
      this.pending.splices.push({ start, end, text: replacement });
      return;
    }
    this.replaceSource(this.source.slice(0, start) + replacement + this.source.slice(end));
  }

  /** Takes the edited text, after checking that kubectl reads it. */
  private replaceSource(text: string): void {
    const before = this.source;
    this.source = text;
    this.parsed = undefined;
    this.parsedTree = undefined;
    try {
      this.view();
    } catch (e) {
      // Our edit broke a file kubectl could read: a bug here, not in the file. Fail before anything is written.
      if (!(e instanceof ParseError)) throw e;
      this.source = before;
      this.parsed = undefined;
      throw new InternalError(
        `"${this.file}" could not be edited in place (the result would not load in kubectl); nothing was written: make the change by hand`,
        {
          cause: e,
          detail: `${e.line ? `line ${e.line}: ` : ''}${e.message}`,
        },
      );
    }
  }

  /**
   * Adds top-level text to a document with no mapping at its root: in place of an explicit `null` document, else
   * at the end of the first document (before a `...` or a second `---`, which kubectl never reads past).
   */
  private append(text: string): void {
    const s = this.source;
    const { tree, root, end } = this.view().syntax;
    if (root !== undefined && tree.kind(root) === Kind.Scalar && tree.end(root) > tree.start(root)) {
      // `--- ~`: a mapping cannot start on the marker's line.
      return this.splice(tree.start(root), lineEndAfter(s, tree.end(root)), `${this.columnOf(tree.start(root)) === 0 ? '' : '\n'}${text}`);
    }
    const at = end ?? s.length;
    this.splice(at, at, `${at > 0 && !isLineBreak(s.charCodeAt(at - 1)) ? '\n' : ''}${text}`);
  }

  /** A brand-new file starts the way kubectl starts one (once: a batch's first addition to it writes the header). */
  private header(): string {
    return this.source.trim() === '' && !this.pending?.splices.length ? 'apiVersion: v1\nkind: Config\n' : '';
  }

  /** Where kubectl finds the entry: `name` may come from a merge key, so it is looked up in what kubectl reads. */
  private entryIndex(section: Section, name: string): number {
    return indexOf(this.config, section).get(name) ?? -1;
  }

  private item(section: Section, name: string): { item: YAMLMap; keyColumn: number; where: string } {
    const where = `${SECTIONS[section]} "${name}"`;
    const index = this.entryIndex(section, name);
    if (index < 0) throw configError(`${where} is not defined in "${this.file}"`);
    const root = this.tree().doc.contents as YAMLMap;
    const seq = this.ownPair(root, section, { where, what: `the ${section} list` })!.value;
    this.refuseShared({ where, what: `the ${section} list` }, seq);
    const item = (seq as YAMLSeq).items[index];
    this.refuseShared({ where, what: 'the entry' }, item);
    this.ownPair(item as YAMLMap, 'name', { where, what: 'its name' });
    return { item: item as YAMLMap, keyColumn: this.column(item as YAMLMap) ?? 0, where };
  }

  /** Removes one copy of a field; false when there is none left. */
  private deleteOne(section: Section, name: string, field: string): boolean {
    const { item, where } = this.item(section, name);
    const key = SECTIONS[section];
    const resolved = this.entry(section, name) as Record<string, unknown>;
    if (!(field in resolved)) return false;
    const bodyPair = this.ownPair(item, key, { where, what: `its ${key}` })!;
    const body = bodyPair.value as YAMLMap;
    this.refuseShared({ where, what: `its ${key}` }, body);
    const target = { where, what: `its ${field}` };
    const pair = this.ownPair(body, field, target)!;
    this.refuseSharedWithin(target, pair.value);
    if (body.flow) this.removeFlowPair(body, pair);
    else if (body.items.length === 1) this.replacePairValue(bodyPair, ' {}');
    else this.splice(lineStart(this.source, keyStart(pair)), lineEndAfter(this.source, valueEnd(pair)), '');
    return true;
  }

  /** The pair this map spells out for `key`; refuses a key a merge key (`<<`) supplies, as it is shared. */
  private ownPair(map: YAMLMap, key: string, target: Target): Pair | undefined {
    const { doc } = this.tree();
    if (map.items.some((p) => isMergeKey(p.key) && mergedKeys(doc, p.value).includes(key))) {
      throw this.refusal(target, 'comes from a merge key (<<), which other parts of the file may share', 'edit the file by hand');
    }
    return lastPair(map, key);
  }

  /** Refuses to change a node in place when it is an alias, or when an alias or merge key elsewhere reads it. */
  private refuseShared(target: Target, node: unknown): void {
    if (isAlias(node)) {
      throw this.refusal(
        target,
        `is an alias (*${node.source}) of a value defined elsewhere in the file`,
        'replace the alias with a plain value first, or edit the file by hand',
      );
    }
    if (this.tree().shared.has(node as Node)) {
      const anchor = (node as Node).anchor;
      throw this.refusal(
        target,
        `carries the anchor &${anchor}, which *${anchor} elsewhere in the file reads too, so it would change as well`,
        'edit the file by hand',
      );
    }
  }

  /** Refuses to remove a node when an alias or merge key elsewhere reads it or anything inside it. */
  private refuseSharedWithin(target: Target, node: unknown): void {
    const { shared } = this.tree();
    let anchored: Node | undefined;
    if (shared.has(node as Node)) anchored = node as Node;
    else if (isMap(node) || isSeq(node)) {
      visit(node, {
        Node(_, n) {
          if (!shared.has(n)) return undefined;
          anchored = n;
          return visit.BREAK;
        },
      });
    }
    if (anchored) {
      throw this.refusal(
        target,
        `holds the anchor &${anchored.anchor}, which *${anchored.anchor} elsewhere in the file reads, so that would break`,
        'edit the file by hand',
      );
    }
  }

  private refusal({ where, what }: Target, why: string, fix: string): CwError {
    return invalidInput(`cannot edit ${where} in "${this.file}" in place: ${what} ${why}; ${fix}`);
  }

  private replaceScalar(node: Scalar, value: ScalarValue, inFlow = false): void {
    const [start, end] = node.range!;
    const keepStyle = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE' ? node.type : undefined;
    const block = node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED';
    const text = formatScalar(value, keepStyle, inFlow);
    // The `yaml` package's range leaves the tag out (and reads `&t:x` as anchor `t:x`); go-yaml's node says where its value starts.
    const own = start === end ? undefined : scalarAt(this.nodes, this.view().syntax.root, start);
    // An empty value sits right after its colon. A block scalar's range includes its final line break, which
    // the plain replacement must keep.
    const from = own === undefined ? start : replacedFrom(this.nodes, own);
    this.splice(from, block ? this.withoutLineBreak(end) : end, start === end ? ` ${text}` : own === undefined ? text : this.afterProperties(own, text));
  }

  /** Replaces everything after `key:` up to the end of the value, anchor and tag included. */
  private replacePairValue(pair: Pair, text: string): void {
    const colon = this.source.indexOf(':', (pair.key as Scalar).range![1]) + 1;
    const end = Math.max(colon, (pair.value as Node | null)?.range?.[1] ?? colon);
    this.splice(colon, this.withoutLineBreak(end), text.startsWith('\n') || text.startsWith(' ') ? text : ` ${text}`);
  }

  private withoutLineBreak(end: number): number {
    if (this.source[end - 1] !== '\n') return end;
    return this.source[end - 2] === '\r' ? end - 2 : end - 1;
  }

  private insertPair(map: YAMLMap, column: number, key: string, value: unknown): void {
    if (!map.flow) return this.insertLines(map, blockMap({ [key]: value }, column));
    const text = flowText({ [key]: value }).slice(1, -1);
    const last = map.items[map.items.length - 1];
    const at = last ? valueEnd(last) : this.source.indexOf('{', map.range![0]) + 1;
    this.splice(at, at, last ? `, ${text}` : text);
  }

  private insertFlowItems(seq: YAMLSeq, values: unknown[]): void {
    const at = (seq.items[seq.items.length - 1] as Node).range![1];
    this.splice(at, at, values.map((v) => `, ${flowText(v)}`).join(''));
  }

  /** Adds lines at the end of a block collection: after its last line, before any trailing comment lines. */
  private insertLines(node: YAMLMap | YAMLSeq, lines: string): void {
    const last = node.items[node.items.length - 1];
    const end = isMap(node) ? valueEnd(last as Pair) : Math.max(node.range![1], ((last as YAMLMap).range ?? [0, 0])[1]);
    const at = lineEndAfter(this.source, end);
    this.splice(at, at, `${this.source[at - 1] === '\n' ? '' : '\n'}${lines}`);
  }

  /** Removes a pair of a flow mapping with the comma that separates it from its neighbour. */
  private removeFlowPair(map: YAMLMap, pair: Pair): void {
    const index = map.items.indexOf(pair);
    if (index > 0) return this.splice(valueEnd(map.items[index - 1]), valueEnd(pair), '');
    const next = map.items[1];
    this.splice(keyStart(pair), next ? keyStart(next) : valueEnd(pair), '');
  }

  /** A body to write after `key:`, in the style of the entry it goes in. */
  private bodyText(item: YAMLMap, bodyPair: Pair, fields: Record<string, unknown>): string {
    if (Object.keys(fields).length === 0) return ' {}';
    return item.flow ? ` ${flowText(fields)}` : blockBody(fields, this.keyColumn(bodyPair) + 2);
  }

  /** The column of a block mapping's keys; undefined for an empty one. */
  private column(map: YAMLMap): number | undefined {
    const first = map.items[0];
    return first ? this.keyColumn(first) : undefined;
  }

  private keyColumn(pair: Pair): number {
    const start = keyStart(pair);
    return start - lineStart(this.source, start);
  }

  private dashColumn(seq: YAMLSeq): number {
    const first = seq.range![0];
    return first - lineStart(this.source, first);
  }
}

// --- text helpers ---------------------------------------------------------------------------------------------

const keyOf = (pair: Pair): unknown => (isScalar(pair.key) ? pair.key.value : pair.key);
const keyStart = (pair: Pair): number => (pair.key as Scalar).range![0];

/** YAML 1.1 reads a plain `<<` key as a merge key; the `yaml` package gives it a symbol for a value. */
const isMergeKey = (key: unknown): boolean => isScalar(key) && typeof key.value === 'symbol' && key.value.description === '<<';

/** The keys a merge key's value supplies: a mapping, an alias of one, or a sequence of those, merges included. */
function mergedKeys(doc: Document.Parsed, value: unknown): unknown[] {
  const node = isAlias(value) ? value.resolve(doc) : value;
  if (isSeq(node)) return node.items.flatMap((item) => mergedKeys(doc, item));
  if (!isMap(node)) return [];
  return node.items.flatMap((p) => (isMergeKey(p.key) ? mergedKeys(doc, p.value) : [keyOf(p)]));
}

// --- helpers on the reader's nodes ------------------------------------------------------------------------------

/** Where a scalar's replacement begins: at its tag, which must go (`!!binary` would decode the new value, `!!timestamp` refuse it). */
const replacedFrom = (tree: SyntaxTree, node: YNode): number => {
  const tag = tree.tagRange(node);
  return tag ? Math.min(tag[0], tree.contentStart(node)) : tree.contentStart(node);
};

/** The go-yaml scalar whose content holds `offset`, if any (`&t:x v`: the `yaml` package's content is `v`, go-yaml's `:x v`). */
function scalarAt(tree: SyntaxTree, node: YNode | undefined, offset: number): YNode | undefined {
  if (node === undefined || offset < tree.start(node) || offset > tree.end(node)) return undefined;
  if (tree.kind(node) === Kind.Scalar) return tree.contentStart(node) <= offset ? node : undefined;
  for (let i = 0; i < tree.childCount(node); i++) {
    const found = scalarAt(tree, tree.child(node, i), offset);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** A block-style mapping without merge keys: what the fast edits splice into. */
const isBlockMapping = (tree: SyntaxTree, node: YNode): boolean => tree.kind(node) === Kind.Mapping && !tree.flow(node) && !tree.hasMergeKey(node);

const isLineBreak = (c: number) => c === 10 || c === 13 || c === 0x85 || c === 0x2028 || c === 0x2029;

/** The file's own line break, which inserted lines use too. */
const lineBreak = (text: string): string => /\r\n|\r|\n/.exec(text)?.[0] ?? '\n';

/** Each config's entries by name (the first of a name, null items skipped): a batch looks up thousands. */
const indexes = new WeakMap<RawConfig, Partial<Record<Section, Map<string, number>>>>();

function indexOf(config: RawConfig, section: Section): Map<string, number> {
  let byConfig = indexes.get(config);
  if (!byConfig) indexes.set(config, (byConfig = {}));
  let index = byConfig[section];
  if (!index) {
    index = new Map();
    const list = (config[section] ?? []) as Array<{ name?: string } | null>;
    for (let i = 0; i < list.length; i++) {
      const name = list[i] && (list[i]!.name ?? '');
      if (typeof name === 'string' && !index.has(name)) index.set(name, i);
    }
    byConfig[section] = index;
  }
  return index;
}

/** go-yaml v2 lets a repeated key override the earlier one, so the last pair is the one kubectl reads. */
function lastPair(map: YAMLMap | null | undefined, key: string): Pair | undefined {
  if (!isMap(map)) return undefined;
  return [...map.items].reverse().find((p) => keyOf(p) === key);
}

function lineStart(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && !isLineBreak(text.charCodeAt(i - 1))) i--;
  return i;
}

/** The offset after the line break that ends the line `offset` is on (CRLF as one), or the end of the text. */
function lineEndAfter(text: string, offset: number): number {
  if (offset > 0 && isLineBreak(text.charCodeAt(offset - 1)) && !(text.charCodeAt(offset - 1) === 13 && text.charCodeAt(offset) === 10)) return offset;
  let i = offset;
  while (i < text.length && !isLineBreak(text.charCodeAt(i))) i++;
  if (i === text.length) return i;
  return text.charCodeAt(i) === 13 && text.charCodeAt(i + 1) === 10 ? i + 2 : i + 1;
}

function valueEnd(pair: Pair): number {
  const value = pair.value as Node | null;
  return value?.range ? Math.max(value.range[1], (pair.key as Scalar).range![1]) : (pair.key as Scalar).range![1];
}

/** Formatted scalars: a rotation writes one token thousands of times, and each formatting builds a Document. */
const formatted = new Map<string, string>();

/** A scalar as YAML text; in a flow collection, characters like `,` and `}` need quotes that block style does not. */
export function formatScalar(value: ScalarValue, style?: 'QUOTE_DOUBLE' | 'QUOTE_SINGLE', inFlow = false): string {
  if (typeof value === 'boolean') return String(value);
  const key = `${style ?? ''}\u0000${inFlow}\u0000${value}`;
  let text = formatted.get(key);
  if (text === undefined) {
    text = formatUncached(value, style, inFlow);
    if (formatted.size < 1000) formatted.set(key, text);
  }
  return text;
}

function formatUncached(value: string, style: 'QUOTE_DOUBLE' | 'QUOTE_SINGLE' | undefined, inFlow: boolean): string {
  const scalar = new Scalar(value);
  scalar.type = style ?? (plainIsSafe(value) ? 'PLAIN' : 'QUOTE_DOUBLE');
  if (!inFlow) return new Document(scalar, { version: '1.1' }).toString({ lineWidth: 0 }).replace(/\n$/, '');
  const seq = new YAMLSeq();
  seq.flow = true;
  seq.items.push(scalar);
  return new Document(seq, { version: '1.1' }).toString({ lineWidth: 0, flowCollectionPadding: false }).replace(/\n$/, '').slice(1, -1);
}

/** A value as a YAML document whose scalars go-yaml v2 reads back as the same strings. */
function toDocument(value: unknown): Document {
  const doc = new Document(value, { version: '1.1' });
  visit(doc, {
    Scalar(_, node) {
      if (typeof node.value === 'string' && !plainIsSafe(node.value)) node.type = 'QUOTE_DOUBLE';
    },
  });
  return doc;
}

function serialise(value: unknown, column: number): string {
  const direct = blockText(value, column);
  if (direct !== undefined) return direct;
  const text = toDocument(value).toString({ indent: 2, indentSeq: false, lineWidth: 0, minContentWidth: 0 });
  const pad = ' '.repeat(column);
  return text
    .split('\n')
    .map((line) => (line ? pad + line : line))
    .join('\n');
}

/** A collection in flow style on one line (`{a: b, c: [d]}`), for writing inside a flow collection. */
function flowText(value: unknown): string {
  const doc = toDocument(value);
  visit(doc, {
    Map(_, node) {
      node.flow = true;
    },
    Seq(_, node) {
      node.flow = true;
    },
  });
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false }).replace(/\n$/, '');
}

const blockMap = (value: Record<string, unknown>, column: number) => serialise(value, column);
const blockSeq = (items: unknown[], column: number) => serialise(items, column);
const blockBody = (value: Record<string, unknown>, column: number) => `\n${serialise(value, column).replace(/\n$/, '')}`;
