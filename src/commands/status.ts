import { loadConfig, requireSomeFile } from '../kubeconfig/config';
import { formatData } from '../output/format';
import { note, Streams } from '../output/streams';
import { renderTable } from '../output/table';
import { describeExpiry, tokenStatuses } from '../usecases/lifecycle/status';
import type { CommandArgs, STATUS_OPTIONS } from './options';

export type StatusArgs = CommandArgs<typeof STATUS_OPTIONS>;

/** Lists every token user with its age, expiry and note, and the contexts using it; tokens redacted. */
export async function status(args: StatusArgs, streams: Streams): Promise<void> {
  const loaded = await loadConfig({ kubeconfig: args.kubeconfig, env: streams.env });
  requireSomeFile(loaded);
  const now = new Date();
  const records = tokenStatuses(loaded.config, now);
  if (args.output) return streams.out(formatData(records, args.output));
  if (records.length === 0) return note(streams, 'no user in the kubeconfig has a bearer token');
  const rows = records.map((r) => ({
    cells: [r.user, r.token, r.age ?? '-', describeExpiry(r, now), r.contexts.join(',') || '-', r.tokenFile ?? r.file, r.note ?? ''],
    style: r.expiry === 'expired' || r.expiry === 'expiring' ? ('warning' as const) : ('plain' as const),
  }));
  streams.out(renderTable(['USER', 'TOKEN', 'AGE', 'EXPIRES', 'CONTEXTS', 'FILE', 'NOTE'], rows, streams.outColor));
}
