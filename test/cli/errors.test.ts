/** How main reports what went wrong: kinds to exit codes, hints with the CLI's prefix, causes and our own bugs. */
import { CwError, InternalError } from '../../src/errors';
import { PREFIX } from '../../src/commands/hints';
import { runCli } from '../support/run-cli';

let failure: unknown;
jest.mock('../../src/commands/get', () => ({
  get: async () => {
    throw failure;
  },
}));

const get = (...flags: string[]) => runCli(['get', ...flags]);

test.each<[CwError['kind'], number]>([
  ['config', 3],
  ['not-found', 4],
  ['no-token', 5],
  ['invalid-input', 6],
  ['lock', 7],
  ['write', 8],
  ['verify', 9],
])('a %s error exits %i with one line on stderr and nothing on stdout', async (kind, code) => {
  failure = new CwError(kind, 'it failed');
  expect(await get()).toEqual({ code, stdout: '', stderr: 'error: it failed\n' });
});

test('a hint is worded by the command layer with the real prefix', async () => {
  failure = new CwError('no-token', 'user "u" has no credentials', { hint: { key: 'set-token', user: 'u' } });
  const { stderr } = await get();
  expect(stderr).toBe(`error: user "u" has no credentials; \`${PREFIX} set --user u\` sets a new token\n`);
});

describe('causes', () => {
  const cause = Object.assign(new Error('EACCES: permission denied, open x'), { code: 'EACCES' });

  test('are not shown without --debug', async () => {
    failure = new CwError('write', 'writing "x" failed', { cause });
    expect((await get()).stderr).toBe('error: writing "x" failed\n');
  });

  test('are shown with --debug, each in turn after the detail', async () => {
    failure = new CwError('write', 'writing "x" failed', { detail: 'while renaming', cause: new Error('outer', { cause }) });
    const lines = (await get('--debug')).stderr.split('\n');
    expect(lines[0]).toBe('error: writing "x" failed');
    expect(lines[1]).toBe('while renaming');
    expect(lines.filter((l) => l.startsWith('caused by: '))).toEqual(['caused by: Error: outer', `caused by: Error: ${cause.message}`]);
  });
});

describe('our own bugs', () => {
  test('an InternalError exits 1 and asks for a report', async () => {
    failure = new InternalError('an edit broke the file');
    const run = await get();
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: an edit broke the file; this is a bug in kubectl-cwtoken, please report it[^\n]*\n$/);
  });

  test('so does anything else unexpected', async () => {
    failure = new TypeError('x is undefined');
    expect(await get()).toMatchObject({ code: 1, stderr: 'error: x is undefined\n' });
  });
});

test('a token typed on the command line is scrubbed from every line, causes included', async () => {
  const token = 'CW-SECRET-typed0000000000000000000000000';
  failure = new CwError('invalid-input', `bad ${token}`, { cause: new Error(`really bad ${token}`) });
  const run = await get('--debug', '--context', token);
  expect(run.stderr).not.toContain(token);
});
