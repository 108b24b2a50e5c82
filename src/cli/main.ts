import { CwError, InternalError } from '../errors';
import { withHints } from '../commands/hints';
import { commandStreams, Io } from '../output/streams';
import { processIo } from './process-io';
import { COMMANDS, PREFIX } from './commands';
import { EXIT_CODES } from './exit-codes';
import { fastParse } from './fast-path';
import { commandNamed, parseRequest, UsageError } from './usage';
import { withoutEmptyGlobals } from './command';
import { camelCase } from '../commands/options';
import { redactWords } from '../secrets/redact';

/**
 * Runs the CLI and returns the exit code: the process (src/main.ts) or a test's own `io`. Relative paths (in argv,
 * KUBECONFIG, a kubeconfig's tokenFile) resolve against the working directory, the process's own for the file
 * system, so a different `io.cwd` is entered for the run and left afterwards.
 */
export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  const home = process.cwd();
  if (io.cwd === home) return run(argv, io);
  process.chdir(io.cwd);
  try {
    return await run(argv, io);
  } finally {
    process.chdir(home);
  }
}

/** Errors become one line on stderr; stacks only with --debug. */
async function run(argv: string[], io: Io): Promise<number> {
  const debug = argv.includes('--debug');
  const streams = commandStreams(io);
  try {
    if (argv[0] === '__complete') {
      // Completion runs on every <TAB>: no yargs, and a broken kubeconfig completes to nothing rather than failing.
      const { complete, formatCompletion } = await import('../completion/complete');
      streams.out(formatCompletion(await complete(COMMANDS, argv.slice(1), streams.env)));
      return 0;
    }
    const fast = fastParse(argv, COMMANDS);
    if (fast) {
      await (
        await fast.spec.load()
      )(withoutEmptyGlobals(fast.args, fast.spec.keepEmpty), streams);
      return 0;
    }
    const request = parseRequest(argv, COMMANDS);
    if (request.kind === 'run') await (await import('./yargs-cli')).runYargs(request.argv, streams);
    // help and version need no parser: run the registry's own handlers directly.
    else await (await commandNamed(COMMANDS, request.kind)!.load())(request.kind === 'help' ? { command: request.topic } : {}, streams);
    return 0;
  } catch (e) {
    // Every message may quote what was typed, and a token pasted in the wrong place is among it: yargs quotes
    // words without their dashes, the value of --flag=value, or camelCased.
    const typed = argv.flatMap((w) => {
      const bare = w.replace(/^-+/, '');
      return [w, bare, bare.slice(bare.indexOf('=') + 1), camelCase(bare)];
    });
    const scrub = (text: string) => redactWords(text, typed);
    const explain = (error: CwError | InternalError) => {
      if (debug) for (const line of debugLines(error)) streams.err(`${scrub(line)}\n`);
    };
    if (e instanceof CwError) {
      streams.err(`error: ${scrub(withHints(e.message, e.hint && [e.hint]))}\n`);
      explain(e);
      return EXIT_CODES[e.kind];
    }
    if (e instanceof InternalError) {
      streams.err(`error: ${scrub(e.message)}; this is a bug in kubectl-cwtoken, please report it${debug ? '' : ' with the output of --debug'}\n`);
      explain(e);
      return EXIT_CODES.unexpected;
    }
    if (e instanceof UsageError) {
      const help = [PREFIX, e.command, '--help'].filter(Boolean).join(' ');
      streams.err(`error: ${scrub(e.message.replace(/\n\s*/g, ' '))}; see '${help}'\n`);
      return EXIT_CODES.usage;
    }
    const error = e instanceof Error ? e : new Error(String(e));
    streams.err(`error: ${scrub(debug && error.stack ? error.stack : error.message)}\n`);
    return EXIT_CODES.unexpected;
  }
}

/** What --debug adds: the detail, then each cause in turn, with its stack. */
function debugLines(error: CwError | InternalError): string[] {
  const lines = error.detail ? [error.detail] : [];
  for (let cause = error.cause; cause !== undefined; cause = cause instanceof Error ? cause.cause : undefined) {
    lines.push(`caused by: ${cause instanceof Error ? (cause.stack ?? cause.message) : String(cause)}`);
  }
  return lines;
}
