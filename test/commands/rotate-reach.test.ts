/**
 * rotate reaches API servers as kubectl does: through HTTPS_PROXY unless NO_PROXY or loopback says otherwise,
 * through the cluster's proxy-url, with tls-server-name and insecure-skip-tls-verify. kubectl is the judge.
 */
import { ApiServer, startApiServer } from '../support/apiserver';
import { ConnectProxy, startConnectProxy } from '../support/connect-proxy';
import { kubeconfig } from '../support/builder';
import { cwtoken } from '../support/cli';
import { describeWithKubectl, kubectl } from '../support/kubectl';
import { useTempDir } from '../support/tmp';
import { expectNoToken } from '../support/files';
import type { Cluster } from '../../src/kubeconfig/model';

const OLD = 'CW-SECRET-old0000000000000000';
const NEW = 'CW-SECRET-new1111111111111111';
const tmp = useTempDir();

let server: ApiServer;
let proxy: ConnectProxy;
beforeAll(async () => {
  [server, proxy] = await Promise.all([startApiServer({ acceptedToken: OLD, alsoAccepted: [NEW], username: 'alice' }), startConnectProxy()]);
});
afterAll(() => Promise.all([server.close(), proxy.close()]));

const port = () => new URL(server.url).port;
/** A name only the proxy can reach (it sends every host to loopback); the certificate is for localhost. */
const behindProxy = (): Cluster => ({
  server: `https://api.cwtoken.test:${port()}`,
  'certificate-authority-data': server.caData,
  'tls-server-name': 'localhost',
});

function config(cluster: Cluster) {
  return tmp.file('config', kubeconfig().cluster('c', cluster).tokenUser('token', OLD).context('c', { cluster: 'c', user: 'token' }).current('c').yaml());
}

/** kubectl's verdict and rotate's, and the CONNECT requests each made. */
function both(cluster: Cluster, env: Record<string, string> = {}) {
  const file = config(cluster);
  let seen = proxy.connects.length;
  const whoami = kubectl(['auth', 'whoami', '--kubeconfig', file, '-o', 'jsonpath={.status.userInfo.username}'], env);
  const kubectlConnects = proxy.connects.slice(seen);
  seen = proxy.connects.length;
  const rotate = cwtoken(['rotate', '--dry-run', '--kubeconfig', file, '--token-env', 'T', '--timeout', '5'], { env: { ...env, T: NEW } });
  expectNoToken(rotate.stderr, OLD, NEW);
  return { kubectl: whoami.code === 0, rotate: rotate.code === 0, kubectlConnects, rotateConnects: proxy.connects.slice(seen), stderr: rotate.stderr };
}

describeWithKubectl('verification reaches the server the way kubectl does', () => {
  test('through HTTPS_PROXY, with tls-server-name', () => {
    const r = both(behindProxy(), { HTTPS_PROXY: proxy.url });
    expect(r).toMatchObject({ kubectl: true, rotate: true });
    expect(r.rotateConnects).toEqual(r.kubectlConnects);
    expect(r.rotateConnects).toEqual([`api.cwtoken.test:${port()}`]);
  });

  test('through https_proxy, without a scheme', () => {
    const r = both(behindProxy(), { https_proxy: proxy.url.replace('http://', '') });
    expect(r).toMatchObject({ kubectl: true, rotate: true, rotateConnects: [`api.cwtoken.test:${port()}`] });
  });

  test('not through the proxy for a NO_PROXY host: both fail to resolve it, and rotate says so', () => {
    const r = both(behindProxy(), { HTTPS_PROXY: proxy.url, NO_PROXY: 'cwtoken.test' });
    expect(r).toMatchObject({ kubectl: false, rotate: false, kubectlConnects: [], rotateConnects: [] });
    expect(r.stderr).toMatch(/cannot resolve the host "api\.cwtoken\.test"/);
  });

  test('never through the proxy for loopback, even a dead one', () => {
    const r = both({ server: server.url, 'certificate-authority-data': server.caData }, { HTTPS_PROXY: 'http://127.0.0.1:9' });
    expect(r).toMatchObject({ kubectl: true, rotate: true, kubectlConnects: [], rotateConnects: [] });
  });

  test("through the cluster's proxy-url, without any environment", () => {
    const r = both({ ...behindProxy(), 'proxy-url': proxy.url });
    expect(r).toMatchObject({ kubectl: true, rotate: true, rotateConnects: [`api.cwtoken.test:${port()}`] });
  });

  test('a dead proxy is named as the cause, not DNS', () => {
    const r = both(behindProxy(), { HTTPS_PROXY: 'http://127.0.0.1:9' });
    expect(r).toMatchObject({ kubectl: false, rotate: false });
    expect(r.stderr).toMatch(/through the proxy http:\/\/127\.0\.0\.1:9 \(ECONNREFUSED\); check HTTPS_PROXY/);
  });

  test('insecure-skip-tls-verify without a CA', () => {
    const r = both({ server: server.url, 'insecure-skip-tls-verify': true });
    expect(r).toMatchObject({ kubectl: true, rotate: true });
  });

  test('a wrong tls-server-name fails in both', () => {
    const r = both({ server: server.url, 'certificate-authority-data': server.caData, 'tls-server-name': 'wrong.example' });
    expect(r).toMatchObject({ kubectl: false, rotate: false });
    expect(r.stderr).toMatch(/not valid for the name "wrong\.example"/);
  });
});
