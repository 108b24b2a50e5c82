import { CwError } from '../errors';
import { loadConfig, requireSomeFile } from '../kubeconfig/config';
import { listContexts } from '../kubeconfig/context-list';
import { formatData } from '../output/format';
import { withSpinner } from '../output/spinner';
import { note, Streams } from '../output/streams';
import { renderTable } from '../output/table';
import { checkContext, checkFailed, ContextCheck } from '../usecases/lifecycle/verify';
import { mapBounded } from '../usecases/map-bounded';
import { requestTimeoutMs } from './flags';
import type { CommandArgs, VERIFY_OPTIONS } from './options';

export type VerifyArgs = CommandArgs<typeof VERIFY_OPTIONS>;

/** Contexts checked at once with --all: enough to hide latency, few enough not to look like a flood. */
const CONCURRENCY = 8;

/**
 * Asks each context's API server who its token is (SelfSubjectReview) and, for a CoreWeave token, the
 * CoreWeave API which clusters it opens. Results on stdout; exit code 9 when any check failed.
 */
export async function verify(args: VerifyArgs, streams: Streams): Promise<void> {
  const timeoutMs = requestTimeoutMs(args.timeout);
  const loaded = await loadConfig({ kubeconfig: args.kubeconfig, env: streams.env });
  requireSomeFile(loaded);
  const { config } = loaded;
  const names = args.all ? listContexts(config).map((v) => v.name) : [args.context];
  if (args.all && names.length === 0) throw new CwError('not-found', 'there are no contexts in the kubeconfig');
  // One spinner for the whole run; the checks themselves stay silent.
  const quiet: Streams = { ...streams, interactive: false };
  const what = args.all ? `verifying ${names.length} contexts` : 'verifying the token';
  const options = { timeoutMs, env: streams.env };
  const checks = await withSpinner(streams, what, () => mapBounded(names, CONCURRENCY, (name) => checkContext(config, name, options, quiet)));

  for (const check of checks) for (const line of check.notes) note(streams, `note: context "${check.context}": ${line}`);
  if (args.output) streams.out(formatData(args.all ? checks : checks[0], args.output));
  else if (args.all) streams.out(table(checks, streams.outColor));
  else streams.out(lines(checks[0]));

  const failures = checks.filter(checkFailed);
  if (failures.length === 0) return;
  if (!args.all) throw new CwError('verify', failureMessages(failures[0])[0]);
  for (const check of failures) for (const message of failureMessages(check)) streams.err(`context "${check.context}": ${message}\n`);
  throw new CwError('verify', `${failures.length} of ${checks.length} contexts failed verification`);
}

function failureMessages(check: ContextCheck): string[] {
  return [check.kubernetes, check.coreweave].flatMap((o) => (o && !o.ok ? [o.message] : []));
}

function lines(check: ContextCheck): string {
  const out: string[] = [];
  if (check.kubernetes.ok) out.push(`context "${check.context}" (user "${check.user}"): authenticated as ${check.kubernetes.username} by ${check.server}`);
  if (check.coreweave?.ok) out.push(`CoreWeave API: the token is valid and can see ${plural(check.coreweave.clusters, 'CKS cluster')}`);
  return out.map((l) => `${l}\n`).join('');
}

function table(checks: ContextCheck[], color: boolean): string {
  const cell = (o: ContextCheck['kubernetes'] | ContextCheck['coreweave'], ok: (v: never) => string) =>
    !o ? '-' : o.ok ? ok(o as never) : `FAILED (${o.reason})`;
  const rows = checks.map((c) => ({
    cells: [
      c.context,
      c.user,
      cell(c.kubernetes, (v: { username: string }) => v.username),
      cell(c.coreweave, (v: { clusters: number }) => `valid, ${plural(v.clusters, 'cluster')}`),
    ],
    style: checkFailed(c) ? ('warning' as const) : ('plain' as const),
  }));
  return renderTable(['CONTEXT', 'USER', 'AUTHENTICATED AS', 'COREWEAVE API'], rows, color);
}

const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
