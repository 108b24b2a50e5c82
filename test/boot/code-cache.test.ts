import { chmodSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { cacheFileName, compileWithCodeCache, removeOtherCaches } from '../../src/boot/code-cache';
import { useTempDir } from '../support/tmp';

// V8 keeps what one process compiled and reuses it for the same source without looking at cached data, so every
// test compiles a source of its own: a cache is accepted or rejected only on a real compile, as in a new process.
let sources = 0;
const uniqueSource = () => `module.exports = { twice: (n) => 2 * n, dir: __dirname, builtin: typeof require("node:path").join, id: ${++sources} };`;

function load(source: string, cacheFile: string | undefined) {
  const chunk = compileWithCodeCache(source, 'chunk.cjs', cacheFile);
  const module = { exports: {} as { twice(n: number): number; dir: string; builtin: string } };
  chunk.run(module.exports, require, module, '/bin/tool', '/bin');
  return { chunk, exports: module.exports };
}

describe('compiling a chunk with a code cache', () => {
  const tmp = useTempDir();
  const cacheFile = () => path.join(tmp.dir, 'chunk.v8cache');

  test('runs the chunk as a CommonJS module', () => {
    const { exports } = load(uniqueSource(), undefined);
    expect(exports.twice(21)).toBe(42);
    expect(exports.dir).toBe('/bin');
    expect(exports.builtin).toBe('function');
  });

  test('the first run writes the cache 0600 on save; a run that used it writes nothing', () => {
    const SOURCE = uniqueSource();
    const first = load(SOURCE, cacheFile());
    expect(first.chunk.cached).toBe(false);
    first.chunk.save();
    expect(statSync(cacheFile()).mode & 0o777).toBe(0o600);
    const written = readFileSync(cacheFile());

    const second = load(SOURCE, cacheFile());
    expect(second.chunk.cached).toBe(true);
    expect(second.exports.twice(2)).toBe(4);
    second.chunk.save();
    expect(readFileSync(cacheFile())).toEqual(written);
    expect(readdirSync(tmp.dir)).toEqual(['chunk.v8cache']);
  });

  test('data V8 rejects is ignored and replaced', () => {
    const garbage = Buffer.from('not a code cache');
    writeFileSync(cacheFile(), garbage, { mode: 0o600 });
    const { chunk, exports } = load(uniqueSource(), cacheFile());
    expect(chunk.cached).toBe(false);
    expect(exports.twice(3)).toBe(6);
    chunk.save();
    expect(readFileSync(cacheFile()).length).toBeGreaterThan(garbage.length);
  });

  test('a cache made for other source is rejected', () => {
    load(uniqueSource(), cacheFile()).chunk.save();
    expect(load(`${uniqueSource()}\nmodule.exports.more = 1;`, cacheFile()).chunk.cached).toBe(false);
  });

  test('a cache file others could have written is not read', () => {
    const SOURCE = uniqueSource();
    load(SOURCE, cacheFile()).chunk.save();
    chmodSync(cacheFile(), 0o644);
    expect(load(SOURCE, cacheFile()).chunk.cached).toBe(false);
  });

  test('a cache that cannot be written does not fail the run', () => {
    const { chunk } = load(uniqueSource(), path.join(tmp.dir, 'missing-dir', 'chunk.v8cache'));
    expect(() => chunk.save()).not.toThrow();
    expect(readdirSync(tmp.dir)).toEqual([]);
  });
});

describe('cache file names', () => {
  const tmp = useTempDir();

  test('name the chunk, version, platform, arch and content hash', () => {
    expect(cacheFileName({ name: 'cwtoken.cjs', hash: '0123abcd' }, '1.2.3', 'darwin', 'arm64')).toBe('cwtoken.cjs-1.2.3-darwin-arm64-0123abcd.v8cache');
  });

  test('files other builds left for the same chunk are removed, others kept', () => {
    const keep = cacheFileName({ name: 'cwtoken.cjs', hash: 'new' }, '1.2.4', 'linux', 'x64');
    for (const name of [
      keep,
      cacheFileName({ name: 'cwtoken.cjs', hash: 'old' }, '1.2.3', 'linux', 'x64'),
      cacheFileName({ name: 'client-node.cjs', hash: 'x' }, '1.2.3', 'linux', 'x64'),
      'unrelated',
    ]) {
      tmp.file(name, '');
    }
    removeOtherCaches(tmp.dir, keep, 'cwtoken.cjs');
    expect(readdirSync(tmp.dir).sort()).toEqual(['client-node.cjs-1.2.3-linux-x64-x.v8cache', keep, 'unrelated'].sort());
  });
});
