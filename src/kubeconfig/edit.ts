import { Document, isMap, isScalar, isSeq, Pair, parseDocument, Scalar, visit, YAMLMap, YAMLSeq } from 'yaml';
import { configError } from './errors';
import { ParseError, parseKubeconfig } from './parse';
import { RawConfig, SECTIONS, Section, SectionValue } from './types';
import { goYamlPlainType } from './yaml-schema';

/**
 * A kubeconfig file edited in place, byte for byte: every edit splices the source text at the ranges the `yaml`
 * package's parser reports, so comments, key order, quoting, indentation and unknown keys outside the edited
 * value stay exactly as they were. (Re-serialising a `yaml` Document would normalise indentation and spacing
 * across the whole file, and js-yaml cannot keep comments at all.) The text is re-parsed after each edit, which
 * keeps every edit simple and correct; edits per command are few.
 *
 * Values are written so that go-yaml v2 (kubectl) reads them back as strings: a scalar YAML 1.1 would read as a
 * bool, number or null (`on`, `yes`, `12345`, `1e3`, `~`) is double-quoted.
 */
export type ScalarValue = string | boolean;

export class KubeconfigDocument {
  private source: string;
  private parsed?: { doc: Document.Parsed; config: RawConfig };

  constructor(
    text: string,
    /** For messages only. */
    readonly file: string,
  ) {
    this.source = text;
    this.view(); // refuse a file kubectl would refuse, before anyone edits it
  }

  /** The file as kubectl decodes it (go-yaml v2 semantics), after the edits so far. */
  get config(): RawConfig {
    return this.view().config;
  }

  /** The body (`user:`, `cluster:`, `context:`) of the entry of that name in this file, if it is defined here. */
  entry<S extends Section>(section: S, name: string): SectionValue[S] | undefined {
    const item = (this.config[section] ?? []).find((e) => e && (e.name ?? '') === name) as Record<string, unknown> | undefined;
    return item ? ((item[SECTIONS[section]] ?? {}) as SectionValue[S]) : undefined;
  }

  /** Sets one field of an entry's body, adding the field (after the others) when it is absent. */
  setField(section: Section, name: string, field: string, value: ScalarValue): void {
    const { item, keyColumn } = this.item(section, name);
    const bodyPair = lastPair(item, SECTIONS[section]);
    if (!bodyPair) return this.insertPair(item, keyColumn, SECTIONS[section], { [field]: value });
    const body = bodyPair.value;
    if (isMap(body) && !body.flow) {
      const pair = lastPair(body, field);
      if (pair && isScalar(pair.value)) return this.replaceScalar(pair.value, value);
      if (pair) return this.replacePairValue(pair, blockBody({ [field]: value }, this.column(body) ?? 0));
      return this.insertPair(body, this.column(body) ?? keyColumn + 2, field, value);
    }
    const current = isMap(body) ? (body.toJSON() as Record<string, unknown>) : {};
    this.replacePairValue(bodyPair, blockBody({ ...current, [field]: value }, this.keyColumn(bodyPair) + 2));
  }

  /** Removes a field of an entry's body; an emptied body becomes `{}`. Absent fields are no change. */
  deleteField(section: Section, name: string, field: string): void {
    const { item } = this.item(section, name);
    const bodyPair = lastPair(item, SECTIONS[section]);
    const body = bodyPair?.value;
    if (!bodyPair || !isMap(body) || !lastPair(body, field)) return;
    if (body.flow || body.items.length === 1) {
      const rest = (body.toJSON() as Record<string, unknown>);
      delete rest[field];
      return this.replacePairValue(bodyPair, Object.keys(rest).length ? blockBody(rest, this.keyColumn(bodyPair) + 2) : ' {}');
    }
    for (const pair of body.items.filter((p) => keyOf(p) === field).reverse()) {
      const [start] = (pair.key as Scalar).range!;
      this.splice(lineStart(this.source, start), lineEndAfter(this.source, valueEnd(pair)), '');
    }
  }

  /** Appends a new entry to a section, creating the section when the file has none. */
  addEntry<S extends Section>(section: S, name: string, body: SectionValue[S]): void {
    if (this.entry(section, name)) throw configError(`${SECTIONS[section]} "${name}" already exists in "${this.file}"`);
    const entry = { name, [SECTIONS[section]]: body };
    const { doc } = this.view();
    const root = doc.contents;
    if (!isMap(root)) return this.append(`${this.header()}${section}:\n${blockSeq([entry], 0)}`);
    const sectionPair = lastPair(root, section);
    if (!sectionPair) return this.insertPair(root, this.column(root) ?? 0, section, [entry]);
    const seq = sectionPair.value;
    if (isSeq(seq) && !seq.flow && seq.items.length > 0) {
      return this.insertLines(seq, blockSeq([entry], this.dashColumn(seq)));
    }
    const items = isSeq(seq) ? (seq.toJSON() as unknown[]) : [];
    this.replacePairValue(sectionPair, `\n${blockSeq([...items, entry], this.keyColumn(sectionPair)).replace(/\n$/, '')}`);
  }

  /** Replaces an entry's whole body (`user:`, `cluster:`, `context:`): an overwrite; comments inside it go too. */
  replaceBody<S extends Section>(section: S, name: string, body: SectionValue[S]): void {
    const { item, keyColumn } = this.item(section, name);
    const key = SECTIONS[section];
    const bodyPair = lastPair(item, key);
    if (!bodyPair) return this.insertPair(item, keyColumn, key, body);
    const fields = body as Record<string, unknown>;
    this.replacePairValue(bodyPair, Object.keys(fields).length ? blockBody(fields, this.keyColumn(bodyPair) + 2) : ' {}');
  }

  renameEntry(section: Section, from: string, to: string): void {
    if (from === to) return;
    if (this.entry(section, to)) throw configError(`${SECTIONS[section]} "${to}" already exists in "${this.file}"`);
    const namePair = lastPair(this.item(section, from).item, 'name')!;
    this.replaceScalar(namePair.value as Scalar, to);
  }

  setCurrentContext(name: string): void {
    const root = this.view().doc.contents;
    if (!isMap(root)) return this.append(`${this.header()}current-context: ${formatScalar(name)}\n`);
    const pair = lastPair(root, 'current-context');
    if (pair && isScalar(pair.value)) return this.replaceScalar(pair.value, name);
    this.insertPair(root, this.column(root) ?? 0, 'current-context', name);
  }

  toString(): string {
    return this.source;
  }

  // --- the splicing machinery ---------------------------------------------------------------------------------

  private view(): { doc: Document.Parsed; config: RawConfig } {
    if (this.parsed) return this.parsed;
    let config: RawConfig;
    try {
      config = parseKubeconfig(this.source);
    } catch (e) {
      if (e instanceof ParseError) throw configError(`error loading config file "${this.file}": ${e.line ? `line ${e.line}: ` : ''}${e.message}`);
      throw e;
    }
    const doc = parseDocument(this.source, { version: '1.1', uniqueKeys: false });
    this.parsed = { doc, config };
    return this.parsed;
  }

  private splice(start: number, end: number, text: string): void {
    this.source = this.source.slice(0, start) + text + this.source.slice(end);
    this.parsed = undefined;
    this.view(); // an edit that made the file unreadable to kubectl is a bug: fail before anything is written
  }

  private append(text: string): void {
    const s = this.source;
    this.splice(s.length, s.length, `${s && !s.endsWith('\n') ? '\n' : ''}${text}`);
  }

  /** A brand-new file starts the way kubectl starts one. */
  private header(): string {
    return this.source.trim() === '' ? 'apiVersion: v1\nkind: Config\n' : '';
  }

  private item(section: Section, name: string): { item: YAMLMap; keyColumn: number } {
    const seq = lastPair(this.view().doc.contents as YAMLMap, section)?.value;
    const item = isSeq(seq) ? seq.items.filter(isMap).reverse().find((m) => scalarText(m.get('name', true)) === name) : undefined;
    if (!item) throw configError(`${SECTIONS[section]} "${name}" is not defined in "${this.file}"`);
    return { item, keyColumn: this.column(item) ?? 0 };
  }

  private replaceScalar(node: Scalar, value: ScalarValue): void {
    const [start, end] = node.range!;
    const keepStyle = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE' ? node.type : undefined;
    const block = node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED';
    // A block scalar's range includes its final line break, which the plain replacement must keep.
    this.splice(start, block && this.source[end - 1] === '\n' ? end - 1 : end, formatScalar(value, keepStyle));
  }

  /** Replaces everything after `key:` up to the end of the value (flow `{}`, null, or a scalar). */
  private replacePairValue(pair: Pair, text: string): void {
    const keyEnd = (pair.key as Scalar).range![1];
    const colon = this.source.indexOf(':', keyEnd) + 1;
    const end = Math.max(colon, isScalar(pair.value) || isMap(pair.value) || isSeq(pair.value) ? pair.value.range![1] : colon);
    const textEnd = this.source[end - 1] === '\n' ? end - 1 : end;
    this.splice(colon, textEnd, text.startsWith('\n') || text.startsWith(' ') ? text : ` ${text}`);
  }

  private insertPair(map: YAMLMap, column: number, key: string, value: unknown): void {
    if (map.flow) throw configError(`cannot add "${key}" in place: "${this.file}" writes that mapping in flow style ({...}); rewrite it in block style`);
    this.insertLines(map, blockMap({ [key]: value }, column));
  }

  /** Adds lines at the end of a block collection: after its last line, before any trailing comment lines. */
  private insertLines(node: YAMLMap | YAMLSeq, lines: string): void {
    const last = node.items[node.items.length - 1];
    const end = isMap(node) ? valueEnd(last as Pair) : Math.max(node.range![1], ((last as YAMLMap).range ?? [0, 0])[1]);
    const at = lineEndAfter(this.source, end);
    this.splice(at, at, `${this.source[at - 1] === '\n' ? '' : '\n'}${lines}`);
  }

  /** The column of a block mapping's keys; undefined for an empty one. */
  private column(map: YAMLMap): number | undefined {
    const first = map.items[0];
    return first ? this.keyColumn(first) : undefined;
  }

  private keyColumn(pair: Pair): number {
    const start = (pair.key as Scalar).range![0];
    return start - lineStart(this.source, start);
  }

  private dashColumn(seq: YAMLSeq): number {
    const first = seq.range![0];
    return first - lineStart(this.source, first);
  }
}

// --- text helpers ---------------------------------------------------------------------------------------------

const keyOf = (pair: Pair): unknown => (isScalar(pair.key) ? pair.key.value : pair.key);
const scalarText = (node: unknown): string | undefined => (isScalar(node) ? String(node.value ?? '') : undefined);

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
  const value = pair.value as Scalar | YAMLMap | null;
  return value?.range ? Math.max(value.range[1], (pair.key as Scalar).range![1]) : (pair.key as Scalar).range![1];
}

export function formatScalar(value: ScalarValue, style?: 'QUOTE_DOUBLE' | 'QUOTE_SINGLE'): string {
  if (typeof value === 'boolean') return String(value);
  const scalar = new Scalar(value);
  scalar.type = style ?? (goYamlPlainType(value) === 'string' ? 'PLAIN' : 'QUOTE_DOUBLE');
  return new Document(scalar, { version: '1.1' }).toString({ lineWidth: 0 }).replace(/\n$/, '');
}

function serialise(value: unknown, column: number): string {
  const doc = new Document(value, { version: '1.1' });
  visit(doc, {
    Scalar(_, node) {
      if (typeof node.value === 'string' && goYamlPlainType(node.value) !== 'string') node.type = 'QUOTE_DOUBLE';
    },
  });
  const text = doc.toString({ indent: 2, indentSeq: false, lineWidth: 0, minContentWidth: 0 });
  const pad = ' '.repeat(column);
  return text.split('\n').map((line) => (line ? pad + line : line)).join('\n');
}

const blockMap = (value: Record<string, unknown>, column: number) => serialise(value, column);
const blockSeq = (items: unknown[], column: number) => serialise(items, column);
const blockBody = (value: Record<string, unknown>, column: number) => `\n${serialise(value, column).replace(/\n$/, '')}`;
