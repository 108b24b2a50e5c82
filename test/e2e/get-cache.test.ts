/** `get` answers from a cache that holds no secret and is never stale: the built binary, as users run it. */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { cwtoken } from '../support/cli';
import { kubeconfig } from '../support/builder';
import { useTempDir } from '../support/tmp';

const TOKEN = 'CW-SECRET-cache0123456789abcdef';

describe('the get cache', () => {
  const tmp = useTempDir();
  // An existing HOME: like the code cache, the get cache never creates a missing one.
  const home = () => {
    const dir = path.join(tmp.dir, 'home');
    mkdirSync(dir, { recursive: true });
    return dir;
  };
  const cacheDir = () => path.join(home(), '.cache', 'kubectl-cwtoken');
  const get = (file: string, ...args: string[]) => cwtoken(['get', '--kubeconfig', file, ...args], { env: { HOME: home() } });
  const write = (token: string) => tmp.file('config', kubeconfig().cw('prod', token).current('prod').yaml());

  test('a second get gives the same answer, from a private cache entry that holds no token', () => {
    const file = write(TOKEN);
    expect(get(file).stdout).toBe(`${TOKEN}\n`);
    expect(get(file).stdout).toBe(`${TOKEN}\n`);
    // The standalone binary's code cache shares the directory.
    const entries = readdirSync(cacheDir()).filter((name) => name.startsWith('get-'));
    expect(entries).toHaveLength(1);
    expect(readFileSync(path.join(cacheDir(), entries[0]), 'utf8')).not.toContain('cache0123456789');
    expect(statSync(path.join(cacheDir(), entries[0])).mode & 0o777).toBe(0o600);
    expect(statSync(cacheDir()).mode & 0o777).toBe(0o700);
  });

  test('a changed file is read again, even when its size is the same', () => {
    const file = write(TOKEN);
    get(file);
    write(TOKEN.replace('cache', 'CACHE'));
    expect(get(file).stdout).toBe(`${TOKEN.replace('cache', 'CACHE')}\n`);
  });

  test('a file that kubectl would now refuse makes get fail, cache or not', () => {
    const file = write(TOKEN);
    get(file);
    writeFileSync(file, readFileSync(file, 'utf8').replace(`token: ${TOKEN}`, 'token: 12345'));
    expect(get(file).code).not.toBe(0);
  });

  test('a tokenFile is read on every get', () => {
    const tokenFile = tmp.file('token', 'FROM-FILE-1');
    const file = tmp.file(
      'config',
      kubeconfig().cluster('prod').user('u', { tokenFile }).context('prod', { cluster: 'prod', user: 'u' }).current('prod').yaml(),
    );
    expect(get(file).stdout).toBe('FROM-FILE-1\n');
    writeFileSync(tokenFile, 'FROM-FILE-2');
    expect(get(file).stdout).toBe('FROM-FILE-2\n');
  });

  test('each selection has its own answer', () => {
    const file = tmp.file('config', kubeconfig().cw('a', 'T-a', 'ua').cw('b', 'T-b', 'ub').current('a').yaml());
    expect(get(file).stdout).toBe('T-a\n');
    expect(get(file, '--context', 'b').stdout).toBe('T-b\n');
    expect(get(file).stdout).toBe('T-a\n');
  });
});
