import { KubeconfigDocument } from '../../kubeconfig/edit/edit';
import { definitionsOf, ImportPlan, IncomingFile, planImport, PlanOptions } from './plan';
import { RawConfig, SECTIONS, Section, SectionValue } from '../../kubeconfig/model';

/**
 * Plans an import against the target as re-read under its lock (plus the rest of the chain, which the import does
 * not write) and applies it in place: new entries appended, overwritten entries' bodies replaced whole. When every
 * entry is written once (the usual case), all of it is one batch: one splice and one re-read for 5,000 entries.
 */
export function importInto(doc: KubeconfigDocument, others: RawConfig[], incoming: IncomingFile[], options: PlanOptions): ImportPlan {
  const plan = planImport(definitionsOf([doc.config, ...others]), incoming, { ...options, target: doc.config });
  const apply = () => {
    for (const section of Object.keys(SECTIONS) as Section[]) {
      const added = plan.decisions.flatMap((d) => (d.section === section && d.action === 'add' ? [{ name: d.name, body: d.value }] : []));
      doc.addEntries(section, added);
    }
    for (const d of plan.decisions) {
      if (d.action === 'overwrite') overwrite(doc, d.section, d.name, d.value);
      if (d.action === 'update-token') doc.setField('users', d.name, 'token', d.token);
    }
  };
  // A batch reads the document as it was before it, so an entry written twice (added by one file, overwritten
  // by the next) is written edit by edit.
  if (writesEachOnce(plan)) doc.batch(apply);
  else apply();
  return plan;
}

function writesEachOnce(plan: ImportPlan): boolean {
  const written = new Set<string>();
  for (const d of plan.decisions) {
    if (d.action !== 'add' && d.action !== 'overwrite' && d.action !== 'update-token') continue;
    const key = `${d.section}\u0000${d.name}`;
    if (written.has(key)) return false;
    written.add(key);
  }
  return true;
}

function overwrite(doc: KubeconfigDocument, section: Section, name: string, value: SectionValue[Section]): void {
  if (!doc.entry(section, name)) return doc.addEntry(section, name, value);
  doc.replaceBody(section, name, value);
}
