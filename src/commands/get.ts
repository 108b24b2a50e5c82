import { loadConfig, requireSomeFile } from '../kubeconfig/config';
import { bearerToken, firstUser, selectTarget } from '../kubeconfig/resolve';
import { formatData } from '../output/format';
import { Streams, warn } from '../output/streams';
import type { CommandArgs, GET_OPTIONS } from './options';
import { expiryWarning, tokenRecord } from '../usecases/lifecycle/token-record';
import { readStore, storeFileOf } from '../usecases/lifecycle/token-store';

export type GetArgs = CommandArgs<typeof GET_OPTIONS>;


/** Prints the bearer token kubectl would send: the only place besides --header where a token is printed. */
export async function get(args: GetArgs, streams: Streams): Promise<void> {
  const loaded = await loadConfig({ kubeconfig: args.kubeconfig });
  requireSomeFile(loaded);
  const { config } = loaded;

  if (args.firstUser) {
    // Byte-for-byte what the documented jsonpath prints, including nothing when that user has no inline token.
    const user = firstUser(config);
    if (!user.value.token) warn(streams, `user "${user.name}", the alphabetically first, has no inline token`);
    return print(streams, args, { context: null, user: user.name, file: user.origin.file, token: user.value.token ?? '' });
  }

  const target = selectTarget(config, { context: args.context, user: args.user });
  const expiry = expiryWarning(target.user.name, tokenRecord(target.user.value));
  if (expiry && !args.quiet) warn(streams, expiry);
  const context = target.context?.name ?? null;
  // A token moved to the token store: what kubectl gets from exec-credential.
  const store = storeFileOf(target.user.value);
  if (store) return print(streams, args, { context, user: target.user.name, file: store, token: readStore(store).token });
  const bearer = bearerToken(target.user);
  if (bearer.source === 'token' && bearer.warning) warn(streams, bearer.warning);
  print(streams, args, {
    context,
    user: target.user.name,
    file: bearer.source === 'tokenFile' ? bearer.path : target.user.origin.file,
    token: bearer.token,
  });
}

interface TokenRecord {
  /** null with --first-user, or with --user when no context is selected: the keys are always the same. */
  context: string | null;
  user: string;
  /** The file the token was read from: the kubeconfig, or the tokenFile. */
  file: string;
  token: string;
}

function print(streams: Streams, args: GetArgs, record: TokenRecord): void {
  if (args.output) return streams.out(formatData(record, args.output));
  if (args.header) return streams.out(`Authorization: Bearer ${record.token}\n`);
  if (record.token) streams.out(`${record.token}\n`);
}
