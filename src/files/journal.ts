import { createHash, randomBytes } from 'node:crypto';
import { closeSync, constants, fsyncSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import * as path from 'node:path';
import { errno } from '../errors';
import { stateDir } from './state-dir';
import { currentOwner, Owner, ownerGone, pidRunning } from './owner';

/**
 * The write history: for every write, the bytes it replaced and the bytes it wrote, kept before the first file is
 * replaced. It is at once
 *  - the intent journal that makes a change spanning files all or nothing: a record stays in `pending/` until
 *    every file is written; a pending record whose writer is gone is completed (every file holds the new bytes)
 *    or rolled back by the next writer, `doctor --fix` or `undo` (transaction.ts);
 *  - the backups `undo` restores from: finished records move to `done/`, the newest HISTORY_SIZE are kept.
 * Everything is private (directories 0700, files 0600, created exclusively); names are times, pids and random
 * hex, never derived from content. A record names files, times and the command, never a token.
 */
export const HISTORY_SIZE = 20;

export type RecordState = 'pending' | 'done' | 'undone' | 'interrupted';

export interface FileEntry {
  /** As named in the chain. */
  file: string;
  /** The file really written (the symlink's target). */
  target: string;
  /** Absent: the write created the file. */
  beforeSha?: string;
  /** Absent: the write removed the file (an undo of a creation). */
  afterSha?: string;
}

export interface WriteRecord {
  id: string;
  time: string;
  /** The subcommand, e.g. "set", "doctor --fix"; never its arguments (they may hold a token). */
  command: string;
  owner: Owner;
  state: RecordState;
  /** The record this write undid, for `undo`. */
  undoes?: string;
  files: FileEntry[];
}

export interface Bytes {
  before?: Buffer;
  /** Only its hash is kept: enough to tell that a file still holds what the write left. */
  after?: Buffer;
}

export const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

const PENDING = 'pending';
const DONE = 'done';

export function historyDir(env: NodeJS.ProcessEnv): string {
  return path.join(stateDir(env), 'history');
}

function privateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const s = lstatSync(dir);
  // Someone else's directory, or a link planted where ours should be: backups hold tokens, so refuse it.
  if (!s.isDirectory() || (process.getuid && s.uid !== process.getuid()) || (s.mode & 0o077) !== 0) {
    throw new Error(`"${dir}" is not a private directory of this user (mode 0700)`);
  }
}

function writePrivate(file: string, bytes: Buffer | string, durable = true): void {
  const fd = openSync(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
  try {
    const b = typeof bytes === 'string' ? Buffer.from(bytes) : bytes;
    for (let offset = 0; offset < b.length;) offset += writeSync(fd, b, offset);
    if (durable) fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Replaces record.json by rename, so that a reader (or a crash) sees one whole record. */
function saveRecord(dir: string, record: WriteRecord, durable = true): void {
  const temp = path.join(dir, `record.${randomBytes(4).toString('hex')}.tmp`);
  writePrivate(temp, `${JSON.stringify(record, null, 2)}\n`, durable);
  renameSync(temp, path.join(dir, 'record.json'));
}

function loadRecord(dir: string): WriteRecord | undefined {
  try {
    const record = JSON.parse(readFileSync(path.join(dir, 'record.json'), 'utf8')) as WriteRecord;
    // A finished record was moved to done/ as it was written, still saying pending.
    if (record.state === 'pending' && path.basename(path.dirname(dir)) === DONE) record.state = 'done';
    return record;
  } catch {
    return undefined;
  }
}

const blob = (dir: string, index: number, which: 'before') => path.join(dir, `${index}.${which}`);

export function readBlob(dir: string, index: number, which: 'before'): Buffer | undefined {
  try {
    return readFileSync(blob(dir, index, which));
  } catch (e) {
    if (errno(e) === 'ENOENT') return undefined;
    throw e;
  }
}

/** A write in progress: `begin` has saved its record and bytes in pending/. */
export class Journal {
  private constructor(
    readonly root: string,
    readonly record: WriteRecord,
  ) {}

  get dir(): string {
    return path.join(this.root, this.record.state === 'pending' ? PENDING : DONE, this.record.id);
  }

  /** Saves everything needed to roll the write back, before any file is touched. */
  static begin(command: string, files: Array<Omit<FileEntry, 'beforeSha' | 'afterSha'> & Bytes>, undoes: string | undefined, env: NodeJS.ProcessEnv): Journal {
    const root = historyDir(env);
    privateDir(root);
    privateDir(path.join(root, PENDING));
    const id = `${Date.now().toString().padStart(14, '0')}-${process.pid}-${randomBytes(4).toString('hex')}`;
    const record: WriteRecord = {
      id,
      time: new Date().toISOString(),
      command,
      owner: currentOwner(),
      state: 'pending',
      ...(undoes ? { undoes } : {}),
      files: files.map((f) => ({
        file: f.file,
        target: f.target,
        ...(f.before ? { beforeSha: sha(f.before) } : {}),
        ...(f.after ? { afterSha: sha(f.after) } : {}),
      })),
    };
    const dir = path.join(root, PENDING, id);
    mkdirSync(dir, { mode: 0o700 });
    // Only a change spanning files needs its journal on disk before the first rename (power loss); one file is
    // replaced atomically anyway, and its backup is a convenience: no fsync under the lock for it.
    const durable = files.length > 1;
    files.forEach((f, i) => {
      if (f.before) writePrivate(blob(dir, i, 'before'), f.before, durable);
    });
    saveRecord(dir, record, durable);
    return new Journal(root, record);
  }

  /**
   * Every file is written: the record becomes history by one rename, not made durable on purpose (no fsync
   * under the lock): a record found pending after a crash whose files all hold the new bytes is completed.
   */
  finish(): void {
    const from = this.dir;
    privateDir(path.join(this.root, DONE));
    this.record.state = 'done';
    renameSync(from, this.dir);
    prune(this.root);
  }

  /** Nothing was (or is any longer) written: the record is dropped. */
  abandon(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The newest HISTORY_SIZE finished records are kept; others writing at the same time may prune as well. */
function prune(root: string): void {
  const ids = listIds(path.join(root, DONE));
  for (const id of ids.slice(0, Math.max(0, ids.length - HISTORY_SIZE))) {
    rmSync(path.join(root, DONE, id), { recursive: true, force: true });
  }
}

function listIds(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((n) => /^\d{14}-\d+-[0-9a-f]+$/.test(n))
      .sort();
  } catch (e) {
    if (errno(e) === 'ENOENT' || errno(e) === 'ENOTDIR') return [];
    throw e;
  }
}

export interface StoredRecord {
  record: WriteRecord;
  dir: string;
}

/** Finished writes, newest first. */
export function history(env: NodeJS.ProcessEnv): StoredRecord[] {
  const dir = path.join(historyDir(env), DONE);
  return listIds(dir)
    .reverse()
    .flatMap((id) => {
      const record = loadRecord(path.join(dir, id));
      return record ? [{ record, dir: path.join(dir, id) }] : [];
    });
}

/** Pending records whose writer is gone: interrupted writes, to roll back. */
export function interrupted(env: NodeJS.ProcessEnv): StoredRecord[] {
  const dir = path.join(historyDir(env), PENDING);
  return listIds(dir).flatMap((id) => {
    const record = loadRecord(path.join(dir, id));
    // A record without record.json was never begun: its writer died before writing any file.
    if (!record) {
      if (!pidRunning(Number(id.split('-')[1]))) rmSync(path.join(dir, id), { recursive: true, force: true });
      return [];
    }
    return ownerGone(record.owner) ? [{ record, dir: path.join(dir, id) }] : [];
  });
}

/** Marks a stored record (undo marks what it undid); an interrupted one moves to done/ to be listed. */
export function settle(stored: StoredRecord, state: RecordState, env: NodeJS.ProcessEnv): void {
  stored.record.state = state;
  saveRecord(stored.dir, stored.record);
  if (path.basename(path.dirname(stored.dir)) === PENDING) {
    const root = historyDir(env);
    privateDir(path.join(root, DONE));
    renameSync(stored.dir, path.join(root, DONE, stored.record.id));
  }
}

export function drop(stored: StoredRecord): void {
  rmSync(stored.dir, { recursive: true, force: true });
}
