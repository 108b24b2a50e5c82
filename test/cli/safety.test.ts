/** The CLI's promises under misuse, in-process: no token echoed back, kubectl's flag conventions. */
import { readFileSync } from 'node:fs';
import { runCli } from '../support/run-cli';
import { describeWithKubectl, kubectl } from '../support/kubectl';
import { kubeconfig } from '../support/builder';
import { useTempDir } from '../support/tmp';

const TOKEN = 'CW-SECRET-5f0e1d2c3b4a59687766554433221100';

describe('a token pasted in the wrong place is never echoed', () => {
  const tmp = useTempDir();
  const config = () => tmp.file('config', kubeconfig().cw('prod', 'CW-SECRET-old0000000000000000000000000000').current('prod').yaml());

  test.each([
    [['set', '--token-stdin', TOKEN], 2],
    [['get', '-o', TOKEN], 2],
    [['set', '--token-env', TOKEN], 6],
    [['set', '--token-file', TOKEN], 6],
    [[`--token-stdin=${TOKEN}`, 'set'], 2],
    [['get', `--${TOKEN}`], 2],
    [['get', '--context', TOKEN], 4],
    [['use', TOKEN], 4],
    [['import', TOKEN], 4],
  ])('%j fails without printing it', async (args, code) => {
    const r = await runCli([...(args as string[]), '--kubeconfig', config()], { stdin: '' });
    expect(r.code).toBe(code);
    expect(r.stdout + r.stderr).not.toContain(TOKEN);
    expect(r.stderr).toMatch(/^error: [^\n]+\n$/);
  });
});

test('a pasted base64 token with / and + is not echoed either', async () => {
  const base64 = 'abc/Def+ghijklmnopQRSTuvwxyz0123==';
  const r = await runCli(['set', '--token-stdin', base64], { stdin: '' });
  expect(r.code).toBe(2);
  expect(r.stderr).not.toContain(base64);
});

test('names and paths in messages are not mistaken for tokens', async () => {
  const r = await runCli(['get', '--context', 'cw-long-context-name-prod1', '--kubeconfig', '/nonexistent/dir/kubeconfig-of-a-cluster.yaml']);
  expect(r.stderr).toContain('/nonexistent/dir/kubeconfig-of-a-cluster.yaml');
});

describe('a switch given a value is a usage error, not silently false', () => {
  const tmp = useTempDir();

  test('get --header=yes', async () => {
    const file = tmp.file('config', kubeconfig().cw('prod', TOKEN).current('prod').yaml());
    const r = await runCli(['get', '--header=yes', '--kubeconfig', file]);
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toMatch(/^error: --header takes no value/);
  });
});

describe('durations', () => {
  const tmp = useTempDir();

  test.each([
    [['set', '--token-env', 'T', '--lock-timeout', 'abc']],
    [['set', '--token-env', 'T', '--lock-timeout', '-1']],
    [['rotate', '--token-env', 'T', '--timeout', '0']],
  ])('%j is refused at once as a usage error', async (args) => {
    const file = tmp.file('config', kubeconfig().cw('prod', 'CW-SECRET-old0000000000000000000000000000').current('prod').yaml());
    const r = await runCli([...args, '--kubeconfig', file], { env: { T: 'CW-SECRET-new0000000000000000000000000000' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: invalid value "[^"]+" for --(lock-)?timeout/);
    expect(readFileSync(file, 'utf8')).toContain('CW-SECRET-old');
  });
});

describeWithKubectl("kubectl's flag conventions", () => {
  const tmp = useTempDir();

  test('an empty --context is the current context, as in kubectl (scripts pass --context "$CTX")', async () => {
    const file = tmp.file('config', kubeconfig().cw('a', 'T-a', 'ua').cw('b', 'T-b', 'ub').current('b').yaml());
    const theirs = kubectl(['config', 'view', '--raw', '--minify', '--context', '', '--kubeconfig', file, '-o', 'jsonpath={.users[0].user.token}']);
    expect(theirs.stdout).toBe('T-b');
    expect((await runCli(['get', '--context', '', '--kubeconfig', file])).stdout).toBe('T-b\n');
    expect((await runCli(['get', '--context=', '--user=', `--kubeconfig=${file}`])).stdout).toBe('T-b\n');
  });

  test('use still switches when the state for `use -` cannot be saved, and says so', async () => {
    const file = tmp.file('config', kubeconfig().cw('a', 'T-a', 'ua').cw('b', 'T-b', 'ub').current('a').yaml());
    const r = await runCli(['use', 'b', '--kubeconfig', file], { env: { XDG_CONFIG_HOME: tmp.file('not-a-dir', '') } });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: could not remember "a" for `use -`/);
    expect(kubectl(['config', 'current-context', '--kubeconfig', file]).stdout).toBe('b\n');
  });
});
