import { load } from 'js-yaml';
import { KubeconfigDocument } from '../../src/kubeconfig/edit';
import { parseKubeconfig } from '../../src/kubeconfig/parse';
import { byteDiff } from '../support/byte-diff';

// Written the way people and tools really write kubeconfigs: comments, odd quoting, unknown keys, extensions.
const FILE = `# managed by hand
apiVersion: v1
kind: Config
preferences: {}
clusters:
- cluster:
    server: https://a.k8s.us-east-04a.coreweave.com   # prod
    extensions:
    - name: x
      extension: {answer: 42}
  name: a
contexts:
- context: {cluster: a, user: token}
  name: a
current-context: a # the one
users:
- name: token
  user:
    token: CW-SECRET-old1234567890   # rotated monthly
    x-unknown: kept
- name: "quoted"
  user:
    token: 'CW-SECRET-q'
- name: cert
  user:
    client-certificate-data: AAAA
    client-key-data: BBBB
- name: empty
  user: {}
- name: bare
  user:
`;

const edit = (f: (d: KubeconfigDocument) => void, text = FILE) => {
  const doc = new KubeconfigDocument(text, 'config');
  f(doc);
  return doc.toString();
};

describe('replacing a value', () => {
  test('changes only the bytes of the token', () => {
    const after = edit((d) => d.setField('users', 'token', 'token', 'CW-SECRET-new0987654321'));
    expect(byteDiff(FILE, after)).toEqual({ at: FILE.indexOf('old1234567890'), removed: 'old1234567890', added: 'new0987654321' });
  });

  test('keeps the quoting style of a quoted value', () => {
    const after = edit((d) => d.setField('users', 'quoted', 'token', 'CW-SECRET-z'));
    expect(byteDiff(FILE, after)).toMatchObject({ removed: 'q', added: 'z' });
  });

  test.each(['on', 'yes', 'n', '12345', '1e3', '0x1F', '~', 'null', '1_000'])(
    'quotes %s, which YAML 1.1 would read as a bool, number or null',
    (token) => {
      const after = edit((d) => d.setField('users', 'token', 'token', token));
      expect(byteDiff(FILE, after).added).toBe(`"${token}"`);
      expect(parseKubeconfig(after).users![0].user!.token).toBe(token);
    },
  );

  test('writes the last of duplicate keys, the one go-yaml v2 reads', () => {
    const text = 'users:\n- name: u\n  user:\n    token: first\n    token: second\n';
    expect(edit((d) => d.setField('users', 'u', 'token', 'third'), text)).toBe('users:\n- name: u\n  user:\n    token: first\n    token: third\n');
  });
});

describe('adding and removing fields', () => {
  test('adds a field after the existing ones at their indentation', () => {
    const after = edit((d) => d.setField('users', 'token', 'tokenFile', '/run/token'));
    expect(byteDiff(FILE, after)).toMatchObject({ removed: '', added: '    tokenFile: /run/token\n' });
  });

  test('turns an empty flow body into a block body', () => {
    const after = edit((d) => d.setField('users', 'empty', 'token', 'CW-SECRET-e'));
    expect(byteDiff(FILE, after)).toMatchObject({ removed: ' {}', added: '\n    token: CW-SECRET-e' });
  });

  test('fills a null body', () => {
    const after = edit((d) => d.setField('users', 'bare', 'token', 'CW-SECRET-b'));
    expect(after).toBe(`${FILE}    token: CW-SECRET-b\n`);
  });

  test('removes whole lines of a field, and nothing else', () => {
    const after = edit((d) => d.deleteField('users', 'cert', 'client-key-data'));
    expect(byteDiff(FILE, after)).toMatchObject({ removed: '    client-key-data: BBBB\n', added: '' });
  });

  test('leaves {} when the last field goes', () => {
    const after = edit((d) => d.deleteField('users', 'quoted', 'token'));
    expect(byteDiff(FILE, after)).toMatchObject({ removed: "\n    token: 'CW-SECRET-q'", added: ' {}' });
  });
});

describe('entries and current-context', () => {
  test('appends a new entry after the last one of its section', () => {
    const after = edit((d) => d.addEntry('users', 'new', { token: 'CW-SECRET-n' }));
    expect(byteDiff(FILE, after)).toMatchObject({ removed: '', added: '- name: new\n  user:\n    token: CW-SECRET-n\n' });
    expect(after.startsWith(FILE)).toBe(true);
  });

  test('creates a missing section after the last top-level key, before trailing comments', () => {
    const after = edit((d) => d.addEntry('users', 'u', { token: 't' }), 'apiVersion: v1\n# end\n');
    expect(after).toBe('apiVersion: v1\nusers:\n- name: u\n  user:\n    token: t\n# end\n');
  });

  test('fills an empty flow section', () => {
    const after = edit((d) => d.addEntry('contexts', 'c', { cluster: 'a', user: 'u' }), 'contexts: []\ncurrent-context: c\n');
    expect(after).toBe('contexts:\n- name: c\n  context:\n    cluster: a\n    user: u\ncurrent-context: c\n');
  });

  test('starts an empty file the way kubectl does', () => {
    const after = edit((d) => d.addEntry('users', 'u', { token: 't' }), '');
    expect(load(after)).toEqual({ apiVersion: 'v1', kind: 'Config', users: [{ name: 'u', user: { token: 't' } }] });
  });

  test('replaces a whole body, nested values included, and nothing around it', () => {
    const exec = { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: 'cw-auth', args: ['--yes', 'on'] } };
    const after = edit((d) => d.replaceBody('users', 'cert', exec));
    expect(parseKubeconfig(after).users?.find((u) => u.name === 'cert')?.user).toEqual(exec);
    const [before, rest] = FILE.split('    client-certificate-data: AAAA\n    client-key-data: BBBB\n');
    expect(after.startsWith(before)).toBe(true);
    expect(after.endsWith(rest)).toBe(true);
  });

  test('replacing a body with nothing leaves {}', () => {
    expect(parseKubeconfig(edit((d) => d.replaceBody('users', 'token', {}))).users?.[0].user).toEqual({});
  });

  test('renames an entry in place', () => {
    const after = edit((d) => d.renameEntry('users', 'quoted', 'renamed'));
    expect(byteDiff(FILE, after)).toMatchObject({ removed: 'quot', added: 'renam' });
  });

  test('sets current-context, keeping its comment', () => {
    const after = edit((d) => d.setCurrentContext('b'));
    expect(byteDiff(FILE, after)).toMatchObject({ removed: 'a', added: 'b', at: FILE.indexOf('a # the one') });
  });

  test('adds current-context when there is none', () => {
    expect(edit((d) => d.setCurrentContext('on'), 'apiVersion: v1')).toBe('apiVersion: v1\ncurrent-context: "on"\n');
  });
});

describe('refusals', () => {
  test('a malformed file cannot be opened for editing', () => {
    expect(() => new KubeconfigDocument('users: [', 'bad')).toThrow(/error loading config file "bad"/);
  });

  test('editing an entry the file does not define names the file', () => {
    expect(() => edit((d) => d.setField('users', 'nobody', 'token', 't'))).toThrow('user "nobody" is not defined in "config"');
  });

  test('adding an entry that exists is refused', () => {
    expect(() => edit((d) => d.addEntry('users', 'token', {}))).toThrow(/already exists/);
  });
});
