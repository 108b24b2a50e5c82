import { chmodSync } from 'node:fs';
import { Repair } from './diagnose';
import { KubeconfigDocument } from '../../kubeconfig/edit/edit';
import { renameInFile, RenameInFile } from '../import/plan';
import { applyEdits } from '../../kubeconfig/edit/apply';
import type { WriteOptions } from '../../files/transaction';

/** Renames an entry of one file and every reference to it there, so the file means what it meant before. */
export function applyRename(doc: KubeconfigDocument, rename: RenameInFile): void {
  doc.renameEntry(rename.section, rename.from, rename.to);
  for (const { context, field } of rename.references) doc.setField('contexts', context, field, rename.to);
}

/** `doctor --fix`: file modes first (no content change), then the renames, each file under its lock. */
export async function applyRepairs(repairs: Repair[], options: WriteOptions): Promise<void> {
  for (const r of repairs) if (r.kind === 'chmod') chmodSync(r.file, r.mode);
  const renames = repairs.flatMap((r) => (r.kind === 'rename' ? [r] : []));
  if (renames.length === 0) return;
  const files = [...new Set(renames.map((r) => r.file))];
  await applyEdits(
    files.map((file) => ({
      file,
      // Computed from the file as re-read under the lock, so a reference added meanwhile is rewritten too.
      // One pass over the file however many renames it takes.
      edit: (doc: KubeconfigDocument) =>
        doc.batch(() => {
          for (const r of renames.filter((x) => x.file === file)) applyRename(doc, renameInFile(doc.config, r.section, r.from, r.to));
        }),
    })),
    options,
  );
}
