/**
 * A JavaScript signal handler runs only when the event loop turns, which a long synchronous read of a big file
 * holds back: ours is installed only while there is a lock or temp file to remove, so that at any other moment
 * the signal's default action ends the process at once.
 */
import { readFile } from 'node:fs';
import { endBySignalsAfterCleanup } from '../../src/cli/signals';
import { afterPendingSignals as turn, forget, removeOnSignal } from '../../src/files/cleanup';

const oneImmediate = () => new Promise((resolve) => setImmediate(resolve));
const ours = () => process.listenerCount('SIGINT') + process.listenerCount('SIGTERM') + process.listenerCount('SIGHUP');

test('the handler is there exactly while a file is held, and goes once the event loop has turned after the last', async () => {
  const before = ours();
  endBySignalsAfterCleanup();
  expect(ours()).toBe(before);
  removeOnSignal('/nonexistent/a.lock');
  removeOnSignal('/nonexistent/a.cwtoken-tmp');
  expect(ours()).toBe(before + 3);
  forget('/nonexistent/a.lock');
  expect(ours()).toBe(before + 3);
  forget('/nonexistent/a.cwtoken-tmp');
  // Still there until the loop turns: a signal that arrived while the files were held is handled, not lost.
  expect(ours()).toBe(before + 3);
  await turn();
  expect(ours()).toBe(before);
});

test('after a locked step run from an I/O callback, the handler outlives the next poll, which reads a pending signal', async () => {
  const before = ours();
  endBySignalsAfterCleanup();
  // The locked write of `set --token-stdin` runs in a poll-phase callback (stdin was read); a Ctrl-C during it
  // is read from libuv's signal pipe in the *next* poll phase, after this iteration's immediates.
  await new Promise<void>((resolve) =>
    readFile(__filename, () => {
      removeOnSignal('/nonexistent/d.lock');
      forget('/nonexistent/d.lock');
      resolve();
    }),
  );
  await oneImmediate();
  expect(ours()).toBe(before + 3);
  await turn();
  expect(ours()).toBe(before);
});

test('a file held again before the removal keeps the handler', async () => {
  const before = ours();
  endBySignalsAfterCleanup();
  removeOnSignal('/nonexistent/b.lock');
  forget('/nonexistent/b.lock');
  removeOnSignal('/nonexistent/c.lock');
  await turn();
  expect(ours()).toBe(before + 3);
  forget('/nonexistent/c.lock');
  await turn();
  expect(ours()).toBe(before);
});
