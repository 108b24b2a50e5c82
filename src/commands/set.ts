import { loadConfig } from '../kubeconfig/config';
import { notFound } from '../errors';
import { defaultFilename } from '../kubeconfig/locate';
import { lockWaiting } from './flags';
import { selectContext } from '../kubeconfig/resolve';
import { tokenNotice } from '../secrets/token';
import { planSetToken } from '../usecases/token/plan';
import type { MergedConfig } from '../kubeconfig/model';
import { applyEdits } from '../files/transaction';
import { readTokenInput } from '../input/token-input';
import { reportTokenChanges } from '../output/token-changes';
import { note, Streams } from '../output/streams';
import type { CommandArgs, SET_OPTIONS } from './options';
import { recordingChanges, recordUpdate } from '../usecases/lifecycle/record-edit';

export type SetArgs = CommandArgs<typeof SET_OPTIONS>;

/** Writes a token into one user entry, in the file that defines it (or where kubectl would create it). */
export async function set(args: SetArgs, streams: Streams): Promise<void> {
  const update = recordUpdate(args);
  const { token } = await readTokenInput(args, streams);
  const { chain, config } = await loadConfig({ kubeconfig: args.kubeconfig, missingExplicitIsEmpty: true });
  const { name, context } = targetName(config, args);
  const existing = config.users.get(name);
  const server = context && config.clusters.get(context.cluster ?? '')?.value.server;
  const hint = tokenNotice(token, server);
  if (hint) note(streams, hint);

  const { changes, record } = planSetToken(existing, name, defaultFilename(chain), token, args);
  // The named user is recorded even when its token does not change (`set --expires` dates the token it has), and
  // a tokenFile user always, since its kubeconfig entry is not where the token changes.
  const given = update.expiresAt !== undefined || update.note !== undefined;
  const recorded = recordingChanges(changes, token, update, given || record.field === 'tokenFile' ? [{ file: record.file, user: record.user }] : []);
  const results = await applyEdits(recorded, { dryRun: args.dryRun, ...lockWaiting(args.lockTimeout, streams) });
  reportTokenChanges(streams, [record], results, { dryRun: args.dryRun, output: args.output });
}

function targetName(config: MergedConfig, args: SetArgs): { name: string; context?: { cluster?: string } } {
  if (args.user !== undefined && args.context === undefined) {
    return { name: args.user, context: config.currentContext ? config.contexts.get(config.currentContext)?.value : undefined };
  }
  const context = selectContext(config, args.context);
  const name = args.user ?? context.value.user;
  if (!name) throw notFound(`context "${context.name}" names no user; pass --user NAME`);
  return { name, context: context.value };
}
