import { afterPendingSignals, removeRegistered, whileHolding } from '../files/cleanup';

/** Ctrl-C, a closed terminal or dropped ssh session (SIGHUP), and SIGTERM. */
const ENDING_SIGNALS = ['SIGHUP', 'SIGINT', 'SIGTERM'] as const;

/** ora hides the cursor while it spins; its own restore runs on a listener this handler removes. */
const SHOW_CURSOR = '\u001B[?25h';

/**
 * A signal removes the locks and temp files we hold, then ends the process *by that signal*, as kubectl dies:
 * a shell loop (`while …; do kubectl cwtoken get; done`) stops on Ctrl-C only when its child died of SIGINT,
 * not when it exited 130. Every listener is removed first, so the re-raised signal takes its default action at
 * once, before any pending I/O callback could go on writing without the locks just removed.
 */
function endBy(signal: NodeJS.Signals): void {
  removeRegistered();
  for (const s of ENDING_SIGNALS) process.removeAllListeners(s);
  if (process.stderr.isTTY) process.stderr.write(SHOW_CURSOR);
  process.kill(process.pid, signal);
}

/**
 * Set up by the process entry point (src/main.ts) before any command runs; the handler is installed only while
 * we hold a lock or temp file. At any other moment the signal's default action ends the process at once, even in
 * the middle of reading a 7 MB kubeconfig: a JavaScript handler runs only when the event loop turns, which a long
 * synchronous step holds back. (Writes plan before locking, so the locked step is short: files/transaction.ts.)
 */
export function endBySignalsAfterCleanup(): void {
  let installed = false;
  // Bumped on every start and stop: a removal scheduled by an earlier stop is void once something is held again.
  let generation = 0;
  whileHolding(
    () => {
      generation++;
      if (installed) return;
      for (const signal of ENDING_SIGNALS) process.on(signal, endBy);
      installed = true;
    },
    // Once the event loop has polled again: a signal that arrived while the locks were held is delivered first.
    () => {
      const stopped = ++generation;
      void afterPendingSignals().then(() => {
        if (stopped !== generation) return;
        for (const signal of ENDING_SIGNALS) process.off(signal, endBy);
        installed = false;
      });
    },
  );
}
