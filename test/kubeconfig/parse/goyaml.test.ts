/**
 * The reader is go-yaml v2's (plus sigs.k8s.io/yaml's JSON conversion) by construction. One test per class of
 * input on which a YAML 1.2 reader and kubectl disagree (issue 9); the expectations are kubectl 1.32's behaviour,
 * which test/differential checks against the real binary.
 */
import { ParseError, parseKubeconfig } from '../../../src/kubeconfig/parse/parse';
import { parseError } from '../../support/parse-error';
import { decodeBytes, encodeText } from '../../../src/text/bytes';

const token = (text: string) => parseKubeconfig(text).users?.[0]?.user?.token;
const withToken = (scalar: string) => `users:\n- name: u\n  user:\n    token: ${scalar}\n`;

describe('merge keys, as go-yaml v2 decodes them', () => {
  test('only a plain << merges: a quoted "<<" is an ordinary key', () => {
    const user = parseKubeconfig('users:\n- name: u\n  user: {"<<": {token: MERGED}, token: OWN}\n').users![0].user!;
    expect(user.token).toBe('OWN');
    expect(user).toHaveProperty(['<<']);
  });

  test('a !!merge-tagged << merges', () => {
    expect(token('users:\n- name: u\n  user:\n    !!merge <<: {token: MERGED}\n')).toBe('MERGED');
  });

  test('a merge overrides the keys before it, the keys after it override the merge', () => {
    expect(token('users:\n- name: u\n  user: {token: A, <<: {token: M}}\n')).toBe('M');
    expect(token('users:\n- name: u\n  user: {<<: {token: M}, token: A}\n')).toBe('A');
  });

  test('in a list of merges the first wins', () => {
    expect(token('users:\n- name: u\n  user: {<<: [{token: FIRST}, {token: SECOND}]}\n')).toBe('FIRST');
  });

  test('a merge of anything but mappings is refused', () => {
    expect(parseError('users:\n- name: u\n  user: {<<: [{token: A}, x]}\n').message).toMatch(/map merge requires map/);
  });
});

describe('the byte order mark and document markers', () => {
  test('a BOM, then comments and blank lines, then --- opens the first document', () => {
    expect(token(`\ufeff# downloaded\n\n---\n${withToken('T-bom')}`)).toBe('T-bom');
  });

  test('a BOM before a %YAML 1.1 directive is read', () => {
    expect(token(`\ufeff%YAML 1.1\n---\n${withToken('T-directive')}`)).toBe('T-directive');
  });

  test('a %YAML 1.2 directive is refused', () => {
    expect(parseError(`%YAML 1.2\n---\n${withToken('T')}`).message).toMatch(/incompatible YAML document/);
  });

  test('the first document ends at ...; what follows, broken or not, is not read', () => {
    expect(token(`${withToken('T-first')}...\nusers: [\n`)).toBe('T-first');
  });

  test('a file of UTF-16 with its BOM is read', () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(withToken('T-utf16'), 'utf16le')]);
    expect(token(decodeBytes(bytes))).toBe('T-utf16');
  });
});

describe('line breaks', () => {
  test.each([
    ['CR', '\r'],
    ['CRLF', '\r\n'],
    ['NEL', '\x85'],
  ])('%s line endings are line breaks', (_, eol) => {
    expect(token(withToken('T-eol').replace(/\n/g, eol))).toBe('T-eol');
  });

  test('a raw NEL inside a quoted scalar folds like a line break', () => {
    expect(token(withToken('"a\x85b"'))).toBe('a b');
  });
});

describe('anchors and aliases', () => {
  test('an anchor name is only [A-Za-z0-9_-]: &t:x VALUE is the anchor t on ":x VALUE"', () => {
    expect(token(withToken('&t:x VALUE'))).toBe(':x VALUE');
  });

  test('an anchor on a key is read', () => {
    expect(parseKubeconfig('users:\n- &k name: u\n  user: {token: T}\n').users![0].name).toBe('u');
  });

  test('an alias to an unknown anchor is refused', () => {
    expect(parseError(withToken('*nope')).message).toMatch(/unknown anchor 'nope'/);
  });

  test("excessive aliasing is refused (go-yaml's alias budget)", () => {
    const ten = (x: string) => `[${Array(10).fill(x).join(', ')}]`;
    const text = `a: &a ${ten('x')}\nb: &b ${ten('*a')}\nc: &c ${ten('*b')}\nd: ${ten('*c')}\n`;
    expect(parseError(text).message).toMatch(/excessive aliasing/);
  });

  test('an anchor whose value contains itself is refused', () => {
    expect(parseError('a: &a [*a]\n').message).toMatch(/contains itself/);
  });
});

describe('map keys go-yaml or the JSON conversion cannot use', () => {
  test.each([
    ['null', '~: x'],
    ['a sequence', '[a, b]: x'],
    ['a mapping', '? {a: b}\n: x'],
    ['an integer past int64', '18446744073709551615: x'],
  ])('a %s key is refused', (_, entry) => {
    expect(() => parseKubeconfig(`${withToken('T')}${entry}\n`)).toThrow(ParseError);
  });

  test('integer, float and bool keys become strings', () => {
    const config = parseKubeconfig(`${withToken('T')}x-keys: {1: a, 0x10: b, 1.5: c, true: d, 1e6: e}\n`);
    expect(config['x-keys']).toEqual({ 1: 'a', 16: 'b', '1.5': 'c', true: 'd', '1e+06': 'e' });
  });
});

describe('scalars', () => {
  test.each(['.nan', '.inf', '-.Inf'])('%s anywhere, even in an unknown field, is refused (JSON has no NaN or Inf)', (scalar) => {
    expect(parseError(`${withToken('T')}x-unknown: {deep: [${scalar}]}\n`).message).toMatch(/json: unsupported value/);
  });

  test.each(['0xFFFFFFFFFFFFFFFFFF', '0b11111111111111111111111111111111111111111111111111111111111111111', '1e999', '-0x8000000000000001'])(
    'an integer too large for go-yaml stays a string: %s',
    (scalar) => {
      expect(token(withToken(scalar))).toBe(scalar);
    },
  );

  test('a decimal past uint64 is a float, so not a token', () => {
    expect(parseError(withToken('99999999999999999999')).message).toMatch(/must be a string, but is a number/);
  });

  test.each([
    ['!!binary', '!!binary Q1ctU0VDUkVU', 'CW-SECRET'],
    ['!!timestamp', '!!timestamp 2001-12-14', '2001-12-14'],
    ['!!value', '!!value T-value', 'T-value'],
    ['!!python/str', '!!python/str T-py', 'T-py'],
    ['a local tag', '!foo 12345', '12345'],
    ['the non-specific tag', '! 12345', '12345'],
    ['!!str', '!!str 12345', '12345'],
  ])('%s reads as a string', (_, scalar, value) => {
    expect(token(withToken(scalar))).toBe(value);
  });

  test('a %TAG handle reads as a string', () => {
    expect(token(`%TAG !e! tag:example.com,2000:\n---\n${withToken('!e!secret T-tag')}`)).toBe('T-tag');
  });

  test('an undefined tag handle is refused', () => {
    expect(parseError(withToken('!e!secret T')).message).toMatch(/undefined tag handle/);
  });

  test('!!binary that is not base64 is refused', () => {
    expect(parseError(withToken('!!binary not-base64!')).message).toMatch(/invalid base64/);
  });

  test('a tag the text does not fit is refused', () => {
    expect(parseError(withToken('!!int abc')).message).toMatch(/cannot decode !!str as a !!int/);
  });

  test.each([
    ['an unknown escape', '"a\\/b"', /unknown escape/],
    ['a surrogate escape', '"\\ud83d\\ude00"', /invalid Unicode character escape/],
    ['a raw C1 control character', '"a\x80b"', /control characters/],
    ['a raw DEL', '"a\x7fb"', /control characters/],
  ])('%s in a quoted scalar is refused', (_, scalar, problem) => {
    expect(parseError(withToken(scalar)).message).toMatch(problem);
  });

  test('escapes go-yaml knows are decoded', () => {
    expect(token(withToken('"\\x41\\u00e9\\U0001F600\\N\\_\\t"'))).toBe('A\u00e9\u{1f600}\x85\xa0\t');
  });
});

describe('indentation, tabs and keys', () => {
  test.each([
    ['a tab-indented comment line', `${withToken('T')}\t# comment\n`],
    ['a tab-only line', `users:\n\t\n- name: u\n`],
    ['a tab before a key', `users:\n- name: u\n  user:\n\ttoken: T\n`],
  ])('%s is refused', (_, text) => {
    expect(parseError(text).syntax).toBe(true);
  });

  test('a tab after a value is a separator, as in go-yaml', () => {
    expect(token(withToken('T-tab\t# comment'))).toBe('T-tab');
  });

  test('an implicit key over 1024 characters is refused', () => {
    expect(() => parseKubeconfig(`users:\n- name: u\n  user:\n    ${'k'.repeat(1100)}: v\n`)).toThrow(ParseError);
  });

  test('an implicit key of 1000 characters is read', () => {
    expect(parseKubeconfig(`x-long: {${'k'.repeat(1000)}: v}\n`)['x-long']).toEqual({ ['k'.repeat(1000)]: 'v' });
  });

  test('a plain value with "?" or a leading ":" in a flow collection is refused', () => {
    expect(() => parseKubeconfig('users: [{name: u, user: {token: a?b}}]\n')).toThrow(ParseError);
    expect(() => parseKubeconfig('x: [:x]\n')).toThrow(ParseError);
  });

  test('a syntax error names its line', () => {
    expect(parseError('users:\n- name: u\n  user:\n    token: "open\n').line).toBeGreaterThanOrEqual(4);
  });
});

describe('bytes that are not UTF-8', () => {
  const bytes = (...parts: Array<string | number[]>) => decodeBytes(Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p)))));

  test('invalid UTF-8 in a comment is refused', () => {
    expect(parseError(bytes('# caf', [0xe9], '\n', withToken('T'))).message).toMatch(/UTF-8/);
  });

  test('invalid UTF-8 far past the end of the first document is not read', () => {
    expect(token(bytes(withToken('T-first'), '---\n', `# ${'x'.repeat(2000)}\n# `, [0xff], '\n'))).toBe('T-first');
  });

  test('an invalid byte just after the first document, cut off by the end of the file, is never decoded', () => {
    expect(token(bytes(withToken('T-first'), '...\n# ', [0xe9], '\n'))).toBe('T-first');
  });

  test('an invalid byte just after the first document, in the chunk the reader decoded, is refused', () => {
    expect(parseError(bytes(withToken('T-first'), '...\n# ', [0xe9], 'xyz\n')).message).toMatch(/invalid trailing UTF-8 octet/);
    expect(parseError(bytes(withToken('T-first'), '...\n# ', [0xff], 'xyz\n')).message).toMatch(/invalid leading UTF-8 octet/);
    expect(parseError(`${withToken('T-first')}...\n\x01\n`).message).toMatch(/control characters/);
  });

  test('decoding keeps every invalid byte, so an edit writes it back unchanged', () => {
    const raw = Buffer.from([0x61, 0xff, 0xc3, 0x28, 0xe2, 0x82, 0xac, 0x0a]);
    expect(encodeText(decodeBytes(raw))).toEqual(raw);
  });
});

describe('apiVersion', () => {
  test('"/v1" is the core group\'s v1, which kubectl reads', () => {
    expect(parseKubeconfig('apiVersion: /v1\nkind: Config\n').apiVersion).toBe('/v1');
  });
});
