import { KubeconfigFile, MergedConfig, Section } from './model';
import { rawEntries, SECTION_NAMES, sectionOf } from './sections';

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
    for (const section of SECTION_NAMES) mergeSection(merged, file, section);
    const current = file.config['current-context'];
    if (!merged.currentContext && current) {
      merged.currentContext = current;
      merged.currentContextFile = file.path;
    }
  }
  return merged;
}

function mergeSection<S extends Section>(merged: MergedConfig, file: KubeconfigFile, section: S): void {
  const map = sectionOf(merged, section);
  // A null list item decodes to a zero-value entry in client-go: one named "", which kubectl lists.
  for (const { name, value, index } of rawEntries(file.config, section)) {
    const origin = { file: file.path, index };
    const existing = map.get(name);
    if (existing) existing.shadows.push(origin);
    else map.set(name, { name, value, origin, shadows: [] });
  }
}
