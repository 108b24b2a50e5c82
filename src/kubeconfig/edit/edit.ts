import { Document, isAlias, isMap, isScalar, isSeq, Node, Pair, parseDocument, Scalar, visit, YAMLMap, YAMLSeq } from 'yaml';
import { configError, CwError, invalidInput } from '../../errors';
import { ParseError, parseKubeconfig } from '../parse/parse';
import { RawConfig, SECTIONS, Section, SectionValue } from '../model';
import { goYamlPlainType } from '../parse/yaml-schema';

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

/** The source as kubectl reads it; checked after every edit. */
interface Parsed {
  config: RawConfig;
}

/** The source's syntax tree, with ranges to splice at: parsed only when an edit needs it (slow on large files). */
interface Tree {
  doc: Document.Parsed;
  /** Every node an alias or merge key refers to: changing one changes what reads it. */
  shared: Set<Node>;
}

export class KubeconfigDocument {
  private source: string;
  private parsed?: Parsed;
  private parsedTree?: Tree;

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
      if (typeof value === 'object') return this.replacePairValue(pair, body.flow ? ` ${flowText(value)}` : `\n${serialise(value, this.keyColumn(pair) + (Array.isArray(value) ? 0 : 2)).replace(/\n$/, '')}`);
      if (isScalar(pair.value)) return this.replaceScalar(pair.value, value, body.flow);
      return this.replacePairValue(pair, formatScalar(value, undefined, body.flow));
    }
    this.replacePairValue(bodyPair, this.bodyText(item, bodyPair, { [field]: value }));
  }

  /** Removes a field of an entry's body (every copy of a repeated key); an emptied body becomes `{}`. Absent fields are no change. */
  deleteField(section: Section, name: string, field: string): void {
    while (this.deleteOne(section, name, field));
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
    const { item, keyColumn, where } = this.item(section, from);
    const namePair = lastPair(item, 'name'); // item() made sure no merge key supplies it; absent means ""
    if (!namePair) return this.insertPair(item, keyColumn, 'name', to);
    this.refuseShared({ where, what: 'its name' }, namePair.value);
    this.replaceScalar(namePair.value as Scalar, to, item.flow); // kubectl reads a name only as a string
  }

  setCurrentContext(name: string): void {
    const root = this.tree().doc.contents;
    if (!isMap(root)) return this.append(`${this.header()}current-context: ${formatScalar(name)}\n`);
    const target = { where: 'current-context', what: 'its value' };
    const pair = this.ownPair(root, 'current-context', target);
    if (!pair) return this.insertPair(root, this.column(root) ?? 0, 'current-context', name);
    this.refuseShared(target, pair.value);
    this.replaceScalar(pair.value as Scalar, name, root.flow); // kubectl reads current-context only as a string
  }

  toString(): string {
    return this.source;
  }

  // --- the splicing machinery ---------------------------------------------------------------------------------

  /** Throws ParseError for text kubectl would refuse. */
  private view(): Parsed {
    this.parsed ??= { config: parseKubeconfig(this.source) };
    return this.parsed;
  }

  private tree(): Tree {
    if (this.parsedTree) return this.parsedTree;
    const doc = parseDocument(this.source, { version: '1.1', uniqueKeys: false });
    const shared = new Set<Node>();
    visit(doc, {
      Alias(_, alias) {
        const source = alias.resolve(doc);
        if (source) shared.add(source);
      },
    });
    this.parsedTree = { doc, shared };
    return this.parsedTree;
  }

  private splice(start: number, end: number, text: string): void {
    const before = this.source;
    this.source = before.slice(0, start) + text.replace(/\r?\n/g, lineBreak(before)) + before.slice(end);
    this.parsed = undefined;
    this.parsedTree = undefined;
    try {
      this.view();
    } catch (e) {
      // Our edit broke a file kubectl could read: a bug here, not in the file. Fail before anything is written.
      if (!(e instanceof ParseError)) throw e;
      this.source = before;
      this.parsed = undefined;
      throw new CwError(
        'write',
        `"${this.file}" could not be edited in place (the result would not load in kubectl; a bug in kubectl-cwtoken, please report it); nothing was written: make the change by hand`,
        `${e.line ? `line ${e.line}: ` : ''}${e.message}`,
      );
    }
  }

  private append(text: string): void {
    const s = this.source;
    this.splice(s.length, s.length, `${s && !s.endsWith('\n') ? '\n' : ''}${text}`);
  }

  /** A brand-new file starts the way kubectl starts one. */
  private header(): string {
    return this.source.trim() === '' ? 'apiVersion: v1\nkind: Config\n' : '';
  }

  /** Where kubectl finds the entry: `name` may come from a merge key, so it is looked up in what kubectl reads. */
  private entryIndex(section: Section, name: string): number {
    return (this.config[section] ?? []).findIndex((e) => e && (e.name ?? '') === name);
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
      throw this.refusal(target, `is an alias (*${node.source}) of a value defined elsewhere in the file`, 'replace the alias with a plain value first, or edit the file by hand');
    }
    if (this.tree().shared.has(node as Node)) {
      const anchor = (node as Node).anchor;
      throw this.refusal(target, `carries the anchor &${anchor}, which *${anchor} elsewhere in the file reads too, so it would change as well`, 'edit the file by hand');
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
      throw this.refusal(target, `holds the anchor &${anchored.anchor}, which *${anchored.anchor} elsewhere in the file reads, so that would break`, 'edit the file by hand');
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
    // An empty value sits right after its colon. A block scalar's range includes its final line break, which
    // the plain replacement must keep.
    this.splice(start, block ? this.withoutLineBreak(end) : end, start === end ? ` ${text}` : text);
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

/** The file's own line break, which inserted lines use too. */
const lineBreak = (text: string): string => /\r?\n/.exec(text)?.[0] ?? '\n';

/** go-yaml v2 lets a repeated key override the earlier one, so the last pair is the one kubectl reads. */
function lastPair(map: YAMLMap | null | undefined, key: string): Pair | undefined {
  if (!isMap(map)) return undefined;
  return [...map.items].reverse().find((p) => keyOf(p) === key);
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function lineEndAfter(text: string, offset: number): number {
  if (offset > 0 && text[offset - 1] === '\n') return offset;
  const newline = text.indexOf('\n', offset);
  return newline < 0 ? text.length : newline + 1;
}

function valueEnd(pair: Pair): number {
  const value = pair.value as Node | null;
  return value?.range ? Math.max(value.range[1], (pair.key as Scalar).range![1]) : (pair.key as Scalar).range![1];
}

/** A scalar as YAML text; in a flow collection, characters like `,` and `}` need quotes that block style does not. */
export function formatScalar(value: ScalarValue, style?: 'QUOTE_DOUBLE' | 'QUOTE_SINGLE', inFlow = false): string {
  if (typeof value === 'boolean') return String(value);
  const scalar = new Scalar(value);
  scalar.type = style ?? (plainIsSafe(value) ? 'PLAIN' : 'QUOTE_DOUBLE');
  if (!inFlow) return new Document(scalar, { version: '1.1' }).toString({ lineWidth: 0 }).replace(/\n$/, '');
  const seq = new YAMLSeq();
  seq.flow = true;
  seq.items.push(scalar);
  return new Document(seq, { version: '1.1' }).toString({ lineWidth: 0, flowCollectionPadding: false }).replace(/\n$/, '').slice(1, -1);
}

/**
 * Whether a string may be written unquoted. go-yaml v2's scanner is stricter than the yaml package's writer in
 * places (a `?` or a leading `:` inside a flow mapping makes kubectl refuse the file; a leading `---` is a
 * document marker), so only the characters tokens, names and hosts are made of go unquoted; anything else is
 * double-quoted, which both read the same way.
 */
function plainIsSafe(value: string): boolean {
  return /^[A-Za-z0-9_./~][A-Za-z0-9._/+=~-]*$/.test(value) && goYamlPlainType(value) === 'string';
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
  const text = toDocument(value).toString({ indent: 2, indentSeq: false, lineWidth: 0, minContentWidth: 0 });
  const pad = ' '.repeat(column);
  return text.split('\n').map((line) => (line ? pad + line : line)).join('\n');
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
