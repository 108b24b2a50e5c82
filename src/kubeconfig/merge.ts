import { Entry, KubeconfigFile, MergedConfig, SECTIONS, Section, SectionValue } from './model';

/**
 * client-go's merge: clusters, users and contexts are maps by name and the first file that defines a name wins
 * the whole entry; current-context is the first non-empty one. Each entry remembers where it came from and
 * which later definitions it hides.
 */
export function merge(files: KubeconfigFile[]): MergedConfig {
  const merged: MergedConfig = {
    files,
    clusters: new Map(),
    users: new Map(),
    contexts: new Map(),
    currentContext: '',
  };
  for (const file of files) {
    for (const section of Object.keys(SECTIONS) as Section[]) mergeSection(merged, file, section);
    const current = file.config['current-context'];
    if (!merged.currentContext && current) {
      merged.currentContext = current;
      merged.currentContextFile = file.path;
    }
  }
  return merged;
}

function mergeSection<S extends Section>(merged: MergedConfig, file: KubeconfigFile, section: S): void {
  const map = merged[section] as Map<string, Entry<SectionValue[S]>>;
  const key = SECTIONS[section];
  const list = (file.config[section] ?? []) as Array<Record<string, unknown> | null>;
  list.forEach((item, index) => {
    // A null list item decodes to a zero-value entry in client-go: one named "", which kubectl lists.
    const name = (item?.name as string | undefined) ?? '';
    const origin = { file: file.path, index };
    const existing = map.get(name);
    if (existing) existing.shadows.push(origin);
    else map.set(name, { name, value: (item?.[key] ?? {}) as SectionValue[S], origin, shadows: [] });
  });
}
