import { CwError } from '../errors';
import { processStreams, Streams } from '../output/streams';
import { COMMANDS, PREFIX } from './commands';
import { EXIT_CODES } from './exit-codes';
import { fastParse } from './fast-path';
import { commandNamed, parseRequest, UsageError } from './usage';
import { withoutEmptyGlobals } from './command';
import { camelCase } from '../commands/options';
import { redactWords } from '../secrets/redact';

/** Runs the CLI and returns the exit code. Errors become one line on stderr; stacks only with --debug. */
export async function main(argv: string[], streams: Streams = processStreams()): Promise<number> {
  const debug = argv.includes('--debug');
  try {
    if (argv[0] === '__complete') {
      // Completion runs on every <TAB>: no yargs, and a broken kubeconfig completes to nothing rather than failing.
      const { complete, formatCompletion } = await import('../completion/complete');
      streams.out(formatCompletion(await complete(COMMANDS, argv.slice(1))));
      return 0;
    }
    const fast = fastParse(argv, COMMANDS);
    if (fast) {
      await (await fast.spec.load())(withoutEmptyGlobals(fast.args), streams);
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
    if (e instanceof CwError) {
      streams.err(`error: ${scrub(e.message)}\n`);
      if (debug && e.detail) streams.err(`${scrub(e.detail)}\n`);
      return EXIT_CODES[e.kind];
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
