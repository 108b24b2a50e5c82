import type { AnyCommand } from './command';
import { COMMANDS, PREFIX, SUMMARY, WORKFLOW } from './commands';
import { commandName, commandNamed, unknownCommand } from './usage';
import type { Streams } from '../output/streams';
import { GLOBAL_OPTIONS, OptionSpec, OptionTable } from '../commands/options';
import { displayWidth, padEnd, wrap } from '../text/width';

/**
 * Help laid out as kubectl lays out its own: examples as a `#` comment over a command line that is never wrapped
 * (so it can be copied whole), each flag on a line of its own with its default (`--lock-timeout=10:`) and its
 * description below it, so no description ever runs into another column.
 */
const INDENT = '        ';

function section(title: string, lines: string[]): string {
  return lines.length ? `${title}:\n${lines.join('\n')}\n` : '';
}

function examples(list: Array<[string, string]>, columns: number): string[] {
  return list.flatMap(([command, what], i) => [...(i ? [''] : []), ...wrap(what, columns - 4).map((line) => `  # ${line}`), `  ${command}`]);
}

function defaultShown(option: OptionSpec): string {
  if (option.default !== undefined) return String(option.default);
  return option.type === 'boolean' ? 'false' : "''";
}

function options(table: OptionTable, columns: number): string[] {
  return Object.entries(table).flatMap(([name, option], i) => {
    const choices = option.choices ? ` One of: ${option.choices.join(', ')}.` : '';
    return [
      ...(i ? [''] : []),
      `    ${option.alias ? `-${option.alias}, ` : ''}--${name}=${defaultShown(option)}:`,
      ...wrap(`${option.describe}.${choices}`.replace(/\.\./g, '.'), columns - INDENT.length).map((line) => INDENT + line),
    ];
  });
}

/** `kubectl cwtoken --help`: what the plugin is for, the CoreWeave workflow, the commands. */
export function rootHelp(columns: number): string {
  const names = COMMANDS.map(commandName);
  const width = Math.max(...names.map(displayWidth)) + 3;
  const commands = COMMANDS.flatMap((c, i) =>
    wrap(c.describe, Math.max(20, columns - width - 2)).map((line, j) => `  ${j ? ' '.repeat(width) : padEnd(names[i], width)}${line}`),
  );
  return [
    `${SUMMARY}\n`,
    section('Examples', examples(WORKFLOW, columns)),
    section('Commands', commands),
    section('Options', options(GLOBAL_OPTIONS, columns)),
    section('Usage', [`  ${PREFIX} <command> [options]`]),
    `Use "${PREFIX} <command> --help" for more information about a command.\n`,
  ].join('\n');
}

/** `kubectl cwtoken get --help` (and `help get`). */
export function commandHelp(spec: AnyCommand, columns: number): string {
  const usage = `  ${PREFIX} ${spec.command.replace(/<([^>]+)\.\.>/g, '<$1>...')} [options]`;
  return [
    `${wrap(spec.describe, columns).join('\n')}\n`,
    spec.aliases?.length ? section('Aliases', [`  ${[commandName(spec), ...spec.aliases].join(', ')}`]) : '',
    section('Examples', examples(spec.examples, columns)),
    section('Options', options({ ...spec.options, ...GLOBAL_OPTIONS }, columns)),
    section('Usage', [usage]),
  ]
    .filter(Boolean)
    .join('\n');
}

/** Help renders to the terminal's width, or kubectl's 80 columns when stdout is not a terminal. */
export const DEFAULT_COLUMNS = 80;

/** `help [command]`: the root page, or one command's. */
export async function help(args: { command?: string }, streams: Streams): Promise<void> {
  const columns = streams.columns ?? DEFAULT_COLUMNS;
  if (args.command === undefined) return streams.out(rootHelp(columns));
  const spec = commandNamed(COMMANDS, args.command);
  if (!spec) throw unknownCommand(args.command, COMMANDS);
  streams.out(commandHelp(spec, columns));
}
