import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { buildSync } from 'esbuild';
import type { CoreWeaveConfig, ServerConfig } from './apiserver-process';

export type { CoreWeaveBehaviour, CoreWeaveConfig } from './apiserver-process';

export interface ApiServerOptions {
  /** The one bearer token the server accepts; every other request gets 401, as from a real API server. */
  acceptedToken: string;
  /** More tokens it accepts too: a server in the middle of a rotation takes the old and the new one. */
  alsoAccepted?: string[];
  username: string;
  groups?: string[];
  /** Emulate the CoreWeave API (GET /v1beta1/cks/clusters) too. */
  coreweave?: CoreWeaveConfig;
}

export interface RecordedRequest {
  method: string;
  path: string;
  authorization?: string;
}

export interface ApiServer {
  /** https://127.0.0.1:<port> */
  url: string;
  /** PEM file of the CA that signed the server's certificate (SANs: IP 127.0.0.1, DNS localhost). */
  caFile: string;
  /** The same CA, base64, as certificate-authority-data wants it. */
  caData: string;
  /** Every request so far, oldest first; complete as soon as the client has its answer. */
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
}

/** The Authorization header of the `/version` request `send` made to `server` (`kubectl get --raw /version`), if one reached it. */
export function versionRequestAuthorization(server: ApiServer, send: () => unknown): string | undefined {
  const before = server.requests.length;
  send();
  return server.requests.slice(before).find((r) => r.path === '/version')?.authorization;
}

/**
 * A minimal Kubernetes API server over HTTPS in a child process: /version and authentication.k8s.io/v1
 * SelfSubjectReview, all that `kubectl auth whoami`, `kubectl version` and `kubectl get --raw /version` ask for
 * (none of them reads discovery); with `coreweave`, also the CoreWeave API's GET /v1beta1/cks/clusters. Its CA and key are generated with openssl into a private temporary directory,
 * so no private key is ever committed. It runs in a child process: see apiserver-process.ts for why.
 */
export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const dir = mkdtempSync(path.join(tmpdir(), 'cwtoken-apiserver-'));
  const file = (name: string) => path.join(dir, name);
  const { caFile, keyFile, certFile } = makeCertificates(file);
  const config: ServerConfig = {
    acceptedTokens: [options.acceptedToken, ...(options.alsoAccepted ?? [])],
    username: options.username,
    groups: options.groups ?? ['system:authenticated'],
    coreweave: options.coreweave,
    keyFile,
    certFile,
    logFile: file('requests.jsonl'),
  };
  writeFileSync(file('config.json'), JSON.stringify(config), { mode: 0o600 });
  buildSync({
    entryPoints: [path.join(__dirname, 'apiserver-process.ts')],
    outfile: file('server.cjs'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    logLevel: 'warning',
  });

  const child = spawn(process.execPath, [file('server.cjs'), file('config.json')], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = once(child, 'exit');
  const [port] = (await Promise.race([once(createInterface({ input: child.stdout! }), 'line'), exited])) as [string];
  if (!/^\d+$/.test(String(port))) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error('the test API server exited before listening');
  }
  return {
    url: `https://127.0.0.1:${port}`,
    caFile,
    caData: readFileSync(caFile).toString('base64'),
    get requests() {
      if (!existsSync(config.logFile)) return [];
      return readFileSync(config.logFile, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as RecordedRequest);
    },
    close: async () => {
      child.kill();
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function makeCertificates(file: (name: string) => string): { caFile: string; keyFile: string; certFile: string } {
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl('req', '-x509', ...ecKey, '-keyout', file('ca.key'), '-out', file('ca.crt'), '-days', '2', '-subj', '/CN=cwtoken-test-ca');
  openssl('req', ...ecKey, '-keyout', file('server.key'), '-out', file('server.csr'), '-subj', '/CN=cwtoken-test-apiserver');
  writeFileSync(file('server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n');
  openssl(
    'x509',
    '-req',
    '-in',
    file('server.csr'),
    '-CA',
    file('ca.crt'),
    '-CAkey',
    file('ca.key'),
    '-CAcreateserial',
    '-out',
    file('server.crt'),
    '-days',
    '2',
    '-extfile',
    file('server.ext'),
  );
  return { caFile: file('ca.crt'), keyFile: file('server.key'), certFile: file('server.crt') };
}
