import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { ApiServer, startApiServer } from '../support/apiserver';
import { kubeconfig } from '../support/builder';
import { BINARY, cwtoken } from '../support/cli';
import { expectNoToken, snapshot } from '../support/files';
import { describeWithKubectl, kubectl } from '../support/kubectl';
import { useTempDir } from '../support/tmp';

const OLD = 'CW-SECRET-stored000000000000000';
const NEW = 'CW-SECRET-rotated11111111111111';
const tmp = useTempDir();
let server: ApiServer;
beforeAll(async () => {
  server = await startApiServer({ acceptedToken: OLD, alsoAccepted: [NEW], username: 'alice@example.com' });
});
afterAll(() => server.close());

/** kubectl finds the plugin as krew links it: `kubectl-cwtoken` on PATH. */
function setup() {
  const file = tmp.file('config', kubeconfig().local(server, 'token', { token: OLD }).yaml());
  const env = { KUBECONFIG: file, XDG_CONFIG_HOME: path.join(tmp.dir, 'xdg'), PATH: `${path.dirname(BINARY)}${path.delimiter}${process.env.PATH}` };
  return { file, env, storeDir: path.join(tmp.dir, 'xdg', 'kubectl-cwtoken', 'tokens') };
}

const whoami = (env: Record<string, string>) => kubectl(['auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}'], env);

describeWithKubectl('store', () => {
  test('moves the token into a 0600 store file named without it; kubectl then sends it through exec-credential', () => {
    const { file, env, storeDir } = setup();
    const run = cwtoken(['store', '--user', 'token'], { env });
    expect(run.code).toBe(0);
    expectNoToken(run.stderr, OLD);
    expect(readFileSync(file, 'utf8')).not.toContain(OLD);
    const [stored] = readdirSync(storeDir);
    expect(stored).toMatch(/^token-[0-9a-f]{8}\.json$/);
    expect(statSync(path.join(storeDir, stored)).mode & 0o777).toBe(0o600);

    const view = JSON.parse(kubectl(['config', 'view', '--raw', '-o', 'json'], env).stdout);
    expect(view.users[0].user.exec).toMatchObject({
      apiVersion: 'client.authentication.k8s.io/v1',
      command: 'kubectl-cwtoken',
      args: ['exec-credential', '--file', path.join(storeDir, stored)],
      interactiveMode: 'Never',
    });
    expect(whoami(env)).toMatchObject({ code: 0, stdout: 'alice@example.com' });
    expect(server.requests.at(-1)?.authorization).toBe(`Bearer ${OLD}`);
  });

  test('get, status and rotate work on the stored token; after rotate kubectl sends the new one', () => {
    const { file, env } = setup();
    expect(cwtoken(['store'], { env }).code).toBe(0);
    expect(cwtoken(['get'], { env })).toMatchObject({ code: 0, stdout: `${OLD}\n` });
    const status = JSON.parse(cwtoken(['status', '-o', 'json'], { env }).stdout);
    expect(status[0]).toMatchObject({ user: 'token', kind: 'store', token: 'CW-S…0000' });

    const rotate = cwtoken(['rotate', '--token-stdin', '--expires', '30d'], { env, input: NEW });
    expect(rotate.code).toBe(0);
    expectNoToken(rotate.stderr, OLD, NEW);
    expect(readFileSync(file, 'utf8')).not.toContain(NEW);
    expect(cwtoken(['get'], { env }).stdout).toBe(`${NEW}\n`);
    expect(whoami(env)).toMatchObject({ code: 0, stdout: 'alice@example.com' });
    expect(server.requests.at(-1)?.authorization).toBe(`Bearer ${NEW}`);
  });

  test('exec-credential answers in the apiVersion kubectl asks for, with the expiry', () => {
    const { env, storeDir } = setup();
    expect(cwtoken(['set', '--user', 'token', '--token-stdin', '--expires', '2099-01-01T00:00:00Z'], { env, input: OLD }).code).toBe(0);
    expect(cwtoken(['store'], { env }).code).toBe(0);
    const file = path.join(storeDir, readdirSync(storeDir)[0]);
    const info = JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1beta1', kind: 'ExecCredential', spec: { interactive: false } });
    const run = cwtoken(['exec-credential', '--file', file], { env: { ...env, KUBERNETES_EXEC_INFO: info } });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      apiVersion: 'client.authentication.k8s.io/v1beta1',
      kind: 'ExecCredential',
      status: { token: OLD, expirationTimestamp: '2099-01-01T00:00:00Z' },
    });
  });

  test('unstore puts the token back inline and removes the store file', () => {
    const { file, env, storeDir } = setup();
    const before = readFileSync(file, 'utf8');
    expect(cwtoken(['store'], { env }).code).toBe(0);
    const run = cwtoken(['unstore'], { env });
    expect(run.code).toBe(0);
    expect(readdirSync(storeDir)).toEqual([]);
    expect(readFileSync(file, 'utf8')).toContain(OLD);
    expect(JSON.parse(kubectl(['config', 'view', '--raw', '-o', 'json'], env).stdout).users).toEqual(
      JSON.parse(kubectl(['config', 'view', '--raw', '-o', 'json'], { ...env, KUBECONFIG: tmp.file('before', before) }).stdout).users,
    );
    expect(whoami(env)).toMatchObject({ code: 0 });
  });

  test('a user without a bearer token is refused and nothing is written', () => {
    const { env } = setup();
    const file = tmp.file('certs', kubeconfig().user('certs', { 'client-certificate-data': 'eA==', 'client-key-data': 'eA==' }).yaml());
    const before = snapshot(tmp.dir);
    const run = cwtoken(['store', '--user', 'certs'], { env: { ...env, KUBECONFIG: file } });
    expect(run.code).toBe(5);
    expect(snapshot(tmp.dir)).toEqual(before);
    expect(existsSync(path.join(tmp.dir, 'xdg'))).toBe(false);
  });
});
