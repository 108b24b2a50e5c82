import { verifyToken } from '../auth/verify';
import { loadConfig, requireSomeFile } from '../kubeconfig/config';
import { invalidInput } from '../errors';
import { selectTarget, Target } from '../kubeconfig/resolve';
import { tokenNotice } from '../secrets/token';
import { planRotation } from '../usecases/token/plan';
import type { MergedConfig } from '../kubeconfig/model';
import { applyEdits } from '../files/transaction';
import { readTokenInput } from '../input/token-input';
import { reportTokenChanges } from '../output/token-changes';
import { note, Streams } from '../output/streams';
import { lockWaiting, requestTimeoutMs } from './flags';
import type { CommandArgs, ROTATE_OPTIONS } from './options';
import { recordingChanges, recordUpdate } from '../usecases/lifecycle/record-edit';
import { credentialOf } from '../usecases/lifecycle/credential';
import { planStoreRotation } from '../usecases/lifecycle/store';

export type RotateArgs = CommandArgs<typeof ROTATE_OPTIONS>;

/**
 * Replaces a token everywhere it is in use: the selected user's current token is the old one, and every user
 * entry of the chain holding it (inline or in its tokenFile, shadowed entries included) gets the new one, after
 * the API server has accepted the new one. Each write re-checks, under the lock, that the entry still holds the
 * old token, so a concurrent change is never overwritten.
 */
export async function rotate(args: RotateArgs, streams: Streams): Promise<void> {
  const update = recordUpdate(args);
  const { token } = await readTokenInput(args, streams);
  const loaded = await loadConfig({ kubeconfig: args.kubeconfig });
  requireSomeFile(loaded);
  const { config } = loaded;
  const target = selectTarget(config, { context: args.context, user: args.user });
  const old = credentialOf(target.user).token;
  const cluster = target.context && config.clusters.get(target.context.value.cluster ?? '');
  const hint = tokenNotice(token, cluster?.value.server);
  if (hint) note(streams, hint);
  if (old === token) {
    note(streams, `user "${target.user.name}" already has this token; nothing to change`);
    return reportTokenChanges(streams, [], [], { dryRun: args.dryRun, output: args.output });
  }

  const identity = args.verify ? await verify(target, config, token, args, streams) : undefined;
  const { changes, landed } = planRotation(config, old, token, args.only ? target.user : undefined);
  const { user } = target;
  const stored = planStoreRotation(config, old, token, update, args.only ? user : undefined);
  const alsoRecord = [...(user.value.tokenFile ? [{ file: user.origin.file, user: user.name }] : []), ...stored.holders];
  const recorded = recordingChanges([...changes, ...stored.changes], token, update, alsoRecord);
  const results = await applyEdits(recorded, { dryRun: args.dryRun, ...lockWaiting(args.lockTimeout, streams) });
  reportTokenChanges(streams, [...landed, ...stored.landed], results, { dryRun: args.dryRun, output: args.output, extra: identity && { authenticatedAs: identity.username } });
}

async function verify(target: Target, config: MergedConfig, token: string, args: RotateArgs, streams: Streams) {
  const clusterName = target.context?.value.cluster;
  const cluster = clusterName ? config.clusters.get(clusterName) : undefined;
  if (!cluster) {
    const why = target.context ? `context "${target.context.name}" names no cluster that exists` : 'no context is selected';
    throw invalidInput(`cannot verify the new token: ${why}; pass --context NAME, or --no-verify to write it unverified`);
  }
  const identity = await verifyToken({ cluster, token, timeoutMs: requestTimeoutMs(args.timeout) }, streams);
  note(streams, `authenticated as ${identity.username}`);
  return identity;
}
