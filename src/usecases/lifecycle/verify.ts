import { CwError } from '../../errors';
import type { Cluster, Entry, MergedConfig } from '../../kubeconfig/model';
import { selectContext } from '../../kubeconfig/resolve';
import type { Streams } from '../../output/streams';
import { isCoreWeaveServer, isCoreWeaveToken } from '../../secrets/token';
import { credentialOf } from './credential';

/** One half of a check: what the server said, or why it could not say it. */
export type Outcome<T> = ({ ok: true } & T) | { ok: false; reason: string; message: string };

/** What `verify` found for one context. */
export interface ContextCheck {
  context: string;
  user: string;
  server: string;
  /** The SelfSubjectReview against the context's cluster. */
  kubernetes: Outcome<{ username: string; groups: string[] }>;
  /** The CoreWeave API's cluster list, for a CoreWeave token or server. */
  coreweave?: Outcome<{ clusters: number }>;
  /** What the user should know that is not a failure (the unmanaged `api.` endpoint). */
  notes: string[];
}

export interface VerifyOptions {
  timeoutMs: number;
  /** The CLI's environment: the CoreWeave API base (COREWEAVE_API_ENDPOINT) and the proxy variables. */
  env: NodeJS.ProcessEnv;
}

export const checkFailed = (c: ContextCheck) => !c.kubernetes.ok || (c.coreweave !== undefined && !c.coreweave.ok);

/**
 * A CKS cluster's unmanaged-auth endpoint: `api.` before the managed host. It authenticates with the cluster's
 * own credentials only, never with Console tokens.
 */
export function unmanagedEndpoint(server: string): string | undefined {
  try {
    const url = new URL(server);
    if (!/^api\.[^.]+\.k8s\.[^.]+\.coreweave\.com$/i.test(url.hostname)) return undefined;
    url.hostname = url.hostname.slice(4);
    return url.toString().replace(/\/$/, '');
  } catch {
    return undefined;
  }
}

/** Verifies the token of one context with its API server and, for a CoreWeave token, with the CoreWeave API. */
export async function checkContext(config: MergedConfig, name: string | undefined, options: VerifyOptions, quiet: Streams): Promise<ContextCheck> {
  const context = selectContext(config, name);
  const userName = context.value.user ?? '';
  const cluster = config.clusters.get(context.value.cluster ?? '');
  const server = cluster?.value.server ?? '';
  const check: ContextCheck = { context: context.name, user: userName, server, kubernetes: failed('config', ''), notes: [] };
  const managed = unmanagedEndpoint(server);
  if (managed) {
    check.notes.push(
      `${server} is the cluster's unmanaged-auth endpoint, which does not accept Cloud Console tokens; use the managed endpoint ${managed} for token users`,
    );
  }

  let token: string;
  try {
    const user = config.users.get(userName);
    if (!user)
      throw new CwError('not-found', userName ? `user "${userName}" does not exist in any kubeconfig file` : `context "${context.name}" names no user`);
    token = credentialOf(user).token;
  } catch (e) {
    check.kubernetes = failed('no-token', (e as Error).message);
    return check;
  }

  const coreweave = isCoreWeaveToken(token) || isCoreWeaveServer(server);
  const [kubernetes, api] = await Promise.all([
    cluster ? review(cluster, token, options, quiet) : failed('config', `context "${context.name}" names no cluster that exists`),
    coreweave ? clusterList(token, options) : undefined,
  ]);
  check.kubernetes = kubernetes;
  if (api) check.coreweave = api;
  return check;
}

async function review(cluster: Entry<Cluster>, token: string, options: VerifyOptions, quiet: Streams): Promise<ContextCheck['kubernetes']> {
  const { verifyToken } = await import('../../auth/verify');
  try {
    const identity = await verifyToken({ cluster, token, timeoutMs: options.timeoutMs, env: options.env }, quiet);
    return { ok: true, username: identity.username, groups: identity.groups };
  } catch (e) {
    if (!(e instanceof CwError)) throw e;
    return failed(reviewFailure(e.message), e.message);
  }
}

/** The SelfSubjectReview's errors carry no reason of their own (yet): the table's short word, from the message. */
function reviewFailure(message: string): string {
  const reasons: Array<[RegExp, string]> = [
    [/\b401 Unauthorized/, 'unauthorized'],
    [/\b403 Forbidden/, 'forbidden'],
    [/TLS|certificate/, 'tls'],
    [/cannot resolve the host/, 'dns'],
    [/did not answer within/, 'timeout'],
    [/cannot (connect to|reach)/, 'unreachable'],
  ];
  return reasons.find(([pattern]) => pattern.test(message))?.[1] ?? 'failed';
}

async function clusterList(token: string, options: VerifyOptions): Promise<ContextCheck['coreweave']> {
  const { CoreWeaveApiError, listClusters } = await import('../../auth/coreweave-api');
  try {
    const clusters = await listClusters({ token, timeoutMs: options.timeoutMs, env: options.env });
    return { ok: true, clusters: clusters.length };
  } catch (e) {
    if (e instanceof CoreWeaveApiError) return failed(e.reason, e.message);
    if (e instanceof CwError) return failed('failed', e.message);
    throw e;
  }
}

const failed = (reason: string, message: string) => ({ ok: false as const, reason, message });
