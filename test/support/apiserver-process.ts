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
}

const config: ServerConfig = JSON.parse(readFileSync(process.argv[2], 'utf8'));

const server = createServer({ key: readFileSync(config.keyFile), cert: readFileSync(config.certFile) }, (request, response) => {
  appendFileSync(config.logFile, `${JSON.stringify({ method: request.method, path: request.url, authorization: request.headers.authorization })}\n`);
  request.resume(); // nothing here needs a request body
  handle(request, response);
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
