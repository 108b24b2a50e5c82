/**
 * go-yaml v2's resolve.go: the type of a scalar from its tag and text. A plain scalar's type comes from its first
 * character's hint, then the YAML 1.1 word table, then Go's strconv rules (ParseInt/ParseUint with base 0 after
 * dropping "_", then yamlStyleFloat + ParseFloat); an explicit tag must agree with what the text resolves to.
 */
import { YamlError } from './errors';

export const TAG = {
  null: 'tag:yaml.org,2002:null',
  bool: 'tag:yaml.org,2002:bool',
  str: 'tag:yaml.org,2002:str',
  int: 'tag:yaml.org,2002:int',
  float: 'tag:yaml.org,2002:float',
  timestamp: 'tag:yaml.org,2002:timestamp',
  binary: 'tag:yaml.org,2002:binary',
  merge: 'tag:yaml.org,2002:merge',
} as const;

export interface Resolved {
  tag: string;
  value: null | boolean | number | string;
  /** An integer too large for int64 (go-yaml's uint64), which sigs.k8s.io/yaml cannot use as a map key. */
  uint64?: boolean;
}

const WORDS = new Map<string, Resolved>();
for (const [value, tag, words] of [
  [true, TAG.bool, 'y Y yes Yes YES true True TRUE on On ON'],
  [false, TAG.bool, 'n N no No NO false False FALSE off Off OFF'],
  [null, TAG.null, '~ null Null NULL'],
  [NaN, TAG.float, '.nan .NaN .NAN'],
  [Infinity, TAG.float, '.inf .Inf .INF +.inf +.Inf +.INF'],
  [-Infinity, TAG.float, '-.inf -.Inf -.INF'],
  ['<<', TAG.merge, '<<'],
] as const) {
  for (const word of words.split(' ')) WORDS.set(word, { tag, value });
}
WORDS.set('', { tag: TAG.null, value: null });

// resolveTable: the hint of a first byte. 'M' means "maybe in the word table"; 0, no resolution at all.
const HINT = new Uint8Array(256);
for (const ch of '+-') HINT[ch.charCodeAt(0)] = 83; // S
for (const ch of '0123456789') HINT[ch.charCodeAt(0)] = 68; // D
for (const ch of 'yYnNtTfFoO~') HINT[ch.charCodeAt(0)] = 77; // M
HINT[46] = 46; // .

const RESOLVABLE = new Set(['', TAG.str, TAG.bool, TAG.int, TAG.float, TAG.null, TAG.timestamp]);

// Go's strconv.ParseInt(s, 0, 64) syntax (the "_" are gone by then), and go-yaml's yamlStyleFloat.
const GO_INT = /^([-+]?)(0[bB][01]+|0[oO][0-7]+|0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/;
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
// strconv.ParseFloat of a text starting with '.', underscores allowed only between digits.
const DOT_FLOAT = /^\.[0-9](_?[0-9])*([eE][-+]?[0-9](_?[0-9])*)?$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/** The exact value of a Go integer literal (as GO_INT matches it), or undefined. */
export function goInteger(plain: string): bigint | undefined {
  const m = GO_INT.exec(plain);
  if (!m) return undefined;
  const digits = m[2];
  const magnitude = /^0[0-7]+$/.test(digits) ? BigInt(`0o${digits.slice(1)}`) : BigInt(digits.toLowerCase());
  return m[1] === '-' ? -magnitude : magnitude;
}

/** An untagged plain scalar that is a string whatever its text: its first character resolves to nothing else. */
export const plainIsString = (text: string): boolean => text !== '' && (HINT[text.charCodeAt(0)] ?? 0) === 0;

function resolvePlain(tag: string, text: string): Resolved {
  const hint = text === '' ? 78 /* N */ : (HINT[text.charCodeAt(0)] ?? 0);
  if (hint === 0 || tag === TAG.str || tag === TAG.binary) return { tag: TAG.str, value: text };
  const word = WORDS.get(text);
  if (word) return word;
  if (hint === 46) {
    if (DOT_FLOAT.test(text)) {
      const value = Number(text.replace(/_/g, ''));
      if (Number.isFinite(value)) return { tag: TAG.float, value };
    }
  } else if (hint === 68 || hint === 83) {
    if ((tag === '' || tag === TAG.timestamp) && isTimestamp(text)) return { tag: TAG.timestamp, value: text };
    const plain = text.includes('_') ? text.replace(/_/g, '') : text;
    const int = goInteger(plain);
    if (int !== undefined && int >= INT64_MIN && int <= INT64_MAX) return { tag: TAG.int, value: Number(int) };
    if (int !== undefined && int >= 0n && int <= UINT64_MAX && !/^[-+]/.test(plain)) return { tag: TAG.int, value: Number(int), uint64: true };
    if (YAML_STYLE_FLOAT.test(plain)) {
      const value = Number(plain);
      if (Number.isFinite(value)) return { tag: TAG.float, value };
    }
    // strconv.ParseInt(plain[2:], 2, 64) after "0b", which takes a sign of its own ("0b-1"); and "-0b".
    const binary = /^0b([-+]?[01]+)$/.exec(plain) ?? /^-0b([01]+)$/.exec(plain);
    if (binary) {
      const value = BigInt(`0b${binary[1].replace(/^[-+]/, '')}`) * (binary[1].startsWith('-') || plain.startsWith('-') ? -1n : 1n);
      if (value >= INT64_MIN && value <= INT64_MAX) return { tag: TAG.int, value: Number(value) };
      if (value <= UINT64_MAX && plain.startsWith('0b') && !binary[1].startsWith('-')) return { tag: TAG.int, value: Number(value), uint64: true };
    }
  }
  return { tag: TAG.str, value: text };
}

const short = (tag: string) => (tag.startsWith('tag:yaml.org,2002:') ? `!!${tag.slice(18)}` : tag);

/** resolve(tag, in) of go-yaml v2; throws where it fails ("cannot decode !!str as a !!int"), without the value. */
export function resolve(tag: string, text: string, line?: number): Resolved {
  if (!RESOLVABLE.has(tag)) return { tag, value: text };
  const r = resolvePlain(tag, text);
  if (tag === '' || tag === r.tag || tag === TAG.str) return r;
  if (tag === TAG.float && r.tag === TAG.int && !r.uint64) return { tag: TAG.float, value: r.value };
  throw new YamlError(`cannot decode ${short(r.tag)} as a ${short(tag)}`, line);
}

// go-yaml's allowedTimestampFormats, as Go's time.Parse reads them.
const TIMESTAMP =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:([Tt])(\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2}))|(?: (\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d+)?))?$/;

function isTimestamp(text: string): boolean {
  const m = TIMESTAMP.exec(text);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return false;
  const [h, mi, s] = (m[4] ? [m[5], m[6], m[7]] : [m[8], m[9], m[10]]).map((x) => Number(x ?? 0));
  return h < 24 && mi < 60 && s < 60;
}

/** The type go-yaml v2 gives an unquoted, untagged scalar: what a string field must never be. */
export function goYamlPlainType(text: string): 'null' | 'bool' | 'number' | 'string' {
  const r = resolvePlain('', text);
  if (r.tag === TAG.null) return 'null';
  if (r.tag === TAG.bool) return 'bool';
  if (r.tag === TAG.int || r.tag === TAG.float) return 'number';
  return 'string';
}
