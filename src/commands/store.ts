import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { applyEdits } from '../kubeconfig/edit/apply';
import { loadConfig, requireSomeFile } from '../kubeconfig/config';
import { selectTarget } from '../kubeconfig/resolve';
import { redact } from '../secrets/redact';
import { note, Streams, warn } from '../output/streams';
import { credentialOf } from '../usecases/lifecycle/credential';
import { planStore } from '../usecases/lifecycle/store';
import { storeDirectory } from '../usecases/lifecycle/token-store';
import { writeOptions } from './flags';
import type { CommandArgs, STORE_OPTIONS } from './options';

export type StoreArgs = CommandArgs<typeof STORE_OPTIONS>;

/**
 * Moves a user's token out of the kubeconfig into a 0600 file of the token store and rewrites the user entry to
 * an exec stanza that has kubectl ask `kubectl-cwtoken exec-credential` for it. Only the named user changes.
 */
export async function store(args: StoreArgs, streams: Streams): Promise<void> {
  const loaded = await loadConfig({ kubeconfig: args.kubeconfig, env: streams.env });
  requireSomeFile(loaded);
  const { config } = loaded;
  const { user } = selectTarget(config, { context: args.context, user: args.user });
  const directory = storeDirectory(streams.env);
  const { changes, storeFile, token } = planStore(user, directory, randomBytes(4).toString('hex'));
  if (!args.dryRun) mkdirSync(directory, { recursive: true, mode: 0o700 });
  await applyEdits(changes, writeOptions('store', args, streams));

  const verb = args.dryRun ? 'would move' : 'moved';
  note(streams, `${verb} the token ${redact(token)} of user "${user.name}" (${user.origin.file}) to "${storeFile}"`);
  note(
    streams,
    `user "${user.name}" now runs \`kubectl-cwtoken exec-credential\`: kubectl-cwtoken must be on PATH (krew links it), and a kuberc credentialPluginPolicy allowlist must name it`,
  );
  if (user.value.tokenFile) note(streams, `its tokenFile "${user.value.tokenFile}" was left in place: delete it if nothing else reads it`);
  const others = [...config.users.values()].filter((u) => {
    if (u.name === user.name) return false;
    try {
      return credentialOf(u).token === token;
    } catch {
      return false;
    }
  });
  if (others.length)
    warn(
      streams,
      `user ${others.map((u) => `"${u.name}"`).join(', ')} still ${others.length > 1 ? 'hold' : 'holds'} the same token in a kubeconfig file; store ${others.length > 1 ? 'them' : 'it'} too`,
    );
}
