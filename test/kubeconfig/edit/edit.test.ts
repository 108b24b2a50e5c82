import { readFileSync } from 'node:fs';
import { load } from 'js-yaml';
import { KubeconfigDocument } from '../../../src/kubeconfig/edit/edit';
import { CwError, InternalError } from '../../../src/errors';
import { parseKubeconfig } from '../../../src/kubeconfig/parse/parse';
import { applyEdits } from '../../../src/kubeconfig/edit/apply';
import { byteDiff } from '../../support/byte-diff';
import { describeWithKubectl, kubectl } from '../../support/kubectl';
import { useTempDir } from '../../support/tmp';

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

  test.each(['on', 'yes', 'n', '12345', '1e3', '0x1F', '~', 'null', '1_000'])('quotes %s, which YAML 1.1 would read as a bool, number or null', (token) => {
    const after = edit((d) => d.setField('users', 'token', 'token', token));
    expect(byteDiff(FILE, after).added).toBe(`"${token}"`);
    expect(parseKubeconfig(after).users![0].user!.token).toBe(token);
  });

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

  test('appends several entries at once, in order, to a block and to a flow section', () => {
    const entries = ['n1', 'n2', 'n3'].map((name) => ({ name, body: { token: `T-${name}` } }));
    for (const text of [FILE, 'users: [{name: u1, user: {token: OLD}}]\n']) {
      const users = parseKubeconfig(edit((d) => d.addEntries('users', entries), text)).users ?? [];
      expect(users.slice(-3)).toEqual(entries.map(({ name, body }) => ({ name, user: body })));
    }
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

// Values shared through anchors, aliases and merge keys: an edit must never change what another entry reads.
const SHARED = `apiVersion: v1
kind: Config
users:
- name: u1
  user:
    token: &t OLD
- name: u2
  user:
    token: *t
    as: me
- name: u3
  user:
    token: PLAIN
`;

const refusal = (f: (d: KubeconfigDocument) => void, text: string): CwError => {
  const doc = new KubeconfigDocument(text, 'f.yaml');
  try {
    f(doc);
  } catch (e) {
    expect(doc.toString()).toBe(text);
    return e as CwError;
  }
  throw new Error(`the edit was not refused; it wrote:\n${doc.toString()}`);
};

describe('anchors, aliases and merge keys', () => {
  test('setting a token that is an alias is refused, naming the file, the entry and the fix', () => {
    const e = refusal((d) => d.setField('users', 'u2', 'token', 'NEW'), SHARED);
    expect(e).toMatchObject({ kind: 'invalid-input' });
    expect(e.message).toMatch(
      /^cannot edit user "u2" in "f\.yaml" in place: its token is an alias \(\*t\).*; replace the alias with a plain value first, or edit the file by hand$/,
    );
  });

  test('setting a field of a body that is an alias is refused', () => {
    const text = 'users:\n- name: u1\n  user: &base\n    token: OLD\n- name: u2\n  user: *base\n';
    expect(refusal((d) => d.setField('users', 'u2', 'token', 'NEW'), text).message).toMatch(/user "u2".*its user is an alias \(\*base\)/);
  });

  test('setting a token whose anchor another entry uses is refused', () => {
    const e = refusal((d) => d.setField('users', 'u1', 'token', 'NEW'), SHARED);
    expect(e.message).toMatch(/^cannot edit user "u1" in "f\.yaml" in place: its token carries the anchor &t, .*edit the file by hand$/);
  });

  test.each([
    ['an alias', 'users:\n- name: u1\n  user: &base\n    token: OLD\n- name: u2\n  user: *base\n'],
    ['a merge key', 'users:\n- name: u1\n  user: &base\n    token: OLD\n- name: u2\n  user:\n    <<: *base\n    as: me\n'],
  ])('adding a field to an anchored body another entry reads through %s is refused', (_, text) => {
    expect(refusal((d) => d.setField('users', 'u1', 'tokenFile', '/t'), text).message).toMatch(/user "u1".*its user carries the anchor &base/);
  });

  test('setting a field that a merge key supplies is refused', () => {
    const text = 'users:\n- name: u1\n  user: &base\n    token: OLD\n- name: u2\n  user:\n    <<: *base\n    as: me\n';
    expect(refusal((d) => d.setField('users', 'u2', 'token', 'NEW'), text).message).toMatch(
      /user "u2".*its token comes from a merge key \(<<\).*edit the file by hand$/,
    );
  });

  test('deleting a field whose anchor another entry uses is refused', () => {
    expect(refusal((d) => d.deleteField('users', 'u1', 'token'), SHARED).message).toMatch(/user "u1".*anchor &t/);
  });

  test('an entry whose name comes from a merge key is refused, not reported missing', () => {
    const text = 'x-templates:\n- &b\n  name: u3\n  user:\n    token: T3\nusers:\n- <<: *b\n';
    expect(refusal((d) => d.setField('users', 'u3', 'token', 'NEW'), text).message).toMatch(
      /^cannot edit user "u3" in "f\.yaml" in place: its name comes from a merge key \(<<\).*edit the file by hand$/,
    );
  });

  test('a plain value next to anchors used elsewhere is still edited, byte for byte', () => {
    const after = edit((d) => d.setField('users', 'u3', 'token', 'NEWER'), SHARED);
    expect(byteDiff(SHARED, after)).toEqual({ at: SHARED.indexOf('PLAIN'), removed: 'PLAIN', added: 'NEWER' });
  });

  test('an alias reads the last anchor of its name before it: a redefined anchor shares only the later value', () => {
    const text = 'users:\n- name: u1\n  user:\n    token: &t OLD1\n- name: u2\n  user:\n    token: &t OLD2\n- name: u3\n  user:\n    token: *t\n';
    expect(edit((d) => d.setField('users', 'u1', 'token', 'NEW'), text)).toBe(text.replace('OLD1', 'NEW'));
    expect(refusal((d) => d.setField('users', 'u2', 'token', 'NEW'), text).message).toMatch(/user "u2".*anchor &t/);
  });

  // bad-input fuzzing: 5,000 aliases made `set` take minutes (every alias resolved by walking the whole document).
  test('a file of 5,000 aliases of one anchor is edited within the test timeout (the aliases are resolved in one walk)', () => {
    const contexts = Array.from({ length: 5_000 }, (_, i) => `- name: c${i}\n  context: {cluster: *cl, user: u}\n`).join('');
    const text = `x: &cl lga1\nusers:\n- name: u\n  user:\n    token: OLD\ncontexts:\n${contexts}`;
    expect(edit((d) => d.setField('users', 'u', 'token', 'NEW'), text)).toBe(text.replace('OLD', 'NEW'));
  });

  test('an anchor nothing uses stays on the value it marks', () => {
    const text = 'users:\n- name: u1\n  user:\n    token: &t OLD\n';
    expect(edit((d) => d.setField('users', 'u1', 'token', 'NEW'), text)).toBe('users:\n- name: u1\n  user:\n    token: &t NEW\n');
  });

  test('overwriting a whole body that is an alias replaces only that entry', () => {
    const text = 'users:\n- name: u1\n  user: &base\n    token: OLD\n- name: u2\n  user: *base\n';
    const users = parseKubeconfig(edit((d) => d.replaceBody('users', 'u2', { token: 'NEW' }), text)).users;
    expect(users).toEqual([
      { name: 'u1', user: { token: 'OLD' } },
      { name: 'u2', user: { token: 'NEW' } },
    ]);
  });

  test('filling an empty value writes it after the colon', () => {
    const text = 'users:\n- name: u\n  user:\n    token:\n    as: me\n';
    expect(edit((d) => d.setField('users', 'u', 'token', 'NEW'), text)).toBe('users:\n- name: u\n  user:\n    token: NEW\n    as: me\n');
  });
});

describe('flow style', () => {
  const FLOW = 'apiVersion: v1\nusers: [{name: u1, user: {token: OLD, as: me}}, {name: u2, user: {}}]\n';

  test('a token inside a flow sequence changes only its bytes', () => {
    const after = edit((d) => d.setField('users', 'u1', 'token', 'NEW'), FLOW);
    expect(byteDiff(FLOW, after)).toEqual({ at: FLOW.indexOf('OLD'), removed: 'OLD', added: 'NEW' });
  });

  test('a field of a flow body under a block list changes only its bytes', () => {
    const after = edit((d) => d.setField('contexts', 'a', 'user', 'other'));
    expect(byteDiff(FILE, after)).toEqual({ at: FILE.indexOf('token}'), removed: 'token', added: 'other' });
  });

  test('a value that flow syntax would split is quoted', () => {
    const after = edit((d) => d.setField('users', 'u1', 'token', 'a,b}'), FLOW);
    expect(parseKubeconfig(after).users![0].user!.token).toBe('a,b}');
  });

  test.each(['a?b', '?q', ':q', 'a:?', '---x', 'x, y', 'a#b'])(
    'a value go-yaml would misread unquoted (%s) is double-quoted, in flow and block bodies',
    (value) => {
      for (const text of [FLOW, FILE]) {
        const user = text === FLOW ? 'u1' : 'token';
        const after = edit((d) => d.setField('users', user, 'token', value), text);
        expect(parseKubeconfig(after).users?.find((u) => u.name === user)?.user?.token).toBe(value);
        expect(after).toContain(JSON.stringify(value));
      }
    },
  );

  test('adds a field in flow syntax', () => {
    const after = edit((d) => d.setField('users', 'u1', 'tokenFile', '/run/t'), FLOW);
    expect(byteDiff(FLOW, after)).toMatchObject({ removed: '', added: ', tokenFile: /run/t' });
  });

  test('fills an empty flow body inside a flow sequence in flow syntax', () => {
    const after = edit((d) => d.setField('users', 'u2', 'token', 'T2'), FLOW);
    expect(after).toBe('apiVersion: v1\nusers: [{name: u1, user: {token: OLD, as: me}}, {name: u2, user: {token: T2}}]\n');
  });

  test.each([
    ['the first', 'token', '{as: me, x: y}'],
    ['a middle', 'as', '{token: OLD, x: y}'],
    ['the last', 'x', '{token: OLD, as: me}'],
  ])('deletes %s field of a flow body in flow syntax', (_, field, body) => {
    const text = 'users: [{name: u1, user: {token: OLD, as: me, x: y}}]\n';
    expect(edit((d) => d.deleteField('users', 'u1', field), text)).toBe(`users: [{name: u1, user: ${body}}]\n`);
  });

  test('deleting the only field of a flow body leaves {}', () => {
    expect(edit((d) => d.deleteField('users', 'u1', 'token'), 'users: [{name: u1, user: {token: OLD}}]\n')).toBe('users: [{name: u1, user: {}}]\n');
  });

  test('appends an entry to a flow section in flow syntax', () => {
    const after = edit((d) => d.addEntry('users', 'u3', { token: 'T3' }), FLOW);
    expect(byteDiff(FLOW, after)).toMatchObject({ removed: '', added: ', {name: u3, user: {token: T3}}' });
  });

  test('adds current-context to a flow top level in flow syntax', () => {
    expect(edit((d) => d.setCurrentContext('c'), '{apiVersion: v1}\n')).toBe('{apiVersion: v1, current-context: c}\n');
  });

  test('an edit that would leave a file kubectl cannot read is reported as ours, and nothing is changed', () => {
    const e: Error = refusal((d) => d.setField('users', 'token', 'token', true), FILE);
    expect(e).toBeInstanceOf(InternalError);
    expect(e.message).toMatch(/^"f\.yaml" could not be edited in place .*nothing was written/);
    expect(e.message).not.toMatch(/error loading config file|\n/);
  });
});

describe('CRLF files', () => {
  const CRLF = FILE.replace(/\n/g, '\r\n');
  const lfOnly = (text: string) => text.split('\r\n').some((line) => line.includes('\n'));

  test.each<[string, string, (d: KubeconfigDocument) => void]>([
    ['adding an entry', CRLF, (d) => d.addEntry('users', 'new', { token: 'T' })],
    ['adding a section', 'apiVersion: v1\r\nkind: Config\r\n', (d) => d.addEntry('users', 'new', { token: 'T' })],
    ['adding a field', CRLF, (d) => d.setField('users', 'token', 'tokenFile', '/run/t')],
    ['filling an empty body', CRLF, (d) => d.setField('users', 'empty', 'token', 'T')],
    ['replacing a body', CRLF, (d) => d.replaceBody('users', 'cert', { exec: { command: 'x', args: ['a'] } })],
    ['emptying a body', CRLF, (d) => d.deleteField('users', 'quoted', 'token')],
    ['adding current-context', 'apiVersion: v1\r\nkind: Config\r\n', (d) => d.setCurrentContext('a')],
  ])('%s keeps CRLF line endings', (_, text, f) => {
    const after = edit(f, text);
    expect(after).not.toBe(text);
    expect(lfOnly(after)).toBe(false);
  });

  test('replacing a body keeps the line ending after it', () => {
    const after = edit((d) => d.replaceBody('users', 'token', { token: 'T' }), CRLF);
    expect(after).toContain('  user:\r\n    token: T\r\n- name: "quoted"');
  });
});

describeWithKubectl('what kubectl reads after an edit', () => {
  const tmp = useTempDir();
  const kubectlUsers = (file: string) => {
    const run = kubectl(['config', 'view', '--raw', '--kubeconfig', file, '-o', 'json']);
    expect(run.stderr).toBe('');
    return (JSON.parse(run.stdout) as { users: unknown[] }).users;
  };

  test('a refused edit of an aliased token writes nothing, and kubectl still reads both users', async () => {
    const file = tmp.file('f.yaml', SHARED);
    await expect(applyEdits([{ file, edit: (d) => d.setField('users', 'u2', 'token', 'NEW') }])).rejects.toThrow(/alias/);
    expect(readFileSync(file, 'utf8')).toBe(SHARED);
    expect(kubectlUsers(file)).toEqual([
      { name: 'u1', user: { token: 'OLD' } },
      { name: 'u2', user: { token: 'OLD', as: 'me' } },
      { name: 'u3', user: { token: 'PLAIN' } },
    ]);
  });

  test('flow-style edits read back as intended', async () => {
    const file = tmp.file('f.yaml', 'apiVersion: v1\nkind: Config\nusers: [{name: u1, user: {token: OLD, as: me}}, {name: u2, user: {}}]\n');
    await applyEdits([
      {
        file,
        edit: (d) => {
          d.setField('users', 'u1', 'token', 'a,b}');
          d.deleteField('users', 'u1', 'as');
          d.setField('users', 'u2', 'token', 'a?b');
          d.addEntry('users', 'u3', { token: ':q?' });
        },
      },
    ]);
    expect(kubectlUsers(file)).toEqual([
      { name: 'u1', user: { token: 'a,b}' } },
      { name: 'u2', user: { token: 'a?b' } },
      { name: 'u3', user: { token: ':q?' } },
    ]);
  });

  test('a CRLF file edited in place reads back as intended', async () => {
    const file = tmp.file('f.yaml', 'apiVersion: v1\r\nkind: Config\r\nusers:\r\n- name: u1\r\n  user:\r\n    token: OLD\r\n');
    await applyEdits([
      {
        file,
        edit: (d) => {
          d.setField('users', 'u1', 'tokenFile', '/run/t');
          d.addEntry('users', 'u2', { token: 'T2' });
        },
      },
    ]);
    expect(kubectlUsers(file)).toEqual([
      { name: 'u1', user: { token: 'OLD', tokenFile: '/run/t' } },
      { name: 'u2', user: { token: 'T2' } },
    ]);
  });
});
