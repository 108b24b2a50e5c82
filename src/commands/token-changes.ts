import type { TokenChange } from '../usecases/token/plan';
import type { AffectedContext, Impact, Shadowing } from '../usecases/token/impact';
import type { FileResult } from '../files/transaction';
import type { AuthKind } from '../kubeconfig/resolve';
import { formatData } from '../output/format';
import { redact } from '../secrets/redact';
import { note, Streams } from '../output/streams';
import { warnWideModes } from './file-modes';

const AUTH_NAMES: Record<AuthKind, string> = {
  token: 'token',
  tokenFile: 'tokenFile',
  exec: 'exec',
  'auth-provider': 'auth-provider',
  'client-certificate': 'client certificate',
  'basic-auth': 'basic auth',
};

/** How many servers a message names before it counts the rest (-o json carries them all). */
const NAMED_SERVERS = 10;

/** `team-a, team-b (https://a), legacy (https://b)`: context names grouped by server, in order. */
export function describeContexts(contexts: Array<Pick<AffectedContext, 'context' | 'server'>>): string {
  const byServer = new Map<string, string[]>();
  for (const c of contexts) {
    const names = byServer.get(c.server ?? '');
    if (names) names.push(c.context);
    else byServer.set(c.server ?? '', [c.context]);
  }
  const groups = [...byServer];
  const named = groups
    .slice(0, NAMED_SERVERS)
    .map(([server, names]) => `${names.join(', ')} (${server || 'no server'})`)
    .join(', ');
  const rest = groups.slice(NAMED_SERVERS).reduce((n, [, names]) => n + names.length, 0);
  return rest
    ? `${named} and ${rest} more context${rest > 1 ? 's' : ''} on ${groups.length - NAMED_SERVERS} more server${groups.length - NAMED_SERVERS > 1 ? 's' : ''}`
    : named;
}

export function describeShadowing(s: Shadowing): string {
  const why = s.shadowed ? `, which shadows the "${s.user}" entry of ${s.contextFile} (kubectl ignores that one)` : '';
  return `context "${s.context}" (${s.contextFile}) uses user "${s.user}" as defined in ${s.userFile}${why}`;
}

function describeChange(c: TokenChange, verb: string): string {
  const removed = c.removedAuth?.length ? `; removed ${c.removedAuth.map((k) => AUTH_NAMES[k]).join(', ')}` : '';
  if (c.splitFrom) {
    return `${verb} new user "${c.user}" in ${c.file}, token ${redact(c.new)}${removed} (split from user "${c.splitFrom.user}" of ${c.splitFrom.file}, which keeps its token)`;
  }
  const where = c.field === 'tokenFile' ? `tokenFile "${c.tokenFile}" of user "${c.user}" (${c.file})` : `user "${c.user}" in ${c.file}`;
  const what = c.created ? `new user, token ${redact(c.new)}` : `token ${redact(c.old) || '(none)'} → ${redact(c.new)}`;
  return `${verb} ${where}: ${what}${removed}`;
}

export interface TokenReport {
  changes: TokenChange[];
  impact?: Impact;
  shadowing?: Shadowing;
}

/** Summary lines on stderr and, with -o json, the same data on stdout: tokens redacted in both. */
export function reportTokenChanges(
  streams: Streams,
  report: TokenReport,
  results: FileResult[],
  options: { dryRun: boolean; output?: string; extra?: Record<string, unknown> },
): void {
  const { changes, impact, shadowing } = report;
  const verb = options.dryRun ? 'would write' : 'wrote';
  if (shadowing) note(streams, `note: ${describeShadowing(shadowing)}`);
  for (const c of changes) note(streams, describeChange(c, verb));
  if (changes.length === 0) note(streams, 'nothing to change');
  else if (impact) {
    const says = options.dryRun ? 'would change' : 'changes';
    note(
      streams,
      `${says} what kubectl sends for ${impact.contexts.length ? `context${impact.contexts.length > 1 ? 's' : ''} ${describeContexts(impact.contexts)}` : 'no context'}`,
    );
  }
  warnWideModes(streams, results);
  if (options.output) {
    const data = {
      ...options.extra,
      dryRun: options.dryRun,
      changes: changes.map((c) => ({ ...c, old: c.old === undefined ? undefined : redact(c.old), new: redact(c.new) })),
      ...(impact ? { impact } : {}),
      ...(shadowing ? { shadowing } : {}),
    };
    streams.out(formatData(data, options.output === 'yaml' ? 'yaml' : 'json'));
  }
}
