import { goYamlPlainType } from '../parse/goyaml/resolve';

/**
 * Whether a string may be written unquoted. go-yaml v2's scanner is stricter than the yaml package's writer in
 * places (a `?` or a leading `:` inside a flow mapping makes kubectl refuse the file; a leading `---` is a
 * document marker), so only the characters tokens, names and hosts are made of go unquoted; anything else is
 * double-quoted, which both read the same way.
 */
export function plainIsSafe(value: string): boolean {
  return /^[A-Za-z0-9_./~][A-Za-z0-9._/+=~-]*$/.test(value) && goYamlPlainType(value) === 'string';
}

// Strings whose double-quoted form is JSON's: no line break, control, non-printable or BOM character, no
// surrogate (the yaml package escapes those its own way, and go-yaml folds a raw NEL or LS).
const JSON_QUOTABLE = /^[^\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]*$/;

/**
 * JSON-like data (mappings, lists, strings, booleans, null) as block YAML at `column`, each line ending in a line
 * break, written directly: the `yaml` package's writer takes seconds for the 5,000 entries of a large import. The
 * text is what that writer makes with the editor's options (2-space indent, lists not indented under their key,
 * plain scalars where plainIsSafe, else double quotes). Undefined for anything else (numbers, multi-line strings):
 * the caller then uses the `yaml` package.
 */
export function blockText(value: unknown, column: number): string | undefined {
  const lines: string[] = [];
  const pad = ' '.repeat(column);
  const ok = isCollection(value) && !isEmpty(value) ? write(value, pad, lines) : push(lines, pad, scalarOrEmpty(value));
  return ok ? `${lines.join('\n')}\n` : undefined;
}

type Collection = Record<string, unknown> | unknown[];

const isCollection = (v: unknown): v is Collection => typeof v === 'object' && v !== null;
const isEmpty = (v: Collection) => (Array.isArray(v) ? v.length === 0 : Object.keys(v).length === 0);

function scalarText(value: unknown): string | undefined {
  if (typeof value === 'boolean') return String(value);
  if (value === null) return 'null';
  if (typeof value !== 'string') return undefined;
  if (plainIsSafe(value)) return value;
  return JSON_QUOTABLE.test(value) ? JSON.stringify(value) : undefined;
}

/** A scalar, or an empty collection in flow style (`{}`, `[]`). */
function scalarOrEmpty(value: unknown): string | undefined {
  if (!isCollection(value)) return scalarText(value);
  if (!isEmpty(value)) return undefined;
  return Array.isArray(value) ? '[]' : '{}';
}

function push(lines: string[], prefix: string, text: string | undefined): boolean {
  if (text === undefined) return false;
  lines.push(prefix + text);
  return true;
}

/** A non-empty collection's lines at `pad`. */
function write(value: Collection, pad: string, lines: string[]): boolean {
  if (Array.isArray(value)) {
    for (const item of value) {
      if (!isCollection(item) || isEmpty(item)) {
        if (!push(lines, `${pad}- `, scalarOrEmpty(item))) return false;
        continue;
      }
      // The item's first line goes on the dash's: `- name: x`, `- - a`.
      const first = lines.length;
      if (!write(item, `${pad}  `, lines)) return false;
      lines[first] = `${pad}- ${lines[first].slice(pad.length + 2)}`;
    }
    return true;
  }
  for (const key of Object.keys(value)) {
    const keyText = scalarText(key);
    const item = value[key];
    if (keyText === undefined) return false;
    if (!isCollection(item) || isEmpty(item)) {
      if (!push(lines, `${pad}${keyText}: `, scalarOrEmpty(item))) return false;
      continue;
    }
    lines.push(`${pad}${keyText}:`);
    // A list goes at its key's column, a mapping two further.
    if (!write(item, Array.isArray(item) ? pad : `${pad}  `, lines)) return false;
  }
  return true;
}
