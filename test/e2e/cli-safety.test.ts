/**
 * What only a process of its own shows: exit statuses through a shell, signals, stdout errors, and that what
 * was typed on the command line is scrubbed from the binary's messages (the in-process tests are in test/cli/).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { binary, cwtoken } from '../support/cli';
import { kubeconfig } from '../support/builder';
import { useTempDir } from '../support/tmp';

const TOKEN = 'CW-SECRET-5f0e1d2c3b4a59687766554433221100';

test('a token pasted in the wrong place is not echoed by the binary', () => {
  const r = cwtoken(['set', '--token-stdin', TOKEN], { input: '' });
  expect(r.code).toBe(2);
  expect(r.stdout + r.stderr).not.toContain(TOKEN);
});

describe('exits', () => {
  const tmp = useTempDir();

  test('a stdout that cannot be written (a full disk) is one line and exit 1', () => {
    const r = spawnSync('bash', ['-c', `'${binary()}' completion bash > /dev/full`], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^error: cannot write to stdout \(ENOSPC\)\n$/);
  });

  test('a reader that goes away (| true) ends the output quietly, without a stack trace', () => {
    const b = kubeconfig();
    for (let i = 0; i < 400; i++) b.cw(`ctx-${i}`, `T-${i}`, `u-${i}`);
    const file = tmp.file('config', b.yaml());
    const r = spawnSync('bash', ['-c', `'${binary()}' contexts --kubeconfig '${file}' | true; echo "status=\${PIPESTATUS[0]}" >&2`], { encoding: 'utf8' });
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

  test.each(['SIGHUP', 'SIGINT', 'SIGTERM'] as const)(
    '%s while waiting for a lock leaves none of our locks behind and ends the process by that signal',
    async (signal) => {
      const files = ['f1', 'f2', 'f3'].map((f) => tmp.file(f, kubeconfig().tokenUser(`u-${f}`, 'CW-SECRET-shared000000000000000000000000').yaml()));
      tmp.file('f3.lock', ''); // someone else holds f3: we take f1 and f2, then wait
      const child = spawn(binary(), ['rotate', '--no-verify', '--token-env', 'T', '--lock-timeout', '30', '--user', 'u-f1'], {
        env: { PATH: process.env.PATH, HOME: tmp.dir, KUBECONFIG: files.join(path.delimiter), T: TOKEN },
        stdio: 'ignore',
      });
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        child.on('exit', (code, signal) => resolve({ code, signal })),
      );
      for (let i = 0; i < 200 && !(existsSync(`${files[0]}.lock`) && existsSync(`${files[1]}.lock`)); i++) await new Promise((r) => setTimeout(r, 50));
      expect(existsSync(`${files[1]}.lock`)).toBe(true);
      child.kill(signal);
      // Died of the signal, as kubectl does, rather than exiting 128+n: a shell loop stops only on the former.
      expect(await exited).toEqual({ code: null, signal });
      expect([existsSync(`${files[0]}.lock`), existsSync(`${files[1]}.lock`), existsSync(`${files[2]}.lock`)]).toEqual([false, false, true]);
    },
  );

  (process.getuid?.() === 0 ? test : test.skip)('a device given as --kubeconfig is not replaced by a file (as root)', () => {
    const device = path.join(tmp.dir, 'null');
    expect(spawnSync('mknod', [device, 'c', '1', '3']).status).toBe(0);
    const r = cwtoken(['set', '--user', 'u', '--token-env', 'T', '--kubeconfig', device], { env: { T: TOKEN } });
    expect(r.code).toBe(8);
    expect(r.stderr).toMatch(/is not a regular file; nothing was written/);
    expect(statSync(device).isCharacterDevice()).toBe(true);
  });
});
