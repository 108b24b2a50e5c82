import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { lock, unlock, WAIT_NOTICE_MS } from '../../src/files/lock';
import { useTempDir } from '../support/tmp';

describe('waiting for a held <file>.lock is said, once, after a moment', () => {
  const tmp = useTempDir();

  test('a lock held past WAIT_NOTICE_MS calls onWait once with the lock name, then times out', async () => {
    const file = path.join(tmp.dir, 'config');
    writeFileSync(`${file}.lock`, '');
    const told: string[] = [];
    await expect(lock(file, { timeoutMs: WAIT_NOTICE_MS + 500, onWait: (name) => told.push(name) })).rejects.toThrow(/is held/);
    expect(told).toEqual([`${file}.lock`]);
  });

  test('a free lock is taken without a word', async () => {
    const file = path.join(tmp.dir, 'config');
    const told: string[] = [];
    await lock(file, { timeoutMs: 5000, onWait: (name) => told.push(name) });
    unlock(file);
    expect(told).toEqual([]);
  });
});
