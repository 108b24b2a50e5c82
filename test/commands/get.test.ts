/** get, run in-process as the binary runs it: the token on stdout, one-line failures with distinct exit codes. */
import { unlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { runCli } from '../support/run-cli';
import { kubeconfig } from '../support/builder';
import { useTempDir } from '../support/tmp';

const TOKEN = 'CW-SECRET-0123456789abcdef0123456789abcdef';

describe('kubectl cwtoken get', () => {
  const tmp = useTempDir();
  const config = () => tmp.file('config', kubeconfig().cw('prod', TOKEN).current('prod').yaml());

  test('prints the token and one newline on stdout, nothing on stderr', async () => {
    const r = await runCli(['get', '--kubeconfig', config()]);
    expect(r).toEqual({ code: 0, stdout: `${TOKEN}\n`, stderr: '' });
  });

  test('reads KUBECONFIG when --kubeconfig is not given', async () => {
    expect((await runCli(['get'], { env: { KUBECONFIG: config() } })).stdout).toBe(`${TOKEN}\n`);
  });

  test('reads ~/.kube/config when KUBECONFIG is not set', async () => {
    tmp.file('home/.kube/config', kubeconfig().cw('prod', TOKEN).current('prod').yaml());
    expect((await runCli(['get'], { env: { HOME: path.join(tmp.dir, 'home') } })).stdout).toBe(`${TOKEN}\n`);
  });

  test('--header prints an Authorization header for curl -H', async () => {
    expect((await runCli(['get', '--header', '--kubeconfig', config()])).stdout).toBe(`Authorization: Bearer ${TOKEN}\n`);
  });

  test('-o json gives context, user, file and token', async () => {
    const file = config();
    expect(JSON.parse((await runCli(['get', '-o', 'json', '--kubeconfig', file])).stdout)).toEqual({ context: 'prod', user: 'token', file, token: TOKEN });
  });

  test('-o json has the same keys when no context is involved (--first-user): context is null', async () => {
    expect(JSON.parse((await runCli(['get', '--first-user', '-o', 'json', '--kubeconfig', config()])).stdout)).toMatchObject({ context: null, user: 'token' });
  });

  test('-o yaml gives the same record', async () => {
    expect((await runCli(['get', '-oyaml', '--kubeconfig', config()])).stdout).toMatch(/^context: prod\nuser: token\nfile: .*\ntoken: CW-SECRET-/);
  });

  test('--context=NAME and --user=NAME forms are accepted', async () => {
    const file = tmp.file('two', kubeconfig().cw('a', 'T-a', 'ua').cw('b', 'T-b', 'ub').current('a').yaml());
    expect((await runCli(['get', `--kubeconfig=${file}`, '--context=b'])).stdout).toBe('T-b\n');
    expect((await runCli(['get', `--kubeconfig=${file}`, '--user=ub'])).stdout).toBe('T-b\n');
  });

  test('a tokenFile wins over the inline token, and -o json names the tokenFile', async () => {
    const tokenFile = tmp.file('token.txt', 'FROM-FILE\n');
    const file = tmp.file(
      'config',
      kubeconfig().cluster('c').user('u', { token: 'INLINE', tokenFile: 'token.txt' }).context('x', { cluster: 'c', user: 'u' }).current('x').yaml(),
    );
    expect(JSON.parse((await runCli(['get', '-o', 'json', '--kubeconfig', file])).stdout)).toMatchObject({ token: 'FROM-FILE', file: tokenFile });
  });

  describe('failures: one line on stderr, nothing on stdout, a distinct exit code', () => {
    const expectFailure = async (args: string[], code: number, message: RegExp, env: Record<string, string> = {}) => {
      const r = await runCli(args, { env });
      expect(r.code).toBe(code);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^error: [^\n]+\n$/);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toContain(TOKEN);
      expect(r.stderr).not.toMatch(/\bat .*:\d+:\d+/);
    };

    test('no kubeconfig found (3)', async () => {
      await expectFailure(['get'], 3, /no kubeconfig found: ".*\/\.kube\/config" does not exist/, { HOME: tmp.dir });
    });

    test('a missing --kubeconfig file (3)', async () => {
      await expectFailure(['get', '--kubeconfig', path.join(tmp.dir, 'absent')], 3, /kubeconfig file ".*absent" \(from --kubeconfig\) does not exist/);
    });

    test('malformed YAML names the file and line (3)', async () => {
      const file = tmp.file('bad', 'apiVersion: v1\nusers:\n- name: u\n  user: {token: x\n');
      await expectFailure(['get', '--kubeconfig', file], 3, new RegExp(`error loading config file "${file}": yaml: line \\d+: `));
    });

    test('an unquoted numeric token names the file, the line and the fix, without the value (3)', async () => {
      const file = tmp.file('num', 'apiVersion: v1\nusers:\n- name: u\n  user:\n    token: 12345678\n');
      await expectFailure(
        ['get', '--kubeconfig', file],
        3,
        new RegExp(`"${file}": line 5: users\\[0\\]\\.user\\.token must be a string, but is a number; quote`),
      );
      expect((await runCli(['get', '--kubeconfig', file])).stderr).not.toContain('12345678');
    });

    test('a duplicate name in one file, without printing any token (3)', async () => {
      const file = tmp.file('dup', kubeconfig().cw('x', TOKEN).tokenUser('token', TOKEN).current('x').yaml());
      await expectFailure(['get', '--kubeconfig', file], 3, /line \d+: user "token" is defined twice in this file/);
    });

    test('no current context (4)', async () => {
      await expectFailure(['get', '--kubeconfig', tmp.file('c', kubeconfig().cw('x', TOKEN).yaml())], 4, /no current context is set/);
    });

    test('an unknown context (4)', async () => {
      await expectFailure(['get', '--context', 'prd', '--kubeconfig', config()], 4, /context "prd" does not exist; did you mean "prod"\?/);
    });

    test('a user without a bearer token says how it authenticates (5)', async () => {
      const file = tmp.file(
        'exec',
        kubeconfig()
          .cluster('c')
          .user('gke', { exec: { command: 'gke-gcloud-auth-plugin', apiVersion: 'client.authentication.k8s.io/v1beta1' } })
          .context('x', { cluster: 'c', user: 'gke' })
          .current('x')
          .yaml(),
      );
      await expectFailure(['get', '--kubeconfig', file], 5, /user "gke" .* authenticates with exec \(command "gke-gcloud-auth-plugin"\), not a bearer token/);
      // Not advice to replace working EKS/GKE auth: --replace-auth is named as the deliberate way only.
      expect((await runCli(['get', '--kubeconfig', file])).stderr).toMatch(
        /kubectl runs that for each request; `kubectl cwtoken set --user gke --replace-auth` is only for moving this user to a token on purpose/,
      );
    });

    test('an empty tokenFile (5)', async () => {
      tmp.file('empty-token', '\n');
      const file = tmp.file(
        'c',
        kubeconfig().cluster('c').user('u', { tokenFile: 'empty-token' }).context('x', { cluster: 'c', user: 'u' }).current('x').yaml(),
      );
      await expectFailure(['get', '--kubeconfig', file], 5, /tokenFile ".*empty-token" of user "u" .* is empty/);
    });

    test('an unknown flag is a usage error (2)', async () => {
      await expectFailure(['get', '--bogus'], 2, /unknown flag --bogus for "kubectl cwtoken get"; see 'kubectl cwtoken get --help'/);
    });

    test('a bad -o value is a usage error (2)', async () => {
      await expectFailure(['get', '-o', 'xml'], 2, /invalid value "xml" for -o\/--output: choose one of json, yaml/);
    });
  });

  test('--debug adds detail to unexpected failures but still never prints the token', async () => {
    const r = await runCli(['get', '--debug', '--context', 'nope', '--kubeconfig', config()]);
    expect(r.code).toBe(4);
    expect(r.stderr).not.toContain(TOKEN);
  });

  test('--help shows usage with the kubectl cwtoken prefix and CoreWeave examples', async () => {
    const r = await runCli(['get', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Print the bearer token/);
    expect(r.stdout).toContain('  kubectl cwtoken get [options]');
    expect(r.stdout).toContain('api.coreweave.com');
  });

  test('the top-level --help lists every command and the CoreWeave workflow', async () => {
    const r = await runCli(['--help']);
    for (const command of ['get', 'set', 'rotate', 'import', 'contexts', 'use', 'doctor', 'completion'])
      expect(r.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
    expect(r.stdout).toContain('kubectl cwtoken import ~/Downloads/CWKubeconfig_*');
  });

  test('--version prints the package version', async () => {
    expect((await runCli(['--version'])).stdout).toBe(`${require('../../package.json').version}\n`);
  });
});

describe('get beside a kubectl writer', () => {
  const tmp = useTempDir();
  const full = () => kubeconfig().cw('lga1', TOKEN).current('lga1').yaml();

  // kubectl rewrites a kubeconfig in place (truncate, then write) while it holds <file>.lock.
  test('a file read half-written under a held lock is read again once the lock is gone', async () => {
    const file = tmp.file('config', '');
    writeFileSync(`${file}.lock`, '');
    const finish = setTimeout(() => {
      writeFileSync(file, full());
      unlinkSync(`${file}.lock`);
    }, 200);
    const run = await runCli(['get', '--kubeconfig', file, '--context', 'lga1']);
    clearTimeout(finish);
    expect(run).toEqual({ code: 0, stdout: `${TOKEN}\n`, stderr: '' });
  });

  test('a context missing from a file nobody is writing is still an error', async () => {
    const file = tmp.file('config', full());
    const run = await runCli(['get', '--kubeconfig', file, '--context', 'nope']);
    expect(run).toMatchObject({ code: 4, stderr: expect.stringMatching(/^error: context "nope" does not exist/) });
  });
});
