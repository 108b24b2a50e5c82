import { closeSync, constants, fstatSync, fsyncSync, openSync, readdirSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import * as path from 'node:path';
import { Script } from 'node:vm';

/** The CommonJS wrapper Node puts around a module, so a chunk runs as it would under `require`. */
type ModuleFunction = (exports: unknown, require: (id: string) => unknown, module: { exports: unknown }, filename: string, dirname: string) => void;

export interface CompiledChunk {
  run: ModuleFunction;
  /** Whether V8 used the cache file; when not, `save()` writes one. */
  cached: boolean;
  /** Writes V8's code cache of everything compiled so far (call it late: lazily compiled functions count). */
  save(): void;
}

/**
 * Compiles a chunk of our bundle with V8's code cache kept in `cacheFile`. The cache is compiled code of the
 * bundle's source only (bytecode and its literals, no run-time values), so it holds no secret; it is read only if
 * it is a regular file of ours, 0600 (it is code we run), and anything V8 rejects (another V8, other flags,
 * corrupt data) is recompiled and the file rewritten. Without a cacheFile this is a plain compile.
 */
export function compileWithCodeCache(source: string, filename: string, cacheFile: string | undefined): CompiledChunk {
  const cachedData = cacheFile === undefined ? undefined : readPrivateFile(cacheFile);
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename, cachedData });
  const cached = cachedData !== undefined && !script.cachedDataRejected;
  return {
    run: script.runInThisContext() as ModuleFunction,
    cached,
    save() {
      if (cacheFile === undefined || cached) return;
      writePrivateFile(cacheFile, script.createCachedData());
    },
  };
}

/**
 * The cache file name: one per chunk, binary version, platform and arch, and the chunk's content hash made at build
 * time (V8 itself checks only the source's length, so two builds of one version must not share a file).
 */
export function cacheFileName(chunk: { name: string; hash: string }, version: string, platform: string, arch: string): string {
  return `${chunk.name}-${version}-${platform}-${arch}-${chunk.hash}.v8cache`;
}

/** Removes the files other builds left for this chunk, once a new one is written. */
export function removeOtherCaches(dir: string, keep: string, chunkName: string): void {
  try {
    for (const name of readdirSync(dir)) {
      if (name !== keep && name.startsWith(`${chunkName}-`) && name.endsWith('.v8cache')) rmSync(path.join(dir, name), { force: true });
    }
  } catch {
    // a cache that cannot be tidied only costs disk space
  }
}

function readPrivateFile(file: string): Buffer | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
    const stat = fstatSync(fd);
    if (!stat.isFile() || stat.size === 0) return undefined;
    if (process.platform !== 'win32' && (stat.uid !== process.getuid?.() || (stat.mode & 0o077) !== 0)) return undefined;
    const data = Buffer.allocUnsafe(stat.size);
    let read = 0;
    while (read < data.length) {
      const n = readSync(fd, data, read, data.length - read, read);
      if (n === 0) return undefined;
      read += n;
    }
    return data;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Atomically: a new 0600 temp file beside it, written, fsynced and renamed over it. Failures are ignored. */
function writePrivateFile(file: string, data: Buffer): void {
  const temp = `${file}.${process.pid}.tmp`;
  let fd: number | undefined;
  try {
    fd = openSync(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0), 0o600);
    for (let written = 0; written < data.length;) written += writeSync(fd, data, written);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(temp, file);
  } catch {
    try {
      if (fd !== undefined) closeSync(fd);
      rmSync(temp, { force: true });
    } catch {
      // nothing more to undo: a cache write never fails the command
    }
  }
}
