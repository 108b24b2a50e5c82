import { DEFAULT_LOCK_TIMEOUT_MS } from '../files/lock';
import { invalidInput } from '../errors';
import { note, Streams, warn } from '../output/streams';
import type { WriteOptions } from '../files/transaction';

/** A duration flag in seconds (kubectl's plain-number habit) as milliseconds, refusing what cannot be waited for. */
function milliseconds(seconds: number, flag: string, allowZero: boolean): number {
  if (!Number.isFinite(seconds) || seconds < 0 || (!allowZero && seconds === 0)) {
    throw invalidInput(`${flag} takes a number of seconds${allowZero ? ' (0 or more)' : ' greater than 0'}; nothing was written`);
  }
  return seconds * 1000;
}

/** `--lock-timeout`: 0 means try the lock once. */
export const lockTimeoutMs = (seconds: number | undefined) => (seconds === undefined ? DEFAULT_LOCK_TIMEOUT_MS : milliseconds(seconds, '--lock-timeout', true));

/** How a command waits for `<file>.lock`: up to --lock-timeout, saying so on stderr after a second. */
export const lockWaiting = (seconds: number | undefined, streams: Streams) => ({
  lockTimeoutMs: lockTimeoutMs(seconds),
  onLockWait: (lock: string) => note(streams, `waiting for ${lock} (held by another kubectl or cwtoken) …`),
});

/** `--timeout` of a request to the API server. */
export const requestTimeoutMs = (seconds: number) => milliseconds(seconds, '--timeout', false);

/** How a command's write is done and recorded: `command` names it in `undo --list` (never its arguments). */
export const writeOptions = (command: string, args: { lockTimeout?: number; dryRun?: boolean }, streams: Streams): WriteOptions => ({
  command,
  dryRun: args.dryRun,
  ...lockWaiting(args.lockTimeout, streams),
  warn: (message) => warn(streams, message),
  env: streams.env,
});
