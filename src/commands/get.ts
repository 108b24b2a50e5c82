import { loadConfig, requireSomeFile } from '../kubeconfig/config';
import { Chain, locateChain } from '../kubeconfig/locate';
import { CwError } from '../errors';
import { bearerToken, firstUser, selectTarget } from '../kubeconfig/resolve';
import { cachedAnswer, changedSince, GetAnswer, identities, inlineTokenSource, storeAnswer, TokenSource } from '../usecases/token/get-cache';
import { formatData } from '../output/format';
import { Streams, warn } from '../output/streams';
import type { CommandArgs, GET_OPTIONS } from './options';
import { expiryWarning, tokenRecord } from '../usecases/lifecycle/token-record';
import { readStore, storeFileOf } from '../usecases/lifecycle/token-store';

export type GetArgs = CommandArgs<typeof GET_OPTIONS>;

/** How long `get` waits for a kubectl writer's lock before it reads a file it may have seen half-written. */
const HALF_WRITTEN_WAIT_MS = 2000;

/** Prints the bearer token kubectl would send: the only place besides --header where a token is printed. */
export async function get(args: GetArgs, streams: Streams): Promise<void> {
  const chain = locateChain({ kubeconfig: args.kubeconfig, env: streams.env });
  const before = identities(chain);
  try {
    await getOnce(args, streams, chain, before);
  } catch (e) {
    if (!(await mayHaveReadAHalfWrittenFile(e, chain, before))) throw e;
    await getOnce(args, streams, chain, identities(chain));
  }
}

/**
 * kubectl rewrites a kubeconfig in place (truncate, then write) under its <file>.lock, so a reader in that window
 * sees part of the file and a context or user seems missing. When a file of the chain was locked or changed
 * meanwhile, the answer is worth one more read, once the lock is gone.
 */
async function mayHaveReadAHalfWrittenFile(e: unknown, chain: Chain, before: string[]): Promise<boolean> {
  if (!(e instanceof CwError) || (e.kind !== 'config' && e.kind !== 'not-found')) return false;
  const { waitForUnlocked } = await import('../files/lock');
  const wasLocked = await waitForUnlocked(chain.paths, HALF_WRITTEN_WAIT_MS);
  return wasLocked || changedSince(chain, before);
}

/** `before`: the chain files' identities, taken before anything is read (the cache stores what they were). */
async function getOnce(args: GetArgs, streams: Streams, chain: Chain, before: string[]): Promise<void> {
  const selection = { context: args.context, user: args.user, firstUser: Boolean(args.firstUser) };
  const cached = cachedAnswer(chain, selection, streams.env);
  if (cached) return answer(streams, args, cached);
  // `kubectl config view` reads a missing --kubeconfig file as an empty config, so the jsonpath prints nothing.
  const loaded = await loadConfig({ kubeconfig: args.kubeconfig, env: streams.env, missingExplicitIsEmpty: args.firstUser });
  if (!args.firstUser) requireSomeFile(loaded);
  const { config } = loaded;
  let result: GetAnswer;
  let source: TokenSource | undefined;

  if (args.firstUser) {
    // Byte-for-byte what the documented jsonpath prints, including nothing when that user has no inline token.
    const user = firstUser(config);
    const token = user?.value.token ?? '';
    const none = config.files.some((f) => f.exists) ? 'the kubeconfig defines no user' : 'no kubeconfig file exists, so there is no user';
    const warnings = token ? [] : [user ? `user "${user.name}", the alphabetically first, has no inline token` : none];
    result = { context: null, user: user?.name ?? '', file: user?.origin.file ?? '', token, warnings };
    source = user && token ? inlineTokenSource(config.files, user.origin, token) : { none: true };
  } else {
    const target = selectTarget(config, { context: args.context, user: args.user });
    const context = target.context?.name ?? null;
    const record = tokenRecord(target.user.value);
    // A token moved to the token store: what kubectl gets from exec-credential (never cached: no source).
    const store = storeFileOf(target.user.value);
    if (store) {
      result = { context, user: target.user.name, file: store, token: readStore(store).token, warnings: [], record };
    } else {
      const bearer = bearerToken(target.user);
      result = {
        context,
        user: target.user.name,
        file: bearer.source === 'tokenFile' ? bearer.path : target.user.origin.file,
        token: bearer.token,
        warnings: bearer.source === 'token' && bearer.warning ? [bearer.warning] : [],
        record,
      };
      // An inline token is only ever the answer while no tokenFile is configured: that file is read every time.
      if (bearer.source === 'tokenFile') source = { tokenFile: bearer.path };
      else if (!target.user.value.tokenFile) source = inlineTokenSource(config.files, target.user.origin, bearer.token);
    }
  }
  storeAnswer(loaded.chain, selection, before, result, source, streams.env);
  answer(streams, args, result);
}

function answer(streams: Streams, args: GetArgs, { warnings, record, ...token }: GetAnswer): void {
  for (const warning of warnings) warn(streams, warning);
  // Worked out at every run, cached or not: it depends on the time.
  const expiry = expiryWarning(token.user, record);
  if (expiry && !args.quiet) warn(streams, expiry);
  print(streams, args, token);
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
  if (args.output) return streams.secret(formatData(record, args.output));
  if (args.header) return streams.secret(`Authorization: Bearer ${record.token}\n`);
  if (record.token) streams.secret(`${record.token}\n`);
}
