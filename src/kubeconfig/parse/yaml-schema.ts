import { FAILSAFE_SCHEMA, Type } from 'js-yaml';

/**
 * kubectl parses kubeconfig YAML with go-yaml v2 (YAML 1.1 rules for plain scalars) and then decodes the result
 * as JSON into typed Go structs. So an unquoted `on`, `y` or `12345` is a bool or number to kubectl, and a
 * kubeconfig with such a token fails to load. js-yaml's default schema is YAML 1.2 and would read them as
 * strings; this schema resolves plain scalars the way go-yaml v2 does, so that the shape check can refuse
 * exactly what kubectl refuses.
 */

const NULLS = new Set(['', '~', 'null', 'Null', 'NULL']);
const TRUE = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']);
const FALSE = new Set(['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']);
const SPECIAL_FLOATS = new Set(['.nan', '.NaN', '.NAN', '.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF', '-.inf', '-.Inf', '-.INF']);

// go-yaml v2's resolve(): a plain scalar starting with a digit, sign or dot, with every "_" removed, is an int
// if Go's strconv.ParseInt(s, 0, 64) (or ParseUint) accepts it, else a float if it matches yamlStyleFloat.
// Anything else is a string (so "-inf" and hex floats are strings, unlike in YAML 1.1 itself).
const GO_INT = /^[-+]?(?:0[bB][01]+|0[oO][0-7]+|0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/;
const YAML_STYLE_FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;

/** True when go-yaml v2 resolves this plain (unquoted) scalar to a number. */
export function isGoYamlNumber(plain: string): boolean {
  const first = plain.charCodeAt(0);
  const startsNumeric = (first >= 48 && first <= 57) || first === 43 || first === 45 || first === 46; // 0-9 + - .
  if (!startsNumeric) return false;
  if (SPECIAL_FLOATS.has(plain)) return true;
  const s = plain.replace(/_/g, '');
  return GO_INT.test(s) || YAML_STYLE_FLOAT.test(s);
}

/** The type go-yaml v2 gives an unquoted scalar: what a string field must never be. */
export function goYamlPlainType(plain: string): 'null' | 'bool' | 'number' | 'string' {
  if (NULLS.has(plain)) return 'null';
  if (TRUE.has(plain) || FALSE.has(plain)) return 'bool';
  if (isGoYamlNumber(plain)) return 'number';
  return 'string';
}

const goNull = new Type('tag:yaml.org,2002:null', {
  kind: 'scalar',
  // Length first: hashing a long base64 scalar for a Set lookup costs more than the whole test.
  resolve: (data: string) => data.length <= 4 && NULLS.has(data),
  construct: () => null,
});

const goBool = new Type('tag:yaml.org,2002:bool', {
  kind: 'scalar',
  resolve: (data: string) => data.length <= 5 && (TRUE.has(data) || FALSE.has(data)),
  construct: (data: string) => TRUE.has(data),
});

// The value only needs to be "a number" for the shape check; its exact magnitude never matters to us.
const goNumber = new Type('tag:yaml.org,2002:float', {
  kind: 'scalar',
  resolve: (data: string) => isGoYamlNumber(data),
  construct: (data: string) => Number(data.replace(/_/g, '')),
});

// No merge type: js-yaml lets explicit keys win over `<<` wherever they stand, go-yaml applies keys and merges in
// source order. `<<` stays an ordinary key here and applyMerges (merge-keys.ts) does it go-yaml's way.
// `!!binary` decodes to its bytes, which JSON (and so kubectl) carries as a string.
const goBinary = new Type('tag:yaml.org,2002:binary', {
  kind: 'scalar',
  construct: (data: string) => Buffer.from(data.replace(/\s/g, ''), 'base64').toString('utf8'),
});

// go-yaml ignores local tags (`!foo value`): the value is read as written, without implicit typing.
const localTags = (['scalar', 'sequence', 'mapping'] as const).map(
  (kind) => new Type('!', { kind, multi: true, construct: (data: unknown) => data ?? (kind === 'scalar' ? '' : kind === 'sequence' ? [] : {}) }),
);

export const GO_YAML_V2_SCHEMA = FAILSAFE_SCHEMA.extend({ implicit: [goNull, goBool, goNumber], explicit: [goBinary, ...localTags] });
