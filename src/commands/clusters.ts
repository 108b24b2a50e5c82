import { listClusters, CksCluster } from '../auth/coreweave-api';
import { applyEdits } from '../kubeconfig/edit/apply';
import { loadChain, readText } from '../kubeconfig/load';
import { defaultFilename, locateChain } from '../kubeconfig/locate';
import { merge } from '../kubeconfig/merge';
import type { MergedConfig } from '../kubeconfig/model';
import { formatData } from '../output/format';
import { withSpinner } from '../output/spinner';
import { note, Streams } from '../output/streams';
import { renderTable } from '../output/table';
import type { ImportPlan } from '../usecases/import/plan';
import { chooseToken, contextsFor, serverOf, SyncAction, syncActions, syncInto, userNameFor } from '../usecases/lifecycle/clusters';
import { requestTimeoutMs, writeOptions } from './flags';
import { describe } from './import';
import type { CLUSTERS_OPTIONS, CommandArgs } from './options';

export type ClustersArgs = CommandArgs<typeof CLUSTERS_OPTIONS>;

/** Lists the CKS clusters a CoreWeave token can see; with --sync, gives each running one a context. */
export async function clusters(args: ClustersArgs, streams: Streams): Promise<void> {
  const timeoutMs = requestTimeoutMs(args.timeout);
  const chain = locateChain({ kubeconfig: args.kubeconfig, env: streams.env });
  // COREWEAVE_API_TOKEN alone needs no kubeconfig to list; --sync creates the file if need be.
  const files = await loadChain(chain, readText, { missingExplicitIsEmpty: true });
  const config: MergedConfig | undefined = files.some((f) => f.exists) || args.sync ? merge(files) : undefined;
  const chosen = chooseToken(config, { context: args.context, user: args.user }, streams.env);
  const ignored = streams.env.COREWEAVE_API_TOKEN?.trim() && (args.context !== undefined || args.user !== undefined);
  note(streams, `using the token of ${chosen.from}${ignored ? ', which takes precedence over --context/--user (unset it to use theirs)' : ''}`);

  const found = await withSpinner(streams, 'listing CKS clusters', () => listClusters({ token: chosen.token, timeoutMs, env: streams.env }));
  found.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const actions = syncActions(config, found);

  let plan: ImportPlan | undefined;
  if (args.sync) plan = await sync(args, chain, actions, chosen.token, chosen.user?.name, streams);
  const after = plan && !args.dryRun ? merge(await loadChain(chain, readText, { missingExplicitIsEmpty: true })) : config;
  const records = found.map((c) => ({
    name: c.name,
    id: c.id,
    zone: c.zone,
    status: c.status,
    version: c.version,
    server: serverOf(c),
    contexts: contextsFor(after, c),
  }));
  if (args.output) return streams.out(formatData(records, args.output));
  if (records.length === 0) return note(streams, 'the token can see no CKS clusters');
  const rows = records.map((r) => ({
    cells: [r.name, r.zone, r.status.replace(/^STATUS_/, ''), r.version, r.server || '-', r.contexts.join(',') || '-'],
  }));
  streams.out(renderTable(['NAME', 'ZONE', 'STATUS', 'VERSION', 'SERVER', 'CONTEXT'], rows, streams.outColor));
}

async function sync(
  args: ClustersArgs,
  chain: ReturnType<typeof locateChain>,
  actions: SyncAction[],
  token: string,
  reuse: string | undefined,
  streams: Streams,
) {
  const target = defaultFilename(chain);
  const add: CksCluster[] = actions.flatMap((a) => (a.action === 'add' ? [a.cluster] : []));
  for (const a of actions) {
    if (a.action === 'not-running') note(streams, `skip cluster "${a.cluster.name}": it is not running (${a.cluster.status || 'no status'})`);
    if (a.action === 'no-endpoint') note(streams, `skip cluster "${a.cluster.name}": it has no API server endpoint yet`);
    if (a.action === 'has-context')
      note(streams, `keep cluster "${a.cluster.name}": context ${a.contexts.map((c) => `"${c}"`).join(', ')} already uses its server`);
  }
  let plan: ImportPlan | undefined;
  if (add.length) {
    const files = await loadChain(chain, readText, { missingExplicitIsEmpty: true });
    const others = files.filter((f) => f.path !== target).map((f) => f.config);
    const newUser = userNameFor(token, add);
    const [result] = await applyEdits(
      [{ file: target, edit: (doc) => void (plan = syncInto(doc, others, token, add, reuse, newUser)) }],
      writeOptions('clusters --sync', args, streams),
    );
    const prefix = args.dryRun ? 'would ' : '';
    for (const d of plan!.decisions) {
      const line = describe(d, '');
      if (line) note(streams, `${prefix}${line}`);
    }
    if (reuse) note(streams, `the new contexts use user "${reuse}", which holds the token`);
    note(streams, result.changed ? (args.dryRun ? `dry run: ${target} was not changed` : `wrote ${target}`) : `${target} already has every running cluster`);
  } else {
    note(streams, 'every running cluster has a context already: nothing to write');
  }
  return plan;
}
