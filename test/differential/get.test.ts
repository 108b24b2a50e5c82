/**
 * Differential tests: the same generated kubeconfig chains go to real kubectl and to the built plugin, and the
 * two must agree. kubectl's answer for "the token it uses" is
 * `kubectl config view --raw --minify -o jsonpath='{.users[0].user.token}'` (the minified view keeps only the
 * selected context's user).
 */
import * as path from 'node:path';
import { runCli } from '../support/run-cli';
import { describeWithKubectl, kubectl, Run } from '../support/kubectl';
import { kubeconfig, KubeconfigBuilder } from '../support/builder';
import { useTempDir } from '../support/tmp';
import { prng } from '../support/prng';

const JSONPATH = '-o=jsonpath={.users[0].user.token}';

function kubectlToken(args: string[], env: Record<string, string>): Run {
  return kubectl(['config', 'view', '--raw', '--minify', JSONPATH, ...args], env);
}

/** Same token, or both fail. kubectl printing an empty token means it would send none: `get` must fail then. */
async function expectSameToken(args: string[], env: Record<string, string>): Promise<void> {
  const theirs = kubectlToken(args, env);
  const ours = await runCli(['get', ...args], { env });
  const sends = theirs.code === 0 && theirs.stdout !== '';
  expect({ ok: ours.code === 0, token: ours.stdout.replace(/\n$/, '') }).toEqual({ ok: sends, token: sends ? theirs.stdout : '' });
}

describeWithKubectl('get agrees with kubectl', () => {
  const tmp = useTempDir();
  const write = (name: string, builder: KubeconfigBuilder) => tmp.file(name, builder.yaml());
  const chain = (...files: string[]) => ({ KUBECONFIG: files.join(path.delimiter) });

  test('one downloaded CoreWeave kubeconfig', async () => {
    await expectSameToken([], chain(write('cw', kubeconfig().cw('prod', 'CW-SECRET-prod').current('prod'))));
  });

  test('two downloads with the same user name: the first file wins, for both contexts', async () => {
    const env = chain(write('a', kubeconfig().cw('east', 'CW-SECRET-east').current('east')), write('b', kubeconfig().cw('west', 'CW-SECRET-west')));
    await expectSameToken(['--context', 'east'], env);
    await expectSameToken(['--context', 'west'], env);
    expect((await runCli(['get', '--context', 'west'], { env })).stdout).toBe('CW-SECRET-east\n');
  });

  test('current-context comes from the first file that sets one', async () => {
    const env = chain(
      write('a', kubeconfig().cw('one', 'T-one')),
      write('b', kubeconfig().cw('two', 'T-two', 'u2').current('two')),
      write('c', kubeconfig().current('one')),
    );
    await expectSameToken([], env);
  });

  test('missing files in KUBECONFIG are skipped', async () => {
    await expectSameToken([], chain(path.join(tmp.dir, 'nope'), write('a', kubeconfig().cw('x', 'T-x').current('x')), path.join(tmp.dir, 'gone')));
  });

  test('a file listed twice in KUBECONFIG is read once', async () => {
    const a = write('a', kubeconfig().cw('x', 'T-x').current('x'));
    await expectSameToken([], chain(a, write('b', kubeconfig().tokenUser('token', 'T-b')), a));
  });

  test('--kubeconfig overrides KUBECONFIG', async () => {
    const env = chain(write('a', kubeconfig().cw('a', 'T-a').current('a')));
    await expectSameToken(['--kubeconfig', write('b', kubeconfig().cw('b', 'T-b').current('b'))], env);
  });

  test('a JSON kubeconfig', async () => {
    await expectSameToken([], chain(tmp.file('a.json', kubeconfig().cw('j', 'T-json').current('j').json())));
  });

  test('empty and comment-only files in the chain are empty configs', async () => {
    await expectSameToken([], chain(tmp.file('empty', ''), tmp.file('comments', '# only\n'), write('a', kubeconfig().cw('x', 'T-x').current('x'))));
  });

  test.each([
    '!!binary Q1ctU0VDUkVULWJpbmFyeQ==',
    '!foo X-LOCAL',
    '!foo 12345',
    '!!str 5',
    '"12345"',
    "'on'",
    'CW-SECRET-x',
    '2001-12-14',
    'e10',
    '1.2.3',
    '0x',
    '12abc',
    '12345',
    '1e3',
    'on',
    'Y',
    '0o17',
    '08',
    '+.inf',
    '-inf',
    '1_0',
    '0x1p-2',
    '.5',
    '.5_0',
    '-0b11',
    '1.',
    '99999999999999999999',
    '+12',
    '0B1',
    '~',
    'n',
  ])('an unquoted or quoted token %s loads in both or fails in both', async (scalar) => {
    const text =
      kubeconfig().cluster('c').context('ctx', { cluster: 'c', user: 'u' }).current('ctx').yaml() + `users:\n- name: u\n  user:\n    token: ${scalar}\n`;
    await expectSameToken([], chain(tmp.file('config', text)));
  });

  test('a multi-document file is its first document, as go-yaml decodes it', async () => {
    const first = kubeconfig().cw('one', 'T-first').current('one').yaml();
    await expectSameToken([], chain(tmp.file('multi', `---\n${first}---\ncurrent-context: two\n`)));
  });

  test('a broken second document does not matter, as go-yaml never reads it', async () => {
    await expectSameToken([], chain(tmp.file('multi', `${kubeconfig().cw('one', 'T-first').current('one').yaml()}---\nfoo: [\n`)));
  });

  test('a multi-document file whose first document is empty is an empty config', async () => {
    await expectSameToken([], chain(tmp.file('multi', `---\n---\n${kubeconfig().cw('one', 'T-first').current('one').yaml()}`)));
  });

  test('a null list item is an entry named "" that shadows a later one', async () => {
    const a = tmp.file('a', 'users: [null]\ncontexts: [null, {name: x, context: {user: ""}}]\ncurrent-context: x\n');
    await expectSameToken([], chain(a, write('b', kubeconfig().tokenUser('', 'T-later'))));
  });

  test.each([
    ['a merge after an explicit key overrides it', 'token: EXPLICIT\n    <<: {token: MERGED}'],
    ['an explicit key after a merge overrides it', '<<: {token: MERGED}\n    token: EXPLICIT'],
    ['in a list of merges the first wins', '<<: [{token: FIRST}, {token: SECOND}]'],
    ['a merge of an anchored body', '<<: *base'],
    ['a merge of an anchored body, then an explicit key', '<<: *base\n    token: OWN'],
  ])('merge keys as go-yaml applies them: %s', async (_, body) => {
    const text = `apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "https://c.example:6443"}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\nusers:\n- name: base\n  user: &base\n    token: BASE\n- name: u\n  user:\n    ${body}\n`;
    await expectSameToken([], chain(tmp.file('config', text)));
  });

  test.each(['a?b', ':q', 'a:b', 'http://x', '"a?b"', 'a?'])(
    'a plain value %s inside a flow mapping: go-yaml refuses ? and a leading :, and so does get',
    async (value) => {
      const text = `apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "https://c.example:6443"}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\nusers: [{name: u, user: {token: ${value}}}]\n`;
      await expectSameToken([], chain(tmp.file('flow', text)));
    },
  );

  test('a merge key with a scalar value is refused by both', async () => {
    await expectSameToken([], chain(tmp.file('config', 'users:\n- name: u\n  user:\n    <<: scalar\n')));
  });

  describe('error cases fail in both', () => {
    test('malformed YAML', async () => {
      await expectSameToken([], chain(tmp.file('bad', 'users:\n- name: u\n  user: {token: x\n')));
    });

    test('a duplicate user name inside one file', async () => {
      await expectSameToken([], chain(write('dup', kubeconfig().cw('x', 'A').tokenUser('token', 'B').current('x'))));
    });

    test('a kind other than Config', async () => {
      await expectSameToken([], chain(tmp.file('pod', kubeconfig().cw('x', 'T').current('x').yaml().replace('kind: Config', 'kind: Pod'))));
    });

    test('an unknown --context', async () => {
      await expectSameToken(['--context', 'nope'], chain(write('a', kubeconfig().cw('x', 'T').current('x'))));
    });

    test('no current context', async () => {
      await expectSameToken([], chain(write('a', kubeconfig().cw('x', 'T'))));
    });

    test('a missing --kubeconfig file', async () => {
      await expectSameToken(['--kubeconfig', path.join(tmp.dir, 'absent')], {});
    });

    test('a bad file later in the chain fails the whole load, even when the token is found earlier', async () => {
      await expectSameToken([], chain(write('a', kubeconfig().cw('x', 'T').current('x')), tmp.file('bad', 'users: [\n')));
    });
  });

  test('--first-user prints exactly what the documented jsonpath prints', async () => {
    const env = chain(
      write('a', kubeconfig().cw('prod', 'T-prod').current('prod')),
      write('b', kubeconfig().tokenUser('admin', 'T-admin').tokenUser('Zeta', 'T-zeta')),
    );
    const theirs = kubectl(['config', 'view', '--raw', '-o', 'jsonpath={.users[0].user.token}'], env);
    const ours = await runCli(['get', '--first-user'], { env });
    expect(theirs.stdout).toBe('T-zeta');
    expect(ours.stdout).toBe(`${theirs.stdout}\n`);
  });

  test('--first-user counts a null user item as the user named "", which sorts first', async () => {
    const env = chain(tmp.file('a', 'users: [null, {name: a, user: {token: T-a}}]\n'));
    const theirs = kubectl(['config', 'view', '--raw', '-o', 'jsonpath={.users[0].user.token}'], env);
    expect([(await runCli(['get', '--first-user'], { env })).stdout, theirs.stdout]).toEqual(['', '']);
  });

  test('--first-user of a user without an inline token prints nothing, like kubectl', async () => {
    const env = chain(write('a', kubeconfig().user('aaa', { tokenFile: '/x' }).cw('prod', 'T-prod').current('prod')));
    const theirs = kubectl(['config', 'view', '--raw', '-o', 'jsonpath={.users[0].user.token}'], env);
    expect([(await runCli(['get', '--first-user'], { env })).stdout, theirs.stdout]).toEqual(['', '']);
  });

  test.each(Array.from({ length: 12 }, (_, i) => i + 1))('random chain #%i: every context resolves to the same token', async (seed) => {
    const random = prng(seed);
    const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)];
    const names = ['token', 'admin', 'ci'];
    const files: string[] = [];
    const contexts = new Set<string>();
    for (let f = 0; f < 1 + Math.floor(random() * 3); f++) {
      if (random() < 0.2) {
        files.push(path.join(tmp.dir, `missing-${f}`));
        continue;
      }
      const b = kubeconfig();
      const users = new Set<string>();
      for (let c = 0; c < 1 + Math.floor(random() * 3); c++) {
        const context = pick(['east', 'west', 'north', 'south']);
        const user = pick(names);
        if (!users.has(user)) b.tokenUser(user, `T-${f}-${user}-${seed}`);
        users.add(user);
        if (contexts.has(`${f}/${context}`)) continue;
        contexts.add(`${f}/${context}`);
        b.cluster(`${context}-${f}`).context(context, { cluster: `${context}-${f}`, user });
      }
      if (random() < 0.5) b.current(pick(['east', 'west', 'north', 'south']));
      files.push(write(`f${f}`, b));
    }
    const env = chain(...files);
    await expectSameToken([], env);
    for (const context of new Set([...contexts].map((c) => c.split('/')[1]))) await expectSameToken(['--context', context], env);
  });
});
