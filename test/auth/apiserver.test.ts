import { startApiServer, ApiServer } from '../support/apiserver';
import { kubeconfig } from '../support/builder';
import { describeWithKubectl, kubectl } from '../support/kubectl';
import { useTempDir } from '../support/tmp';

const TOKEN = 'CW-SECRET-apiserver-test-accepted-0001';
const OTHER = 'CW-SECRET-apiserver-test-rejected-0002';

// The verify tests trust this server to speak Kubernetes; real kubectl is the judge of that.
describeWithKubectl('the test API server, as kubectl sees it', () => {
  const tmp = useTempDir();
  let server: ApiServer;
  beforeAll(async () => {
    server = await startApiServer({ acceptedToken: TOKEN, username: 'alice@example.test', groups: ['cw:tenant', 'system:authenticated'] });
  });
  afterAll(() => server.close());

  const configWith = (token: string) => tmp.file('config', kubeconfig().local(server, 'token', { token }).yaml());

  test('kubectl auth whoami reports the username and groups for the accepted token', () => {
    const run = kubectl(['auth', 'whoami', '-o', 'json', '--kubeconfig', configWith(TOKEN)]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).status.userInfo).toEqual({ username: 'alice@example.test', groups: ['cw:tenant', 'system:authenticated'] });
  });

  test('the server records the bearer token kubectl sent', () => {
    const before = server.requests.length;
    kubectl(['auth', 'whoami', '--kubeconfig', configWith(TOKEN)]);
    const review = server.requests.slice(before).find((r) => r.path.startsWith('/apis/authentication.k8s.io/v1/selfsubjectreviews'));
    expect(review).toMatchObject({ method: 'POST', authorization: `Bearer ${TOKEN}` });
  });

  test('kubectl gets its 401 error for any other token', () => {
    const run = kubectl(['auth', 'whoami', '--kubeconfig', configWith(OTHER)]);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/You must be logged in to the server \(Unauthorized\)/);
  });

  test('kubectl get --raw /version returns the server version', () => {
    const run = kubectl(['get', '--raw', '/version', '--kubeconfig', configWith(TOKEN)]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ major: '1', gitVersion: expect.stringMatching(/^v1\./) });
  });

  test('kubectl trusts the server only with its CA', () => {
    const untrusted = tmp.file(
      'untrusted',
      kubeconfig()
        .cluster('local', { server: server.url })
        .tokenUser('token', TOKEN)
        .context('local', { cluster: 'local', user: 'token' })
        .current('local')
        .yaml(),
    );
    const run = kubectl(['get', '--raw', '/version', '--kubeconfig', untrusted]);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/certificate signed by unknown authority/);
  });
});
