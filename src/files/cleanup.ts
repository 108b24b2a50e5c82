import { unlinkSync } from 'node:fs';

/**
 * Files this process must not leave behind when a signal ends it: the locks it holds and the temp files it is
 * writing. Registering happens in the same synchronous step as creating the file, so there is no moment in which
 * a file exists that a signal would leave behind. Ending the process is not this layer's business: the CLI's
 * signal handler (cli/signals.ts) calls removeRegistered() and then ends it, and is told (whileHolding) when
 * there starts and stops being anything to remove.
 */
const registered = new Set<string>();
let holding: { start(): void; stop(): void } | undefined;

/** `start` when the first file is registered, `stop` when none is left. */
export function whileHolding(start: () => void, stop: () => void): void {
  holding = { start, stop };
}

export function tryUnlink(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // Already gone: nothing to remove.
  }
}

/** Call before creating `file`. */
export function removeOnSignal(file: string): void {
  registered.add(file);
  if (registered.size === 1) holding?.start();
}

/** Call once `file` is removed, renamed into place, or handed over. */
export function forget(file: string): void {
  if (registered.delete(file) && registered.size === 0) holding?.stop();
}

/**
 * Resolves once the event loop has polled again. A signal caught during a synchronous step sits in libuv's signal
 * pipe until the next poll phase; when that step ran in a poll callback (after reading stdin, say), one
 * setImmediate resumes in the same iteration's check phase, *before* the signal is read. Two turns are after it.
 */
export const afterPendingSignals = (): Promise<void> => new Promise((resolve) => setImmediate(() => setImmediate(resolve)));

/** Removes every registered file, synchronously: called from a signal handler, just before the process ends. */
export function removeRegistered(): void {
  for (const file of registered) tryUnlink(file);
  registered.clear();
}
