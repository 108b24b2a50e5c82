import type { AnyCommand } from './command';
import { GLOBAL_OPTIONS, OptionSpec } from '../commands/options';
import { closest } from '../text/suggest';

/** A command line that cannot mean anything: exit 2, with a pointer to the help of the command it was for. */
export class UsageError extends Error {
  name = 'UsageError';
  constructor(
    message: string,
    /** The command whose `--help` explains what was expected; the root help when absent. */
    readonly command?: string,
  ) {
    super(message);
  }
}

export const commandName = (spec: Pick<AnyCommand, 'command'>) => spec.command.split(' ')[0];

/** The command a word names: its name or one of its aliases. */
export const commandNamed = (commands: AnyCommand[], word: string) => commands.find((c) => commandName(c) === word || c.aliases?.includes(word));

export function unknownCommand(word: string, commands: AnyCommand[]): UsageError {
  const guess = closest(
    word,
    commands.flatMap((c) => [commandName(c), ...(c.aliases ?? [])]),
  );
  return new UsageError(`unknown command "${word}" for "kubectl cwtoken"${guess.length ? ` (did you mean "${guess[0]}"?)` : ''}`);
}

interface Positional {
  name: string;
  required: boolean;
  variadic: boolean;
}

/** yargs' positional syntax in `command`: `<name>` required, `[name]` optional, `..` any number. */
export function positionals(spec: Pick<AnyCommand, 'command'>): Positional[] {
  return spec.command
    .split(' ')
    .slice(1)
    .map((p) => ({ name: p.slice(1, -1).replace(/\.\.$/, ''), required: p.startsWith('<'), variadic: p.endsWith('..>') || p.endsWith('..]') }));
}

type Options = Record<string, OptionSpec>;
const takesValue = (o: OptionSpec | undefined) => o !== undefined && o.type !== 'boolean';
const byAlias = (options: Options, letter: string) => Object.keys(options).find((name) => options[name].alias === letter);
const flagLabel = (name: string, o: OptionSpec) => (o.alias ? `-${o.alias}/--${name}` : `--${name}`);

/** The first word that is not a flag or a flag's value: the command, as kubectl finds a plugin's subcommand. */
function findCommandWord(argv: string[], commands: AnyCommand[]): number {
  const all: Options = Object.assign({}, GLOBAL_OPTIONS, ...commands.map((c) => c.options));
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i];
    if (word === '--') return i + 1 < argv.length ? i + 1 : -1;
    if (word === '-' || !word.startsWith('-')) return i;
    const long = /^--([^=]+)$/.exec(word);
    const short = /^-([a-zA-Z])$/.exec(word);
    const option = long ? all[long[1]] : short ? all[byAlias(all, short[1]) ?? ''] : undefined;
    if (takesValue(option) && i + 1 < argv.length && !argv[i + 1].startsWith('-')) i++;
  }
  return -1;
}

/** What a command line asks for, checked against the command's own table before any parser sees it. */
export type Request = { kind: 'help'; topic?: string } | { kind: 'version' } | { kind: 'run'; command: AnyCommand; argv: string[] };

/**
 * Reads argv the way kubectl (pflag) reads its own: flags anywhere, `--flag value`, `--flag=value`, `-o value`,
 * `-ovalue`, `--` ending the flags. Every mistake is a UsageError naming the flag, the closest correct spelling
 * and the command's help; what comes back is argv in one spelling yargs parses as pflag would: `--flag value`,
 * `--switch=true|false`.
 */
export function parseRequest(argv: string[], commands: AnyCommand[]): Request {
  const end = argv.indexOf('--') < 0 ? argv.length : argv.indexOf('--');
  const at = findCommandWord(argv, commands);
  const word = at < 0 ? undefined : argv[at];
  const command = word === undefined ? undefined : commandNamed(commands, word);
  if (word !== undefined && !command) throw unknownCommand(word, commands);
  const flags = argv.slice(0, end);
  const helpFlag = flags.includes('--help') || flags.includes('-h');
  if (command && commandName(command) === 'help') {
    return { kind: 'help', topic: argv.slice(at + 1).find((w) => !w.startsWith('-')) ?? (helpFlag ? 'help' : undefined) };
  }
  if (helpFlag) return { kind: 'help', topic: word };
  if (!command) return flags.includes('--version') ? { kind: 'version' } : { kind: 'help' };
  return { kind: 'run', command, argv: checkFlags(argv, at, command, commands) };
}

function checkFlags(argv: string[], at: number, spec: AnyCommand, commands: AnyCommand[]): string[] {
  const name = commandName(spec);
  const options: Options = { ...GLOBAL_OPTIONS, ...spec.options };
  const fail = (message: string) => new UsageError(message, name);
  const out: string[] = [];
  const given = new Set<string>();
  const values = new Map<string, string | undefined>();
  const words: string[] = [];
  let i = 0;
  for (; i < argv.length; i++) {
    const word = argv[i];
    if (i === at) continue;
    if (word === '--') break;
    if (word === '-' || !word.startsWith('-')) {
      words.push(word);
      out.push(word);
      continue;
    }
    const parsed = parseFlag(word, options);
    if (!parsed) throw fail(unknownFlag(word, options, name, commands));
    const { flag, option, negated } = parsed;
    let { value } = parsed;
    if (option.type === 'boolean') {
      if (value !== undefined && value !== 'true' && value !== 'false') {
        throw fail(`--${flag} takes no value (it is a switch: --${flag} or --no-${flag})`);
      }
      const on = negated ? value === 'false' : value !== 'false';
      if (on) given.add(flag);
      // One spelling for yargs, which would read a flag named `no-headers` as the negation of `headers`.
      out.push(`--${flag}=${on}`);
      continue;
    }
    if (negated) throw fail(unknownFlag(word, options, name, commands));
    const next = argv[i + 1];
    // A number may be negative; any other word starting with "-" is the next flag, not this one's value.
    if (value === undefined && next !== undefined && next !== '--' && (!next.startsWith('-') || (option.type === 'number' && /^-\d/.test(next)))) {
      value = next;
      i++;
    }
    // pflag's rule: a flag given twice takes its last value (yargs would make an array of both).
    values.delete(flag);
    values.set(flag, value);
    if (value === undefined) {
      // kubectl's rule: `get --context` (or `--context $CTX` with CTX empty) must not quietly mean the current
      // context, which would be the wrong cluster's credential. `--context=` (explicitly empty) still means
      // "not given", and a value starting with "-" is written --flag=-value.
      if (option.valueOptional) continue;
      const dashed = next !== undefined && next !== '--' ? ` (to pass a value that starts with "-", write --${flag}=VALUE)` : '';
      throw fail(`flag needs an argument: ${word}${dashed}`);
    }
    checkValue(flag, option, value, fail);
    given.add(flag);
  }
  // --flag=value: a value that starts with "-" (a context named -dashed) must reach yargs as a value, not flags.
  for (const [flag, value] of values) out.push(value === undefined ? `--${flag}` : `--${flag}=${value}`);
  out.push(...argv.slice(i));
  words.push(...argv.slice(i + 1));
  for (const flag of given) {
    const other = options[flag].conflicts?.find((c) => given.has(c));
    if (other) throw fail(`${flagLabel(flag, options[flag])} and ${flagLabel(other, options[other])} cannot be used together`);
    const needed = options[flag].requires?.find((r) => !given.has(r));
    if (needed) throw fail(`${flagLabel(flag, options[flag])} means nothing without ${flagLabel(needed, options[needed])}`);
  }
  checkPositionals(words, spec, fail);
  return [argv[at], ...out];
}

/** A flag word (`--name`, `--name=value`, `--no-name`, `-x`, `-xvalue`, `-x=value`) of these options, if it is one. */
export function parseFlag(word: string, options: Options): { flag: string; option: OptionSpec; value?: string; negated: boolean } | undefined {
  if (word.startsWith('--')) {
    const eq = word.indexOf('=');
    const flag = eq < 0 ? word.slice(2) : word.slice(2, eq);
    const value = eq < 0 ? undefined : word.slice(eq + 1);
    if (options[flag]) return { flag, option: options[flag], value, negated: false };
    const positive = flag.replace(/^no-/, '');
    if (flag !== positive && options[positive]?.type === 'boolean') return { flag: positive, option: options[positive], value, negated: true };
    return undefined;
  }
  const flag = byAlias(options, word[1]);
  if (!flag) return undefined;
  const option = options[flag];
  const rest = word.slice(2).replace(/^=/, '');
  return { flag, option, value: rest === '' ? undefined : rest, negated: false };
}

/** Names the flag, and either the spelling meant or the commands the flag belongs to (a flag in the wrong place). */
function unknownFlag(word: string, options: Options, command: string, commands: AnyCommand[]): string {
  const flag = word.replace(/=.*$/s, '');
  if (!flag.startsWith('--')) return `unknown shorthand flag "${flag.slice(0, 2)}" in "${flag}" for "kubectl cwtoken ${command}"`;
  const owners = commands.filter((c) => parseFlag(flag, c.options)).map(commandName);
  if (owners.length) return `"kubectl cwtoken ${command}" takes no ${flag} flag (${owners.join(', ')} ${owners.length > 1 ? 'do' : 'does'})`;
  const names = Object.entries(options).flatMap(([name, o]) => (o.type === 'boolean' ? [`--${name}`, `--no-${name}`] : [`--${name}`]));
  const guess = closest(flag, names);
  return `unknown flag ${flag} for "kubectl cwtoken ${command}"${guess.length ? ` (did you mean ${guess[0]}?)` : ''}`;
}

function checkValue(flag: string, option: OptionSpec, value: string, fail: (message: string) => UsageError): void {
  const label = flagLabel(flag, option);
  if (option.choices && !option.choices.includes(value)) {
    throw fail(`invalid value "${value}" for ${label}: choose one of ${option.choices.join(', ')}`);
  }
  if (option.type === 'number') {
    const n = value.trim() === '' ? NaN : Number(value);
    if (!Number.isFinite(n) || n < 0 || (option.positive && n === 0)) {
      throw fail(`invalid value "${value}" for ${label}: a number of seconds ${option.positive ? 'greater than 0' : '(0 or more)'} is expected`);
    }
  }
}

function checkPositionals(words: string[], spec: AnyCommand, fail: (message: string) => UsageError): void {
  const expected = positionals(spec);
  const missing = expected.slice(words.length).find((p) => p.required);
  if (missing) throw fail(`missing <${missing.name}> argument for "kubectl cwtoken ${commandName(spec)}"`);
  const choices = Array.isArray(spec.positional) ? spec.positional : undefined;
  if (choices && words.length && !choices.includes(words[0])) {
    throw fail(`invalid argument "${words[0]}" for "kubectl cwtoken ${commandName(spec)}": choose one of ${choices.join(', ')}`);
  }
  if (!expected.some((p) => p.variadic) && words.length > expected.length) {
    throw fail(`unexpected argument "${words[expected.length]}" for "kubectl cwtoken ${commandName(spec)}"`);
  }
}
