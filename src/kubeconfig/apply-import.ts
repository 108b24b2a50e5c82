import { invalidInput } from './errors';
import { KubeconfigDocument } from './edit';
import { definitionsOf, ImportPlan, IncomingFile, planImport, PlanOptions, SINGULAR } from './import-plan';
import { RawConfig, Section, SectionValue } from './types';

/**
 * Plans an import against the target as re-read under its lock (plus the rest of the chain, which the import does
 * not write) and applies it in place: new entries appended, overwritten entries edited field by field.
 */
export function importInto(doc: KubeconfigDocument, others: RawConfig[], incoming: IncomingFile[], options: PlanOptions): ImportPlan {
  const plan = planImport(definitionsOf([doc.config, ...others]), incoming, options);
  for (const d of plan.decisions) {
    if (d.action === 'add') doc.addEntry(d.section, d.name, d.value);
    if (d.action === 'overwrite') overwrite(doc, d.section, d.name, d.value);
  }
  return plan;
}

function overwrite(doc: KubeconfigDocument, section: Section, name: string, value: SectionValue[Section]): void {
  const current = doc.entry(section, name) as Record<string, unknown> | undefined;
  if (!current) return doc.addEntry(section, name, value);
  const wanted = value as Record<string, unknown>;
  for (const [field, v] of Object.entries(wanted)) {
    if (typeof v !== 'string' && typeof v !== 'boolean') {
      throw invalidInput(`cannot overwrite ${SINGULAR[section]} "${name}" in place: its field "${field}" is not a plain value; import with --on-conflict rename instead`);
    }
  }
  for (const field of Object.keys(current)) if (!(field in wanted)) doc.deleteField(section, name, field);
  for (const [field, v] of Object.entries(wanted)) if (current[field] !== v) doc.setField(section, name, field, v as string | boolean);
}
