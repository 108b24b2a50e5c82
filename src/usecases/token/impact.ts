import { resolveRelative } from '../../kubeconfig/paths';
import type { Context, Entry, MergedConfig } from '../../kubeconfig/model';
import type { TokenChange } from './plan';

/**
 * What a token write changes beyond the bytes: which contexts will send a different token afterwards, and on
 * which servers. kubectl reads a context's credentials from the first entry of its user's name in the chain
 * (the merged entry), and a tokenFile on every request, so a context changes when the entry it resolves to
 * is written, or when the file its entry's tokenFile names is.
 */

/** One context that will send a different token. */
export interface AffectedContext {
  context: string;
  /** The file that defines the context. */
  file: string;
  user: string;
  cluster?: string;
  server?: string;
}

export interface Impact {
  contexts: AffectedContext[];
  /** The distinct servers of those contexts, in context order. */
  servers: string[];
}

/** A written entry, as the changes name it. */
type Written = Pick<TokenChange, 'file' | 'user' | 'field' | 'tokenFile' | 'created'>;

export function impactOf(config: MergedConfig, written: Written[]): Impact {
  // Indexed, so that a rotation of thousands of holders stays linear.
  const entries = new Set(written.map((w) => key(w.file, w.user)));
  const tokenFiles = new Set(written.flatMap((w) => (w.field === 'tokenFile' && w.tokenFile ? [w.tokenFile] : [])));
  const created = new Set(written.flatMap((w) => (w.created ? [w.user] : [])));
  const sendsFrom = (context: Entry<Context>): boolean => {
    const name = context.value.user;
    if (!name) return false;
    const user = config.users.get(name);
    // A context whose user does not exist yet starts sending a token when the entry is created.
    if (!user) return created.has(name);
    if (entries.has(key(user.origin.file, user.name))) return true;
    return Boolean(user.value.tokenFile) && tokenFiles.has(resolveRelative(user.value.tokenFile!, user.origin));
  };
  const contexts = [...config.contexts.values()].filter(sendsFrom).map((c) => describeContext(config, c));
  return { contexts, servers: distinctServers(contexts) };
}

const key = (file: string, user: string) => `${file}\u0000${user}`;

/** The impact of pointing one context at a new user entry: that context alone. */
export function impactOfContext(config: MergedConfig, context: Entry<Context>, user: string): Impact {
  const contexts = [{ ...describeContext(config, context), user }];
  return { contexts, servers: distinctServers(contexts) };
}

export function describeContext(config: MergedConfig, context: Entry<Context>): AffectedContext {
  const cluster = context.value.cluster;
  const server = cluster ? config.clusters.get(cluster)?.value.server : undefined;
  return {
    context: context.name,
    file: context.origin.file,
    user: context.value.user ?? '',
    ...(cluster ? { cluster } : {}),
    ...(server ? { server } : {}),
  };
}

function distinctServers(contexts: AffectedContext[]): string[] {
  return [...new Set(contexts.flatMap((c) => (c.server ? [c.server] : [])))];
}

/** The contexts of `impact` on another server than `server`: what a write for one context must not reach silently. */
export function beyondServer(impact: Impact, server: string | undefined): AffectedContext[] {
  return impact.contexts.filter((c) => c.server !== server);
}

/**
 * A context whose user name resolves to an entry in another file than the context's: kubectl sends that
 * entry's token, whatever the context's own file defines under the name (`shadowed`, when it does).
 */
export interface Shadowing {
  context: string;
  contextFile: string;
  user: string;
  /** The file whose entry kubectl reads. */
  userFile: string;
  /** The context's own file defines the name too, and kubectl ignores that entry. */
  shadowed: boolean;
}

export function shadowingOf(config: MergedConfig, context: Entry<Context> | undefined): Shadowing | undefined {
  const name = context?.value.user;
  const user = name ? config.users.get(name) : undefined;
  if (!context || !user || user.origin.file === context.origin.file) return undefined;
  const shadowed = user.shadows.some((s) => s.file === context.origin.file);
  return { context: context.name, contextFile: context.origin.file, user: user.name, userFile: user.origin.file, shadowed };
}
