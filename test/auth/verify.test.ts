import { createServer, Server, Socket } from 'node:net';
import * as path from 'node:path';
import { verifyToken } from '../../src/auth/verify';
import { loadConfig } from '../../src/kubeconfig/config';
import { CwError } from '../../src/errors';
import type { Cluster, Entry } from '../../src/kubeconfig/model';
import type { Output } from '../../src/output/streams';
import { ApiServer, startApiServer } from '../support/apiserver';
import { kubeconfig } from '../support/builder';
import { useTempDir } from '../support/tmp';

const TOKEN = 'CW-SECRET-verify-test-accepted-token-7a41';
const WRONG = 'CW-SECRET-verify-test-rejected-token-93be';
const TIMEOUT_MS = 500;

let server: ApiServer;
beforeAll(async () => {
  server = await startApiServer({ acceptedToken: TOKEN, username: 'alice@example.test', groups: ['cw:tenant', 'system:authenticated'] });
});
afterAll(async () => {
  await server.close();
});

const tmp = useTempDir();

/** The cluster entry as the kubeconfig core loads it from a real file, so relative paths have a real origin. */
async function clusterFrom(cluster: Cluster, file = 'config'): Promise<Entry<Cluster>> {
  const config = tmp.file(file, kubeconfig().cluster('local', cluster).yaml());
  return (await loadConfig({ kubeconfig: config })).config.clusters.get('local')!;
}

function captured(): Output & { stderr: () => string } {
  let stderr = '';
  return { out: () => undefined, err: (t) => void (stderr += t), interactive: false, color: false, outColor: false, stderr: () => stderr };
}

async function verifyError(promise: Promise<unknown>, token: string): Promise<CwError> {
  const error = await promise.then(
    () => {
      throw new Error('expected verifyToken to reject');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CwError);
  expect((error as CwError).kind).toBe('verify');
  expect((error as CwError).message).not.toContain(token);
  expect((error as CwError).message).not.toMatch(/\n/);
  expect((error as CwError).detail ?? '').not.toContain(token);
  return error as CwError;
}

const verify = (cluster: Entry<Cluster>, token = TOKEN, streams: Output = captured()) =>
  verifyToken({ cluster, token, timeoutMs: TIMEOUT_MS * 20, env: {} }, streams);

describe('verifyToken', () => {
  test('an accepted token yields the identity the API server reports', async () => {
    const identity = await verify(await clusterFrom({ server: server.url, 'certificate-authority-data': server.caData }));
    expect(identity).toEqual({ username: 'alice@example.test', groups: ['cw:tenant', 'system:authenticated'] });
  });

  test('the token reaches the server as a bearer credential on a SelfSubjectReview', async () => {
    const before = server.requests.length;
    await verify(await clusterFrom({ server: server.url, 'certificate-authority-data': server.caData }));
    expect(server.requests.slice(before)).toEqual([
      { method: 'POST', path: '/apis/authentication.k8s.io/v1/selfsubjectreviews', authorization: `Bearer ${TOKEN}` },
    ]);
  });

  test('writes nothing to a non-terminal stderr', async () => {
    const streams = captured();
    await verify(await clusterFrom({ server: server.url, 'certificate-authority-data': server.caData }), TOKEN, streams);
    await verifyError(verify(await clusterFrom({ server: server.url, 'certificate-authority-data': server.caData }), WRONG, streams), WRONG);
    expect(streams.stderr()).toBe('');
  });

  test('a rejected token is a 401 error that does not contain the token', async () => {
    const error = await verifyError(verify(await clusterFrom({ server: server.url, 'certificate-authority-data': server.caData }), WRONG), WRONG);
    expect(error.message).toContain(server.url);
    expect(error.message).toMatch(/401 Unauthorized/);
  });

  test('certificate-authority is read relative to the directory of the kubeconfig that defines the cluster', async () => {
    tmp.file('kube/certs/ca.crt', Buffer.from(server.caData, 'base64').toString());
    const cluster = await clusterFrom({ server: server.url, 'certificate-authority': 'certs/ca.crt' }, 'kube/config');
    await expect(verify(cluster)).resolves.toMatchObject({ username: 'alice@example.test' });
  });

  test('certificate-authority-data wins over certificate-authority, as in kubectl', async () => {
    const cluster = await clusterFrom({ server: server.url, 'certificate-authority-data': server.caData, 'certificate-authority': 'missing/ca.crt' });
    await expect(verify(cluster)).resolves.toMatchObject({ username: 'alice@example.test' });
  });

  test('an unreadable certificate-authority file is named in the error', async () => {
    const cluster = await clusterFrom({ server: server.url, 'certificate-authority': 'missing/ca.crt' });
    const error = await verifyError(verify(cluster), TOKEN);
    expect(error.message).toContain(path.join(tmp.dir, 'missing/ca.crt'));
    expect(error.message).toContain('ENOENT');
  });

  test('a server certificate from an unknown CA is a TLS error saying so', async () => {
    const error = await verifyError(verify(await clusterFrom({ server: server.url })), TOKEN);
    expect(error.message).toMatch(/unknown certificate authority/);
  });

  test('insecure-skip-tls-verify trusts the server without a CA', async () => {
    const cluster = await clusterFrom({ server: server.url, 'insecure-skip-tls-verify': true });
    await expect(verify(cluster)).resolves.toMatchObject({ username: 'alice@example.test' });
  });

  test('tls-server-name is the name the certificate must match', async () => {
    const cluster = await clusterFrom({ server: server.url, 'certificate-authority-data': server.caData, 'tls-server-name': 'elsewhere.example.test' });
    const error = await verifyError(verify(cluster), TOKEN);
    expect(error.message).toMatch(/not valid for the name "elsewhere\.example\.test"/);
  });

  test('tls-server-name that the certificate carries is accepted', async () => {
    const cluster = await clusterFrom({ server: server.url, 'certificate-authority-data': server.caData, 'tls-server-name': 'localhost' });
    await expect(verify(cluster)).resolves.toMatchObject({ username: 'alice@example.test' });
  });

  test('a closed port is a connection-refused error', async () => {
    const port = await closedPort();
    const error = await verifyError(verify(await clusterFrom({ server: `https://127.0.0.1:${port}` })), TOKEN);
    expect(error.message).toMatch(/cannot connect to the API server at https:\/\/127\.0\.0\.1:\d+: connection refused/);
  });

  // The test's own limit only keeps a broken timeout from hanging the file; the check is that it rejects.
  test('a server that never answers is a timeout error after timeoutMs', async () => {
    const silent = await silentServer();
    try {
      const cluster = await clusterFrom({ server: `https://127.0.0.1:${silent.port}`, 'certificate-authority-data': server.caData });
      const error = await verifyError(verifyToken({ cluster, token: TOKEN, timeoutMs: TIMEOUT_MS, env: {} }, captured()), TOKEN);
      expect(error.message).toMatch(/did not answer within 0\.5 s/);
    } finally {
      await silent.close();
    }
  }, 10_000);

  test('an http:// server is refused, since kubectl sends bearer tokens only over https', async () => {
    const before = server.requests.length;
    const error = await verifyError(verify(await clusterFrom({ server: server.url.replace('https:', 'http:'), 'insecure-skip-tls-verify': true })), TOKEN);
    expect(error.message).toMatch(/only over https/);
    expect(server.requests.length).toBe(before);
  });
});

async function closedPort(): Promise<number> {
  const { port, close } = await silentServer();
  await close();
  return port;
}

/** Accepts TCP connections and never says a word: not even a TLS handshake. */
async function silentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const listener: Server = createServer((socket) => void sockets.add(socket));
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  return {
    port: (listener.address() as { port: number }).port,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => listener.close(() => resolve()));
    },
  };
}
