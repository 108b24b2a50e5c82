/** The CLI's promises under misuse: no token echoed back, clean exits, kubectl's flag conventions. */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { BINARY, cwtoken } from '../support/cli';
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
  ])('%j fails without printing it', (args, code) => {
    const r = cwtoken([...(args as string[]), '--kubeconfig', config()], { input: '' });
    expect(r.code).toBe(code);
    expect(r.stdout + r.stderr).not.toContain(TOKEN);
    expect(r.stderr).toMatch(/^error: [^\n]+\n$/);
  });
});

test('a pasted base64 token with / and + is not echoed either', () => {
  const base64 = 'abc/Def+ghijklmnopQRSTuvwxyz0123==';
  const r = cwtoken(['set', '--token-stdin', base64], { input: '' });
  expect(r.code).toBe(2);
  expect(r.stderr).not.toContain(base64);
});

test('names and paths in messages are not mistaken for tokens', () => {
  const r = cwtoken(['get', '--context', 'cw-long-context-name-prod1', '--kubeconfig', '/nonexistent/dir/kubeconfig-of-a-cluster.yaml']);
  expect(r.stderr).toContain('/nonexistent/dir/kubeconfig-of-a-cluster.yaml');
});

describe('a switch given a value is a usage error, not silently false', () => {
  const tmp = useTempDir();

  test('get --header=yes', () => {
    const file = tmp.file('config', kubeconfig().cw('prod', TOKEN).current('prod').yaml());
    const r = cwtoken(['get', '--header=yes', '--kubeconfig', file]);
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toMatch(/^error: --header takes no value/);
  });
});

describe('exits', () => {
  const tmp = useTempDir();

  test('a stdout that cannot be written (a full disk) is one line and exit 1', () => {
    const r = spawnSync('bash', ['-c', `'${BINARY}' completion bash > /dev/full`], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^error: cannot write to stdout \(ENOSPC\)\n$/);
  });

  test('a reader that goes away (| true) ends the output quietly, without a stack trace', () => {
    const b = kubeconfig();
    for (let i = 0; i < 400; i++) b.cw(`ctx-${i}`, `T-${i}`, `u-${i}`);
    const file = tmp.file('config', b.yaml());
    const r = spawnSync('bash', ['-c', `'${BINARY}' contexts --kubeconfig '${file}' | true; echo "status=\${PIPESTATUS[0]}" >&2`], { encoding: 'utf8' });
    expect(r.stderr).toBe('status=0\n');
  });

  test.each([
    [['set', '--token-env', 'T', '--lock-timeout', 'abc']],
    [['set', '--token-env', 'T', '--lock-timeout', '-1']],
    [['rotate', '--token-env', 'T', '--timeout', '0']],
  ])('%j is refused at once as a usage error', (args) => {
    const file = tmp.file('config', kubeconfig().cw('prod', 'CW-SECRET-old0000000000000000000000000000').current('prod').yaml());
    const r = cwtoken([...args, '--kubeconfig', file], { env: { T: 'CW-SECRET-new0000000000000000000000000000' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: invalid value "[^"]*" for --(lock-)?timeout: a number of seconds/);
    expect(readFileSync(file, 'utf8')).toContain('CW-SECRET-old');
  });

  test.each(['SIGHUP', 'SIGINT', 'SIGTERM'] as const)('%s while waiting for a lock leaves none of our locks behind', async (signal) => {
    const files = ['f1', 'f2', 'f3'].map((f) => tmp.file(f, kubeconfig().tokenUser(`u-${f}`, 'CW-SECRET-shared000000000000000000000000').yaml()));
    tmp.file('f3.lock', ''); // someone else holds f3: we take f1 and f2, then wait
    const child = spawn(BINARY, ['rotate', '--no-verify', '--token-env', 'T', '--lock-timeout', '30', '--user', 'u-f1'], {
      env: { PATH: process.env.PATH, HOME: tmp.dir, KUBECONFIG: files.join(path.delimiter), T: TOKEN },
      stdio: 'ignore',
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    for (let i = 0; i < 200 && !(existsSync(`${files[0]}.lock`) && existsSync(`${files[1]}.lock`)); i++) await new Promise((r) => setTimeout(r, 50));
    expect(existsSync(`${files[1]}.lock`)).toBe(true);
    child.kill(signal);
    expect(await exited).toBe(128 + { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 }[signal]);
    expect([existsSync(`${files[0]}.lock`), existsSync(`${files[1]}.lock`), existsSync(`${files[2]}.lock`)]).toEqual([false, false, true]);
  });

  (process.getuid?.() === 0 ? test : test.skip)('a device given as --kubeconfig is not replaced by a file (as root)', () => {
    const device = path.join(tmp.dir, 'null');
    expect(spawnSync('mknod', [device, 'c', '1', '3']).status).toBe(0);
    const r = cwtoken(['set', '--user', 'u', '--token-env', 'T', '--kubeconfig', device], { env: { T: TOKEN } });
    expect(r.code).toBe(8);
    expect(r.stderr).toMatch(/is not a regular file; nothing was written/);
    expect(statSync(device).isCharacterDevice()).toBe(true);
  });
});

describeWithKubectl("kubectl's flag conventions", () => {
  const tmp = useTempDir();

  test("an empty --context is the current context, as in kubectl (scripts pass --context \"$CTX\")", () => {
    const file = tmp.file('config', kubeconfig().cw('a', 'T-a', 'ua').cw('b', 'T-b', 'ub').current('b').yaml());
    const theirs = kubectl(['config', 'view', '--raw', '--minify', '--context', '', '--kubeconfig', file, '-o', 'jsonpath={.users[0].user.token}']);
    expect(theirs.stdout).toBe('T-b');
    expect(cwtoken(['get', '--context', '', '--kubeconfig', file]).stdout).toBe('T-b\n');
    expect(cwtoken(['get', '--context=', '--user=', `--kubeconfig=${file}`]).stdout).toBe('T-b\n');
  });

  test('use still switches when the state for `use -` cannot be saved, and says so', () => {
    const file = tmp.file('config', kubeconfig().cw('a', 'T-a', 'ua').cw('b', 'T-b', 'ub').current('a').yaml());
    const r = cwtoken(['use', 'b', '--kubeconfig', file], { env: { XDG_CONFIG_HOME: tmp.file('not-a-dir', '') } });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: could not remember "a" for `use -`/);
    expect(kubectl(['config', 'current-context', '--kubeconfig', file]).stdout).toBe('b\n');
  });
});
