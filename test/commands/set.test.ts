import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { load } from 'js-yaml';
import { kubeconfig } from '../support/builder';
import { BINARY } from '../support/cli';
import { runCli } from '../support/run-cli';
import { describeWithKubectl, kubectl } from '../support/kubectl';
import { useTempDir } from '../support/tmp';
import { inTerminal } from '../support/terminal';
import { byteDiff } from '../support/byte-diff';
import { expectNoToken, snapshot } from '../support/files';

const OLD = 'CW-SECRET-old0000000000000000';
const NEW = 'CW-SECRET-new1111111111111111';
const tmp = useTempDir();

// Hand-written, with comments and unknown keys kubectl would drop.
const HAND_WRITTEN = `# downloaded from the CoreWeave console
apiVersion: v1
kind: Config
clusters:
- name: cw
  cluster:
    server: https://cw.k8s.us-east-04a.coreweave.com   # region east
contexts:
- name: cw
  context: {cluster: cw, user: token, namespace: tenant-a}
current-context: cw
users:
- name: token
  user:
    token: ${OLD}  # rotate monthly
    x-team: infra
preferences: {}
`;

const tokenOf = (file: string, user = 'token') =>
  (load(readFileSync(file, 'utf8')) as { users: Array<{ name: string; user: { token?: string } }> }).users.find((u) => u.name === user)?.user.token;

describeWithKubectl('set', () => {
  test('kubectl sends the new token afterwards, and only the token bytes changed', async () => {
    const file = tmp.file('config', HAND_WRITTEN);
    const run = await runCli(['set', '--kubeconfig', file, '--token-stdin'], { stdin: `  ${NEW}\n` });
    expect(run).toMatchObject({ code: 0, stdout: '' });
    expect(kubectl(['config', 'view', '--raw', '--minify', '-o', 'jsonpath={.users[0].user.token}', '--kubeconfig', file]).stdout).toBe(NEW);
    expect(byteDiff(HAND_WRITTEN, readFileSync(file, 'utf8'))).toMatchObject({ removed: 'old0000000000000000', added: 'new1111111111111111' });
    expect(run.stderr).toContain('CW-S…1111');
    expectNoToken(run.stderr, OLD, NEW);
  });

  test.each(['on', 'yes', '12345', '1e3'])('writes the token %s so that kubectl still loads the file', async (token) => {
    const file = tmp.file('config', HAND_WRITTEN);
    expect((await runCli(['set', '--kubeconfig', file, '--token-env', 'T'], { env: { T: token } })).code).toBe(0);
    const view = kubectl(['config', 'view', '--raw', '--minify', '-o', 'jsonpath={.users[0].user.token}', '--kubeconfig', file]);
    expect(view).toMatchObject({ code: 0, stdout: token });
  });

  test('rewrites the tokenFile of a user that has one, and leaves the kubeconfig alone', async () => {
    const tokenFile = tmp.file('token', `${OLD}\n`);
    const text = kubeconfig().cw('cw', OLD).user('file-user', { tokenFile: 'token' }).yaml();
    const file = tmp.file('config', text);
    const run = await runCli(['set', '--kubeconfig', file, '--user', 'file-user', '--token-stdin'], { stdin: NEW });
    expect(run.code).toBe(0);
    expect(readFileSync(tokenFile, 'utf8')).toBe(`${NEW}\n`);
    expect(readFileSync(file, 'utf8')).toBe(text);
    expectNoToken(run.stderr, OLD, NEW);
  });

  test('--inline replaces tokenFile with token, which kubectl then reads', async () => {
    tmp.file('token', `${OLD}\n`);
    const file = tmp.file('config', kubeconfig().cw('cw', OLD).user('file-user', { tokenFile: 'token' }).yaml());
    expect((await runCli(['set', '--kubeconfig', file, '--user', 'file-user', '--inline', '--token-stdin'], { stdin: NEW })).code).toBe(0);
    const view = kubectl(['config', 'view', '--raw', '-o', 'jsonpath={.users[?(@.name=="file-user")].user}', '--kubeconfig', file]);
    expect(JSON.parse(view.stdout)).toEqual({ token: NEW });
  });

  test('creates a missing user where kubectl would: the first existing file of KUBECONFIG', async () => {
    const first = path.join(tmp.dir, 'missing');
    const second = tmp.file('second', kubeconfig().cw('cw', OLD).yaml());
    const third = tmp.file('third', kubeconfig().cw('other', OLD, 'other').yaml());
    const env = { KUBECONFIG: [first, second, third].join(':') };
    expect((await runCli(['set', '--user', 'brand-new', '--token-stdin'], { env, stdin: NEW })).code).toBe(0);
    expect(tokenOf(second, 'brand-new')).toBe(NEW);
    expect(kubectl(['config', 'view', '--raw', '-o', 'jsonpath={.users[?(@.name=="brand-new")].user.token}'], env).stdout).toBe(NEW);
  });

  test('creates a new --kubeconfig file, mode 0600, as kubectl config set-credentials does, and kubectl reads the token back', async () => {
    const file = path.join(tmp.dir, 'new.yaml');
    const run = await runCli(['set', '--kubeconfig', file, '--user', 'u', '--token-env', 'T'], { env: { T: NEW } });
    expect(run.code).toBe(0);
    expectNoToken(run.stderr, NEW);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(kubectl(['config', 'view', '--raw', '-o', 'jsonpath={.users[?(@.name=="u")].user.token}', '--kubeconfig', file])).toMatchObject({
      code: 0,
      stdout: NEW,
    });
  });

  test('writes into the file that defines the user, not the first file', async () => {
    const first = tmp.file('first', kubeconfig().cluster('x').yaml());
    const second = tmp.file('second', kubeconfig().cw('cw', OLD).current('cw').yaml());
    expect((await runCli(['set', '--token-stdin'], { env: { KUBECONFIG: `${first}:${second}` }, stdin: NEW })).code).toBe(0);
    expect(tokenOf(second)).toBe(NEW);
    expect(readFileSync(first, 'utf8')).toBe(kubeconfig().cluster('x').yaml());
  });

  test('refuses an exec user unless --replace-auth, which removes exec', async () => {
    const file = tmp.file(
      'config',
      kubeconfig()
        .cw('cw', OLD)
        .user('sso', { exec: { command: 'login', apiVersion: 'client.authentication.k8s.io/v1' } })
        .yaml(),
    );
    const refused = await runCli(['set', '--kubeconfig', file, '--user', 'sso', '--token-stdin'], { stdin: NEW });
    expect(refused).toMatchObject({ code: 5, stderr: expect.stringMatching(/^error: user "sso" .* authenticates with exec.*--replace-auth.*\n$/) });
    expect((await runCli(['set', '--kubeconfig', file, '--user', 'sso', '--replace-auth', '--token-stdin'], { stdin: NEW })).code).toBe(0);
    const view = kubectl(['config', 'view', '--raw', '-o', 'jsonpath={.users[?(@.name=="sso")].user}', '--kubeconfig', file]);
    expect(JSON.parse(view.stdout)).toEqual({ token: NEW });
  });

  test('--replace-auth says what it removes, in dry and real runs and in -o json', async () => {
    const user = {
      exec: { command: 'login', apiVersion: 'client.authentication.k8s.io/v1' },
      'client-certificate-data': 'Y2VydA==',
      'client-key-data': 'a2V5',
      username: 'u',
      password: 'p',
    };
    const file = tmp.file('config', kubeconfig().cw('cw', OLD).user('mixed', user).yaml());
    for (const dry of [['--dry-run'], []]) {
      const run = await runCli(['set', '--kubeconfig', file, '--user', 'mixed', '--replace-auth', ...dry, '-o', 'json', '--token-stdin'], { stdin: NEW });
      expect(run.code).toBe(0);
      expect(run.stderr).toMatch(/user "mixed" .*; removed exec, client certificate, basic auth\n/);
      expect(JSON.parse(run.stdout).changes[0].removedAuth).toEqual(['exec', 'client-certificate', 'basic-auth']);
    }
    const view = kubectl(['config', 'view', '--raw', '-o', 'jsonpath={.users[?(@.name=="mixed")].user}', '--kubeconfig', file]);
    expect(JSON.parse(view.stdout)).toEqual({ token: NEW });
  });

  test('--dry-run reports the change, redacted, and writes nothing', async () => {
    const file = tmp.file('config', HAND_WRITTEN);
    const before = snapshot(tmp.dir);
    const run = await runCli(['set', '--kubeconfig', file, '--dry-run', '-o', 'json', '--token-stdin'], { stdin: NEW });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      dryRun: true,
      changes: [{ file, user: 'token', field: 'token', old: 'CW-S…0000', new: 'CW-S…1111' }],
      impact: {
        contexts: [{ context: 'cw', file, user: 'token', cluster: 'cw', server: 'https://cw.k8s.us-east-04a.coreweave.com' }],
        servers: ['https://cw.k8s.us-east-04a.coreweave.com'],
      },
    });
    expect(snapshot(tmp.dir)).toEqual(before);
    expectNoToken(run.stdout + run.stderr, OLD, NEW);
  });

  test('a token that does not look like a CoreWeave token gets a notice on a CoreWeave server, and is written', async () => {
    const file = tmp.file('config', HAND_WRITTEN);
    const run = await runCli(['set', '--kubeconfig', file, '--token-env', 'T'], { env: { T: 'eyJhbGciOi.not-a-cw-token' } });
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/does not start with CW-SECRET-/);
    expect(tokenOf(file)).toBe('eyJhbGciOi.not-a-cw-token');
  });

  test('any token is fine without a notice elsewhere', async () => {
    const file = tmp.file('config', kubeconfig().cluster('x').tokenUser('u', OLD).context('x', { cluster: 'x', user: 'u' }).current('x').yaml());
    const run = await runCli(['set', '--kubeconfig', file, '--token-env', 'T'], { env: { T: 'eyJhbGciOi.not-a-cw-token' } });
    expect(run).toMatchObject({ code: 0, stderr: expect.not.stringMatching(/CW-SECRET-/) });
  });

  test('--token works but warns that argv is visible to others', async () => {
    const file = tmp.file('config', HAND_WRITTEN);
    const run = await runCli(['set', '--kubeconfig', file, '--token', NEW]);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/warning: --token puts the token in the process list/);
  });

  test('keeps a wider file mode and warns about it', async () => {
    const file = tmp.file('config', HAND_WRITTEN, 0o644);
    const run = await runCli(['set', '--kubeconfig', file, '--token-stdin'], { stdin: NEW });
    expect(run.stderr).toMatch(/warning: .* has mode 0644/);
    expect(statSync(file).mode & 0o777).toBe(0o644);
  });
});

describe('set refuses bad input with one line, a non-zero exit and every file untouched', () => {
  const cases: Array<[string, (dir: string) => { args: string[]; stdin?: string }, RegExp]> = [
    ['empty stdin', () => ({ args: ['--token-stdin'], stdin: '  \n' }), /token from stdin is empty/],
    ['a multi-line token', () => ({ args: ['--token-stdin'], stdin: `${NEW}\n${NEW}\n` }), /more than one line/],
    ['a token with a space', () => ({ args: ['--token-stdin'], stdin: `${NEW} x` }), /whitespace or control characters/],
    ['no token at all', () => ({ args: [] }), /no token given/],
    ['a pasted token wrapped in quotes', () => ({ args: ['--token-stdin'], stdin: `"${NEW}"\n` }), /wrapped in quotes: give the token without them/],
    [
      'a malformed kubeconfig',
      (dir) => {
        writeFileSync(path.join(dir, 'config'), 'users:\n- name: token\n  user: {token: [\n');
        return { args: ['--token-stdin'], stdin: NEW };
      },
      /error loading config file ".*config": .*line \d+/,
    ],
    [
      'a read-only kubeconfig',
      (dir) => {
        chmodSync(path.join(dir, 'config'), 0o400);
        return { args: ['--token-stdin'], stdin: NEW };
      },
      /read-only \(mode 0400\)/,
    ],
    [
      'a stale lock',
      (dir) => {
        writeFileSync(path.join(dir, 'config.lock'), '');
        return { args: ['--token-stdin', '--lock-timeout', '0.3'], stdin: NEW };
      },
      /config\.lock" is held .*rm '.*config\.lock'/,
    ],
    [
      'a token pasted after --user, naming no user',
      () => ({ args: ['--user', 'CW-SECRET-pasted-after-user-cccccccc', '--token-stdin'], stdin: NEW }),
      /the value of --user names no user and looks like a token; nothing was written/,
    ],
  ];

  test.each(cases)('%s', async (_, arrange, message) => {
    const file = tmp.file('config', HAND_WRITTEN);
    const { args, stdin } = arrange(tmp.dir);
    const before = snapshot(tmp.dir);
    const run = await runCli(['set', '--kubeconfig', file, ...args], { stdin });
    expect(run.code).toBeGreaterThan(1);
    expect(run.stderr).toMatch(message);
    expect(
      run.stderr
        .trimEnd()
        .split('\n')
        .filter((l) => l.startsWith('error:')),
    ).toHaveLength(1);
    expect(run.stderr).toMatch(/^(warning: .*\n)?error: [^\n]*\n$/);
    expect(snapshot(tmp.dir)).toEqual(before);
    expectNoToken(run.stderr, OLD, NEW, 'CW-SECRET-pasted-after-user-cccccccc');
  });
});

describe('set --token-stdin at a terminal', () => {
  test('reads the token without echoing it, so it never shows on the screen or stays in the scrollback', () => {
    const file = tmp.file('config', HAND_WRITTEN);
    const screen = inTerminal(`'${BINARY}' set --kubeconfig '${file}' --token-stdin`, { keys: `${NEW}\r` });
    expect(screen).toContain('token (input hidden): ');
    expect(screen).not.toContain(NEW);
    expect(tokenOf(file)).toBe(NEW);
  });
});
