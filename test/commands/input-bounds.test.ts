import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { kubeconfig } from '../support/builder';
import { BINARY, cwtoken } from '../support/cli';
import { cleanEnv } from '../support/kubectl';
import { useTempDir } from '../support/tmp';

const tmp = useTempDir();
const OLD = 'CW-SECRET-bounds-old-aaaaaaaaaaaaaa';
const config = () => tmp.file('config', kubeconfig().cw('lga1', OLD).current('lga1').yaml());

test.each([
  ['an endless stdin (`yes |`)', (file: string) => cwtoken(['set', '--kubeconfig', file, '--token-stdin'], { input: 'y\n'.repeat(1 << 20) })],
  ['--token-file /dev/zero', (file: string) => cwtoken(['set', '--kubeconfig', file, '--token-file', '/dev/zero'])],
])('%s stops at 16 KiB with one line, exit 6, nothing written', (_, run) => {
  const file = config();
  const r = run(file);
  expect(r.code).toBe(6);
  expect(r.stderr).toMatch(/^error: .* gave more than 16 KiB; a token is a few KB.*nothing was written\n$/);
  expect(readFileSync(file, 'utf8')).toBe(kubeconfig().cw('lga1', OLD).current('lga1').yaml());
});

test('import refuses more than 32 MiB from stdin, exit 6', () => {
  const r = spawnSync('bash', ['-c', `head -c 40000000 /dev/zero | "${BINARY}" import - --kubeconfig "${path.join(tmp.dir, 'new')}"`], {
    env: cleanEnv({}),
    encoding: 'utf8',
  });
  expect(r.status).toBe(6);
  expect(r.stderr).toBe('error: cannot import stdin: it is larger than 32 MiB, more than any kubeconfig; nothing was written\n');
});

test('--token-file FIFO reads the token its writer sends', async () => {
  const file = config();
  const fifo = path.join(tmp.dir, 'fifo');
  spawnSync('mkfifo', [fifo]);
  const child = spawn(BINARY, ['set', '--kubeconfig', file, '--token-file', fifo], { env: cleanEnv({}) });
  const code = new Promise((resolve) => child.on('close', resolve));
  setTimeout(() => writeFileSync(fifo, 'CW-SECRET-from-fifo-bbbbbbbbbbbbbbbb\n'), 300);
  expect(await code).toBe(0);
  expect(readFileSync(file, 'utf8')).toContain('CW-SECRET-from-fifo-bbbbbbbbbbbbbbbb');
});

test.each(['/dev/zero', '/dev/urandom'])('--kubeconfig %s stops at 128 MiB with one line naming the file, exit 3', (device) => {
  const r = cwtoken(['get', '--kubeconfig', device]);
  expect(r.code).toBe(3);
  expect(r.stderr).toBe(`error: error loading config file "${device}": larger than 128 MiB, more than any kubeconfig; is it the right file?\n`);
});

test('a tokenFile that is /dev/zero is a token kubectl cannot send, not a hang', () => {
  const file = tmp.file(
    'config',
    kubeconfig().cluster('c').user('u', { tokenFile: '/dev/zero' }).context('x', { cluster: 'c', user: 'u' }).current('x').yaml(),
  );
  const r = cwtoken(['get', '--kubeconfig', file]);
  expect(r.code).not.toBe(0);
  expect(r.stderr).toMatch(/^error: tokenFile "\/dev\/zero" .* cannot be read \(more than 1 MiB\)/);
});

test('a kubeconfig read from a FIFO (`--kubeconfig <(…)`) is read while its writer writes', () => {
  const yaml = kubeconfig().cw('lga1', OLD).current('lga1').yaml();
  const r = spawnSync('bash', ['-c', `"${BINARY}" get --kubeconfig <(sleep 0.3; cat)`], { env: cleanEnv({}), input: yaml, encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(r.stdout).toBe(`${OLD}\n`);
});

// Review: an anonymous pipe's EOF is its end (its writer is there from the start); only a named FIFO is waited on.
test('an empty pipe as --kubeconfig is an empty kubeconfig, as kubectl reads it, not a 10 s wait and an error', () => {
  const r = spawnSync('bash', ['-c', `printf '' | "${BINARY}" contexts -o name --kubeconfig /dev/stdin`], {
    env: cleanEnv({}),
    encoding: 'utf8',
    timeout: 30_000,
  });
  expect({ status: r.status, stdout: r.stdout, stderr: r.stderr }).toEqual({ status: 0, stdout: '', stderr: '' });
});

test('a client key at /dev/zero beside inline certificate data is a user kubectl cannot use, not a hang', () => {
  const file = tmp.file(
    'config',
    kubeconfig()
      .cluster('c')
      .user('u', { token: OLD, 'client-certificate-data': Buffer.from('not a certificate').toString('base64'), 'client-key': '/dev/zero' })
      .context('x', { cluster: 'c', user: 'u' })
      .current('x')
      .yaml(),
  );
  const r = cwtoken(['get', '--kubeconfig', file]);
  expect(r.code).not.toBe(0);
  expect(r.stderr).toMatch(/client-key "\/dev\/zero" cannot be read \(more than 1 MiB\)/);
  expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1);
});

// bad-input fuzzing: 20,000 levels of nesting overflowed the reader's stack (exit 1, "Maximum call stack size").
test('a kubeconfig nested 20,000 levels deep is refused with one line naming the file, exit 3, as kubectl refuses it', () => {
  const file = tmp.file('deep', `apiVersion: v1\nkind: Config\nextra: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n`);
  const r = cwtoken(['get', '--kubeconfig', file]);
  expect(r.code).toBe(3);
  expect(r.stderr).toBe(`error: error loading config file "${file}": nested too deeply to read (thousands of levels); it is not a kubeconfig\n`);
});
