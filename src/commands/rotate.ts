import { loadConfig, requireSomeFile } from '../kubeconfig/config';
import { CwError } from '../errors';
import { selectTarget } from '../kubeconfig/resolve';
import { tokenNotice } from '../secrets/token';
import { planRotation } from '../usecases/token/plan';
import { impactOf, shadowingOf } from '../usecases/token/impact';
import { ServerCheck, verifyRotation } from '../usecases/token/verify-rotation';
import type { MergedConfig } from '../kubeconfig/model';
import type { Impact } from '../usecases/token/impact';
import { applyEdits } from '../kubeconfig/edit/apply';
import { readTokenInput } from '../input/token-input';
import { describeContexts, reportTokenChanges } from './token-changes';
import { withSpinner } from '../output/spinner';
import { note, Streams } from '../output/streams';
import { requestTimeoutMs, writeOptions } from './flags';
import type { CommandArgs, ROTATE_OPTIONS } from './options';
import { recordingChanges, recordUpdate } from '../usecases/lifecycle/record-edit';
import { credentialOf } from '../usecases/lifecycle/credential';
import { planStoreRotation } from '../usecases/lifecycle/store';

export type RotateArgs = CommandArgs<typeof ROTATE_OPTIONS>;

/**
 * Replaces a token everywhere it is in use: the selected user's current token is the old one, and every user
 * entry of the chain holding it (inline or in its tokenFile, shadowed entries included) gets the new one, after
 * every API server of every context that will change has accepted the new one (or rejected the old one too).
 * Each write re-checks, under the lock, that the entry still holds the old token, so a concurrent change is never
 * overwritten.
 */
export async function rotate(args: RotateArgs, streams: Streams): Promise<void> {
  const update = recordUpdate(args);
  const { token } = await readTokenInput(args, streams);
  const loaded = await loadConfig({ kubeconfig: args.kubeconfig, env: streams.env });
  requireSomeFile(loaded);
  const { config } = loaded;
  const target = selectTarget(config, { context: args.context, user: args.user });
  const old = credentialOf(target.user).token;
  const cluster = target.context && config.clusters.get(target.context.value.cluster ?? '');
  const hint = tokenNotice(token, cluster?.value.server);
  if (hint) note(streams, hint);
  if (old === token) {
    note(streams, `user "${target.user.name}" already has this token; nothing to change`);
    return reportTokenChanges(streams, { changes: [] }, [], { dryRun: args.dryRun, output: args.output });
  }

  const { changes, planned } = planRotation(config, old, token, args.only ? target.user : undefined);
  const { user } = target;
  // Users whose token is in the token store hold it too: their store files change with the rest.
  const stored = planStoreRotation(config, old, token, update, args.only ? user : undefined);
  const allPlanned = [...planned, ...stored.landed];
  const impact = impactOf(config, allPlanned);
  const shadowing = args.user === undefined ? shadowingOf(config, target.context) : undefined;
  const checks = args.verify ? await verify(config, impact, { old, new: token }, args, streams) : undefined;
  const alsoRecord = [...(user.value.tokenFile ? [{ file: user.origin.file, user: user.name }] : []), ...stored.holders];
  const recorded = recordingChanges([...changes, ...stored.changes], token, update, alsoRecord);
  const results = await applyEdits(recorded, writeOptions('rotate', args, streams));
  const authenticatedAs = checks?.find((c) => c.identity)?.identity?.username;
  reportTokenChanges(streams, { changes: allPlanned, impact, shadowing }, results, {
    dryRun: args.dryRun,
    output: args.output,
    extra: checks && { ...(authenticatedAs ? { authenticatedAs } : {}), verification: checks },
  });
}

/** Every server the rotation reaches must take the new token, or have refused the old one already. */
async function verify(config: MergedConfig, impact: Impact, tokens: { old: string; new: string }, args: RotateArgs, streams: Streams): Promise<ServerCheck[]> {
  if (impact.contexts.length === 0) {
    note(streams, 'no context sends this token, so there is no API server to verify the new one with');
    return [];
  }
  const { checkToken, TokenRejected } = await import('../auth/verify');
  const servers = impact.servers.length;
  const checks = await withSpinner(streams, `verifying the new token with ${servers} API server${servers === 1 ? '' : 's'}`, () =>
    verifyRotation(config, impact, tokens, {
      timeoutMs: requestTimeoutMs(args.timeout),
      env: streams.env,
      check: checkToken,
      isRejection: (e) => e instanceof TokenRejected,
    }),
  );
  const contexts = (c: ServerCheck) => describeContexts(c.contexts.map((context) => ({ context, server: c.server })));
  for (const c of checks) {
    if (c.outcome === 'accepted') note(streams, `authenticated as ${c.identity!.username} at ${contexts(c)}`);
    if (c.outcome === 'rejected-both') note(streams, `${c.server} rejects the old token too, so the rotation breaks nothing there (${contexts(c)}); going on`);
  }
  const blocking = checks.filter((c) => c.outcome === 'rejected' || c.outcome === 'failed');
  // Rejected everywhere, the new token breaks nothing, but proves nothing either: no context would work with it.
  if (!blocking.length && !checks.some((c) => c.outcome === 'accepted')) {
    throw new CwError(
      'verify',
      `no API server accepted the new token (${checks.map((c) => c.reason).join('; ')}); nothing was written: check that it is the right token, or pass --no-verify to rotate anyway`,
    );
  }
  if (blocking.length) {
    const why = blocking.map((c) => `${c.outcome === 'rejected' ? 'rejected by' : 'not verified with'} ${contexts(c)}: ${c.reason}`).join('; ');
    throw new CwError(
      'verify',
      `the new token was not accepted everywhere the rotation would put it; nothing was written: ${why}; pass --no-verify to rotate anyway`,
    );
  }
  return checks;
}
