import { closeSync, constants, fstatSync, openSync, readlinkSync, readSync } from 'node:fs';
import { errno } from '../errors';

/**
 * Reads a file, a FIFO or a device without ever hanging or eating the machine: at most `maxBytes` (one more byte
 * is an error: `--kubeconfig /dev/zero`, `--token-file /dev/urandom`), a FIFO opened non-blocking and waited on
 * for a writer, or for its writer's next bytes, at most FIFO_WAIT_MS. Synchronous, so that every reader of a
 * kubeconfig or a tokenFile can use it; the wait for a FIFO sleeps in small steps.
 */
export interface BoundedRead {
  maxBytes: number;
}

/** How long a FIFO may stay without a writer or data: long enough for a slow writer, short enough to notice none. */
const FIFO_WAIT_MS = 10_000;

export class TooLarge extends Error {
  constructor(readonly maxBytes: number) {
    super(`more than ${humanSize(maxBytes)}`);
  }
}

export class NoWriter extends Error {
  constructor(readonly waitMs: number) {
    super(`nothing written to it within ${waitMs / 1000} s`);
  }
}

const pause = new Int32Array(new SharedArrayBuffer(4));
const sleep = (ms: number) => Atomics.wait(pause, 0, 0, ms);

export const humanSize = (bytes: number) => (bytes >= 1 << 20 ? `${bytes / (1 << 20)} MiB` : `${bytes / 1024} KiB`);

/** Linux names a pipe's descriptor `pipe:[inode]`; elsewhere (no /proc) every FIFO is treated as named. */
function isAnonymousPipe(fd: number): boolean {
  try {
    return readlinkSync(`/proc/self/fd/${fd}`).startsWith('pipe:');
  } catch {
    return false;
  }
}

export function readBounded(file: string, limits: BoundedRead): Buffer {
  const fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stat = fstatSync(fd);
    // A regular file says its size: one too large is refused before a byte is read.
    if (stat.isFile() && stat.size > limits.maxBytes) throw new TooLarge(limits.maxBytes);
    // Only a named FIFO can be opened before its writer: an anonymous pipe (`printf '' | … --kubeconfig
    // /dev/stdin`, `<(true)`) has had its writer from the start, so its EOF is the end, even with nothing read.
    const awaitsWriter = stat.isFIFO() && !isAnonymousPipe(fd);
    const chunks: Buffer[] = [];
    let total = 0;
    let idleSince = Date.now();
    for (;;) {
      // Each chunk is kept as read (no copy): a 100 MB kubeconfig costs its size twice at most, for the concat.
      const chunk = Buffer.allocUnsafe(Math.min(1 << 20, limits.maxBytes + 1 - total));
      let n: number;
      try {
        n = readSync(fd, chunk, 0, chunk.length, null);
      } catch (e) {
        // A non-blocking pipe with a writer but no data yet.
        if (errno(e) !== 'EAGAIN') throw e;
        n = -1;
      }
      if (n > 0) {
        chunks.push(chunk.subarray(0, n));
        total += n;
        idleSince = Date.now();
        if (total > limits.maxBytes) throw new TooLarge(limits.maxBytes);
        continue;
      }
      // EOF. A FIFO nobody has opened for writing yet reads as EOF too: wait (bounded) for its writer.
      if (n === 0 && !(awaitsWriter && total === 0)) break;
      if (Date.now() - idleSince >= FIFO_WAIT_MS) throw new NoWriter(FIFO_WAIT_MS);
      sleep(20);
    }
    return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total);
  } finally {
    closeSync(fd);
  }
}
