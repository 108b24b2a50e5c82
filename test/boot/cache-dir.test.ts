import { chmodSync, existsSync, mkdirSync, statSync, symlinkSync } from 'node:fs';
import * as path from 'node:path';
import { CACHE_DIR_NAME, privateCacheDir, userCacheDir } from '../../src/files/cache-dir';
import { useTempDir } from '../support/tmp';

describe('the user cache directory, as Go os.UserCacheDir picks it', () => {
  test.each([
    ['linux', { XDG_CACHE_HOME: '/x/cache', HOME: '/home/u' }, '/x/cache'],
    ['linux', { HOME: '/home/u' }, '/home/u/.cache'],
    ['linux', { XDG_CACHE_HOME: 'relative/cache', HOME: '/home/u' }, '/home/u/.cache'],
    ['freebsd', { HOME: '/home/u' }, '/home/u/.cache'],
    ['darwin', { XDG_CACHE_HOME: '/x/cache', HOME: '/Users/u' }, '/Users/u/Library/Caches'],
    ['win32', { LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local', HOME: '/home/u' }, 'C:\\Users\\u\\AppData\\Local'],
  ] as const)('%s with %j: %s', (platform, env, expected) => {
    if (platform === 'win32' && process.platform !== 'win32') {
      // path.isAbsolute is the host's: a Windows path is only recognised as such on Windows
      expect(userCacheDir(env, platform)).toBeUndefined();
      return;
    }
    expect(userCacheDir(env, platform)).toBe(expected);
  });

  test('none without HOME (or LOCALAPPDATA on Windows)', () => {
    expect(userCacheDir({}, 'linux')).toBeUndefined();
    expect(userCacheDir({}, 'darwin')).toBeUndefined();
    expect(userCacheDir({ HOME: '/home/u' }, 'win32')).toBeUndefined();
  });
});

describe('our private cache directory', () => {
  const tmp = useTempDir();

  test('is created 0700, with the user cache directory it is in', () => {
    const base = path.join(tmp.dir, '.cache');
    const dir = privateCacheDir(base);
    expect(dir).toBe(path.join(base, CACHE_DIR_NAME));
    expect(statSync(dir!).mode & 0o777).toBe(0o700);
    expect(statSync(base).mode & 0o777).toBe(0o700);
  });

  test('is not created where the user cache directory has no parent (a missing HOME stays missing)', () => {
    const home = path.join(tmp.dir, 'no-such-home');
    expect(privateCacheDir(path.join(home, '.cache'))).toBeUndefined();
    expect(existsSync(home)).toBe(false);
  });

  test('is refused when group or others may write into it', () => {
    const dir = path.join(tmp.dir, CACHE_DIR_NAME);
    mkdirSync(dir);
    chmodSync(dir, 0o775);
    expect(privateCacheDir(tmp.dir)).toBeUndefined();
    chmodSync(dir, 0o700);
    expect(privateCacheDir(tmp.dir)).toBe(dir);
  });

  test('is refused when it is a symlink', () => {
    const elsewhere = path.join(tmp.dir, 'elsewhere');
    mkdirSync(elsewhere, { mode: 0o700 });
    symlinkSync(elsewhere, path.join(tmp.dir, CACHE_DIR_NAME));
    expect(privateCacheDir(tmp.dir)).toBeUndefined();
  });
});
