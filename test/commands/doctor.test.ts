import { readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { kubeconfig } from '../support/builder';
import { runCli } from '../support/run-cli';
import { describeWithKubectl, kubectl } from '../support/kubectl';
import { useTempDir } from '../support/tmp';

const TOKEN_A = 'CW-SECRET-aaaaaaaaaaaaaaaaaaaaaaaaaaaa1111';
const TOKEN_B = 'CW-SECRET-bbbbbbbbbbbbbbbbbbbbbbbbbbbb2222';

describeWithKubectl('doctor', () => {
  const tmp = useTempDir();

  test('a clean kubeconfig says so and exits 0', async () => {
    const file = tmp.file('a', kubeconfig().cw('lga1', TOKEN_A).yaml());
    expect(await runCli(['doctor', '--kubeconfig', file])).toEqual({ code: 0, stdout: `no problems found in ${file}\n`, stderr: '' });
  });

  test('one line per finding with file, line and fix; exit 10 (not 3, "cannot load") and a summary on stderr', async () => {
    const a = tmp.file('a', kubeconfig().cw('lga1', TOKEN_A).yaml(), 0o644);
    const b = tmp.file('b', kubeconfig().cw('ord1', TOKEN_B).yaml());
    const run = await runCli(['doctor'], { env: { KUBECONFIG: [a, b].join(path.delimiter) } });
    expect(run.code).toBe(10);
    expect(run.stdout.split('\n').filter(Boolean)).toEqual([
      `${a}: mode 0644 gives group and others access to the credentials in it; fix: chmod 600 ${a}`,
      `${b}:8: user "token" is hidden by the different one in ${a}, which kubectl uses instead for context "ord1" of this file; fix: rename it to "ord1-token" here and in its references; \`kubectl cwtoken doctor --fix\` applies it; or \`kubectl cwtoken import ${b}\` merges the file, which can then leave KUBECONFIG`,
    ]);
    expect(run.stderr).toBe('error: found 2 problems in the kubeconfig; `kubectl cwtoken doctor --fix` applies 2 of the fixes\n');
    expect(run.stdout + run.stderr).not.toContain(TOKEN_A);
  });

  test('information alone (a shared token) does not fail', async () => {
    const file = tmp.file('a', kubeconfig().tokenUser('one', TOKEN_A).tokenUser('two', TOKEN_A).yaml());
    const run = await runCli(['doctor', '--kubeconfig', file]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^info: .*"one".*"two".* send the same token/);
  });

  test('a file kubectl cannot load is reported, and doctor still reads the rest of the chain', async () => {
    const bad = tmp.file('bad', `users:\n- name: u\n  user:\n    token: 12345\n`);
    const b = tmp.file('b', kubeconfig().context('ctx', { cluster: 'gone' }).yaml());
    const run = await runCli(['doctor'], { env: { KUBECONFIG: [bad, b].join(path.delimiter) } });
    expect(run.code).toBe(10);
    expect(run.stdout).toContain(`${bad}:4: the token of user "u" is unquoted`);
    // The fix offered must work on that file: `set` refuses a file kubectl cannot load, so it is not offered.
    expect(run.stdout).not.toContain('kubectl cwtoken set');
    expect(run.stdout).toContain(`${b}:`);
    expect(run.stdout).toContain('context "ctx" refers to cluster "gone"');
  });

  test('--fix renames the hidden entry with its references and tightens the mode; kubectl then sends each own token', async () => {
    const a = tmp.file('a', kubeconfig().cw('lga1', TOKEN_A).yaml(), 0o644);
    const b = tmp.file('b', `# ord1 download\n${kubeconfig().cw('ord1', TOKEN_B).current('ord1').yaml()}`);
    const env = { KUBECONFIG: [a, b].join(path.delimiter) };
    const run = await runCli(['doctor', '--fix'], { env });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`fixing: rename user "token" to "ord1-token" in ${b}`);
    expect(statSync(a).mode & 0o777).toBe(0o600);
    expect(readFileSync(b, 'utf8')).toMatch(/^# ord1 download\n/);
    for (const [context, token] of [
      ['lga1', TOKEN_A],
      ['ord1', TOKEN_B],
    ]) {
      expect(kubectl(['config', 'view', '--raw', '--minify', '--context', context, '-o', 'jsonpath={.users[0].user.token}'], env).stdout).toBe(token);
    }
    expect((await runCli(['doctor'], { env })).code).toBe(0);
  });

  test('--fix renames a shadowed context without moving current-context: kubectl stays on the same cluster', async () => {
    const a = tmp.file('a', kubeconfig().cluster('staging').tokenUser('ua', TOKEN_A).context('prod', { cluster: 'staging', user: 'ua' }).yaml());
    const b = tmp.file(
      'b',
      kubeconfig().cluster('realprod').tokenUser('ub', TOKEN_B).context('prod', { cluster: 'realprod', user: 'ub' }).current('prod').yaml(),
    );
    const env = { KUBECONFIG: [a, b].join(path.delimiter) };
    const server = () => kubectl(['config', 'view', '--minify', '-o', 'jsonpath={.clusters[0].cluster.server}'], env).stdout;
    const before = server();
    expect((await runCli(['doctor', '--fix'], { env })).stderr).toContain(`fixing: rename context "prod" to`);
    expect(kubectl(['config', 'current-context'], env).stdout).toBe('prod\n');
    expect(server()).toBe(before);
  });

  test('a current-context that names no context is a problem, with the closest context', async () => {
    const file = tmp.file('a', kubeconfig().cw('lga1', TOKEN_A).current('lga2').yaml());
    const run = await runCli(['doctor', '--kubeconfig', file]);
    expect(run.code).toBe(10);
    expect(run.stdout).toContain(`${file}: current-context is "lga2", which no kubeconfig file defines as a context; did you mean "lga1"?`);
  });

  test('a KUBECONFIG entry with a literal ~ is a problem; any other missing entry is information', async () => {
    const a = tmp.file('a', kubeconfig().cw('lga1', TOKEN_A).yaml());
    const gone = path.join(tmp.dir, 'gone');
    const run = await runCli(['doctor'], { env: { KUBECONFIG: ['~/.kube/cw', gone, a].join(path.delimiter) } });
    expect(run.code).toBe(10);
    expect(run.stdout).toContain('~/.kube/cw: this KUBECONFIG entry starts with a literal "~"');
    expect(run.stdout).toContain(`info: ${gone}: this KUBECONFIG entry does not exist`);
    expect(run.stderr).toContain('found 1 problem');
  });

  test('users and clusters no context uses are information', async () => {
    const file = tmp.file('a', kubeconfig().cw('lga1', TOKEN_A).cluster('old').tokenUser('ci', TOKEN_B).yaml());
    const run = await runCli(['doctor', '--kubeconfig', file]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^info: .*: cluster "old" is used by no context/m);
    expect(run.stdout).toMatch(/^info: .*: user "ci" is used by no context; fix: select it with --user ci/m);
  });

  test('-o json gives the findings as records, tokens never among them', async () => {
    const file = tmp.file('a', kubeconfig().cw('lga1', TOKEN_A).yaml(), 0o644);
    const run = await runCli(['doctor', '--kubeconfig', file, '-o', 'json']);
    expect(run.code).toBe(10);
    const report = JSON.parse(run.stdout) as { problems: number; findings: Array<{ kind: string; file: string }> };
    expect(report.problems).toBe(1);
    expect(report.findings.map((f) => [f.kind, f.file])).toEqual([['permissions', file]]);
    expect(run.stdout).not.toContain(TOKEN_A);
  });

  test('--fix --dry-run shows the fixes and changes nothing', async () => {
    const file = tmp.file('a', kubeconfig().cw('lga1', TOKEN_A).yaml(), 0o644);
    const before = readFileSync(file, 'utf8');
    const run = await runCli(['doctor', '--kubeconfig', file, '--fix', '--dry-run']);
    expect(run.code).toBe(10);
    expect(run.stderr).toContain(`would fix: chmod 600 ${file}`);
    expect(statSync(file).mode & 0o777).toBe(0o644);
    expect(readFileSync(file, 'utf8')).toBe(before);
  });
});
