import { parseKubeconfig } from '../../../src/kubeconfig/parse/parse';
import { goYamlPlainType } from '../../../src/kubeconfig/parse/goyaml/resolve';
import { kubeconfig } from '../../support/builder';
import { parseError } from '../../support/parse-error';

const withToken = (scalar: string) => `users:\n- name: u\n  user:\n    token: ${scalar}\n`;

describe('parsing a kubeconfig', () => {
  test('an empty file is an empty config', () => {
    expect(parseKubeconfig('')).toEqual({});
  });

  test('a comment-only file is an empty config', () => {
    expect(parseKubeconfig('# nothing here\n\n# at all\n')).toEqual({});
  });

  test('JSON is accepted', () => {
    const config = parseKubeconfig(kubeconfig().tokenUser('u', 'T-1').json());
    expect(config.users).toEqual([{ name: 'u', user: { token: 'T-1' } }]);
  });

  test('unknown fields are kept', () => {
    expect(parseKubeconfig('users:\n- name: u\n  user:\n    token: t\n    future-field: 1\n').users?.[0].user).toEqual({ token: 't', 'future-field': 1 });
  });

  test('unknown fields named like Object properties are ignored too', () => {
    expect(parseKubeconfig('users:\n- name: u\n  user: {constructor: 1, toString: x, token: t}\n').users?.[0].user?.token).toBe('t');
  });

  test('a repeated key keeps its last value, as go-yaml v2 does', () => {
    expect(parseKubeconfig('users:\n- name: u\n  user: {token: a, token: b}\n').users?.[0].user?.token).toBe('b');
  });

  test('malformed YAML names the line', () => {
    const e = parseError('apiVersion: v1\nusers:\n- name: u\n  user:\n    token: "unterminated\n');
    expect(e.syntax).toBe(true);
    expect(e.line).toBeGreaterThanOrEqual(5);
  });

  test('a top level that is not a mapping is refused', () => {
    expect(parseError('- a\n- b\n').message).toMatch(/top level must be a mapping/);
  });

  test.each(['yes', 'on', 'y', 'No', 'OFF', 'true'])('an unquoted token "%s" is a bool to kubectl, so the file is refused', (scalar) => {
    expect(parseError(withToken(scalar)).message).toMatch(/users\[0\]\.user\.token must be a string, but is a bool; quote/);
  });

  test.each(['12345', '1e3', '0x1F', '1_000', '.5', '-7', '0o17'])('an unquoted token "%s" is a number to kubectl, so the file is refused', (scalar) => {
    expect(parseError(withToken(scalar)).message).toMatch(/must be a string, but is a number/);
  });

  test.each(['"12345"', "'yes'", 'CW-SECRET-abc', '2001-12-14', 'e10', '1.2.3', '0x', '12abc'])('token %s is a string to kubectl', (scalar) => {
    expect(typeof parseKubeconfig(withToken(scalar)).users?.[0].user?.token).toBe('string');
  });

  test.each(['+.inf', '.NaN', '-.INF'])('an unquoted token %s cannot become JSON, so kubectl refuses the file', (scalar) => {
    const e = parseError(withToken(scalar));
    expect(e.syntax).toBe(true);
    expect(e.message).toMatch(/json: unsupported value/);
  });

  test('the refusal never echoes the value', () => {
    expect(parseError(withToken('987654321')).message).not.toContain('987654321');
  });

  test('certificate-authority-data must be base64', () => {
    expect(parseError('clusters:\n- name: c\n  cluster:\n    certificate-authority-data: "not base64!"\n').message).toMatch(
      /clusters\[0\]\.cluster\.certificate-authority-data is not valid base64/,
    );
  });

  test('a duplicate name inside one file is refused without printing the entries', () => {
    const e = parseError(kubeconfig().tokenUser('u', 'SECRET-ONE').tokenUser('u', 'SECRET-TWO').yaml());
    expect(e.message).toMatch(/user "u" is defined twice in this file \(users\[0\] and users\[1\]\)/);
    expect(e.message).not.toMatch(/SECRET/);
    expect(e.path).toEqual(['users', 1, 'name']);
  });

  test('a kind other than Config is refused, naming the field and where it is', () => {
    const e = parseError('apiVersion: v1\nkind: Pod\n');
    expect(e.message).toMatch(/^kind is not a kubeconfig/);
    expect(e.path).toEqual(['kind']);
  });

  test.each([
    ['apiVersion', 'apiVersion: CW-SECRET-pasted-here-aaaaaaaa\n'],
    ['kind', 'apiVersion: v1\nkind: CW-SECRET-pasted-here-aaaaaaaa\n'],
  ])('a refused %s is never quoted: it may be a token pasted in the wrong place', (_field, text) => {
    expect(parseError(text).message).not.toContain('CW-SECRET');
  });

  test('an error in a later document does not matter, as go-yaml never reads it', () => {
    expect(parseKubeconfig('current-context: one\n---\nfoo: [\n')['current-context']).toBe('one');
  });

  test('a multi-document file is its first document', () => {
    expect(parseKubeconfig('---\ncurrent-context: one\n---\ncurrent-context: two\n')['current-context']).toBe('one');
  });

  test('an apiVersion other than v1 is refused, naming the field and where it is', () => {
    const e = parseError('apiVersion: v2\n');
    expect(e.message).toMatch(/^apiVersion is not a kubeconfig version kubectl knows/);
    expect(e.path).toEqual(['apiVersion']);
  });
});

describe('go-yaml v2 plain scalar types', () => {
  test.each([
    ['~', 'null'],
    ['Null', 'null'],
    ['Y', 'bool'],
    ['off', 'bool'],
    ['0b101', 'number'],
    ['08', 'number'],
    ['-inf', 'string'],
    ['0x1p-2', 'string'],
    ['.NaN', 'number'],
    ['inf', 'string'],
    ['CW-SECRET-1', 'string'],
  ])('%s is a %s', (scalar, type) => {
    expect(goYamlPlainType(scalar)).toBe(type);
  });
});
