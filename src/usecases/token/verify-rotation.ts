import type { Cluster, Entry, MergedConfig } from '../../kubeconfig/model';
import { resolveRelative } from '../../kubeconfig/paths';
import type { Identity, VerifyTarget } from '../../auth/verify';
import type { Impact } from './impact';
import { mapBounded } from '../map-bounded';

/** How one server took the rotation's new token. */
export type ServerOutcome =
  | 'accepted' // the new token authenticates there
  | 'rejected-both' // 401 for the new token and for the old one: nothing that works there breaks
  | 'rejected' // 401 for the new token while the old one works (or could not be checked): the rotation would break it
  | 'failed'; // no answer about the new token (unreachable, TLS, no cluster…): nothing proves the rotation safe

export interface ServerCheck {
  server: string;
  cluster?: string;
  contexts: string[];
  outcome: ServerOutcome;
  identity?: Identity;
  /** Why it was not accepted (no token in it). */
  reason?: string;
}

export type CheckToken = (target: VerifyTarget) => Promise<Identity>;

/** How many API servers are asked at once. */
const CONCURRENCY = 4;

/**
 * Asks every distinct server of the contexts a rotation changes whether the new token authenticates there,
 * and where it does not, whether the old one did: a rotation may go on only where it breaks nothing.
 * `isRejection` tells a 401 from every other failure.
 */
export async function verifyRotation(
  config: MergedConfig,
  impact: Impact,
  tokens: { old: string; new: string },
  options: { timeoutMs: number; env: NodeJS.ProcessEnv; check: CheckToken; isRejection: (e: unknown) => boolean },
): Promise<ServerCheck[]> {
  const groups = new Map<string, { cluster?: Entry<Cluster>; contexts: string[]; server: string }>();
  for (const c of impact.contexts) {
    const cluster = c.cluster ? config.clusters.get(c.cluster) : undefined;
    // One request per distinct way of reaching a server: the same URL behind another CA or proxy is another check.
    const key = cluster ? JSON.stringify(reachedBy(cluster)) : `no cluster ${c.context}`;
    const group = groups.get(key) ?? { cluster, contexts: [], server: cluster?.value.server ?? '' };
    group.contexts.push(c.context);
    groups.set(key, group);
  }
  const checks = [...groups.values()];
  return mapBounded(checks, CONCURRENCY, async ({ cluster, contexts, server }): Promise<ServerCheck> => {
    const base = { server, ...(cluster ? { cluster: cluster.name } : {}), contexts };
    if (!cluster) return { ...base, outcome: 'failed', reason: 'the context names no cluster that exists' };
    const ask = (token: string) => options.check({ cluster, token, timeoutMs: options.timeoutMs, env: options.env });
    try {
      return { ...base, outcome: 'accepted', identity: await ask(tokens.new) };
    } catch (e) {
      const reason = (e as Error).message;
      if (!options.isRejection(e)) return { ...base, outcome: 'failed', reason };
      try {
        await ask(tokens.old);
      } catch (old) {
        if (options.isRejection(old)) return { ...base, outcome: 'rejected-both', reason };
      }
      return { ...base, outcome: 'rejected', reason };
    }
  });
}

function reachedBy(cluster: Entry<Cluster>) {
  const {
    server,
    'certificate-authority': ca,
    'certificate-authority-data': caData,
    'tls-server-name': name,
    'insecure-skip-tls-verify': insecure,
    'proxy-url': proxy,
  } = cluster.value;
  return [server, ca && resolveRelative(ca, cluster.origin), caData, name, insecure, proxy];
}
