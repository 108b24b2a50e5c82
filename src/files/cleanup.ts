import { unlinkSync } from 'node:fs';

/**
 * Files this process must not leave behind when a signal ends it: the locks it holds and the temp files it is
 * writing. The handlers are installed before the first such file is created and removed when none is left, so
 * a signal between creating a lock and registering it cannot exist (both happen in one synchronous step).
 */
const registered = new Set<string>();

/** The signals that end us with files to remove, and their numbers for the exit code (128 + n). */
const SIGNAL_NUMBERS = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 } as const;
const HANDLED = Object.keys(SIGNAL_NUMBERS) as Array<keyof typeof SIGNAL_NUMBERS>;
let installed = false;

export function tryUnlink(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // Already gone: nothing to remove.
  }
}

function removeAllAndExit(signal: NodeJS.Signals): void {
  for (const file of registered) tryUnlink(file);
  registered.clear();
  process.exit(128 + SIGNAL_NUMBERS[signal as keyof typeof SIGNAL_NUMBERS]);
}

/** Call before creating `file`. A closed terminal or dropped ssh session sends SIGHUP: handled too. */
export function removeOnSignal(file: string): void {
  if (!installed) {
    for (const signal of HANDLED) process.on(signal, removeAllAndExit);
    installed = true;
  }
  registered.add(file);
}

/** Call once `file` is removed, renamed into place, or handed over. */
export function forget(file: string): void {
  registered.delete(file);
  if (installed && registered.size === 0) {
    for (const signal of HANDLED) process.off(signal, removeAllAndExit);
    installed = false;
  }
}
