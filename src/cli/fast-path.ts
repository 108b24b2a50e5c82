import type { AnyCommand } from './command';
import { camelCase, GLOBAL_OPTIONS, OptionSpec } from '../commands/options';
import { commandName, parseFlag, positionals } from './usage';

/**
 * Parses argv for a `fast` command without yargs, which costs more start-up time than the whole of `get`
 * (building its commands and help text: ~70 ms of a `set`). It accepts only the plain forms (`--flag`,
 * `--flag value`, `--flag=value`, `-o value`, `-ovalue`) of the command's own table and single positionals;
 * anything else (help, unknown flags, bad choices, conflicts, `--`, a positional too many or missing) returns
 * undefined and yargs takes over, so every error message still comes from one place.
 */
export function fastParse(argv: string[], commands: AnyCommand[]): { spec: AnyCommand; args: Record<string, unknown> } | undefined {
  const spec = commands.find((c) => c.fast && commandName(c) === argv[0]);
  if (!spec) return undefined;
  const expected = positionals(spec);
  if (expected.some((p) => p.variadic)) return undefined;
  let nextPositional = 0;
  const options: Record<string, OptionSpec> = { ...GLOBAL_OPTIONS, ...spec.options };
  const args: Record<string, unknown> = {};
  for (const [name, option] of Object.entries(options)) if (option.default !== undefined) set(args, name, option.default);

  for (let i = 1; i < argv.length; i++) {
    const token = argv[i];
    if (token === '-' || !token.startsWith('-')) {
      const positional = expected[nextPositional++];
      if (!positional) return undefined;
      set(args, positional.name, token);
      continue;
    }
    // The same reading of a flag word as the usage checks (pflag's -n=dev among them); --no-x goes to yargs.
    const flag = parseFlag(token, options);
    if (!flag || flag.negated) return undefined;
    const { flag: name, option } = flag;
    let value = flag.value;
    if (option.type === 'boolean') {
      if (value !== undefined && value !== 'true' && value !== 'false') return undefined;
      set(args, name, value !== 'false');
      continue;
    }
    if (value === undefined) {
      value = argv[++i];
      if (value === undefined || value.startsWith('-')) return undefined;
    }
    if (option.type !== 'string' || (option.choices && !option.choices.includes(value))) return undefined;
    if (name in args && option.default === undefined) return undefined; // repeated: let yargs decide
    set(args, name, value);
  }
  if (expected.slice(nextPositional).some((p) => p.required)) return undefined;
  for (const [name, option] of Object.entries(options)) {
    if (args[name] && option.conflicts?.some((other) => args[other] !== undefined && args[other] !== false)) return undefined;
    if (args[name] && option.requires?.some((other) => !args[other])) return undefined;
  }
  return { spec, args };
}

function set(args: Record<string, unknown>, name: string, value: unknown): void {
  args[name] = value;
  args[camelCase(name)] = value;
}
