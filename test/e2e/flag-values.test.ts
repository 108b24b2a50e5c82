/** A flag that takes a value and is given none is a usage error (exit 2), never "not given": kubectl's rule. */
import { kubeconfig } from '../support/builder';
import { cwtoken } from '../support/cli';
import { useTempDir } from '../support/tmp';
import { expectNoToken } from '../support/files';

const CURRENT = 'CW-SECRET-current000000000000';
const DASHED = 'CW-SECRET-dashed11111111111111';
const tmp = useTempDir();

const setUp = () => {
  const file = tmp.file('config', kubeconfig().cw('prod', CURRENT, 'prod-user').cw('-dashed', DASHED, 'dashed-user').current('prod').yaml());
  return { KUBECONFIG: file, T: 'CW-SECRET-new22222222222222222' };
};

test.each([
  ['get --context', ['get', '--context']],
  ['get --context --header', ['get', '--context', '--header']],
  ['get --user', ['get', '--user']],
  ['get -o', ['get', '-o']],
  ['get --kubeconfig', ['get', '--kubeconfig']],
  ['get --context -dashed', ['get', '--context', '-dashed']],
  ['use --lock-timeout', ['use', 'prod', '--lock-timeout']],
  ['set --token-env T --context', ['set', '--token-env', 'T', '--context']],
  ['rotate --token-env T --timeout', ['rotate', '--token-env', 'T', '--timeout']],
])('%s is a usage error that prints no token', (_, args) => {
  const env = setUp();
  const run = cwtoken(args, { env });
  expect(run).toMatchObject({ code: 2, stdout: '' });
  expect(run.stderr).toMatch(/^error: flag needs an argument: -/);
  expectNoToken(run.stderr, CURRENT, DASHED);
});

test('--context= (explicitly empty) means "not given", as in kubectl', () => {
  expect(cwtoken(['get', '--context='], { env: setUp() })).toMatchObject({ code: 0, stdout: `${CURRENT}\n` });
});

test('a name that starts with "-" is taken in the --flag=value form, on the fast path and through yargs', () => {
  const env = setUp();
  expect(cwtoken(['get', '--context=-dashed'], { env })).toMatchObject({ code: 0, stdout: `${DASHED}\n` });
  const set = cwtoken(['set', '--context=-dashed', '--dry-run', '-o', 'json', '--token-env', 'T'], { env });
  expect(set.code).toBe(0);
  expect(JSON.parse(set.stdout).changes[0].user).toBe('dashed-user');
});

test('import --use takes no value by design', () => {
  const env = setUp();
  const download = tmp.file('download', kubeconfig().cw('new', 'CW-SECRET-download3333333333333').current('new').yaml());
  const run = cwtoken(['import', download, '--dry-run', '--use'], { env });
  expect(run.code).toBe(0);
});
