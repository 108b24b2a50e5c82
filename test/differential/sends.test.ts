/**
 * What kubectl actually sends, observed at a local HTTPS API server, against what `get` prints. This is the
 * oracle for the rules `kubectl config view` cannot show: tokenFile over token, relative tokenFile paths, the
 * fallback to the inline token, and --user overriding the context's user.
 */
import * as path from 'node:path';
import { ApiServer, startApiServer, versionRequestAuthorization } from '../support/apiserver';
import { runCli } from '../support/run-cli';
import { describeWithKubectl, kubectl } from '../support/kubectl';
import { kubeconfig } from '../support/builder';
import { useTempDir } from '../support/tmp';
import type { User } from '../../src/kubeconfig/model';

/** One test API server for the whole file: starting one costs a build and an openssl CA. */
let server: ApiServer;
beforeAll(async () => {
  server = await startApiServer({ acceptedToken: 'accepted', username: 'tester' });
});
afterAll(() => server.close());

describeWithKubectl('get prints the bearer token kubectl sends', () => {
  const tmp = useTempDir();
  /** The Authorization header of kubectl's request, and what `get` prints, for the same kubeconfig and flags. */
  async function both(user: User, args: string[] = [], extraUsers: Record<string, User> = {}) {
    const builder = kubeconfig().local(server, 'me', user);
    for (const [name, extra] of Object.entries(extraUsers)) builder.user(name, extra);
    const file = tmp.file('sub/config', builder.yaml());
    const sent = versionRequestAuthorization(server, () => kubectl(['get', '--raw', '/version', '--kubeconfig', file, ...args]));
    const ours = await runCli(['get', '--kubeconfig', file, ...args]);
    return { sent, printed: ours.code === 0 ? `Bearer ${ours.stdout.trimEnd()}` : undefined };
  }

  test('an inline token', async () => {
    const { sent, printed } = await both({ token: 'INLINE-1' });
    expect(sent).toBe('Bearer INLINE-1');
    expect(printed).toBe(sent);
  });

  test('tokenFile wins over token', async () => {
    const { sent, printed } = await both({ token: 'INLINE-2', tokenFile: tmp.file('tf', 'FROM-FILE-2') });
    expect(sent).toBe('Bearer FROM-FILE-2');
    expect(printed).toBe(sent);
  });

  test('a relative tokenFile is read from the kubeconfig directory, trimmed', async () => {
    tmp.file('sub/token', '\n  FROM-FILE-3 \n');
    const { sent, printed } = await both({ tokenFile: 'token' });
    expect(sent).toBe('Bearer FROM-FILE-3');
    expect(printed).toBe(sent);
  });

  test('an unreadable tokenFile falls back to the inline token', async () => {
    const { sent, printed } = await both({ token: 'INLINE-4', tokenFile: path.join(tmp.dir, 'no-such-dir', 'tf') });
    expect(sent).toBe('Bearer INLINE-4');
    expect(printed).toBe(sent);
  });

  test("a tokenFile keeps a byte-order mark and loses a trailing NEL, as Go's TrimSpace does", async () => {
    const { sent, printed } = await both({ tokenFile: tmp.file('tf', '\ufeffBOM-TOKEN\u0085\n') });
    // The server sees header bytes (latin1 in Node); the plugin prints UTF-8.
    const asHeaderBytes = (s: string) => Buffer.from(s, 'utf8').toString('latin1');
    expect(sent).toBe(asHeaderBytes('Bearer \ufeffBOM-TOKEN'));
    expect(asHeaderBytes(printed!)).toBe(sent);
  });

  test('a token together with basic auth: kubectl refuses the user and sends nothing, and get fails', async () => {
    const { sent, printed } = await both({ token: 'T-BASIC', username: 'bob', password: 'pw' });
    expect([sent, printed]).toEqual([undefined, undefined]);
  });

  test.each([
    ['a tokenFile and a username', { username: 'bob' }, true],
    ['an exec plugin without apiVersion', { exec: { command: 'cw-auth' } }, false],
    [
      'an exec plugin and an auth-provider',
      { exec: { command: 'cw-auth', apiVersion: 'client.authentication.k8s.io/v1beta1' }, 'auth-provider': { name: 'oidc' } },
      false,
    ],
    ['a v1 exec plugin without interactiveMode', { exec: { command: 'cw-auth', apiVersion: 'client.authentication.k8s.io/v1' } }, false],
    ['a client certificate without a key', { 'client-certificate-data': 'QUJD' }, false],
    ['a client certificate file that does not exist', { 'client-certificate': '/nonexistent/cert.pem', 'client-key': '/nonexistent/key.pem' }, false],
    ['impersonated groups without a user', { 'as-groups': ['admins'] }, false],
    ['the removed gcp auth-provider', { 'auth-provider': { name: 'gcp' } }, false],
    ['an oidc auth-provider without an issuer', { 'auth-provider': { name: 'oidc', config: { 'client-id': 'x' } } }, false],
  ] as Array<[string, User, boolean]>)('a token next to %s: kubectl refuses the user and sends nothing, and get fails', async (_, extra, viaFile) => {
    const credential = viaFile ? { tokenFile: tmp.file('tf', 'T-REFUSED') } : { token: 'T-REFUSED' };
    const { sent, printed } = await both({ ...credential, ...extra });
    expect([sent, printed]).toEqual([undefined, undefined]);
  });

  test('a token next to a valid exec plugin is sent, and printed', async () => {
    const { sent, printed } = await both({ token: 'T-WITH-EXEC', exec: { command: 'cw-auth', apiVersion: 'client.authentication.k8s.io/v1beta1' } });
    expect(sent).toBe('Bearer T-WITH-EXEC');
    expect(printed).toBe(sent);
  });

  test('a token with a line break cannot be sent by kubectl, and get refuses to print it', async () => {
    const { sent, printed } = await both({ token: 'T-LINE\nInjected: yes' });
    expect([sent, printed]).toEqual([undefined, undefined]);
  });

  test('--user overrides the user of the context', async () => {
    const { sent, printed } = await both({ token: 'INLINE-5' }, ['--user', 'other'], { other: { token: 'OTHER-5' } });
    expect(sent).toBe('Bearer OTHER-5');
    expect(printed).toBe(sent);
  });
});

describeWithKubectl('relative exec commands resolve against the kubeconfig directory, as in kubectl', () => {
  const tmp = useTempDir();
  test('kubectl runs ./bin/cred from the kubeconfig directory, and get names that same file', async () => {
    const credential = JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token: 'EXEC-TOKEN' } });
    const plugin = tmp.file('sub/bin/cred', `#!/bin/sh\necho '${credential}'\n`, 0o755);
    const file = tmp.file(
      'sub/config',
      kubeconfig()
        .local(server, 'me', { exec: { command: './bin/cred', apiVersion: 'client.authentication.k8s.io/v1', interactiveMode: 'Never' } })
        .yaml(),
    );
    const before = server.requests.length;
    kubectl(['get', '--raw', '/version', '--kubeconfig', file], { HOME: tmp.dir });
    expect(server.requests.slice(before).find((r) => r.path === '/version')?.authorization).toBe('Bearer EXEC-TOKEN');
    expect((await runCli(['get', '--kubeconfig', file])).stderr).toContain(`authenticates with exec (command "${plugin}"), not a bearer token`);
  });
});
