import {
  accessSync,
  closeSync,
  constants,
  fchmodSync,
  fchownSync,
  fsyncSync,
  lstatSync,
  openSync,
  readlinkSync,
  realpathSync,
  readdirSync,
  renameSync,
  statSync,
  writeSync,
} from 'node:fs';
import * as path from 'node:path';
import { errno } from '../errors';
import { randomBytes } from 'node:crypto';
import { forget, removeOnSignal, tryUnlink } from './cleanup';
import { pidRunning } from './owner';

/**
 * The file a write to `file` really replaces: a symlinked kubeconfig is written through its link (the link
 * stays a link), even when the link dangles.
 */
export function writeTarget(file: string): string {
  try {
    return realpathSync(file);
  } catch (e) {
    if (errno(e) !== 'ENOENT') throw e;
  }
  let current = file;
  for (let hops = 0; hops < 40; hops++) {
    let link: string;
    try {
      if (!lstatSync(current).isSymbolicLink()) return current;
      link = readlinkSync(current);
    } catch (e) {
      if (errno(e) === 'ENOENT') return current;
      throw e;
    }
    current = path.resolve(path.dirname(current), link);
  }
  return current;
}

export interface ExistingFile {
  /** False for a device, FIFO or socket (`--kubeconfig /dev/null`): replacing one would put a file there. */
  regular: boolean;
  mode: number;
  uid: number;
  gid: number;
}

/** Mode and owner to keep, or undefined for a file that does not exist yet. */
export function existing(target: string): ExistingFile | undefined {
  try {
    const s = statSync(target);
    return { regular: s.isFile(), mode: s.mode & 0o7777, uid: s.uid, gid: s.gid };
  } catch (e) {
    if (errno(e) === 'ENOENT') return undefined;
    throw e;
  }
}

/** root may write anything; a read-only kubeconfig is still the user's word that it must not change. */
export function isWritable(target: string, file: ExistingFile | undefined): boolean {
  if (!file) return true;
  if ((file.mode & 0o222) === 0) return false;
  try {
    accessSync(target, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

function fsyncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch (e) {
    // Some filesystems refuse to fsync a directory; the rename itself is still atomic.
    if (!['EINVAL', 'EISDIR', 'EPERM', 'EBADF'].includes(errno(e) ?? '')) throw e;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export const tempPrefix = (target: string) => `.${path.basename(target)}.cwtoken-`;
/**
 * A temp file's name beside `target`: hidden, never derived from content, with our pid (so that the next writer
 * can tell it is a dead writer's) and 64 random bits (so that nobody can plant a file or link there in advance).
 */
export const privateTempName = (target: string) => `${tempPrefix(target)}${process.pid}-${randomBytes(8).toString('hex')}.tmp`;

/**
 * Temp files that writeAtomic left beside `target` when its process was killed between creating and renaming
 * them (each may hold a token). A file of a process that is still running is a write in progress, not a leftover.
 */
export function leftoverTemps(target: string): string[] {
  const dir = path.dirname(target);
  const prefix = tempPrefix(target);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    const pid = name.startsWith(prefix) ? /^(\d+)-[0-9a-f]+\.tmp$/.exec(name.slice(prefix.length))?.[1] : undefined;
    return pid && !pidRunning(Number(pid)) ? [path.join(dir, name)] : [];
  });
}

/** Removes what leftoverTemps finds; the next writer of `target` calls it under the lock. */
export function removeLeftoverTemps(target: string): void {
  for (const temp of leftoverTemps(target)) tryUnlink(temp);
}

/**
 * A private temp file beside `target`, open for writing: 0600 from its creation, a fresh random name, O_EXCL
 * (never an existing file, never through a link planted at the name; O_NOFOLLOW says so twice), registered for
 * removal on a signal before it exists. The caller renames it into place or removes it, then `forget`s it.
 */
export function createPrivateTemp(target: string): { temp: string; fd: number } {
  const temp = path.join(path.dirname(target), privateTempName(target));
  removeOnSignal(temp);
  try {
    return { temp, fd: openSync(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600) };
  } catch (e) {
    forget(temp);
    throw e;
  }
}

/**
 * Replaces `target` (already resolved with writeTarget) with `content` so that a reader, or a crash, sees the
 * old or the new file and never a mix: a temp file in the same directory, created 0600 so that a token is never
 * readable by others even for a moment, fsync, the old mode and owner, rename over the target, fsync the
 * directory. A new file gets 0600.
 */
export function writeAtomic(target: string, content: string | Buffer, keep: ExistingFile | undefined): void {
  const dir = path.dirname(target);
  const { temp, fd } = createPrivateTemp(target);
  try {
    try {
      const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
      for (let offset = 0; offset < bytes.length;) offset += writeSync(fd, bytes, offset);
      if (keep) {
        if (keep.uid !== process.getuid?.() || keep.gid !== process.getgid?.()) chownIfPermitted(fd, keep);
        fchmodSync(fd, keep.mode);
      }
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, target);
  } catch (e) {
    // The rename may already have consumed it.
    tryUnlink(temp);
    throw e;
  } finally {
    forget(temp);
  }
  fsyncDirectory(dir);
}

function chownIfPermitted(fd: number, keep: ExistingFile): void {
  try {
    fchownSync(fd, keep.uid, keep.gid);
  } catch (e) {
    // Only root may give a file away; anyone else writes a file they own, as kubectl does.
    if (errno(e) !== 'EPERM') throw e;
  }
}
