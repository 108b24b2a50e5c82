import * as path from 'node:path';
import { loadConfig } from '../kubeconfig/config';
import { ContextView, listContexts } from '../kubeconfig/context-list';
import { authKinds, bearerToken } from '../kubeconfig/resolve';
import { Entry, User } from '../kubeconfig/model';
import { formatData } from '../output/format';
import { redact, redactTail } from '../secrets/redact';
import { Streams, warn } from '../output/streams';
import { renderTable } from '../output/table';
import type { CommandArgs, CONTEXTS_OPTIONS } from './options';

export type ContextsArgs = CommandArgs<typeof CONTEXTS_OPTIONS>;

/** What scripts get from `-o json|yaml`: one record per merged context, the token always redacted. */
interface ContextRecord {
  name: string;
  current: boolean;
  cluster: string;
  server: string;
  namespace: string;
  user: string;
  auth: string[];
  token: string;
  file: string;
  /** References kubectl resolves to an earlier file although this context's file defines them too. */
  borrowed: Array<{ kind: 'cluster' | 'user'; name: string; from: string }>;
  /** Files whose definition of this context name kubectl ignores. */
  hides: string[];
  /** References to a cluster or user that no file defines. */
  missing: Array<'cluster' | 'user'>;
}

function redactedToken(user: Entry<User> | undefined): string {
  if (!user) return '';
  try {
    return redact(bearerToken(user).token);
  } catch {
    return ''; // exec, certificates, or an unreadable tokenFile: nothing to show
  }
}

function record(view: ContextView): ContextRecord {
  const { context, cluster, user } = view;
  return {
    name: view.name,
    current: view.current,
    cluster: context.value.cluster ?? '',
    server: cluster?.value.server ?? '',
    namespace: context.value.namespace ?? '',
    user: context.value.user ?? '',
    auth: user ? authKinds(user.value) : [],
    token: redactedToken(user),
    file: context.origin.file,
    borrowed: view.borrowed.map((b) => ({ kind: b.section === 'users' ? 'user' : 'cluster', name: b.name, from: b.from })),
    hides: view.hides.map((o) => o.file),
    missing: [context.value.cluster && !cluster ? ('cluster' as const) : [], context.value.user && !user ? ('user' as const) : []].flat(),
  };
}

function note(r: ContextRecord): string {
  const parts = r.borrowed.map((b) => `${b.kind} "${b.name}" is ${path.basename(b.from)}'s (own one shadowed)`);
  if (r.hides.length) parts.push(`shadows ${r.hides.map((f) => path.basename(f)).join(', ')}`);
  for (const kind of r.missing) parts.push(`${kind} "${r[kind]}" is not defined`);
  return parts.join('; ');
}

/** The AUTH cell: how the user authenticates, and which token (its tail only) when it is a bearer token. */
function authCell(r: ContextRecord, user: Entry<User> | undefined): string {
  const token = user ? tokenTail(user) : '';
  return [r.auth.join(','), token].filter(Boolean).join(' ');
}

function tokenTail(user: Entry<User>): string {
  try {
    return redactTail(bearerToken(user).token);
  } catch {
    return '';
  }
}

/**
 * Lists the merged contexts as `kubectl config get-contexts` does (CURRENT, NAME, CLUSTER, AUTHINFO, NAMESPACE)
 * plus how each authenticates; `-o wide` adds the server, the defining file and what kubectl resolves elsewhere.
 * A context kubectl resolves surprisingly is also said on stderr, so the table itself stays kubectl's shape.
 */
export async function contexts(args: ContextsArgs, streams: Streams): Promise<void> {
  // As `kubectl config get-contexts`: a missing --kubeconfig file is an empty config, not an error.
  const { config } = await loadConfig({ kubeconfig: args.kubeconfig, env: streams.env, missingExplicitIsEmpty: true });
  const views = listContexts(config);
  if (args.output === 'name') return streams.out(views.map((v) => `${v.name}\n`).join(''));
  const records = views.map(record);
  if (args.output === 'json' || args.output === 'yaml') return streams.out(formatData(records, args.output));
  const wide = args.output === 'wide';
  const headers = ['CURRENT', 'NAME', 'CLUSTER', 'AUTHINFO', 'NAMESPACE', 'AUTH', ...(wide ? ['SERVER', 'FILE', 'NOTE'] : [])];
  const rows = records.map((r, i) => ({
    cells: [r.current ? '*' : '', r.name, r.cluster, r.user, r.namespace, authCell(r, views[i].user), ...(wide ? [r.server, r.file, note(r)] : [])],
    style: r.borrowed.length || r.missing.length ? ('warning' as const) : r.current ? ('highlight' as const) : ('plain' as const),
  }));
  streams.out(renderTable(headers, rows, streams.outColor, { headers: !args.noHeaders }));
  if (!wide) for (const r of records) if (note(r)) warn(streams, `context "${r.name}": ${note(r)}`);
}
