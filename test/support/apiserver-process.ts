/**
 * The test API server's own process (started by test/support/apiserver.ts). It runs apart from jest because
 * the kubectl and cwtoken helpers use spawnSync, which would block a server living in the test's event loop.
 * argv[2] is a JSON ServerConfig; it prints its port once listening, appends every request to the log as one
 * JSON line before answering, and exits when its parent goes away (stdin closes).
 */
import { appendFileSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';

export interface ServerConfig {
  acceptedTokens: string[];
  username: string;
  groups: string[];
  keyFile: string;
  certFile: string;
  logFile: string;
  /** The CoreWeave API, when the server should emulate it too. */
  coreweave?: CoreWeaveConfig;
}

/**
 * What the emulated CoreWeave API does for a token: list the clusters; 403 (no IAM access policy); answer 200
 * with a body that is not JSON, or JSON without an items list; never answer; 503 on the first call, then list.
 * Any other token gets 401, as an expired or revoked one does.
 */
export type CoreWeaveBehaviour = 'clusters' | 'forbidden' | 'malformed' | 'not-a-list' | 'hang' | 'flaky';

export interface CoreWeaveConfig {
  tokens: Record<string, CoreWeaveBehaviour>;
  /** GET /v1beta1/cks/clusters items; "{port}" in a string becomes this server's port. */
  clusters: Array<Record<string, unknown>>;
}

const config: ServerConfig = JSON.parse(readFileSync(process.argv[2], 'utf8'));

const server = createServer({ key: readFileSync(config.keyFile), cert: readFileSync(config.certFile) }, (request, response) => {
  appendFileSync(config.logFile, `${JSON.stringify({ method: request.method, path: request.url, authorization: request.headers.authorization })}\n`);
  request.resume(); // nothing here needs a request body
  if ((request.url ?? '').startsWith('/v1beta1/')) coreweave(request, response);
  else handle(request, response);
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`${(server.address() as AddressInfo).port}\n`));
process.stdin.on('close', () => process.exit(0)).resume();

const VERSION = { major: '1', minor: '32', gitVersion: 'v1.32.0-cwtoken-test', platform: 'linux/amd64' };

function handle(request: IncomingMessage, response: ServerResponse): void {
  const send = (code: number, body: object) => {
    response.writeHead(code, { 'Content-Type': 'application/json' });
    response.end(JSON.stringify(body));
  };
  const status = (code: number, reason: string, message: string) =>
    send(code, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code });

  // A real API server answers every path, discovery included, with this Status for a bad bearer token.
  if (!config.acceptedTokens.some((token) => request.headers.authorization === `Bearer ${token}`)) return status(401, 'Unauthorized', 'Unauthorized');
  switch (`${request.method} ${(request.url ?? '').split('?')[0]}`) {
    case 'GET /version':
      return send(200, VERSION);
    case 'POST /apis/authentication.k8s.io/v1/selfsubjectreviews':
      return send(201, {
        kind: 'SelfSubjectReview',
        apiVersion: 'authentication.k8s.io/v1',
        metadata: { creationTimestamp: null },
        status: { userInfo: { username: config.username, groups: config.groups } },
      });
    default:
      return status(404, 'NotFound', 'the server could not find the requested resource');
  }
}

let flakyCalls = 0;

function coreweave(request: IncomingMessage, response: ServerResponse): void {
  const send = (code: number, body: string) => {
    response.writeHead(code, { 'Content-Type': 'application/json' });
    response.end(body);
  };
  const token = /^Bearer (.*)$/.exec(request.headers.authorization ?? '')?.[1] ?? '';
  const behaviour = config.coreweave?.tokens[token];
  if (!behaviour) return send(401, JSON.stringify({ code: 16, message: 'unauthenticated' }));
  if (request.method !== 'GET' || request.url !== '/v1beta1/cks/clusters') return send(404, JSON.stringify({ code: 5, message: 'not found' }));
  const port = String((server.address() as AddressInfo).port);
  const items = JSON.parse(JSON.stringify(config.coreweave!.clusters).split('{port}').join(port));
  switch (behaviour) {
    case 'forbidden':
      return send(403, JSON.stringify({ code: 7, message: 'permission denied' }));
    case 'malformed':
      return send(200, '<html>not json</html>');
    case 'not-a-list':
      return send(200, JSON.stringify({ items: 5 }));
    case 'hang':
      return; // the client's timeout must end this
    case 'flaky':
      if (flakyCalls++ === 0) return send(503, JSON.stringify({ code: 14, message: 'unavailable' }));
      return send(200, JSON.stringify({ items }));
    case 'clusters':
      return send(200, JSON.stringify({ items }));
  }
}
