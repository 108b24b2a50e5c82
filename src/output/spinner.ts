import type { Output } from './streams';

/**
 * Runs `work` while an ora spinner turns on stderr, and clears it afterwards. Only on a terminal: pipes, logs and
 * CI never see spinner frames. ora is ESM-only and needed only on a TTY, hence the lazy import.
 */
export async function withSpinner<T>(streams: Output, text: string, work: () => Promise<T>): Promise<T> {
  // A terminal that reports no width (a pty nobody sized, as in some CI runners) sends ora 9 into an endless
  // loop: it divides by `columns` to count the lines to clear.
  if (!streams.interactive || !process.stderr.columns) return work();
  const { default: ora } = await import('ora');
  const spinner = ora({
    text,
    // `interactive` means process.stderr is a TTY, and ora needs the stream itself to redraw in place.
    stream: process.stderr,
    color: streams.color ? 'cyan' : false,
    // Commands may read the token from stdin; ora would otherwise put a TTY stdin into raw mode to discard input.
    discardStdin: false,
  }).start();
  try {
    return await work();
  } finally {
    spinner.stop();
  }
}
