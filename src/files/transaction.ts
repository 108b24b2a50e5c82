/**
 * The one way anything writes a file the product owns (a kubeconfig, a tokenFile): locked, re-read, changed,
 * atomic, recorded. It deals in text and bytes; src/kubeconfig/edit/apply.ts turns in-place kubeconfig edits into
 * these changes.
 *
 *   applyChanges(changes: TextChange[], options?: WriteOptions): Promise<FileResult[]>
 *
 *   TextChange = { file, what, replace: (current: string | undefined) => string }   new content from the current
 *              | { file, restore: { expectSha, bytes } }                           put back bytes kept by the history (undo)
 *
 * `file` is the path as named in the chain (an entry's `origin.file`, or `defaultFilename(chain)` for a new
 * entry). For each file, in one transaction:
 *  1. take `<file>.lock` (kubectl's lock; all files in sorted order, waiting up to `lockTimeoutMs`);
 *  2. re-read the file under the lock and run the callbacks on that fresh content: callbacks must look entries
 *     up by name in the content they are given, never trust what was read before locking (a missing file is
 *     `undefined`; a callback refuses what it cannot change by throwing, e.g. CwError('config'));
 *  3. when every callback has succeeded, save the replaced and the new bytes in the write history (journal.ts:
 *     private, in the state directory), then write each changed file atomically (temp 0600 + fsync + rename +
 *     fsync dir) through symlinks, keeping mode and owner (new files 0600); a read-only file is refused up front;
 *     then mark the record done (it is what `undo` restores);
 *  4. if a write fails, put back the files already written and throw CwError('write');
 *  5. release every lock, whatever happened.
 * Before that, a write whose process was killed half-way (a pending record of a dead writer) is rolled back, so
 * that a change spanning files is all or nothing; temp files of dead writers are removed.
 * With `dryRun`, steps 2-3 run without locks and nothing is written; the results say what would change.
 * Several changes to one file are applied in order, each to the result of the one before.
 */
import { readFileSync, unlinkSync } from 'node:fs';
import { CwError, configError, errno, invalidInput } from '../errors';
import { decodeBytes, decodeUtf8, encodeText, isUtf16 } from '../text/bytes';
import { existing, ExistingFile, isWritable, removeLeftoverTemps, writeAtomic, writeTarget } from './atomic-write';
import { afterPendingSignals } from './cleanup';
import { DEFAULT_LOCK_TIMEOUT_MS, withLocks } from './lock';
import { drop, interrupted, Journal, readBlob, settle, sha, StoredRecord } from './journal';

type FileKind = 'config file' | 'token file';

/** A new content for one file, computed from its content as re-read under the lock (undefined: no such file). */
export type TextChange =
  | {
      file: string;
      /** What the file is, for messages. */
      what: FileKind;
      replace: (current: string | undefined) => string;
    }
  | { file: string; restore: Restore };

/** Bytes to put back, only if the file still is what a recorded write left (`expectSha`; absent: no file). */
export interface Restore {
  expectSha?: string;
  /** Absent: remove the file (the recorded write created it). */
  bytes?: Buffer;
  /** Says what changed the file, when it did not stay as the write left it. */
  changedSince: string;
}

export interface WriteOptions {
  lockTimeoutMs?: number;
  /** Told the lock's name when a held lock has been waited for a while (LockOptions.onWait). */
  onLockWait?: (lock: string) => void;
  dryRun?: boolean;
  /** The subcommand, for the history (`undo --list`): never its arguments. */
  command?: string;
  /** The history record this write undoes. */
  undoes?: string;
  /** Told when the write could not be recorded for undo (it still happens). */
  warn?: (message: string) => void;
  /** The CLI's environment, which says where the write history lives; the process's when not given. */
  env?: NodeJS.ProcessEnv;
}

export interface FileResult {
  /** As named in the change. */
  file: string;
  /** The file really written: differs from `file` when that is a symlink. */
  target: string;
  changed: boolean;
  created: boolean;
  /** The write removed the file (an undo of its creation). */
  removed: boolean;
  /** The mode kept (or given, 0600, to a new file). */
  mode: number;
  /** The file is readable or writable by others (wider than 0600): left as is, but worth a warning. */
  wideMode: boolean;
}

interface Plan {
  file: string;
  target: string;
  before: Buffer | undefined;
  /** Absent: remove the file. */
  after: Buffer | undefined;
  keep: ExistingFile | undefined;
}

const octal = (mode: number) => `0${mode.toString(8).padStart(3, '0')}`;

export async function applyChanges(changes: TextChange[], options: WriteOptions = {}): Promise<FileResult[]> {
  // Each file's changes, in the order given: planned before the locks and again (or taken as planned) under them.
  const byFile = new Map<string, TextChange[]>();
  for (const c of changes) {
    const list = byFile.get(c.file);
    if (list) list.push(c);
    else byFile.set(c.file, [c]);
  }
  const files = [...byFile.keys()];
  const lockOptions = { timeoutMs: options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS, onWait: options.onLockWait };
  const run = (speculated?: Map<string, Plan>) => {
    const plans = files.map((file) => plan(file, byFile.get(file)!, speculated?.get(file)));
    const changed = plans.filter(isChange);
    // A dry run says what the real run would say, refusals included.
    refuseUnwritable(changed);
    if (!options.dryRun && changed.length) commit(changed, options);
    return plans.map(result);
  };
  if (options.dryRun) return run();
  await recoverInterruptedWrites(options.env ?? process.env, lockOptions.timeoutMs);
  const speculated = speculate(byFile);
  const results = await withLocks(files, lockOptions, () => {
    for (const file of files) removeLeftoverTemps(writeTarget(file));
    return run(speculated);
  });
  // A signal that came while the locks were held ends the process now, not after whatever the caller does next
  // (a rotation's report of 5,000 lines).
  await afterPendingSignals();
  return results;
}

/**
 * The new contents computed before the locks are taken, from the files as they are now: under the locks, a file
 * whose bytes are still exactly these takes its planned content without running its callbacks again, so a 7 MB
 * edit (its parse, splices and re-read) never runs with a lock held, where a signal would wait for it. A file
 * that changed meanwhile is planned again under the lock; one whose callbacks refuse now is planned (and
 * refused, or not) under the lock.
 */
function speculate(byFile: Map<string, TextChange[]>): Map<string, Plan> {
  const planned = new Map<string, Plan>();
  for (const [file, changes] of byFile) {
    try {
      planned.set(file, plan(file, changes));
    } catch {
      // Decided under the lock, on the content there.
    }
  }
  return planned;
}

function readBytes(file: string, target: string, what: FileKind): Buffer | undefined {
  try {
    return readFileSync(target);
  } catch (e) {
    if (errno(e) === 'ENOENT') return undefined;
    const why = errno(e) === 'EACCES' ? "permission denied; check the file's owner and mode" : (e as Error).message;
    throw configError(`error loading ${what} "${file}": ${why}`);
  }
}

/** The bytes as text: invalid UTF-8 in a kubeconfig survives the edit as it was (decodeBytes/encodeText). */
function decode(file: string, bytes: Buffer, what: FileKind): string {
  // kubectl reads a UTF-16 kubeconfig too; rewriting it as UTF-8 would change more than the edit.
  if (what === 'config file' && isUtf16(bytes)) {
    throw invalidInput(`"${file}" is encoded in UTF-16; kubectl-cwtoken edits UTF-8 files only: convert it (iconv -f UTF-16 -t UTF-8) or edit it by hand`);
  }
  return what === 'config file' ? decodeBytes(bytes) : decodeUtf8(bytes);
}

const notRegular = (file: string) => new CwError('write', `"${file}" is not a regular file; nothing was written: pass --kubeconfig a kubeconfig file`);

function plan(file: string, changes: TextChange[], speculated?: Plan): Plan {
  const target = writeTarget(file);
  const keep = existing(target);
  // A FIFO or device is never read under the lock (a FIFO without a writer would block us holding it).
  if (keep && !keep.regular) throw notRegular(file);
  const what: FileKind = changes.some((c) => 'what' in c && c.what === 'config file') ? 'config file' : 'token file';
  const before = readBytes(file, target, what);
  // The callbacks already ran on exactly these bytes (and the file is still the one they were read from).
  if (speculated && speculated.target === target && sameBytes(speculated.before, before)) return { ...speculated, keep };
  // Changes apply in order, each to the result of the one before.
  let after = before;
  for (const change of changes) {
    if ('restore' in change) {
      const now = after === undefined ? undefined : sha(after);
      if (now !== change.restore.expectSha) throw new CwError('write', `"${file}" ${change.restore.changedSince}; nothing was written`);
      after = change.restore.bytes;
    } else {
      after = encodeText(change.replace(after === undefined ? undefined : decode(file, after, what)));
    }
  }
  return { file, target, before, after, keep };
}

const sameBytes = (a: Buffer | undefined, b: Buffer | undefined) => (a === undefined ? b === undefined : b !== undefined && a.equals(b));

const isChange = (p: Plan) => (p.after === undefined ? p.before !== undefined : !p.after.equals(p.before ?? Buffer.alloc(0)));

function result(p: Plan): FileResult {
  const mode = p.keep?.mode ?? 0o600;
  const changed = isChange(p);
  return {
    file: p.file,
    target: p.target,
    changed,
    created: p.before === undefined && changed,
    removed: p.after === undefined && changed,
    mode,
    wideMode: (mode & 0o077) !== 0,
  };
}

function refuseUnwritable(plans: Plan[]): void {
  for (const p of plans) {
    if (p.keep && !p.keep.regular) throw notRegular(p.file);
    if (!isWritable(p.target, p.keep)) {
      const mode = p.keep ? ` (mode ${octal(p.keep.mode)})` : '';
      throw new CwError('write', `"${p.file}" is read-only${mode}; nothing was written: make it writable (chmod u+w) or leave it out of KUBECONFIG`);
    }
  }
}

/** Records the write for undo (and for roll-back if we are killed half-way); a failure to record is only told. */
function begin(plans: Plan[], options: WriteOptions): Journal | undefined {
  try {
    return Journal.begin(options.command ?? 'write', plans, options.undoes, options.env ?? process.env);
  } catch (e) {
    options.warn?.(`this write cannot be undone: the write history could not be kept (${errno(e) ?? (e as Error).message})`);
    return undefined;
  }
}

function commit(plans: Plan[], options: WriteOptions): void {
  const journal = begin(plans, options);
  const written: Plan[] = [];
  for (const p of plans) {
    try {
      put(p.target, p.after, p.keep);
      written.push(p);
    } catch (e) {
      const { names, complete } = restore(written);
      // Restored completely: there is nothing to roll back or undo. Otherwise the record stays pending and the
      // next writer (or `doctor --fix`) finishes the roll-back.
      if (complete) journal?.abandon();
      throw new CwError(
        'write',
        `writing "${p.file}" failed (${errno(e) ?? (e as Error).message}); ${written.length ? `put back ${names}` : 'nothing was written'}`,
        { cause: e },
      );
    }
  }
  try {
    journal?.finish();
  } catch (e) {
    options.warn?.(`the write happened but could not be recorded for undo (${errno(e) ?? (e as Error).message})`);
  }
}

function put(target: string, bytes: Buffer | undefined, keep: ExistingFile | undefined): void {
  if (bytes !== undefined) return writeAtomic(target, bytes, keep);
  try {
    unlinkSync(target);
  } catch (e) {
    if (errno(e) !== 'ENOENT') throw e;
  }
}

/** Puts already-written files back as they were; says which ones it could and could not restore. */
function restore(written: Plan[]): { names: string; complete: boolean } {
  const failed: string[] = [];
  for (const p of written.reverse()) {
    try {
      put(p.target, p.before, p.keep);
    } catch {
      failed.push(p.file);
    }
  }
  const names =
    written
      .filter((p) => !failed.includes(p.file))
      .map((p) => `"${p.file}"`)
      .join(', ') || 'nothing';
  return { names: failed.length ? `${names}, but could NOT restore ${failed.map((f) => `"${f}"`).join(', ')}` : names, complete: failed.length === 0 };
}

/**
 * Rolls back every write whose process died between its first and its last file (SIGKILL, power loss): each file
 * it wrote gets its old bytes back, under the file's lock. A file changed since by someone else is left alone
 * and the record kept, marked interrupted (`undo --list` shows it). Returns what was rolled back.
 */
export async function recoverInterruptedWrites(env: NodeJS.ProcessEnv, timeoutMs = DEFAULT_LOCK_TIMEOUT_MS): Promise<StoredRecord[]> {
  let records: StoredRecord[];
  try {
    records = interrupted(env);
  } catch {
    // No readable history: nothing that we could roll back.
    return [];
  }
  for (const stored of records) {
    await withLocks(
      stored.record.files.map((f) => f.file),
      { timeoutMs },
      () => rollBack(stored, env),
    );
  }
  return records;
}

const shaOf = (target: string): string | undefined => {
  try {
    return sha(readFileSync(target));
  } catch (e) {
    if (errno(e) === 'ENOENT') return undefined;
    throw e;
  }
};

function rollBack(stored: StoredRecord, env: NodeJS.ProcessEnv): void {
  // Another writer may have rolled it back while we waited for the locks.
  if (!interrupted(env).some((s) => s.record.id === stored.record.id)) return;
  const now = stored.record.files.map((f) => shaOf(f.target));
  // Killed (or the power lost) after its last file: the write is complete, only its record was not moved.
  if (stored.record.files.every((f, i) => now[i] === f.afterSha)) return settle(stored, 'done', env);
  let untouchable = false;
  stored.record.files.forEach((f, i) => {
    const nowSha = now[i];
    if (nowSha === f.beforeSha) return;
    if (nowSha !== f.afterSha) {
      untouchable = true;
      return;
    }
    const before = readBlob(stored.dir, i, 'before');
    if (f.beforeSha && !before) {
      untouchable = true;
      return;
    }
    removeLeftoverTemps(f.target);
    put(f.target, before, existing(f.target));
  });
  if (untouchable) settle(stored, 'interrupted', env);
  else drop(stored);
}
