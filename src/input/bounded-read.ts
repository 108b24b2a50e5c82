import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { errno } from '../errors';

/**
 * Reads a file, a FIFO, a device or an already open descriptor (stdin) without ever hanging or eating the
 * machine: at most `maxBytes` (one more byte is an error: `--token-file /dev/zero`, `yes | … --token-stdin`),
 * a named FIFO opened non-blocking and waited on for a writer at most `waitMs`.
 */
export interface BoundedRead {
  maxBytes: number;
  /** How long a named FIFO may stay without a writer or data. */
  waitMs: number;
}

export class TooLarge extends Error {
  constructor(readonly maxBytes: number) {
    super(`more than ${maxBytes} bytes`);
  }
}

export class NoWriter extends Error {
  constructor(readonly waitMs: number) {
    super(`nothing written to it within ${waitMs / 1000} s`);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const humanSize = (bytes: number) => (bytes >= 1 << 20 ? `${bytes / (1 << 20)} MiB` : `${bytes / 1024} KiB`);

/** `source`: a path, or a descriptor we do not own (0 for stdin). */
export async function readBounded(source: string | number, limits: BoundedRead): Promise<Buffer> {
  const fd = typeof source === 'number' ? source : openSync(source, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const fifo = fstatSync(fd).isFIFO();
    const chunks: Buffer[] = [];
    let total = 0;
    let idleSince = Date.now();
    const chunk = Buffer.alloc(64 * 1024);
    for (;;) {
      let n: number;
      try {
        n = readSync(fd, chunk, 0, Math.min(chunk.length, limits.maxBytes + 1 - total), null);
      } catch (e) {
        // A non-blocking pipe with a writer but no data yet.
        if (errno(e) !== 'EAGAIN') throw e;
        n = -1;
      }
      if (n > 0) {
        chunks.push(Buffer.from(chunk.subarray(0, n)));
        total += n;
        idleSince = Date.now();
        if (total > limits.maxBytes) throw new TooLarge(limits.maxBytes);
        continue;
      }
      // EOF. A named FIFO nobody has opened yet reads as EOF too: wait (bounded) for its writer.
      if (n === 0 && !(fifo && total === 0 && typeof source === 'string')) break;
      // stdin waits as long as its writer takes (`curl … | import -`), as cat would.
      if (typeof source === 'string' && Date.now() - idleSince >= limits.waitMs) throw new NoWriter(limits.waitMs);
      await sleep(20);
    }
    return Buffer.concat(chunks);
  } finally {
    if (typeof source !== 'number') closeSync(fd);
  }
}
