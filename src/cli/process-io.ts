import type { Io, Output } from '../output/streams';
import { encodeText } from '../text/bytes';

/** The real process as the CLI's boundary (src/main.ts): what tests replace with their own `Io`. */
export const processIo = (): Io => ({
  streams: processStreams(),
  env: process.env,
  cwd: process.cwd(),
  get stdin() {
    return process.stdin;
  },
});

const colorAllowed = () => !('NO_COLOR' in process.env && process.env.NO_COLOR !== '') && process.env.TERM !== 'dumb';

function processStreams(): Output {
  const interactive = Boolean(process.stderr.isTTY);
  // `kubectl cwtoken contexts | head -1`: a reader that goes away is the end of the output, not a crash.
  // Any other write error (a full disk: `> /dev/full`) is one line and a failure, not a stack trace.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    process.stderr.write(`error: cannot write to stdout (${e.code ?? e.message})\n`);
    process.exit(1);
  });
  return {
    // A tokenFile's bytes are printed as they are, invalid UTF-8 included (text/bytes.ts).
    out: (text) => void process.stdout.write(encodeText(text)),
    err: (text) => void process.stderr.write(text),
    interactive,
    color: interactive && colorAllowed(),
    outColor: Boolean(process.stdout.isTTY) && colorAllowed(),
    columns: process.stdout.isTTY ? process.stdout.columns : undefined,
  };
}
