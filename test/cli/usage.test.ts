import { runCli } from '../support/run-cli';

/** Each row: what was typed, and what the one-line error must say (the flag, the fix, and whose help to read). */
const USAGE_ERRORS: Array<[string, RegExp]> = [
  ['gett', /unknown command "gett" for "kubectl cwtoken" \(did you mean "get"\?\); see 'kubectl cwtoken --help'$/],
  ['rotate --no-verfy', /unknown flag --no-verfy .*\(did you mean --no-verify\?\); see 'kubectl cwtoken rotate --help'$/],
  ['get --contxt prod', /unknown flag --contxt .*\(did you mean --context\?\); see 'kubectl cwtoken get --help'$/],
  ['get -olab', /invalid value "lab" for -o\/--output: choose one of json, yaml; see 'kubectl cwtoken get --help'$/],
  ['get -x', /unknown shorthand flag "-x"/],
  ['use ord1 --lock-timeout abc', /invalid value "abc" for --lock-timeout: a number of seconds/],
  ['rotate --token-stdin --timeout=-1', /invalid value "-1" for --timeout/],
  ['completion tcsh', /invalid argument "tcsh" for "kubectl cwtoken completion": choose one of bash, zsh, fish, powershell, install/],
  ['get --header -o json', /--header and -o\/--output cannot be used together/],
  ['get --header=yes', /--header takes no value/],
  ['get extra', /unexpected argument "extra" for "kubectl cwtoken get"/],
  ['import', /missing <files> argument for "kubectl cwtoken import"/],
  // Flags that mean nothing for the command are refused, not ignored.
  [
    'use ord1 --context prod',
    /"kubectl cwtoken use" takes no --context flag \(get, set, rotate, verify, clusters, store, unstore do\); see 'kubectl cwtoken use --help'$/,
  ],
  ['doctor --context nope', /"kubectl cwtoken doctor" takes no --context flag/],
  ['contexts --context lab', /"kubectl cwtoken contexts" takes no --context flag/],
  ['contexts --user token', /"kubectl cwtoken contexts" takes no --user flag/],
  ['get --first-user --context lab', /--first-user and --context cannot be used together/],
  ['completion bash --kubeconfig x', /"kubectl cwtoken completion" takes no --kubeconfig flag/],
];

describe('usage errors: exit 2, one line, pointing at the help of the command', () => {
  test.each(USAGE_ERRORS)('%s', async (typed, message) => {
    const run = await runCli(typed.split(' '));
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stderr.trimEnd()).toMatch(message);
  });

  test('no message carries yargs wording', async () => {
    for (const [typed] of USAGE_ERRORS) {
      const { stderr } = await runCli(typed.split(' '));
      expect(stderr).not.toMatch(/Unknown argument|Not enough non-option|Invalid values|mutually exclusive/);
    }
  });

  test('a token pasted as a stray argument is redacted in the error', async () => {
    const token = 'CW-SECRET-0123456789abcdefABCDEF';
    const run = await runCli(['set', token]);
    expect(run.code).toBe(2);
    expect(run.stderr).not.toContain(token);
  });

  test('flags may come before the command, as with kubectl', async () => {
    const run = await runCli(['--kubeconfig', '/nonexistent/config', 'gett']);
    expect(run.stderr).toMatch(/unknown command "gett"/);
  });

  test('after --, words are arguments, not flags', async () => {
    const run = await runCli(['get', '--', '--header']);
    expect(run.stderr).toMatch(/unexpected argument "--header"/);
  });
});
