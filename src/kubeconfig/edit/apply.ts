import { InternalError } from '../../errors';
import { applyChanges, FileResult, Restore, TextChange, WriteOptions } from '../../files/transaction';
import { KubeconfigDocument } from './edit';

/**
 * A change for the transaction (src/files/transaction.ts): a kubeconfig edited in place, any other file (a
 * tokenFile) replaced whole, or bytes the write history kept put back (undo). An edit gets the document as re-read under the lock, and what it returns comes back
 * with the file's result, so a caller plans on fresh content without reaching out of the callback.
 */
export type FileChange<R = void> =
  | { file: string; edit: (doc: KubeconfigDocument) => R }
  | { file: string; replace: (current: string | undefined) => string }
  | { file: string; restore: Restore };

export interface EditResult<R> extends FileResult {
  /** What each edit of this file returned, in order. */
  values: R[];
}

/**
 * Applies the changes in one transaction. Several edits of one file share one document (parsed once); a
 * kubeconfig kubectl would refuse is a CwError('config') before anything is written.
 */
export async function applyEdits<R = void>(changes: Array<FileChange<R>>, options: WriteOptions = {}): Promise<Array<EditResult<R>>> {
  const files = [...new Set(changes.map((c) => c.file))];
  const values = new Map<string, R[]>(files.map((file) => [file, []]));
  const text: TextChange[] = files.flatMap((file): TextChange[] => {
    const own = changes.filter((c) => c.file === file);
    // Undo puts recorded bytes back and changes nothing else in such a file.
    const restores = own.flatMap((c) => ('restore' in c ? [c] : []));
    if (restores.length) return restores;
    return [
      {
        file,
        what: own.some((c) => 'edit' in c) ? 'config file' : 'token file',
        // The transaction may run this twice (planned before the lock, again under it if the file changed): the
        // values are those of the run whose content is written.
        replace: (current) => {
          const fileValues: R[] = [];
          values.set(file, fileValues);
          return applyInOrder(file, own, current, fileValues);
        },
      },
    ];
  });
  const results = await applyChanges(text, options);
  return results.map((r) => ({ ...r, values: values.get(r.file)! }));
}

function applyInOrder<R>(file: string, changes: Array<FileChange<R>>, current: string | undefined, values: R[]): string {
  let after = current;
  let doc: KubeconfigDocument | undefined;
  for (const change of changes) {
    if ('edit' in change) {
      doc ??= new KubeconfigDocument(after ?? '', file);
      values.push(change.edit(doc));
      after = doc.toString();
    } else if ('replace' in change) {
      if (doc) throw new InternalError(`"${file}" is changed both as a kubeconfig and as plain text`);
      after = change.replace(after);
    }
  }
  return after ?? '';
}
