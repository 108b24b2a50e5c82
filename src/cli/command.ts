import type { Streams } from '../output/streams';

/** One flag, in the form yargs takes it; the fast path reads the same table. */
export interface OptionSpec {
  type: 'string' | 'boolean' | 'number';
  describe: string;
  alias?: string;
  choices?: readonly string[];
  default?: string | boolean | number;
  /** Flags this one cannot be combined with. */
  conflicts?: string[];
  /** What shell completion offers for the value. */
  complete?: Completable;
}

/** Values shell completion can offer: names from the merged kubeconfig, or the shell's own file names. */
export type Completable = 'contexts' | 'users' | 'files';

export type Handler = (args: Record<string, unknown>, streams: Streams) => Promise<void>;

/**
 * A subcommand as data: the CLI registers it with yargs, and the fast path can run it without loading yargs.
 * `load` imports the command's module only when the command runs.
 */
export interface CommandSpec {
  command: string;
  aliases?: string[];
  describe: string;
  options: Record<string, OptionSpec>;
  examples: Array<[string, string]>;
  /** What shell completion offers for the positional arguments, if the command takes any. */
  positional?: Completable;
  /** Commands used in shell prompts and scripts, run without yargs when their flags are simple. */
  fast?: boolean;
  load: () => Promise<Handler>;
}

/** Flags every command accepts, parsed kubectl-style by the plugin itself (kubectl passes none to plugins). */
export const GLOBAL_OPTIONS: Record<string, OptionSpec> = {
  kubeconfig: { type: 'string', describe: 'Path to the kubeconfig file to use (instead of KUBECONFIG or ~/.kube/config)', complete: 'files' },
  context: { type: 'string', describe: 'The kubeconfig context to use (default: current-context)', complete: 'contexts' },
  user: { type: 'string', describe: 'The kubeconfig user to use (default: the user of the context)', complete: 'users' },
  debug: { type: 'boolean', default: false, describe: 'Show more detail (never tokens) when something fails' },
};

/** kubectl treats an empty --kubeconfig, --context or --user as not given (client-go's empty overrides). */
export function withoutEmptyGlobals(args: Record<string, unknown>): Record<string, unknown> {
  const result = { ...args };
  for (const [name, option] of Object.entries(GLOBAL_OPTIONS)) {
    if (option.type === 'string' && result[name] === '') {
      delete result[name];
      delete result[camelCase(name)];
    }
  }
  return result;
}

export const camelCase = (flag: string) => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
