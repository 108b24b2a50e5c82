import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { kubeconfig } from '../support/builder';
import { ApiServer, startApiServer } from '../support/apiserver';
import { runCli } from '../support/run-cli';
import { cwtoken } from '../support/cli';
import { describeWithKubectl, kubectl } from '../support/kubectl';
import { useTempDir } from '../support/tmp';
import { byteDiff } from '../support/byte-diff';
import { expectNoToken, snapshot } from '../support/files';

const OLD = 'CW-SECRET-old0000000000000000';
const NEW = 'CW-SECRET-new1111111111111111';
const OTHER = 'CW-SECRET-other22222222222222';
const tmp = useTempDir();

let server: ApiServer;
beforeAll(async () => {
  server = await startApiServer({ acceptedToken: NEW, username: 'alice@example.com' });
});
afterAll(() => server.close());

/**
 * Two downloaded kubeconfigs in KUBECONFIG, both with a user named "token" holding the same token (the second
 * shadowed), plus a copy under another name, a tokenFile user with the same token and an unrelated user.
 */
function chain() {
  const first = tmp.file('first', kubeconfig().local(server, 'token', { token: OLD }).yaml());
  const tokenFile = tmp.file('token-file', `${OLD}\n`);
  const second = tmp.file(
    'second',
    kubeconfig()
      .cluster('other', { server: server.url, 'certificate-authority-data': server.caData })
      .tokenUser('token', OLD)
      .context('other', { cluster: 'other', user: 'token' })
      .tokenUser('copy', OLD)
      .user('from-file', { tokenFile: 'token-file' })
      .tokenUser('unrelated', OTHER)
      .yaml(),
  );
  return { first, second, tokenFile, env: { KUBECONFIG: `${first}:${second}` } };
}

describeWithKubectl('rotate', () => {
  test('verifies the new token, then replaces the old one in every entry and file that holds it', async () => {
    const { first, second, tokenFile, env } = chain();
    const before = { first: readFileSync(first, 'utf8'), second: readFileSync(second, 'utf8') };
    const run = await runCli(['rotate', '--token-stdin'], { env, stdin: NEW });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('authenticated as alice@example.com');
    expect(readFileSync(first, 'utf8')).toBe(before.first.replace(OLD, NEW));
    expect(readFileSync(second, 'utf8')).toBe(before.second.split(OLD).join(NEW));
    expect(readFileSync(second, 'utf8')).toContain(OTHER);
    expect(readFileSync(tokenFile, 'utf8')).toBe(`${NEW}\n`);
    expect(byteDiff(before.first, readFileSync(first, 'utf8'))).toMatchObject({ removed: 'old0000000000000000', added: 'new1111111111111111' });
    expect(run.stderr.match(/CW-S…0000 → CW-S…1111/g)).toHaveLength(4);
    expectNoToken(run.stderr, OLD, NEW);
  });

  test('kubectl then sends the new bearer token to the API server', async () => {
    const { env } = chain();
    expect((await runCli(['rotate', '--token-stdin'], { env, stdin: NEW })).code).toBe(0);
    const whoami = kubectl(['auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}'], env);
    expect(whoami).toMatchObject({ code: 0, stdout: 'alice@example.com' });
    expect(server.requests.at(-1)?.authorization).toBe(`Bearer ${NEW}`);
  });

  test('a token the API server rejects is not written anywhere', async () => {
    const { env } = chain();
    const before = snapshot(tmp.dir);
    const run = await runCli(['rotate', '--token-stdin'], { env, stdin: OTHER });
    expect(run).toMatchObject({ code: 9, stderr: expect.stringMatching(/^error: .*401 Unauthorized[^\n]*\n$/m) });
    expect(snapshot(tmp.dir)).toEqual(before);
    expectNoToken(run.stderr, OLD, OTHER);
  });

  test('--only changes just the selected entry', async () => {
    const { first, second, env } = chain();
    const secondBefore = readFileSync(second, 'utf8');
    expect((await runCli(['rotate', '--only', '--token-stdin'], { env, stdin: NEW })).code).toBe(0);
    expect(readFileSync(first, 'utf8')).toContain(NEW);
    expect(readFileSync(second, 'utf8')).toBe(secondBefore);
  });

  test('--no-verify writes without asking the API server', async () => {
    const { first, env } = chain();
    const asked = server.requests.length;
    expect((await runCli(['rotate', '--no-verify', '--token-stdin'], { env, stdin: OTHER })).code).toBe(0);
    expect(server.requests.length).toBe(asked);
    expect(readFileSync(first, 'utf8')).toContain(OTHER);
  });

  test('--dry-run verifies and reports, redacted, but writes nothing', async () => {
    const { env } = chain();
    const before = snapshot(tmp.dir);
    const run = await runCli(['rotate', '--dry-run', '-o', 'json', '--token-stdin'], { env, stdin: NEW });
    expect(run.code).toBe(0);
    const data = JSON.parse(run.stdout);
    expect(data).toMatchObject({ authenticatedAs: 'alice@example.com', dryRun: true });
    expect(data.changes.map((c: { user: string; file: string }) => `${c.user}@${path.basename(c.file)}`).sort()).toEqual([
      'copy@second',
      'from-file@second',
      'token@first',
      'token@second',
    ]);
    expect(snapshot(tmp.dir)).toEqual(before);
    expectNoToken(run.stdout + run.stderr, OLD, NEW);
  });

  test('an unknown user with --only is a one-line not-found error and writes nothing', async () => {
    const { env } = chain();
    const before = snapshot(tmp.dir);
    const run = await runCli(['rotate', '--only', '--user', 'nobody', '--token-stdin'], { env, stdin: NEW });
    expect(run).toMatchObject({ code: 4, stderr: expect.stringMatching(/^error: user "nobody" does not exist[^\n]*\n$/) });
    expect(snapshot(tmp.dir)).toEqual(before);
  });
});

describeWithKubectl('verification trusts what kubectl trusts when the cluster names no CA', () => {
  const noCa = (token: string) =>
    tmp.file(
      `no-ca-${token}`,
      kubeconfig()
        .cluster('local', { server: server.url })
        .tokenUser('token', token)
        .context('local', { cluster: 'local', user: 'token' })
        .current('local')
        .yaml(),
    );
  /** A system store holding only `caFile` (Go and Node both read SSL_CERT_FILE and SSL_CERT_DIR). */
  const systemStore = (caFile: string) => ({ SSL_CERT_FILE: caFile, SSL_CERT_DIR: path.dirname(tmp.file('empty/.keep', '')) });

  // The binary: the system store is read once per process, by the standalone binary's Node (>= 22) only.
  test('the system store that kubectl uses is trusted', () => {
    const store = systemStore(server.caFile);
    expect(kubectl(['auth', 'whoami', '--kubeconfig', noCa(NEW)], store).stdout).toContain('alice@example.com');
    const r = cwtoken(['rotate', '--dry-run', '--token-env', 'T', '--kubeconfig', noCa(OLD)], { env: { ...store, T: NEW } });
    expect(r.stderr).toContain('authenticated as alice@example.com');
    expect(r.code).toBe(0);
  });

  test('without the CA in the system store, kubectl and rotate both refuse the server', () => {
    const store = { ...systemStore(path.join(tmp.dir, 'no-such-bundle.pem')), SSL_CERT_DIR: path.join(tmp.dir, 'no-such-dir') };
    expect(kubectl(['auth', 'whoami', '--kubeconfig', noCa(NEW)], store).stderr).toMatch(/certificate signed by unknown authority/);
    const r = cwtoken(['rotate', '--dry-run', '--token-env', 'T', '--kubeconfig', noCa(OLD)], { env: { ...store, T: NEW } });
    expect(r.code).toBe(9);
    expect(r.stderr).toMatch(/^error: [^\n]*unknown certificate authority[^\n]*\n$/);
  });
});
