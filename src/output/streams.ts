import { redactTokenShapes } from '../secrets/redact';

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
  /** The width of the terminal stdout is, if it is one: help wraps to it. */
  columns?: number;
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

/**
 * What a command is handed: the output streams and the rest of the process boundary, read from here only. `out`
 * and `err` redact every CoreWeave token and JWT they are given (redactTokenShapes): a token sitting where a name
 * belongs is never printed by accident. `secret` is stdout as it is, for the token the user asked for.
 */
export interface Streams extends Output {
  readonly secret: (text: string) => void;
  readonly env: NodeJS.ProcessEnv;
  readonly stdin: NodeJS.ReadableStream;
  readonly cwd: string;
}

// stdin stays a getter: creating process.stdin costs start-up time that `get`, which never reads it, must not pay.
export const commandStreams = (io: Io): Streams => ({
  ...io.streams,
  out: (text) => io.streams.out(redactTokenShapes(text)),
  err: (text) => io.streams.err(redactTokenShapes(text)),
  secret: (text) => io.streams.out(text),
  env: io.env,
  cwd: io.cwd,
  get stdin() {
    return io.stdin;
  },
});

export const warn = (streams: Streams, message: string) => streams.err(`${streams.color ? '\u001b[33mwarning:\u001b[0m' : 'warning:'} ${message}\n`);
export const note = (streams: Streams, message: string) => streams.err(`${message}\n`);
