import { encodeText } from '../text/bytes';

/**
 * Where the CLI writes: data to stdout, everything meant for a person to stderr. Commands receive this so
 * tests can capture both.
 */
export interface Streams {
  out(text: string): void;
  err(text: string): void;
  /** True when stderr is a terminal: spinners only then. */
  interactive: boolean;
  /** Colour for what goes to stderr (messages, spinners). */
  color: boolean;
  /** Colour for what goes to stdout (tables): `contexts | grep` must get plain text even on a terminal. */
  outColor: boolean;
  /** The width of the terminal stdout is, if it is one: help wraps to it. */
  columns?: number;
}

const colorAllowed = () => !('NO_COLOR' in process.env && process.env.NO_COLOR !== '') && process.env.TERM !== 'dumb';

export function processStreams(): Streams {
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

export const warn = (streams: Streams, message: string) =>
  streams.err(`${streams.color ? '\u001b[33mwarning:\u001b[0m' : 'warning:'} ${message}\n`);
export const note = (streams: Streams, message: string) => streams.err(`${message}\n`);
