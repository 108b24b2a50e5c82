import type { Streams } from '../output/streams';
import { camelCase, Completable, CommandArgs, KUBECONFIG_OPTIONS, OptionTable, SELECTION_OPTIONS } from '../commands/options';

export type Handler<Args> = (args: Args, streams: Streams) => Promise<void>;

/**
 * A subcommand as data: the CLI registers it with yargs, and the fast path can run it without loading yargs.
 * `load` imports the command's module only when the command runs.
 */
export interface CommandSpec<T extends OptionTable = OptionTable, Positionals = unknown> {
  command: string;
  aliases?: string[];
  describe: string;
  options: T;
  examples: Array<[string, string]>;
  /** What the positional arguments are, for shell completion: a kind of name, or the only words allowed. */
  positional?: Completable | readonly string[];
  /** Commands used in shell prompts and scripts, run without yargs when their flags are simple. */
  fast?: boolean;
  /** Selection flags the command refuses when empty (kubectl's writers take a name, never an empty one) instead of dropping. */
  keepEmpty?: ReadonlyArray<keyof typeof SELECTION_OPTIONS>;
  load: () => Promise<Handler<CommandArgs<T> & Positionals>>;
}

/** A command of any table, as the parsers see it: they build the arguments from the same table the types come from. */
export type AnyCommand = Omit<CommandSpec, 'load'> & { load: () => Promise<Handler<Record<string, unknown>>> };

/**
 * Checks a command's handler against its own table, then forgets the table's type for the list of commands.
 * This is the one place the parsed arguments meet their static type.
 */
export const defineCommand = <const T extends OptionTable, Positionals = unknown>(spec: CommandSpec<T, Positionals>): AnyCommand =>
  spec as unknown as AnyCommand;

/** kubectl treats an empty --kubeconfig, --context or --user as not given (client-go's empty overrides). */
export function withoutEmptyGlobals(args: Record<string, unknown>, keep: readonly string[] = []): Record<string, unknown> {
  const result = { ...args };
  for (const [name, option] of Object.entries({ ...KUBECONFIG_OPTIONS, ...SELECTION_OPTIONS })) {
    if (option.type === 'string' && result[name] === '' && !keep.includes(name)) {
      delete result[name];
      delete result[camelCase(name)];
    }
  }
  return result;
}
