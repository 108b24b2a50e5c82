import { unlinkSync } from 'node:fs';
import { errno } from '../errors';
import { applyEdits } from '../kubeconfig/edit/apply';
import { loadConfig, requireSomeFile } from '../kubeconfig/config';
import { selectTarget } from '../kubeconfig/resolve';
import { note, Streams, warn } from '../output/streams';
import { planUnstore, usersOfStore } from '../usecases/lifecycle/store';
import { writeOptions } from './flags';
import type { StoreArgs } from './store';

/** Puts a stored token back into the user entry (inline), and removes its store file when no entry names it. */
export async function unstore(args: StoreArgs, streams: Streams): Promise<void> {
  const loaded = await loadConfig({ kubeconfig: args.kubeconfig, env: streams.env });
  requireSomeFile(loaded);
  const { user } = selectTarget(loaded.config, { context: args.context, user: args.user });
  const { changes, storeFile } = planUnstore(user);
  await applyEdits(changes, writeOptions('unstore', args, streams));
  const verb = args.dryRun ? 'would put' : 'put';
  note(streams, `${verb} the token of user "${user.name}" back into ${user.origin.file}`);
  if (args.dryRun) return;
  const others = usersOfStore(loaded.config, storeFile).filter((u) => u !== `"${user.name}" (${user.origin.file})`);
  if (others.length) return note(streams, `kept "${storeFile}": user ${others.join(', ')} still ${others.length > 1 ? 'use' : 'uses'} it`);
  try {
    unlinkSync(storeFile);
    note(streams, `removed "${storeFile}"`);
  } catch (e) {
    if (errno(e) !== 'ENOENT') warn(streams, `could not remove "${storeFile}" (${errno(e)}); delete it by hand`);
  }
}
