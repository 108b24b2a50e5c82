// The main script of the standalone executable (a Node SEA built by pkg). It holds no application code: the
// bundle and the client-node chunk are assets of the SEA blob, compiled here with V8's code cache kept in the
// user's cache directory, so every platform's binary starts as fast as a build-time cache would make it (which V8
// accepts only on the platform that built it) from its second run on. A chunk's bytes are not even parsed
// until it is required: `get` never touches client-node's.
import * as path from 'node:path';
import { getAsset } from 'node:sea';
import { privateCacheDir, userCacheDir } from '../files/cache-dir';
import { cacheFileName, compileWithCodeCache, removeOtherCaches } from './code-cache';

declare const __CWTOKEN_VERSION__: string;
/** Asset name → content hash of every chunk, computed by the build (scripts/lib/bundle.cjs). */
declare const __CWTOKEN_CHUNKS__: Record<string, string>;

const MAIN_CHUNK = 'cwtoken.cjs';
const base = userCacheDir(process.env, process.platform);
const cacheDir = base === undefined ? undefined : privateCacheDir(base);
const loaded = new Map<string, unknown>();

function load(name: string): unknown {
  const done = loaded.get(name);
  if (done !== undefined) return done;
  const fileName = cacheFileName({ name, hash: __CWTOKEN_CHUNKS__[name] }, __CWTOKEN_VERSION__, process.platform, process.arch);
  const cacheFile = cacheDir === undefined ? undefined : path.join(cacheDir, fileName);
  const chunk = compileWithCodeCache(getAsset(name, 'utf8'), name, cacheFile);
  if (!chunk.cached && cacheDir !== undefined) {
    process.once('exit', () => {
      chunk.save();
      removeOtherCaches(cacheDir, fileName, name);
    });
  }
  const module = { exports: {} as unknown };
  chunk.run(module.exports, requireFromChunk, module, process.execPath, path.dirname(process.execPath));
  loaded.set(name, module.exports);
  return module.exports;
}

/** A chunk requires the others by their asset name (`./client-node.cjs`, as beside dist/cwtoken.cjs); all else is a Node built-in. */
function requireFromChunk(id: string): unknown {
  const name = id.startsWith('./') ? id.slice(2) : undefined;
  return name !== undefined && name in __CWTOKEN_CHUNKS__ ? load(name) : require(id);
}

load(MAIN_CHUNK);
