import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { kubeconfig } from '../support/builder';
import { runCli } from '../support/run-cli';
import { describeWithKubectl, kubectl, Run } from '../support/kubectl';
import { useTempDir } from '../support/tmp';

const TOKEN_A = 'CW-SECRET-aaaaaaaaaaaaaaaaaaaaaaaaaaaa1111';
const TOKEN_B = 'CW-SECRET-bbbbbbbbbbbbbbbbbbbbbbbbbbbb2222';
const TOKEN_C = 'CW-SECRET-cccccccccccccccccccccccccccc3333';

const download = (name: string, token: string) => kubeconfig().cw(name, token).current(name).yaml();
const sentToken = (file: string, context: string) =>
  kubectl(['config', 'view', '--raw', '--minify', '--kubeconfig', file, '--context', context, '-o', 'jsonpath={.users[0].user.token}']).stdout;
const noTokenIn = (run: { stdout: string; stderr: string }) => {
  for (const token of [TOKEN_A, TOKEN_B, TOKEN_C]) expect(run.stdout + run.stderr).not.toContain(token);
};

/** A download that names files next to it by relative paths, as client-go allows. */
const withRelativePaths = () =>
  kubeconfig()
    .cluster('d', { server: 'https://d.k8s.us-east-04a.coreweave.com', 'certificate-authority': 'ca.crt' })
    .user('d', { tokenFile: 'tok' })
    .user('cert', { 'client-certificate': 'certs/client.crt', 'client-key': 'certs/client.key' })
    .user('sso', { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: './bin/login' } })
    .user('on-path', { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: 'cw-login' } })
    .context('d', { cluster: 'd', user: 'd' })
    .current('d')
    .yaml();

/** The cluster and user kubectl uses for a context, paths as kubectl resolves them. */
const minified = (file: string, context: string) => {
  const view = kubectl(['config', 'view', '--raw', '--minify', '--kubeconfig', file, '--context', context, '-o', 'json']);
  expect(view.code).toBe(0);
  const config = JSON.parse(view.stdout) as { clusters: Array<{ cluster: Record<string, string> }>; users: Array<{ user: Record<string, string> }> };
  return { cluster: config.clusters[0].cluster, user: config.users[0].user };
};

describeWithKubectl('import', () => {
  const tmp = useTempDir();

  /** The download and the files it names, in tmp/dl; the target is tmp/target/config. */
  const arrangeRelative = () => {
    const download = tmp.file('dl/down.yaml', withRelativePaths());
    const files = {
      tok: tmp.file('dl/tok', `${TOKEN_A}\n`),
      ca: tmp.file('dl/ca.crt', 'ca'),
      cert: tmp.file('dl/certs/client.crt', 'cert'),
      key: tmp.file('dl/certs/client.key', 'key'),
      login: tmp.file('dl/bin/login', '', 0o700),
    };
    return { download, files, target: path.join(tmp.dir, 'target', 'config') };
  };

  const userOf = (file: string, name: string) => {
    const view = kubectl(['config', 'view', '--raw', '--kubeconfig', file, '-o', `jsonpath={.users[?(@.name=="${name}")].user}`]);
    return JSON.parse(view.stdout) as { 'client-certificate'?: string; 'client-key'?: string; exec?: { command: string } };
  };

  test('relative tokenFile and certificate-authority point at the files next to the imported file: kubectl and get find them', async () => {
    const { download, files, target } = arrangeRelative();
    const run = await runCli(['import', download, '--kubeconfig', target]);
    expect(run.code).toBe(0);
    noTokenIn(run);
    const { cluster, user } = minified(target, 'd');
    expect(user.tokenFile).toBe(files.tok);
    expect(cluster['certificate-authority']).toBe(files.ca);
    expect(existsSync(user.tokenFile) && existsSync(cluster['certificate-authority'])).toBe(true);
    expect(await runCli(['get', '--context', 'd', '--kubeconfig', target])).toMatchObject({ code: 0, stdout: `${TOKEN_A}\n` });
  });

  test('relative client-certificate, client-key and an exec command with a slash are resolved too; a bare command stays a PATH lookup', async () => {
    const { download, files, target } = arrangeRelative();
    expect((await runCli(['import', download, '--kubeconfig', target])).code).toBe(0);
    expect(userOf(target, 'cert')).toEqual({ 'client-certificate': files.cert, 'client-key': files.key });
    expect(userOf(target, 'sso').exec?.command).toBe(files.login);
    expect(userOf(target, 'on-path').exec?.command).toBe('cw-login');
  });

  test('importing a file with relative paths again changes nothing', async () => {
    const { download, target } = arrangeRelative();
    expect((await runCli(['import', download, '--kubeconfig', target])).code).toBe(0);
    const once = readFileSync(target, 'utf8');
    const again = await runCli(['import', download, '--kubeconfig', target]);
    expect(again).toMatchObject({ code: 0, stderr: expect.stringContaining('nothing to do') });
    expect(readFileSync(target, 'utf8')).toBe(once);
  });

  test('from stdin, relative paths are resolved against the working directory', async () => {
    const { download, files, target } = arrangeRelative();
    const dir = path.dirname(download);
    const run = await runCli(['import', '-', '--kubeconfig', target], { cwd: dir, stdin: readFileSync(download, 'utf8') });
    expect(run.code).toBe(0);
    noTokenIn(run);
    expect(minified(target, 'd')).toMatchObject({ cluster: { 'certificate-authority': files.ca }, user: { tokenFile: files.tok } });
    expect(await runCli(['get', '--context', 'd', '--kubeconfig', target])).toMatchObject({ code: 0, stdout: `${TOKEN_A}\n` });
  });

  test('acceptance: two CoreWeave downloads clash unseen in one chain; after import each context sends its own token', async () => {
    const a = tmp.file('CWKubeconfig_lga1', download('lga1', TOKEN_A));
    const b = tmp.file('CWKubeconfig_ord1', download('ord1', TOKEN_B));
    const chain = { KUBECONFIG: [a, b].join(path.delimiter) };
    // The problem: kubectl sends lga1's token to ord1.
    expect(kubectl(['config', 'view', '--raw', '--minify', '--context', 'ord1', '-o', 'jsonpath={.users[0].user.token}'], chain).stdout).toBe(TOKEN_A);
    const doctor = await runCli(['doctor'], { env: chain });
    expect(doctor.code).not.toBe(0);
    expect(doctor.stdout).toContain(`${b}:`);
    expect(doctor.stdout).toContain('user "token" is hidden by the different one');
    noTokenIn(doctor);

    const target = path.join(tmp.dir, 'config');
    const run = await runCli(['import', a, b, '--kubeconfig', target]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`add user "token" from ${b} as "ord1-token"`);
    noTokenIn(run);
    expect(sentToken(target, 'lga1')).toBe(TOKEN_A);
    expect(sentToken(target, 'ord1')).toBe(TOKEN_B);
    expect((await runCli(['doctor', '--kubeconfig', target])).code).toBe(0);
  });

  test('without --kubeconfig it writes where kubectl writes new entries: the first existing file of KUBECONFIG', async () => {
    const missing = path.join(tmp.dir, 'missing');
    const home = tmp.file('home', download('lga1', TOKEN_A));
    const later = tmp.file('later', kubeconfig().cluster('x').yaml());
    const before = readFileSync(later, 'utf8');
    const b = tmp.file('b', download('ord1', TOKEN_B));
    const chain = { KUBECONFIG: [missing, home, later].join(path.delimiter) };
    expect((await runCli(['import', b], { env: chain })).code).toBe(0);
    expect(readFileSync(later, 'utf8')).toBe(before);
    expect(sentToken(home, 'ord1')).toBe(TOKEN_B);
    expect(kubectl(['config', 'view', '--raw', '--minify', '--context', 'ord1', '-o', 'jsonpath={.users[0].user.token}'], chain).stdout).toBe(TOKEN_B);
  });

  test('importing the same files again changes nothing', async () => {
    const a = tmp.file('a', download('lga1', TOKEN_A));
    const b = tmp.file('b', download('ord1', TOKEN_B));
    const target = path.join(tmp.dir, 'config');
    await runCli(['import', a, b, '--kubeconfig', target]);
    const once = readFileSync(target, 'utf8');
    const again = await runCli(['import', b, a, '--kubeconfig', target]);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('nothing to do');
    expect(readFileSync(target, 'utf8')).toBe(once);
  });

  test('comments and formatting of the target survive: only lines are added', async () => {
    const original = `# my clusters\napiVersion: v1\nkind: Config\nclusters:\n- name: lga1   # primary\n  cluster: {server: "https://lga1.k8s.us-east-04a.coreweave.com"}\nusers:\n- name: token\n  user:\n    token: "${TOKEN_A}"   # from the console\ncontexts:\n- name: lga1\n  context: {cluster: lga1, user: token}\ncurrent-context: lga1\n`;
    const target = tmp.file('config', original);
    const b = tmp.file('b', download('ord1', TOKEN_B));
    expect((await runCli(['import', b, '--kubeconfig', target])).code).toBe(0);
    // Every original line is still there, in order: the import only inserted lines.
    const after = readFileSync(target, 'utf8').split('\n');
    let next = 0;
    const missing = original.split('\n').filter((line) => (next = after.indexOf(line, next) + 1) === 0);
    expect(missing).toEqual([]);
    expect(after.length).toBeGreaterThan(original.split('\n').length);
    expect(sentToken(target, 'lga1')).toBe(TOKEN_A);
    expect(sentToken(target, 'ord1')).toBe(TOKEN_B);
  });

  test('stdin is read for "-", and --use sets the imported context as current', async () => {
    const target = tmp.file('config', download('lga1', TOKEN_A));
    const run = await runCli(['import', '-', '--kubeconfig', target, '--use'], { stdin: download('ord1', TOKEN_B) });
    expect(run.code).toBe(0);
    expect(kubectl(['config', 'current-context', '--kubeconfig', target]).stdout).toBe('ord1\n');
    expect(sentToken(target, 'ord1')).toBe(TOKEN_B);
  });

  test('--prefix names every incoming entry with the prefix', async () => {
    const target = tmp.file('config', download('lga1', TOKEN_A));
    const b = tmp.file('b', download('ord1', TOKEN_B));
    expect((await runCli(['import', b, '--kubeconfig', target, '--prefix', 'cw-'])).code).toBe(0);
    expect(kubectl(['config', 'get-contexts', '-o', 'name', '--kubeconfig', target]).stdout).toBe('cw-ord1\nlga1\n');
    expect(sentToken(target, 'cw-ord1')).toBe(TOKEN_B);
  });

  test('--on-conflict overwrite replaces the entry of that name', async () => {
    const target = tmp.file('config', download('lga1', TOKEN_A));
    const newer = tmp.file('newer', download('lga1', TOKEN_C));
    expect((await runCli(['import', newer, '--kubeconfig', target, '--on-conflict', 'overwrite'])).code).toBe(0);
    expect(sentToken(target, 'lga1')).toBe(TOKEN_C);
  });

  test('--on-conflict overwrite replaces a body whole, nested values included: a token user becomes an exec user', async () => {
    const target = tmp.file('config', download('lga1', TOKEN_A));
    const exec = { apiVersion: 'client.authentication.k8s.io/v1', command: 'cw-auth', args: ['login', 'on'] };
    const newer = tmp.file('newer', kubeconfig().cluster('lga1').user('token', { exec }).context('lga1', { cluster: 'lga1', user: 'token' }).yaml());
    expect((await runCli(['import', newer, '--kubeconfig', target, '--on-conflict', 'overwrite'])).code).toBe(0);
    const user = JSON.parse(kubectl(['config', 'view', '--raw', '--kubeconfig', target, '-o', 'jsonpath={.users[0].user}']).stdout);
    expect(user).toEqual({ exec: { ...exec, env: null, provideClusterInfo: false } });
  });

  test('--on-conflict skip keeps the existing entry', async () => {
    const target = tmp.file('config', download('lga1', TOKEN_A));
    const b = tmp.file('b', download('ord1', TOKEN_B));
    const run = await runCli(['import', b, '--kubeconfig', target, '--on-conflict', 'skip']);
    expect(run.stderr).toContain(`skip user "token" from ${b}`);
    expect(sentToken(target, 'ord1')).toBe(TOKEN_A);
  });

  test('--on-conflict skip of everything new says the target was not changed, not that it had everything', async () => {
    const target = tmp.file('config', download('lga1', TOKEN_A));
    const run = await runCli(['import', tmp.file('b', download('lga1', TOKEN_B)), '--kubeconfig', target, '--on-conflict', 'skip']);
    expect(run.stderr).toContain(`${target} was not changed: the entries above were skipped`);
    expect(run.stderr).not.toContain('already has everything');
  });

  test('--on-conflict overwrite never takes over a user another context still uses: the incoming one is added beside it', async () => {
    const target = tmp.file('config', download('lga1', TOKEN_A));
    const run = await runCli(['import', tmp.file('b', download('ord1', TOKEN_B)), '--kubeconfig', target, '--on-conflict', 'overwrite']);
    expect(run.code).toBe(0);
    expect(sentToken(target, 'lga1')).toBe(TOKEN_A);
    expect(sentToken(target, 'ord1')).toBe(TOKEN_B);
    expect(run.stderr).toContain('add user "token" from');
    noTokenIn(run);
  });

  test('re-importing an updated download (same cluster and context, new token) updates the token in place', async () => {
    const target = tmp.file('config', download('lga1', TOKEN_A));
    expect((await runCli(['import', tmp.file('b', download('ord1', TOKEN_B)), '--kubeconfig', target])).code).toBe(0);
    const before = readFileSync(target, 'utf8');
    const run = await runCli(['import', tmp.file('ord1-again', download('ord1', TOKEN_C)), '--kubeconfig', target]);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/update the token of user "ord1-token" from .* \(same cluster and context\): CW-S…2222 → CW-S…3333/);
    expect(sentToken(target, 'ord1')).toBe(TOKEN_C);
    expect(sentToken(target, 'lga1')).toBe(TOKEN_A);
    expect(kubectl(['config', 'get-contexts', '-o', 'name', '--kubeconfig', target]).stdout).toBe('lga1\nord1\n');
    expect(readFileSync(target, 'utf8')).toBe(before.replace(TOKEN_B, TOKEN_C));
    noTokenIn(run);
  });

  test("an updated download whose user is shared with another server's context gets a user of its own instead", async () => {
    const shared = kubeconfig()
      .cw('lga1', TOKEN_A)
      .cluster('ord1', { server: 'https://ord1.k8s.us-east-04a.coreweave.com' })
      .context('ord1', { cluster: 'ord1', user: 'token', namespace: 'tenant-ord1' })
      .current('lga1')
      .yaml();
    const target = tmp.file('config', shared);
    const run = await runCli(['import', tmp.file('ord1-again', download('ord1', TOKEN_C)), '--kubeconfig', target]);
    expect(run.code).toBe(0);
    expect(sentToken(target, 'ord1')).toBe(TOKEN_C);
    expect(sentToken(target, 'lga1')).toBe(TOKEN_A);
    expect(kubectl(['config', 'get-contexts', '-o', 'name', '--kubeconfig', target]).stdout).toBe('lga1\nord1\n');
    noTokenIn(run);
  });

  test('a download of another cluster under a known context name is not taken for an update', async () => {
    const target = tmp.file('config', download('lga1', TOKEN_A));
    const elsewhere = kubeconfig()
      .cluster('lga1', { server: 'https://elsewhere.example.com' })
      .tokenUser('token', TOKEN_B)
      .context('lga1', { cluster: 'lga1', user: 'token' })
      .yaml();
    const run = await runCli(['import', tmp.file('other', elsewhere), '--kubeconfig', target]);
    expect(run.code).toBe(0);
    expect(sentToken(target, 'lga1')).toBe(TOKEN_A);
    expect(run.stderr).not.toMatch(/update the token/);
  });

  test('importing a file of the chain (as doctor suggests) does not count its own names as taken', async () => {
    const a = tmp.file('a', download('lga1', TOKEN_A));
    const b = tmp.file('b', download('ord1', TOKEN_B));
    const run = await runCli(['import', b], { env: { KUBECONFIG: [a, b].join(path.delimiter) } });
    expect(run.code).toBe(0);
    expect(kubectl(['config', 'get-contexts', '-o', 'name', '--kubeconfig', a]).stdout).toBe('lga1\nord1\n');
    expect(sentToken(a, 'ord1')).toBe(TOKEN_B);
  });

  test('--dry-run shows the plan and writes nothing', async () => {
    const target = tmp.file('config', download('lga1', TOKEN_A));
    const before = readFileSync(target, 'utf8');
    const b = tmp.file('b', download('ord1', TOKEN_B));
    const run = await runCli(['import', b, '--kubeconfig', target, '--dry-run']);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`would add user "token" from ${b} as "ord1-token"`);
    expect(readFileSync(target, 'utf8')).toBe(before);
  });

  describe('bad input: a clear error, and every file byte-identical afterwards', () => {
    const expectUnchanged = async (files: string[], act: () => Promise<Run>, code: number, message: RegExp) => {
      const before = files.map((f) => readFileSync(f, 'utf8'));
      const run = await act();
      expect(run.code).toBe(code);
      expect(run.stderr).toMatch(message);
      expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
      noTokenIn(run);
      expect(files.map((f) => readFileSync(f, 'utf8'))).toEqual(before);
    };

    test('a malformed import file is named with its line, even after a good one', async () => {
      const target = tmp.file('config', download('lga1', TOKEN_A));
      const good = tmp.file('good', download('ord1', TOKEN_B));
      const bad = tmp.file('bad', `users:\n- name: u\n  user:\n    token: ${TOKEN_C}\n  - oops\n`);
      await expectUnchanged(
        [target, good, bad],
        () => runCli(['import', good, bad, '--kubeconfig', target]),
        3,
        new RegExp(`^error: error loading config file "${bad}": .*line \\d+: `),
      );
    });

    test('--on-conflict fail names the clashing entries', async () => {
      const target = tmp.file('config', download('lga1', TOKEN_A));
      const b = tmp.file('b', download('ord1', TOKEN_B));
      await expectUnchanged(
        [target, b],
        () => runCli(['import', b, '--kubeconfig', target, '--on-conflict', 'fail']),
        6,
        /^error: user "token" \(.*\) already exists with different content; nothing was written/,
      );
    });

    test('a read-only target', async () => {
      const target = tmp.file('config', download('lga1', TOKEN_A), 0o400);
      const b = tmp.file('b', download('ord1', TOKEN_B));
      await expectUnchanged([target], () => runCli(['import', b, '--kubeconfig', target]), 8, /^error: .*read-only/);
    });

    test('a stale lock', async () => {
      const target = tmp.file('config', download('lga1', TOKEN_A));
      writeFileSync(`${target}.lock`, '');
      const b = tmp.file('b', download('ord1', TOKEN_B));
      await expectUnchanged([target], () => runCli(['import', b, '--kubeconfig', target, '--lock-timeout', '0.2']), 7, new RegExp(`${target}\\.lock`));
    });
  });
});
