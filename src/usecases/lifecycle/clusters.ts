import { createHash } from 'node:crypto';
import type { CksCluster } from '../../auth/coreweave-api';
import type { KubeconfigDocument } from '../../kubeconfig/edit/edit';
import type { Entry, MergedConfig, RawConfig, User } from '../../kubeconfig/model';
import { selectTarget, Selection } from '../../kubeconfig/resolve';
import { validateToken } from '../../secrets/token';
import { importInto } from '../import/apply';
import type { ImportPlan } from '../import/plan';
import { credentialOf } from './credential';

/** The token `clusters` asks the CoreWeave API with, and where it came from (for stderr: never the value). */
export interface ChosenToken {
  token: string;
  from: string;
  /** The user entry that holds it, when there is one: `--sync` points the new contexts at it. */
  user?: Entry<User>;
}

/**
 * COREWEAVE_API_TOKEN when it is set (CoreWeave's tools let it take precedence), else the token of --context /
 * --user, else of the current context.
 */
export function chooseToken(config: MergedConfig | undefined, selection: Selection, env: NodeJS.ProcessEnv): ChosenToken {
  const fromEnv = env.COREWEAVE_API_TOKEN?.trim();
  if (fromEnv) {
    validateToken(fromEnv, '$COREWEAVE_API_TOKEN');
    return { token: fromEnv, from: '$COREWEAVE_API_TOKEN', user: config && userHolding(config, fromEnv) };
  }
  if (!config) throw new Error('unreachable: a kubeconfig is loaded when COREWEAVE_API_TOKEN is not set');
  const target = selectTarget(config, selection);
  const { token } = credentialOf(target.user);
  const via = target.context && selection.user === undefined ? ` (context "${target.context.name}")` : '';
  return { token, from: `user "${target.user.name}"${via}`, user: target.user };
}

/** The first merged user (by name) whose bearer token is `token`. */
function userHolding(config: MergedConfig, token: string): Entry<User> | undefined {
  return [...config.users.values()]
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .find((u) => {
      try {
        return credentialOf(u).token === token;
      } catch {
        return false;
      }
    });
}

export const isRunning = (c: CksCluster) => /^(STATUS_)?RUNNING$/i.test(c.status);
export const serverOf = (c: CksCluster) => (c.apiServerEndpoint ? `https://${c.apiServerEndpoint}` : '');

/** A server URL as compared: host case and the default port do not make two servers different. */
function sameServer(a: string | undefined, b: string): boolean {
  const key = (s: string) => {
    try {
      const u = new URL(s);
      return `${u.protocol}//${u.hostname.toLowerCase()}:${u.port || (u.protocol === 'https:' ? '443' : '80')}${u.pathname.replace(/\/+$/, '')}`;
    } catch {
      return s;
    }
  };
  return a !== undefined && a !== '' && key(a) === key(b);
}

/** The merged contexts whose cluster's server is this CKS cluster's API server. */
export function contextsFor(config: MergedConfig | undefined, cluster: CksCluster): string[] {
  const server = serverOf(cluster);
  if (!config || !server) return [];
  return [...config.contexts.values()]
    .filter((c) => sameServer(config.clusters.get(c.value.cluster ?? '')?.value.server, server))
    .map((c) => c.name)
    .sort();
}

export type SyncAction = { cluster: CksCluster } & (
  { action: 'add' } | { action: 'has-context'; contexts: string[] } | { action: 'not-running' } | { action: 'no-endpoint' }
);

/** What `--sync` does with each cluster: only running clusters without a context get one. */
export function syncActions(config: MergedConfig | undefined, clusters: CksCluster[]): SyncAction[] {
  return clusters.map((cluster) => {
    if (!isRunning(cluster)) return { cluster, action: 'not-running' };
    if (!cluster.apiServerEndpoint) return { cluster, action: 'no-endpoint' };
    const contexts = contextsFor(config, cluster);
    return contexts.length ? { cluster, action: 'has-context', contexts } : { cluster, action: 'add' };
  });
}

/**
 * A readable name for a new user entry holding the token: after the CoreWeave organization in the clusters'
 * host names (`<org>-<hash>.k8s.<zone>.coreweave.com`), else a fingerprint of the token (never part of it).
 */
export function userNameFor(token: string, clusters: CksCluster[]): string {
  const orgs = new Set(clusters.flatMap((c) => /^([a-z0-9]+)-[a-z0-9]+\.k8s\./i.exec(c.apiServerEndpoint)?.[1].toLowerCase() ?? []));
  if (orgs.size === 1) return `coreweave-${[...orgs][0]}`;
  return `coreweave-${createHash('sha256').update(token).digest('hex').slice(0, 8)}`;
}

/**
 * Writes a cluster and a context per cluster to add, and (unless `reuse` names the user holding the token) one
 * user entry, through the import machinery: a taken name is renamed, never shadowed, and a repeated sync is a
 * no-op.
 */
export function syncInto(
  doc: KubeconfigDocument,
  others: RawConfig[],
  token: string,
  add: CksCluster[],
  reuse: string | undefined,
  newUser: string,
): ImportPlan {
  const user = reuse ?? newUser;
  const incoming: RawConfig = {
    clusters: add.map((c) => ({ name: c.name, cluster: { server: serverOf(c) } })),
    users: reuse ? [] : [{ name: newUser, user: { token } }],
    contexts: add.map((c) => ({ name: c.name, context: { cluster: c.name, user } })),
  };
  return importInto(doc, others, [{ source: 'the CoreWeave API', config: incoming }], { policy: 'rename' });
}
