/**
 * Where the CLI writes: data to stdout, everything meant for a person to stderr. Commands receive this so
 * tests can capture both.
 */
export interface Output {
  out(text: string): void;
  err(text: string): void;
  /** True when stderr is a terminal: spinners only then. */
  interactive: boolean;
  /** Colour for what goes to stderr (messages, spinners). */
  color: boolean;
  /** Colour for what goes to stdout (tables): `contexts | grep` must get plain text even on a terminal. */
  outColor: boolean;
}

/**
 * The process boundary, injected once (`main(argv, io)`): where the CLI writes, and the environment, stdin and
 * working directory it reads. Tests run the whole CLI in-process with their own.
 */
export interface Io {
  streams: Output;
  env: NodeJS.ProcessEnv;
  stdin: NodeJS.ReadableStream;
  cwd: string;
}

/** What a command is handed: the output streams and the rest of the process boundary, read from here only. */
export interface Streams extends Output {
  readonly env: NodeJS.ProcessEnv;
  readonly stdin: NodeJS.ReadableStream;
  readonly cwd: string;
}

// stdin stays a getter: creating process.stdin costs start-up time that `get`, which never reads it, must not pay.
export const commandStreams = (io: Io): Streams => ({
  ...io.streams,
  env: io.env,
  cwd: io.cwd,
  get stdin() {
    return io.stdin;
  },
});

export const processIo = (): Io => ({
  streams: processStreams(),
  env: process.env,
  cwd: process.cwd(),
  get stdin() {
    return process.stdin;
  },
});

const colorAllowed = () => !('NO_COLOR' in process.env && process.env.NO_COLOR !== '') && process.env.TERM !== 'dumb';

export function processStreams(): Output {
  const interactive = Boolean(process.stderr.isTTY);
  // `kubectl cwtoken contexts | head -1`: a reader that goes away is the end of the output, not a crash.
  // Any other write error (a full disk: `> /dev/full`) is one line and a failure, not a stack trace.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    process.stderr.write(`error: cannot write to stdout (${e.code ?? e.message})\n`);
    process.exit(1);
  });
  return {
    out: (text) => void process.stdout.write(text),
    err: (text) => void process.stderr.write(text),
    interactive,
    color: interactive && colorAllowed(),
    outColor: Boolean(process.stdout.isTTY) && colorAllowed(),
  };
}

export const warn = (streams: Streams, message: string) =>
  streams.err(`${streams.color ? '\u001b[33mwarning:\u001b[0m' : 'warning:'} ${message}\n`);
export const note = (streams: Streams, message: string) => streams.err(`${message}\n`);
