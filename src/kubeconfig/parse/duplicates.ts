import { RawConfig, SECTIONS, Section } from '../model';
import type { PathSegment } from './shape';

/** A name defined twice in one section of one file: client-go refuses the whole file. */
export interface DuplicateName {
  section: Section;
  name: string;
  first: number;
  index: number;
}

/**
 * Every repeated name of a document, in file order. The document may not be a valid kubeconfig (doctor inspects
 * files kubectl refuses), so lists and names are taken as they come; a missing name is "", as client-go reads it.
 */
export function duplicateNames(document: RawConfig): DuplicateName[] {
  const duplicates: DuplicateName[] = [];
  for (const section of Object.keys(SECTIONS) as Section[]) {
    const list: unknown = document?.[section];
    if (!Array.isArray(list)) continue;
    const seen = new Map<unknown, number>();
    list.forEach((item, index) => {
      const name = (item as { name?: unknown } | null)?.name ?? '';
      const first = seen.get(name);
      if (first === undefined) seen.set(name, index);
      else duplicates.push({ section, name: String(name), first, index });
    });
  }
  return duplicates;
}

export const describeDuplicate = ({ section, name, first, index }: DuplicateName) =>
  `${SECTIONS[section]} "${name}" is defined twice in this file (${section}[${first}] and ${section}[${index}])`;

/** Where the second definition's name is, to find its line. */
export const duplicatePath = ({ section, index }: DuplicateName): PathSegment[] => [section, index, 'name'];
