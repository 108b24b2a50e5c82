/**
 * go-yaml v2's decoder (decode.go) into interface{}, then sigs.k8s.io/yaml's JSON conversion
 * (convertToJSONableObject + json.Marshal): the value kubectl decodes a kubeconfig from. By construction:
 * - merge keys are a plain (or `!!merge`-tagged, or `!`-tagged) `<<` only, applied in source order into the same
 *   map, a list of merges from its last element to its first; anything but mappings there is refused;
 * - go-yaml's alias budget ("document contains excessive aliasing") and self-containing anchors are refused;
 * - map keys become strings as sigs.k8s.io/yaml makes them (ints, floats, bools); null, uint64 and collection
 *   keys are refused; a key another key already set is overwritten, as in a Go map;
 * - NaN and ±Inf anywhere are refused (json.Marshal fails on them);
 * - `!!binary` is base64-decoded (invalid base64 refused) and its bytes become a string as json.Marshal makes it.
 */
import { YamlError } from './errors';
import { Kind, SyntaxTree, YNode } from './tree';
import { goInteger, plainIsString, resolve, TAG } from './resolve';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

class Decoder {
  constructor(private readonly t: SyntaxTree) {}

  private decodeCount = 0;
  private aliasCount = 0;
  private aliasDepth = 0;
  private readonly active = new Set<YNode>();

  private count(n: YNode): void {
    this.decodeCount++;
    if (this.aliasDepth > 0) this.aliasCount++;
    if (this.aliasCount > 100 && this.decodeCount > 1000 && this.aliasCount / this.decodeCount > allowedAliasRatio(this.decodeCount)) {
      throw new YamlError('document contains excessive aliasing', this.t.line(n) + 1);
    }
  }

  /** d.unmarshal(n, interface{}) */
  value(n: YNode): Json {
    const t = this.t;
    this.count(n);
    switch (t.kind(n)) {
      case Kind.Alias:
        return this.alias(n, (target) => this.value(target));
      case Kind.Scalar:
        return this.scalar(n);
      case Kind.Sequence: {
        const out: Json[] = new Array(t.childCount(n));
        for (let i = 0; i < out.length; i++) out[i] = this.value(t.child(n, i));
        return out;
      }
      default: {
        const out = new GoMap();
        this.mapping(n, out);
        return out.toJson(t, n);
      }
    }
  }

  private alias<R>(n: YNode, decode: (target: YNode) => R): R {
    if (this.active.has(n)) throw new YamlError(`anchor '${this.t.value(n)}' value contains itself`, this.t.line(n) + 1);
    this.active.add(n);
    this.aliasDepth++;
    try {
      return decode(this.t.target(n)!);
    } finally {
      this.aliasDepth--;
      this.active.delete(n);
    }
  }

  private scalar(n: YNode): Json {
    const t = this.t;
    const value = t.value(n);
    const tag = t.tag(n);
    if (this.isString(n, value, tag)) return value;
    const r = resolve(tag, value, t.line(n) + 1);
    if (r.tag === TAG.binary) return binaryString(value, t.line(n));
    if (r.tag === TAG.timestamp) return value; // go-yaml keeps timestamps in interface{} as the text written
    if (typeof r.value === 'number' && !Number.isFinite(r.value)) {
      throw new YamlError(
        `an unquoted .nan or .inf cannot be converted to JSON (json: unsupported value: ${Number.isNaN(r.value) ? 'NaN' : r.value > 0 ? '+Inf' : '-Inf'}); quote it`,
        t.line(n) + 1,
      );
    }
    return r.value;
  }

  /** A scalar that decodes to its own text, untouched: quoted, or plain and never anything but a string. */
  private isString(n: YNode, value: string, tag: string): boolean {
    return tag === '' && (!this.t.implicit(n) || plainIsString(value));
  }

  /** d.mapping(n, out): keys and merges in source order, into one map. */
  private mapping(n: YNode, out: GoMap): void {
    const t = this.t;
    const count = t.childCount(n);
    for (let i = 0; i < count; i += 2) {
      const key = t.child(n, i);
      const scalar = t.kind(key) === Kind.Scalar;
      const text = scalar ? t.value(key) : '';
      const tag = scalar ? t.tag(key) : '';
      if (scalar && text === '<<' && (t.implicit(key) || tag === TAG.merge)) {
        this.merge(t.child(n, i + 1), out);
        continue;
      }
      this.count(key);
      // Nearly every key is a plain or quoted string: straight into the map, without a MapKey each.
      if (scalar && this.isString(key, text, tag)) out.setString(text, this.value(t.child(n, i + 1)));
      else out.set(this.key(key), this.value(t.child(n, i + 1)));
    }
  }

  /** A map key as go-yaml decodes it into interface{}: a scalar, or (refused) a collection. */
  private key(n: YNode): MapKey {
    const t = this.t;
    if (t.kind(n) === Kind.Alias) return this.alias(n, (target) => (this.count(target), this.key(target)));
    if (t.kind(n) !== Kind.Scalar) {
      // A mapping or sequence as a key: go-yaml fails with "invalid map key" once it has decoded it.
      this.value(n);
      throw new YamlError('invalid map key: a mapping or list cannot be a key', t.line(n) + 1);
    }
    const value = t.value(n);
    const tag = t.tag(n);
    if (tag === '' && !t.implicit(n)) return { type: 's', text: value };
    const r = resolve(tag, value, t.line(n) + 1);
    if (r.tag === TAG.binary) return { type: 's', text: binaryString(value, t.line(n)) };
    if (r.tag === TAG.timestamp || typeof r.value === 'string') return { type: 's', text: tag === '' || r.tag === TAG.timestamp ? value : (r.value as string) };
    if (r.value === null) return { type: 'null', text: '' };
    if (typeof r.value === 'boolean') return { type: 'b', text: String(r.value) };
    if (r.uint64) return { type: 'u', text: value };
    if (r.tag === TAG.int) return { type: 'i', text: String(goInteger(value.replace(/_/g, '')) ?? binaryInt(value) ?? r.value) };
    return { type: 'f', text: formatFloat32(r.value) };
  }

  /** d.merge: the value of a merge key. */
  private merge(n: YNode, out: GoMap): void {
    const t = this.t;
    const fail = () => new YamlError('map merge requires map or sequence of maps as the value', t.line(n) + 1);
    /** The kind of what a node reads: an alias's target's. */
    const readsKind = (m: YNode) => (t.kind(m) === Kind.Alias ? t.kind(t.target(m)!) : t.kind(m));
    const mergeOne = (m: YNode) => {
      this.count(m);
      if (t.kind(m) === Kind.Alias) {
        if (readsKind(m) !== Kind.Mapping) throw fail();
        this.alias(m, (target) => {
          this.count(target);
          this.mapping(target, out);
        });
      } else this.mapping(m, out);
    };
    if (readsKind(n) === Kind.Mapping) return mergeOne(n);
    if (t.kind(n) !== Kind.Sequence) throw fail();
    for (let i = t.childCount(n) - 1; i >= 0; i--) {
      const m = t.child(n, i);
      if (readsKind(m) !== Kind.Mapping) throw fail();
      mergeOne(m);
    }
  }
}

function allowedAliasRatio(decodeCount: number): number {
  if (decodeCount <= 400000) return 0.99;
  if (decodeCount >= 4000000) return 0.1;
  return 0.99 - 0.89 * ((decodeCount - 400000) / 3600000);
}

interface MapKey {
  /** s: string, i: int, u: uint64, f: float, b: bool, null. */
  type: 's' | 'i' | 'u' | 'f' | 'b' | 'null';
  text: string;
}

/**
 * A Go map[interface{}]interface{}: keys of different types are different keys (1 and "1"). Almost every key of
 * a kubeconfig is a string, so those go straight into the JSON object; others wait for the JSON conversion.
 */
class GoMap {
  private readonly strings: { [key: string]: Json } = {};
  private others?: Map<string, { key: MapKey; value: Json }>;

  set(key: MapKey, value: Json): void {
    if (key.type === 's') return this.setString(key.text, value);
    (this.others ??= new Map()).set(`${key.type}:${key.text}`, { key, value });
  }

  setString(key: string, value: Json): void {
    if (key === '__proto__') Object.defineProperty(this.strings, key, { value, enumerable: true, writable: true, configurable: true });
    else this.strings[key] = value;
  }

  /** convertToJSONableObject: every key a string, or the document is refused (at the line of the mapping `n`). */
  toJson(tree: SyntaxTree, n: YNode): Json {
    if (!this.others) return this.strings;
    for (const { key, value } of this.others.values()) {
      if (key.type === 'null' || key.type === 'u')
        throw new YamlError(`unsupported map key of type: ${key.type === 'null' ? '<nil>' : 'uint64'}`, tree.line(n) + 1);
      this.set({ type: 's', text: key.text }, value);
    }
    return this.strings;
  }
}

/** The integer a "0b…"/"-0b…" text has when only go-yaml's binary fallback reads it. */
function binaryInt(text: string): string | undefined {
  const m = /^(-?)0b([-+]?)([01]+)$/.exec(text.replace(/_/g, ''));
  return m ? String(BigInt(`0b${m[3]}`) * (m[1] || m[2] === '-' ? -1n : 1n)) : undefined;
}

/** strconv.FormatFloat(f, 'g', -1, 32), with sigs.k8s.io/yaml's names for the infinities and NaN. */
function formatFloat32(value: unknown): string {
  const f = value as number;
  if (Number.isNaN(f)) return '.nan';
  if (!Number.isFinite(f)) return f > 0 ? '.inf' : '-.inf';
  const single = Math.fround(f);
  if (single === 0) return Object.is(single, -0) ? '-0' : '0';
  if (!Number.isFinite(single)) return single > 0 ? '.inf' : '-.inf';
  let digits = '';
  for (let p = 1; p <= 9; p++) {
    digits = single.toExponential(p - 1);
    if (Math.fround(Number(digits)) === single) break;
  }
  const [mantissa, e] = digits.split('e');
  const exp = Number(e);
  const d = mantissa.replace('-', '').replace('.', '');
  const sign = single < 0 ? '-' : '';
  if (exp < -4 || exp >= 6) return `${sign}${d[0]}${d.length > 1 ? `.${d.slice(1)}` : ''}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  if (exp >= 0) return `${sign}${d.length > exp + 1 ? `${d.slice(0, exp + 1)}.${d.slice(exp + 1)}` : d.padEnd(exp + 1, '0')}`;
  return `${sign}0.${'0'.repeat(-exp - 1)}${d}`;
}

/** A `!!binary` scalar's bytes as a string, as base64.StdEncoding and then json.Marshal (invalid UTF-8 → U+FFFD per byte) make it. */
function binaryString(value: string, line: number): string {
  const text = value.replace(/[\r\n]/g, '');
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(text)) {
    throw new YamlError('!!binary value contains invalid base64 data', line + 1);
  }
  const bytes = Buffer.from(text, 'base64');
  let out = '';
  for (let i = 0; i < bytes.length;) {
    const c = bytes[i];
    const width = c < 0x80 ? 1 : (c & 0xe0) === 0xc0 ? 2 : (c & 0xf0) === 0xe0 ? 3 : (c & 0xf8) === 0xf0 ? 4 : 0;
    const chunk = width ? bytes.subarray(i, i + width) : undefined;
    if (chunk && chunk.length === width && !chunk.toString('utf8').includes('\ufffd')) {
      out += chunk.toString('utf8');
      i += width;
    } else {
      out += '\ufffd';
      i++;
    }
  }
  return out;
}

/** The JSON value kubectl decodes a document's root node into (null for no document). */
export function decodeDocument(tree: SyntaxTree, root: YNode | undefined): unknown {
  if (root === undefined) return null;
  return new Decoder(tree).value(root);
}
