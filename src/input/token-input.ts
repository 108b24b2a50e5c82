import { humanSize, NoWriter, readBounded, TooLarge } from '../files/bounded-read';
import { invalidInput, errorCode } from '../errors';
import { validateToken } from '../secrets/token';
import { looksLikeToken } from '../secrets/redact';
import { Streams, warn } from '../output/streams';
import { readAllBytes } from './read-all';
import { readHiddenLine } from './hidden-line';

/** The ways to hand over a new token, safest first: neither argv nor the shell history ever sees it. */
export interface TokenInputArgs {
  tokenStdin?: boolean;
  tokenFile?: string;
  tokenEnv?: string;
  token?: string;
}

export interface TokenInput {
  token: string;
  /** Where it came from, for messages: "stdin", "--token-file x", ... never the value. */
  from: string;
}

/** A token is a few KB (a JWT rarely 8): more is the wrong input (`yes |`, /dev/zero, a whole file pasted). */
export const MAX_TOKEN_BYTES = 16 * 1024;

async function readStdin(stream: NodeJS.ReadableStream, from: string): Promise<string> {
  try {
    return (await readAllBytes(stream, MAX_TOKEN_BYTES)).toString('utf8');
  } catch (e) {
    if (e instanceof TooLarge) throw tooLong(from);
    throw e;
  }
}

const tooLong = (from: string) =>
  invalidInput(`${from} gave more than ${humanSize(MAX_TOKEN_BYTES)}; a token is a few KB: check that it is the token; nothing was written`);

async function readTokenFile(file: string, from: string): Promise<string> {
  try {
    return readBounded(file, { maxBytes: MAX_TOKEN_BYTES }).toString('utf8');
  } catch (e) {
    if (e instanceof TooLarge) throw tooLong(from);
    if (e instanceof NoWriter) throw invalidInput(`${from} is a FIFO and ${e.message}; nothing was written`);
    throw invalidInput(`cannot read ${from} (${errorCode(e)}); nothing was written`);
  }
}

/** Reads and validates the new token from the one source given; surrounding whitespace is trimmed. */
export async function readTokenInput(args: TokenInputArgs, streams: Streams): Promise<TokenInput> {
  const given = [
    args.tokenStdin && '--token-stdin',
    args.tokenFile !== undefined && '--token-file',
    args.tokenEnv !== undefined && '--token-env',
    args.token !== undefined && '--token',
  ].filter(Boolean);
  if (given.length === 0) throw invalidInput('no token given: pipe it in with --token-stdin, or use --token-file PATH or --token-env VAR');
  if (given.length > 1) throw invalidInput(`give the token one way only, not ${given.join(' and ')}`);

  let input: TokenInput;
  if (args.tokenStdin) {
    const stdin = streams.stdin;
    const terminal = (stdin as NodeJS.ReadStream).isTTY ? (stdin as NodeJS.ReadStream) : undefined;
    const text = terminal ? await readHiddenLine(terminal, streams, 'token (input hidden): ') : await readStdin(stdin, 'stdin');
    input = { token: text.trim(), from: 'stdin' };
  } else if (args.tokenFile !== undefined) {
    // A token pasted where the path belongs must not be echoed back.
    const from = looksLikeToken(args.tokenFile) ? 'the file given to --token-file' : `--token-file "${args.tokenFile}"`;
    input = { token: (await readTokenFile(args.tokenFile, from)).trim(), from };
  } else if (args.tokenEnv !== undefined) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(args.tokenEnv)) {
      throw invalidInput('--token-env takes the name of an environment variable (is that the token itself? pipe it to --token-stdin); nothing was written');
    }
    const value = streams.env[args.tokenEnv];
    if (value === undefined) throw invalidInput(`environment variable ${args.tokenEnv} (from --token-env) is not set; nothing was written`);
    input = { token: value.trim(), from: `$${args.tokenEnv}` };
  } else {
    warn(streams, '--token puts the token in the process list and your shell history; prefer --token-stdin, --token-file or --token-env');
    input = { token: (args.token ?? '').trim(), from: '--token' };
  }
  validateToken(input.token, input.from);
  return input;
}
