/**
 * Edits of files in the forms issue 9 found kubectl and a YAML 1.2 editor disagree on: every edit must mean, to
 * go-yaml, exactly the intended change, and keep the file's own line breaks, BOM and document markers.
 */
import { KubeconfigDocument } from '../../../src/kubeconfig/edit/edit';
import { parseKubeconfig } from '../../../src/kubeconfig/parse/parse';

const FILE = 'apiVersion: v1\nkind: Config\nusers:\n- name: u\n  user:\n    token: OLD\ncontexts:\n- name: c\n  context: {user: u}\ncurrent-context: c\n';

function edit(text: string, change: (d: KubeconfigDocument) => void): string {
  const doc = new KubeconfigDocument(text, 'config');
  change(doc);
  return doc.toString();
}

const setToken = (user: string, token: string) => (d: KubeconfigDocument) => d.setField('users', user, 'token', token);
const users = (text: string) => parseKubeconfig(text).users?.map((u) => [u.name, u.user?.token]);

describe.each([
  ['LF', '\n'],
  ['CRLF', '\r\n'],
  ['CR', '\r'],
])('a file with %s line endings', (_, eol) => {
  const text = FILE.replace(/\n/g, eol);
  const onlyThisBreak = (out: string) =>
    out.replace(new RegExp(eol.replace(/\r/g, '\\r').replace(/\n/g, '\\n'), 'g'), '').replace(/[\r\n]/g, '!') ===
    out.replace(new RegExp(eol.replace(/\r/g, '\\r').replace(/\n/g, '\\n'), 'g'), '');

  test('setting an existing token changes it and keeps the line endings', () => {
    const out = edit(text, setToken('u', 'NEW'));
    expect(users(out)).toEqual([['u', 'NEW']]);
    expect(onlyThisBreak(out)).toBe(true);
  });

  test('adding a user adds it to the one users list, with the same line endings', () => {
    const out = edit(text, (d) => d.addEntry('users', 'u2', { token: 'T2' }));
    expect(users(out)).toEqual([
      ['u', 'OLD'],
      ['u2', 'T2'],
    ]);
    expect(out.split('users:').length).toBe(2);
    expect(onlyThisBreak(out)).toBe(true);
  });

  test('use switches the context', () => {
    expect(parseKubeconfig(edit(text, (d) => d.setCurrentContext('c2')))['current-context']).toBe('c2');
  });
});

describe('byte order marks and document markers', () => {
  test('a file with a BOM keeps it and is edited', () => {
    const out = edit(`\ufeff${FILE}`, setToken('u', 'NEW'));
    expect(out.startsWith('\ufeffapiVersion')).toBe(true);
    expect(users(out)).toEqual([['u', 'NEW']]);
  });

  test('a first document ending with ... gets a new user inside it, not after the marker', () => {
    const text = `${FILE}...\nusers: [{name: ignored}]\n`;
    const out = edit(text, (d) => d.addEntry('users', 'u2', { token: 'T2' }));
    expect(users(out)).toEqual([
      ['u', 'OLD'],
      ['u2', 'T2'],
    ]);
    expect(out.endsWith('...\nusers: [{name: ignored}]\n')).toBe(true);
  });

  test('a file whose first document is empty and ends with ... gets the change before the marker', () => {
    const out = edit('# empty\n---\n...\ncurrent-context: ignored\n', (d) => d.setCurrentContext('c'));
    expect(parseKubeconfig(out)['current-context']).toBe('c');
    expect(out.endsWith('...\ncurrent-context: ignored\n')).toBe(true);
  });

  test('a null document becomes the change', () => {
    expect(parseKubeconfig(edit('null\n', (d) => d.setCurrentContext('c')))['current-context']).toBe('c');
    expect(parseKubeconfig(edit('--- ~\n', (d) => d.setCurrentContext('c')))['current-context']).toBe('c');
  });
});

describe('tags', () => {
  test('a !!binary token is replaced without its tag, so kubectl reads the new token as written', () => {
    const out = edit(FILE.replace('token: OLD', 'token: !!binary T0xE'), setToken('u', 'NEW'));
    expect(out).toContain('token: NEW\n');
    expect(users(out)).toEqual([['u', 'NEW']]);
  });

  test('a !!str token is replaced', () => {
    expect(users(edit(FILE.replace('token: OLD', 'token: !!str OLD'), setToken('u', 'NEW')))).toEqual([['u', 'NEW']]);
  });

  test('a !!timestamp token in a flow mapping is replaced without its tag, which would refuse the new token', () => {
    const out = edit(FILE.replace('  user:\n    token: OLD', '  user: {token: !!timestamp 2001-12-14}'), setToken('u', 'NEW'));
    expect(users(out)).toEqual([['u', 'NEW']]);
  });
});

describe('anchors', () => {
  test('a token whose anchor is written flush against it (`&t:x`) keeps the anchor apart from the new token', () => {
    const out = edit(FILE.replace('token: OLD', 'token: &t:x OLD'), setToken('u', 'NEW'));
    expect(users(out)).toEqual([['u', 'NEW']]);
  });

  test('so it does where the file has a quoted "<<" key (which is no merge key, but takes the edit off the fast path)', () => {
    const out = edit(`${FILE.replace('token: OLD', 'token: &t:x OLD')}"<<": {a: b}\n`, setToken('u', 'NEW'));
    expect(users(out)).toEqual([['u', 'NEW']]);
  });
});

describe('flow style', () => {
  test('a flow mapping at the top of the file is edited', () => {
    const out = edit('{apiVersion: v1, users: [{name: u, user: {token: OLD}}]}\n', setToken('u', 'NEW'));
    expect(users(out)).toEqual([['u', 'NEW']]);
  });
});
