/**
 * The fast path (no yargs, for `get`, `contexts`, `use` and `set` in shell prompts and scripts) and yargs must read
 * every command line the fast path accepts the same way: one table, both parsers, every flag and positional compared.
 */
import { COMMANDS } from '../../src/cli/commands';
import { withoutEmptyGlobals } from '../../src/cli/command';
import { fastParse } from '../../src/cli/fast-path';
import { runYargs } from '../../src/cli/yargs-cli';
import { parseRequest, positionals } from '../../src/cli/usage';
import { camelCase, GLOBAL_OPTIONS } from '../../src/commands/options';
import { silentStreams } from '../support/run-cli';

const received: Array<Record<string, unknown>> = [];
jest.mock('../../src/commands/get', () => ({ get: async (args: Record<string, unknown>) => void received.push(args) }));
jest.mock('../../src/commands/contexts', () => ({ contexts: async (args: Record<string, unknown>) => void received.push(args) }));
jest.mock('../../src/commands/use', () => ({ use: async (args: Record<string, unknown>) => void received.push(args) }));
jest.mock('../../src/commands/set', () => ({ set: async (args: Record<string, unknown>) => void received.push(args) }));

const streams = silentStreams({}, '/');

/** argv, and whether the fast path takes it (else it declines and yargs alone decides). */
const ROWS: Array<[string[], 'fast' | 'declined']> = [
  [['get'], 'fast'],
  [['get', '--kubeconfig', '/k'], 'fast'],
  [['get', '--kubeconfig=/k', '--context=prod'], 'fast'],
  [['get', '--context', 'prod', '--user', 'u'], 'fast'],
  [['get', '--context', ''], 'fast'],
  [['get', '--context=', '--user='], 'fast'],
  [['get', '--header'], 'fast'],
  [['get', '--header=true'], 'fast'],
  [['get', '--header=false'], 'fast'],
  [['get', '--first-user'], 'fast'],
  [['get', '-o', 'json'], 'fast'],
  [['get', '-ojson'], 'fast'],
  [['get', '-o', 'yaml', '--debug'], 'fast'],
  [['get', '--output=yaml'], 'fast'],
  [['contexts'], 'fast'],
  [['contexts', '-o', 'name'], 'fast'],
  [['contexts', '--output', 'json', '--kubeconfig', '/k'], 'fast'],
  [['get', '--header', '-o', 'json'], 'declined'], // conflicting flags
  [['get', '-o', 'xml'], 'declined'], // not a choice
  [['get', '--nope'], 'declined'],
  [['get', '--context', 'a', '--context', 'b'], 'declined'], // repeated
  [['get', '--help'], 'declined'],
  [['get', '--context'], 'declined'], // missing value
  [['use', 'prod'], 'fast'],
  [['use', '-'], 'fast'],
  [['use'], 'fast'],
  [['use', 'prod', '--kubeconfig', '/k'], 'fast'],
  [['use', '--kubeconfig=/k', 'ctx-10'], 'fast'],
  [['set', '--user', 'u77', '--token-stdin'], 'fast'],
  [['set', '--context', 'prod', '--split', '--token-env', 'T'], 'fast'],
  [['set', '--token-file', '/t', '--expires', '90d', '--note', 'ci'], 'fast'],
  [['use', 'prod', '-n=dev'], 'fast'],
  [['use', 'prod', '-ndev'], 'fast'],
  [['get', '-o=json'], 'fast'],
  [['use', 'a', 'b'], 'declined'], // a positional too many
  [['use', '--', '-c'], 'declined'], // a name after --
  [['set', 'CW-SECRET-pasted'], 'declined'], // set takes no positional
  [['set', '--all-contexts', '--split'], 'declined'], // conflicting flags
  [['set', '--user', '-x'], 'declined'], // a value that looks like a flag
  [['rotate', '--token-stdin'], 'declined'], // not a fast command
  [['import', 'a', 'b'], 'declined'], // not a fast command
];

/** What a handler sees of a parse: every flag of the command's table and the global ones, under camelCase. */
function view(command: string, args: Record<string, unknown>): Record<string, unknown> {
  const spec = COMMANDS.find((c) => c.command.split(' ')[0] === command)!;
  const names = [...Object.keys({ ...GLOBAL_OPTIONS, ...spec.options }).map(camelCase), ...positionals(spec).map((p) => p.name)];
  return Object.fromEntries(names.map((name) => [name, args[name]]));
}

describe.each(ROWS)('%j', (argv, expected) => {
  test(expected === 'fast' ? 'the fast path reads it as yargs does' : 'the fast path leaves it to yargs', async () => {
    const fast = fastParse(argv, COMMANDS);
    if (expected === 'declined') return expect(fast).toBeUndefined();
    expect(fast).toBeDefined();
    received.length = 0;
    // The full path: usage.ts checks and respells argv (as pflag reads it), then yargs parses it.
    const request = parseRequest(argv, COMMANDS);
    if (request.kind !== 'run') throw new Error(`${argv.join(' ')} is not a command run`);
    await runYargs(request.argv, streams);
    expect(received).toHaveLength(1);
    expect(view(argv[0], withoutEmptyGlobals(fast!.args))).toEqual(view(argv[0], received[0]));
  });
});
