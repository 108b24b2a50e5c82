/** kubectl's <file>.lock: taken exclusively, waited for, always released. */
import { existsSync, unlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { CwError } from '../../src/errors';
import { lock, lockName, unlock, withLocks } from '../../src/files/lock';
import { useTempDir } from '../support/tmp';

const tmp = useTempDir();

test('the lock is the file name plus .lock, as client-go names it', () => {
  expect(lockName('/a/config')).toBe('/a/config.lock');
});

test('taking a lock creates it (and a new directory for it), releasing removes it', async () => {
  const file = path.join(tmp.dir, 'new-dir', 'config');
  await lock(file, { timeoutMs: 0 });
  expect(existsSync(`${file}.lock`)).toBe(true);
  unlock(file);
  expect(existsSync(`${file}.lock`)).toBe(false);
});

test('a held lock fails after the timeout with kind "lock"', async () => {
  const file = tmp.file('config', '');
  writeFileSync(`${file}.lock`, '');
  await expect(lock(file, { timeoutMs: 50 })).rejects.toMatchObject({ kind: 'lock' });
  expect(existsSync(`${file}.lock`)).toBe(true); // someone else's: not ours to remove
});

test('a lock released while we wait is taken', async () => {
  const file = tmp.file('config', '');
  writeFileSync(`${file}.lock`, '');
  setTimeout(() => unlinkSync(`${file}.lock`), 30); // the other writer finishes
  await expect(lock(file, { timeoutMs: 2_000 })).resolves.toBeUndefined();
  unlock(file);
});

test('unlocking a lock we do not hold leaves it', () => {
  const file = tmp.file('config', '');
  writeFileSync(`${file}.lock`, '');
  unlock(file);
  expect(existsSync(`${file}.lock`)).toBe(true);
});

describe('withLocks', () => {
  test.each<[string, () => unknown, 'resolves' | 'rejects']>([
    ['returns what the body returns', () => 42, 'resolves'],
    [
      'releases when the body throws',
      () => {
        throw new CwError('write', 'boom');
      },
      'rejects',
    ],
  ])('%s, and releases every lock', async (_, body, outcome) => {
    const files = ['b', 'a', 'c'].map((f) => tmp.file(f, ''));
    const run = withLocks(files, { timeoutMs: 0 }, () => {
      expect(files.every((f) => existsSync(`${f}.lock`))).toBe(true);
      return body();
    });
    if (outcome === 'resolves') await expect(run).resolves.toBe(42);
    else await expect(run).rejects.toMatchObject({ kind: 'write' });
    expect(files.some((f) => existsSync(`${f}.lock`))).toBe(false);
  });

  test('one held lock: the ones already taken are released, the held one is kept', async () => {
    const [a, b] = ['a', 'b'].map((f) => tmp.file(f, ''));
    writeFileSync(`${b}.lock`, '');
    await expect(withLocks([a, b], { timeoutMs: 20 }, () => 'never')).rejects.toMatchObject({ kind: 'lock' });
    expect([existsSync(`${a}.lock`), existsSync(`${b}.lock`)]).toEqual([false, true]);
  });
});
