import yargs, { Argv } from 'yargs';
import type { Streams } from '../output/streams';
import { AnyCommand, withoutEmptyGlobals } from './command';
import { GLOBAL_OPTIONS, OptionTable } from '../commands/options';
import { COMMANDS, PREFIX } from './commands';
import { VERSION } from './version';

function addOptions(y: Argv, options: OptionTable, global: boolean): Argv {
  for (const [name, { conflicts, ...option }] of Object.entries(options)) {
    y = y.option(name, { ...option, choices: option.choices && [...option.choices], global });
    if (conflicts) y = y.conflicts(name, [...conflicts]);
  }
  return y;
}

/**
 * yargs re-parses positionals as `--name value`, which turns a lone "-" (stdin for `import`, the previous context
 * for `use`) into `true` or drops it; it travels through yargs disguised and is restored for the handler.
 */
const DASH = '\u0000-';
const undash = (args: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(args).map(([k, v]) => [k, v === DASH ? '-' : Array.isArray(v) ? v.map((x) => (x === DASH ? '-' : x)) : v]));

function register(y: Argv, spec: AnyCommand, streams: Streams): Argv {
  return y.command(
    [spec.command, ...(spec.aliases ?? [])],
    spec.describe,
    (c) => spec.examples.reduce((acc, [example, what]) => acc.example(example, what), addOptions(c, spec.options, false)),
    async (args) => (await spec.load())(withoutEmptyGlobals(undash(args)), streams),
    [],
  );
}

/** The CoreWeave workflow, shown by `kubectl cwtoken --help`. */
const WORKFLOW: Array<[string, string]> = [
  [`${PREFIX} import ~/Downloads/CWKubeconfig_*`, 'Add downloaded cluster kubeconfigs without their `token` users shadowing each other'],
  [`${PREFIX} get`, 'The token kubectl sends for the current context'],
  [`curl -H "$(${PREFIX} get --header)" https://api.coreweave.com/...`, 'Call the CoreWeave API with it'],
  [`pbpaste | ${PREFIX} rotate --token-stdin`, 'A new Token Secret from the Cloud Console: verify it, then replace the old one everywhere'],
  [`${PREFIX} doctor`, 'Find shadowed users, broken references and loose file modes'],
];

/** A command line yargs rejected: unknown flag, missing argument, bad choice. */
export class UsageError extends Error {
  name = 'UsageError';
}

/**
 * yargs reads `--header=yes` as false and `--token-stdin=CW-SECRET-…` as "no token" and carries on; a boolean
 * flag given a value is a mistake to name (without the value, which may be a token).
 */
function refuseValuedBooleans(argv: string[]): void {
  const all: OptionTable[] = [GLOBAL_OPTIONS, ...COMMANDS.map((c) => c.options)];
  const isBoolean = (name: string) => all.some((o) => o[name]?.type === 'boolean') && !all.some((o) => o[name] && o[name].type !== 'boolean');
  for (const word of argv) {
    if (word === '--') return;
    const flag = /^--(?:no-)?([^=]+)=(.*)$/s.exec(word);
    if (flag && isBoolean(flag[1]) && flag[2] !== 'true' && flag[2] !== 'false') {
      throw new UsageError(`--${flag[1]} takes no value (it is a switch: --${flag[1]} or --no-${flag[1]})`);
    }
  }
}

/**
 * kubectl (pflag) reads `-ojson` as `-o json`; yargs reads it as the switches -o -j -s -o -n. A short flag that
 * takes a value is given it as the next word, as the fast path reads it.
 */
function splitShortValues(argv: string[]): string[] {
  const all: OptionTable[] = [GLOBAL_OPTIONS, ...COMMANDS.map((c) => c.options)];
  const takesValue = new Set(all.flatMap((o) => Object.values(o).flatMap((spec) => (spec.alias && spec.type !== 'boolean' ? [spec.alias] : []))));
  const end = argv.indexOf('--');
  return argv.flatMap((word, i) => {
    const short = /^-([a-zA-Z])([^=].*)$/s.exec(word);
    return short && takesValue.has(short[1]) && (end < 0 || i < end) ? [`-${short[1]}`, short[2]] : [word];
  });
}

/** The full command line, with help, validation and every command: loaded only when the fast path declines. */
export async function runYargs(argv: string[], streams: Streams): Promise<void> {
  refuseValuedBooleans(argv);
  const words = splitShortValues(argv).map((a) => (a === '-' ? DASH : a));
  let y = addOptions(yargs(words), GLOBAL_OPTIONS, true)
    .scriptName(PREFIX)
    .usage(`Read, inject and rotate kubeconfig bearer tokens, exactly as kubectl reads them.\n\nUsage: ${PREFIX} <command> [flags]`);
  for (const spec of COMMANDS) y = register(y, spec, streams);
  for (const [example, what] of WORKFLOW) y = y.example(example, what);
  await y
    .demandCommand(1, 'a command is required')
    .strict()
    .version(VERSION)
    .alias('h', 'help')
    .wrap(Math.min(120, process.stdout.columns || 100))
    .fail((message, error) => {
      // yargs reports its own validation failures as a message only; errors thrown by handlers pass through.
      throw error ?? new UsageError(message);
    })
    // With a callback yargs neither prints help and --version itself nor exits: both go to our stdout.
    .parseAsync(words, {}, (error, _, output) => {
      if (!error && output) streams.out(`${output}\n`);
    });
}
