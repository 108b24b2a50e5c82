import { byteOrder } from '../text/byte-order';
import { Cluster, Context, Entry, MergedConfig, Origin, User } from './model';

/**
 * A reference of a context that kubectl resolves to another file's entry although the context's own file
 * defines that name too: the hidden clash of two downloaded kubeconfigs that both name their user `token`.
 */
export interface BorrowedReference {
  section: 'clusters' | 'users';
  name: string;
  /** The file whose definition kubectl uses. */
  from: string;
}

/** One merged context as kubectl sees it, with where each part comes from. */
export interface ContextView {
  name: string;
  current: boolean;
  context: Entry<Context>;
  cluster?: Entry<Cluster>;
  user?: Entry<User>;
  borrowed: BorrowedReference[];
  /** Later definitions of this context name, which kubectl ignores. */
  hides: Origin[];
}

const definedIn = (file: string, entry: Entry<unknown>): boolean => entry.origin.file !== file && entry.shadows.some((s) => s.file === file);

function borrowed(config: MergedConfig, context: Entry<Context>): BorrowedReference[] {
  const refs: BorrowedReference[] = [];
  const file = context.origin.file;
  const cluster = config.clusters.get(context.value.cluster ?? '');
  if (cluster && definedIn(file, cluster)) refs.push({ section: 'clusters', name: cluster.name, from: cluster.origin.file });
  const user = config.users.get(context.value.user ?? '');
  if (user && definedIn(file, user)) refs.push({ section: 'users', name: user.name, from: user.origin.file });
  return refs;
}

/** The merged contexts in the order `kubectl config get-contexts` prints them (Go's sort.Strings). */
export function listContexts(config: MergedConfig): ContextView[] {
  return [...config.contexts.keys()].sort(byteOrder).map((name) => {
    const context = config.contexts.get(name)!;
    return {
      name,
      current: name === config.currentContext,
      context,
      cluster: config.clusters.get(context.value.cluster ?? ''),
      user: config.users.get(context.value.user ?? ''),
      borrowed: borrowed(config, context),
      hides: context.shadows,
    };
  });
}
