import { loadConfig, requireSomeFile } from '../kubeconfig/config';
import { locateChain } from '../kubeconfig/locate';
import { bearerToken, firstUser, selectTarget } from '../kubeconfig/resolve';
import { cachedAnswer, GetAnswer, identities, inlineTokenSource, storeAnswer, TokenSource } from '../usecases/token/get-cache';
import { formatData } from '../output/format';
import { Streams, warn } from '../output/streams';
import type { CommandArgs, GET_OPTIONS } from './options';

export type GetArgs = CommandArgs<typeof GET_OPTIONS>;


/** Prints the bearer token kubectl would send: the only place besides --header where a token is printed. */
export async function get(args: GetArgs, streams: Streams): Promise<void> {
  const selection = { context: args.context, user: args.user, firstUser: Boolean(args.firstUser) };
  const chain = locateChain({ kubeconfig: args.kubeconfig, env: streams.env });
  const cached = cachedAnswer(chain, selection);
  if (cached) return answer(streams, args, cached);
  const before = identities(chain);
  const loaded = await loadConfig({ kubeconfig: args.kubeconfig, env: streams.env });
  requireSomeFile(loaded);
  const { config } = loaded;
  let result: GetAnswer;
  let source: TokenSource | undefined;

  if (args.firstUser) {
    // Byte-for-byte what the documented jsonpath prints, including nothing when that user has no inline token.
    const user = firstUser(config);
    const token = user.value.token ?? '';
    const warnings = token ? [] : [`user "${user.name}", the alphabetically first, has no inline token`];
    result = { context: null, user: user.name, file: user.origin.file, token, warnings };
    source = token ? inlineTokenSource(config.files, user.origin, token) : { none: true };
  } else {
    const target = selectTarget(config, { context: args.context, user: args.user });
    const bearer = bearerToken(target.user);
    result = {
      context: target.context?.name ?? null,
      user: target.user.name,
      file: bearer.source === 'tokenFile' ? bearer.path : target.user.origin.file,
      token: bearer.token,
      warnings: bearer.source === 'token' && bearer.warning ? [bearer.warning] : [],
    };
    // An inline token is only ever the answer while no tokenFile is configured: that file is read every time.
    if (bearer.source === 'tokenFile') source = { tokenFile: bearer.path };
    else if (!target.user.value.tokenFile) source = inlineTokenSource(config.files, target.user.origin, bearer.token);
  }
  storeAnswer(loaded.chain, selection, before, result, source);
  answer(streams, args, result);
}

function answer(streams: Streams, args: GetArgs, { warnings, ...record }: GetAnswer): void {
  for (const warning of warnings) warn(streams, warning);
  print(streams, args, record);
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
