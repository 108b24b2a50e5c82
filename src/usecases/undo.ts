import { readFileSync } from 'node:fs';
import { CwError, errno } from '../errors';
import { applyEdits, FileChange } from '../kubeconfig/edit/apply';
import { FileResult, recoverInterruptedWrites, WriteOptions } from '../files/transaction';
import { history, readBlob, settle, sha, StoredRecord, WriteRecord } from '../files/journal';
import { writeTarget } from '../files/atomic-write';

/** A write `undo` can take back: finished, not already undone, and not itself an undo (undo walks back). */
const undoable = (r: WriteRecord) => r.state === 'done' && !r.undoes;

export interface UndoResult {
  undone: WriteRecord;
  results: FileResult[];
  /** The files were already as before the write (an undo killed after restoring them): only the record changed. */
  alreadyRestored: boolean;
}

function currentSha(file: string): string | undefined {
  try {
    return sha(readFileSync(writeTarget(file)));
  } catch (e) {
    if (errno(e) === 'ENOENT') return undefined;
    throw e;
  }
}

/**
 * Puts back the files of the newest undoable write, as one transaction of its own (locked, journaled), but only
 * where each file still is exactly what that write left: anything changed since (kubectl, an editor, another
 * write) refuses the whole undo and names the file.
 */
export async function undoLast(options: WriteOptions): Promise<UndoResult> {
  const env = options.env ?? process.env;
  if (!options.dryRun) await recoverInterruptedWrites(env, options.lockTimeoutMs);
  const stored = history(env).find((s) => undoable(s.record));
  if (!stored) throw new CwError('not-found', 'nothing to undo: no recorded write of kubectl-cwtoken is left to undo', { hint: { key: 'undo-list' } });
  const { record } = stored;
  if (record.files.every((f) => currentSha(f.file) === f.beforeSha)) {
    if (!options.dryRun) settle(stored, 'undone', env);
    return { undone: record, results: [], alreadyRestored: true };
  }
  const changedSince = `changed since the ${record.command} of ${record.time} (by kubectl, an editor or another write), so undoing it would lose that change`;
  const changes: FileChange[] = record.files.map((f, i) => ({
    file: f.file,
    restore: { expectSha: f.afterSha, bytes: before(stored, i), changedSince },
  }));
  const results = await applyEdits(changes, { ...options, undoes: record.id });
  if (!options.dryRun) settle(stored, 'undone', env);
  return { undone: record, results, alreadyRestored: false };
}

function before(stored: StoredRecord, index: number): Buffer | undefined {
  const entry = stored.record.files[index];
  const bytes = readBlob(stored.dir, index, 'before');
  if (entry.beforeSha && (!bytes || sha(bytes) !== entry.beforeSha)) {
    throw new CwError(
      'write',
      `the backup of "${entry.file}" from the ${stored.record.command} of ${stored.record.time} is missing or damaged; nothing was written`,
    );
  }
  return bytes;
}

/** The recorded writes, newest first, for `undo --list`. */
export const recentWrites = (env: NodeJS.ProcessEnv): WriteRecord[] => history(env).map((s) => s.record);
