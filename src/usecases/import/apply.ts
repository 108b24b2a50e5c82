import { KubeconfigDocument } from '../../kubeconfig/edit/edit';
import { definitionsOf, ImportPlan, IncomingFile, planImport, PlanOptions } from './plan';
import { RawConfig, SECTIONS, Section, SectionValue } from '../../kubeconfig/model';

/**
 * Plans an import against the target as re-read under its lock (plus the rest of the chain, which the import does
 * not write) and applies it in place: new entries appended, overwritten entries' bodies replaced whole.
 */
export function importInto(doc: KubeconfigDocument, others: RawConfig[], incoming: IncomingFile[], options: PlanOptions): ImportPlan {
  const plan = planImport(definitionsOf([doc.config, ...others]), incoming, { ...options, target: doc.config });
  for (const section of Object.keys(SECTIONS) as Section[]) {
    const added = plan.decisions.flatMap((d) => (d.section === section && d.action === 'add' ? [{ name: d.name, body: d.value }] : []));
    doc.addEntries(section, added);
  }
  for (const d of plan.decisions) {
    if (d.action === 'overwrite') overwrite(doc, d.section, d.name, d.value);
    if (d.action === 'update-token') doc.setField('users', d.name, 'token', d.token);
  }
  return plan;
}

function overwrite(doc: KubeconfigDocument, section: Section, name: string, value: SectionValue[Section]): void {
  if (!doc.entry(section, name)) return doc.addEntry(section, name, value);
  doc.replaceBody(section, name, value);
}
