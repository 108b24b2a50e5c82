/** `completion install` writes the shim as every writer does: no link planted in the directory is ever followed. */
// The CommonJS module object itself, whose openSync the code under test calls through.
const fs = require('node:fs') as typeof import('node:fs');
import * as path from 'node:path';
import { completion } from '../../src/commands/completion';
import { silentStreams } from '../support/run-cli';
import { useTempDir } from '../support/tmp';

const tmp = useTempDir();
const streams = silentStreams(process.env, process.cwd());
const VICTIM = 'precious content\n';

function setUp() {
  const dir = path.join(tmp.dir, 'bin');
  fs.mkdirSync(dir);
  const victim = tmp.file('victim', VICTIM, 0o600);
  return { dir, victim, shim: path.join(dir, 'kubectl_complete-cwtoken') };
}

const install = (dir: string) => completion({ shell: 'install', dir, debug: false }, streams);

afterEach(() => jest.restoreAllMocks());

test('the shim is a new 0755 file with the completion script', async () => {
  const { dir, shim } = setUp();
  await install(dir);
  expect(fs.lstatSync(shim).isFile()).toBe(true);
  expect(fs.statSync(shim).mode & 0o777).toBe(0o755);
  expect(fs.readFileSync(shim, 'utf8')).toContain('__complete');
  expect(fs.readdirSync(dir)).toEqual(['kubectl_complete-cwtoken']);
});

test('a link planted at the shim name is replaced, not written through', async () => {
  const { dir, victim, shim } = setUp();
  fs.symlinkSync(victim, shim);
  await install(dir);
  expect(fs.lstatSync(shim).isSymbolicLink()).toBe(false);
  expect(fs.readFileSync(victim, 'utf8')).toBe(VICTIM);
  expect(fs.statSync(victim).mode & 0o777).toBe(0o600);
});

test('links planted at the temp names of earlier versions (<shim>.tmp-<pid>) are left alone', async () => {
  const { dir, victim, shim } = setUp();
  for (const pid of [process.pid, process.pid + 1]) fs.symlinkSync(victim, `${shim}.tmp-${pid}`);
  await install(dir);
  expect(fs.readFileSync(victim, 'utf8')).toBe(VICTIM);
  expect(fs.statSync(victim).mode & 0o777).toBe(0o600);
  expect(fs.lstatSync(shim).isFile()).toBe(true);
});

test('a link planted at the very temp name the install picks is not followed: the install fails, the target is untouched', async () => {
  const { dir, victim, shim } = setUp();
  const open = fs.openSync;
  const created: string[] = [];
  jest.spyOn(fs, 'openSync').mockImplementation(((file: string, flags: number, mode?: number) => {
    // The race an attacker wins at best: the link appears between choosing the name and opening it.
    if (typeof file === 'string' && path.dirname(file) === dir && !fs.existsSync(file)) {
      created.push(file);
      fs.symlinkSync(victim, file);
    }
    return open(file, flags, mode);
  }) as typeof fs.openSync);
  await expect(install(dir)).rejects.toMatchObject({ kind: 'invalid-input', message: expect.stringContaining('EEXIST') });
  expect(created).toHaveLength(1);
  expect(path.basename(created[0])).toMatch(/^\.kubectl_complete-cwtoken\.cwtoken-\d+-[0-9a-f]{16}\.tmp$/);
  expect(fs.readFileSync(victim, 'utf8')).toBe(VICTIM);
  expect(fs.statSync(victim).mode & 0o777).toBe(0o600);
  expect(fs.existsSync(shim)).toBe(false);
});

test('a dangling link planted at the temp name does not create its target either', async () => {
  const { dir, shim } = setUp();
  const open = fs.openSync;
  const elsewhere = path.join(tmp.dir, 'created-by-link');
  jest.spyOn(fs, 'openSync').mockImplementation(((file: string, flags: number, mode?: number) => {
    if (typeof file === 'string' && path.dirname(file) === dir && !fs.existsSync(file)) fs.symlinkSync(elsewhere, file);
    return open(file, flags, mode);
  }) as typeof fs.openSync);
  await expect(install(dir)).rejects.toMatchObject({ kind: 'invalid-input' });
  expect(fs.existsSync(elsewhere)).toBe(false);
  expect(fs.existsSync(shim)).toBe(false);
});
