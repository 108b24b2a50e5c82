/**
 * The one way anything writes a file the product owns (a kubeconfig, a tokenFile): locked, re-read, changed,
 * atomic. It deals in text; src/kubeconfig/edit/apply.ts turns in-place kubeconfig edits into these changes.
 *
 *   applyChanges(changes: TextChange[], options?: WriteOptions): Promise<FileResult[]>
 *
 *   TextChange = { file, what, replace: (current: string | undefined) => string }
 *
 * `file` is the path as named in the chain (an entry's `origin.file`, or `defaultFilename(chain)` for a new
 * entry). For each file, in one transaction:
 *  1. take `<file>.lock` (kubectl's lock; all files in sorted order, waiting up to `lockTimeoutMs`);
 *  2. re-read the file under the lock and run the callbacks on that fresh content: callbacks must look entries
 *     up by name in the content they are given, never trust what was read before locking (a missing file is
 *     `undefined`; a callback refuses what it cannot change by throwing, e.g. CwError('config'));
 *  3. when every callback has succeeded, write each changed file atomically (temp 0600 + fsync + rename + fsync
 *     dir) through symlinks, keeping mode and owner (new files 0600); a read-only file is refused up front;
 *  4. if a write fails, put back the files already written and throw CwError('write');
 *  5. release every lock, whatever happened.
 * With `dryRun`, steps 2-3 run without locks and nothing is written; the results say what would change.
 * Several changes to one file are applied in order, each to the result of the one before.
 */
import { readFileSync, unlinkSync } from 'node:fs';
import { CwError, configError, errno, invalidInput } from '../errors';
import { decodeBytes, decodeUtf8, encodeText, isUtf16 } from '../text/bytes';
import { existing, ExistingFile, isWritable, writeAtomic, writeTarget } from './atomic-write';
import { DEFAULT_LOCK_TIMEOUT_MS, withLocks } from './lock';

/** A new content for one file, computed from its content as re-read under the lock (undefined: no such file). */
export interface TextChange {
  file: string;
  /** What the file is, for messages. */
  what: 'config file' | 'token file';
  replace: (current: string | undefined) => string;
}

export interface WriteOptions {
  lockTimeoutMs?: number;
  /** Told the lock's name when a held lock has been waited for a while (LockOptions.onWait). */
  onLockWait?: (lock: string) => void;
  dryRun?: boolean;
}

export interface FileResult {
  /** As named in the change. */
  file: string;
  /** The file really written: differs from `file` when that is a symlink. */
  target: string;
  changed: boolean;
  created: boolean;
  /** The mode kept (or given, 0600, to a new file). */
  mode: number;
  /** The file is readable or writable by others (wider than 0600): left as is, but worth a warning. */
  wideMode: boolean;
}

interface Plan {
  file: string;
  target: string;
  before: string | undefined;
  after: string;
  keep: ExistingFile | undefined;
}

const octal = (mode: number) => `0${mode.toString(8).padStart(3, '0')}`;

export async function applyChanges(changes: TextChange[], options: WriteOptions = {}): Promise<FileResult[]> {
  const files = [...new Set(changes.map((c) => c.file))];
  const run = () => {
    const plans = files.map((file) => plan(file, changes.filter((c) => c.file === file)));
    const changed = plans.filter(isChange);
    // A dry run says what the real run would say, refusals included.
    refuseUnwritable(changed);
    if (!options.dryRun) commit(changed);
    return plans.map(result);
  };
  if (options.dryRun) return run();
  return withLocks(files, { timeoutMs: options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS, onWait: options.onLockWait }, run);
}

function read(file: string, target: string, what: 'config file' | 'token file'): string | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(target);
  } catch (e) {
    if (errno(e) === 'ENOENT') return undefined;
    const why = errno(e) === 'EACCES' ? "permission denied; check the file's owner and mode" : (e as Error).message;
    throw configError(`error loading ${what} "${file}": ${why}`);
  }
  // kubectl reads a UTF-16 kubeconfig too; rewriting it as UTF-8 would change more than the edit.
  if (what === 'config file' && isUtf16(bytes)) {
    throw invalidInput(`"${file}" is encoded in UTF-16; kubectl-cwtoken edits UTF-8 files only: convert it (iconv -f UTF-16 -t UTF-8) or edit it by hand`);
  }
  // Invalid UTF-8 bytes survive the edit as they were (decodeBytes/encodeText).
  return what === 'config file' ? decodeBytes(bytes) : decodeUtf8(bytes);
}

function plan(file: string, changes: TextChange[]): Plan {
  const target = writeTarget(file);
  const before = read(file, target, changes.some((c) => c.what === 'config file') ? 'config file' : 'token file');
  // Changes apply in order, each to the result of the one before.
  let after = before;
  for (const change of changes) after = change.replace(after);
  return { file, target, before, after: after ?? '', keep: existing(target) };
}

const isChange = (p: Plan) => p.after !== (p.before ?? '');

function result(p: Plan): FileResult {
  const mode = p.keep?.mode ?? 0o600;
  return { file: p.file, target: p.target, changed: isChange(p), created: p.before === undefined && isChange(p), mode, wideMode: (mode & 0o077) !== 0 };
}

function refuseUnwritable(plans: Plan[]): void {
  for (const p of plans) {
    if (p.keep && !p.keep.regular) {
      throw new CwError('write', `"${p.file}" is not a regular file; nothing was written: pass --kubeconfig a kubeconfig file`);
    }
    if (!isWritable(p.target, p.keep)) {
      const mode = p.keep ? ` (mode ${octal(p.keep.mode)})` : '';
      throw new CwError('write', `"${p.file}" is read-only${mode}; nothing was written: make it writable (chmod u+w) or leave it out of KUBECONFIG`);
    }
  }
}

function commit(plans: Plan[]): void {
  const written: Plan[] = [];
  for (const p of plans) {
    try {
      writeAtomic(p.target, encodeText(p.after), p.keep);
      written.push(p);
    } catch (e) {
      const restored = restore(written);
      throw new CwError(
        'write',
        `writing "${p.file}" failed (${errno(e) ?? (e as Error).message}); ${written.length ? `put back ${restored}` : 'nothing was written'}`,
        { cause: e },
      );
    }
  }
}

/** Puts already-written files back as they were; says which ones it could and could not restore. */
function restore(written: Plan[]): string {
  const failed: string[] = [];
  for (const p of written.reverse()) {
    try {
      if (p.before === undefined) unlinkSync(p.target);
      else writeAtomic(p.target, encodeText(p.before), p.keep);
    } catch {
      failed.push(p.file);
    }
  }
  const names = written.filter((p) => !failed.includes(p.file)).map((p) => `"${p.file}"`).join(', ') || 'nothing';
  return failed.length ? `${names}, but could NOT restore ${failed.map((f) => `"${f}"`).join(', ')}` : names;
}
