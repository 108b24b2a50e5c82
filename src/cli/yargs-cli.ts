import yargs, { Argv } from 'yargs';
import type { Streams } from '../output/streams';
import { AnyCommand, withoutEmptyGlobals } from './command';
import { GLOBAL_OPTIONS, OptionTable } from '../commands/options';
import { COMMANDS, PREFIX } from './commands';
import { positionals, UsageError } from './usage';

function addOptions(y: Argv, options: OptionTable, global: boolean): Argv {
  for (const [name, { conflicts, positive: _, requires: __, ...option }] of Object.entries(options)) {
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

/**
 * Words after `--` are positionals to kubectl's pflag (`use -- -c`, `use -- 010`), but yargs leaves them in `_`:
 * each goes to the next positional the command has not filled (a variadic one takes the rest).
 */
function withTrailingPositionals(args: Record<string, unknown>, spec: AnyCommand): Record<string, unknown> {
  const extra = (Array.isArray(args._) ? args._ : []).slice(1).map(String);
  if (extra.length === 0) return args;
  const out = { ...args };
  for (const p of positionals(spec)) {
    if (p.variadic) out[p.name] = [...(Array.isArray(out[p.name]) ? (out[p.name] as unknown[]) : []), ...extra.splice(0)];
    else if (out[p.name] === undefined && extra.length) out[p.name] = extra.shift();
  }
  return out;
}

function register(y: Argv, spec: AnyCommand, streams: Streams): Argv {
  return y.command(
    [spec.command, ...(spec.aliases ?? [])],
    spec.describe,
    (c) => addOptions(c, spec.options, false),
    async (args) => (await spec.load())(withoutEmptyGlobals(withTrailingPositionals(undash(args), spec), spec.keepEmpty), streams),
    [],
  );
}

/**
 * Parses and runs a command line that src/cli/usage.ts has already checked against the option tables (which
 * also words every usage error, and renders help): yargs turns it into the handler's arguments.
 */
export async function runYargs(argv: string[], streams: Streams): Promise<void> {
  let y = addOptions(yargs(argv.map((a) => (a === '-' ? DASH : a))), GLOBAL_OPTIONS, true).scriptName(PREFIX);
  for (const spec of COMMANDS) y = register(y, spec, streams);
  await y
    .demandCommand(1)
    .strict()
    .help(false)
    .version(false)
    .fail((message, error) => {
      // yargs reports its own validation failures as a message only; errors thrown by handlers pass through.
      throw error ?? new UsageError(message);
    })
    .parseAsync();
}
