import { InternalError } from '../errors';
import { Entry, KubeconfigFile, MergedConfig, Origin, RawConfig, SECTIONS, Section, SectionValue } from './model';

/**
 * The one way to walk the three named lists: of one file as parsed (by index, as an `Origin` points at them) and
 * of the merged view (by name). Casts from the parsed, untyped lists to the typed bodies happen here only.
 */

/** Every section, in the order client-go's merge and kubectl's output list them. */
export const SECTION_NAMES = Object.keys(SECTIONS) as Section[];

export interface RawEntry<S extends Section> {
  /** "" when the item has no name, as client-go decodes it. */
  name: string;
  /** The body (`user:`, `cluster:`, `context:`); {} when absent. */
  value: SectionValue[S];
  index: number;
  /** A null list item: client-go's zero-value entry, named "". */
  empty: boolean;
}

/** The entries of one section of one file, null items included as client-go decodes them. */
export function rawEntries<S extends Section>(config: RawConfig, section: S): Array<RawEntry<S>> {
  const list = (config[section] ?? []) as Array<Record<string, unknown> | null>;
  return list.map((item, index) => ({
    name: (item?.name as string | undefined) ?? '',
    value: (item?.[SECTIONS[section]] ?? {}) as SectionValue[S],
    index,
    empty: item === null,
  }));
}

/** The entries a file really spells out (null items skipped): what an import or a rename works with. */
export const entriesOf = <S extends Section>(config: RawConfig, section: S): Array<RawEntry<S>> => rawEntries(config, section).filter((e) => !e.empty);

/** The merged entries of a section, by name. */
export const sectionOf = <S extends Section>(config: MergedConfig, section: S): Map<string, Entry<SectionValue[S]>> =>
  config[section] as Map<string, Entry<SectionValue[S]>>;

/** The file of the chain an origin points into. */
export function fileOf(config: MergedConfig, origin: Origin): KubeconfigFile {
  const file = config.files.find((f) => f.path === origin.file);
  if (!file) throw new InternalError(`no file "${origin.file}" in the merged chain`);
  return file;
}

/** The body of the entry an origin points at, as its own file spells it (a shadowed one included). */
export function bodyAt<S extends Section>(config: MergedConfig, section: S, origin: Origin): SectionValue[S] {
  // Straight to the item, not through rawEntries: a rotation looks up thousands of holders in one file.
  const item = ((fileOf(config, origin).config[section] ?? []) as Array<Record<string, unknown> | null>)[origin.index];
  return (item?.[SECTIONS[section]] ?? {}) as SectionValue[S];
}
