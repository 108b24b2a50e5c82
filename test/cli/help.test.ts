import { COMMANDS, PREFIX, WORKFLOW } from '../../src/cli/commands';
import { commandName } from '../../src/cli/usage';
import { runCli } from '../support/run-cli';

const NAMES = COMMANDS.map(commandName);
const exampleLines = new Set([...WORKFLOW, ...COMMANDS.flatMap((c) => c.examples)].map(([command]) => `  ${command}`));

describe.each([80, 120])('help at %i columns', (columns) => {
  const pages = (): Array<[string, string[]]> => [['--help', ['--help']], ...NAMES.map((n): [string, string[]] => [`${n} --help`, [n, '--help']])];

  test.each(pages())('%s: every line but an example command fits, and every example command is one whole line', async (_, argv) => {
    const run = await runCli(argv, { columns });
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines.filter((l) => l.length > columns && !exampleLines.has(l))).toEqual([]);
    const spec = COMMANDS.find((c) => commandName(c) === argv[0]);
    for (const [command] of spec ? spec.examples : WORKFLOW) expect(lines).toContain(`  ${command}`);
  });

  test.each(pages())('%s: each flag is on a line of its own, its description indented below it', async (_, argv) => {
    const run = await runCli(argv, { columns });
    const flagLines = run.stdout.split('\n').filter((l) => /^\s+(-\w, )?--[\w-]+=/.test(l));
    expect(flagLines.length).toBeGreaterThan(0);
    for (const line of flagLines) expect(line).toMatch(/^ {4}(-\w, )?--[\w-]+=[^ ]*:$/);
  });
});

describe('help', () => {
  test('`help get` is `get --help`', async () => {
    expect((await runCli(['help', 'get'])).stdout).toBe((await runCli(['get', '--help'])).stdout);
  });

  test('the root help lists every command, `help` itself and `version`', async () => {
    const { stdout } = await runCli(['help']);
    for (const name of [...NAMES, 'help', 'version']) expect(stdout).toMatch(new RegExp(`^  ${name} +\\S`, 'm'));
  });

  test('no arguments at all shows the root help, as kubectl does for a command group', async () => {
    const run = await runCli([]);
    expect([run.code, run.stdout]).toEqual([0, (await runCli(['--help'])).stdout]);
  });

  test('a command lists only its own flags and --debug', async () => {
    const { stdout } = await runCli(['contexts', '--help']);
    expect(stdout).toContain('--kubeconfig=');
    expect(stdout).not.toContain('--context=');
    expect(stdout).not.toContain('--user=');
  });

  test('an alias gets the help of its command, which names the alias', async () => {
    const { stdout } = await runCli(['inject', '--help']);
    expect(stdout).toContain('Aliases:\n  set, inject');
    expect(stdout).toContain(`${PREFIX} set [options]`);
  });

  test('`help` of an unknown command is a usage error with a suggestion', async () => {
    const run = await runCli(['help', 'gett']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/unknown command "gett" .*did you mean "get"/);
  });
});

describe('version', () => {
  test('`version` and `--version` print the package version alone', async () => {
    const { version } = require('../../package.json') as { version: string };
    expect(await runCli(['version'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
    expect(await runCli(['--version'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });
});
