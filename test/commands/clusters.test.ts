import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { kubeconfig } from '../support/builder';
import { cwtoken } from '../support/cli';
import { CLUSTERS, coreweaveEnv, TOKENS, useCoreWeave } from '../support/coreweave';
import { expectNoToken, snapshot } from '../support/files';
import { describeWithKubectl, kubectl } from '../support/kubectl';
import { useTempDir } from '../support/tmp';

const tmp = useTempDir();
const api = useCoreWeave();

const ALL_TOKENS = Object.values(TOKENS);
const json = (stdout: string) => JSON.parse(stdout) as Array<{ name: string; server: string; status: string; contexts: string[] }>;

/** A downloaded kubeconfig for an unrelated cluster, whose user is the Console's `token`. */
function existing(token: string = TOKENS.valid) {
  return tmp.file('config', kubeconfig().cw('old', token).current('old').yaml());
}

describe('clusters', () => {
  test('lists every cluster the token can see, with https:// before each bare host endpoint', () => {
    const file = existing();
    const run = cwtoken(['clusters', '-o', 'json'], { env: coreweaveEnv(api.server, { KUBECONFIG: file }) });
    expect(run.code).toBe(0);
    const listed = json(run.stdout);
    expect(listed.map((c) => c.name)).toEqual(['alpha', 'beta', 'delta', 'gamma']);
    expect(listed.find((c) => c.name === 'alpha')?.server).toBe(api.server.url);
    expect(listed.find((c) => c.name === 'gamma')?.server).toBe('');
    expect(api.server.requests.at(-1)).toMatchObject({ method: 'GET', path: '/v1beta1/cks/clusters', authorization: `Bearer ${TOKENS.valid}` });
    expect(run.stderr).toContain('using the token of user "token" (context "old")');
    expectNoToken(run.stderr, ...ALL_TOKENS);
  });

  test('COREWEAVE_API_TOKEN takes precedence over the kubeconfig, and needs no kubeconfig at all', () => {
    const env = coreweaveEnv(api.server, { KUBECONFIG: path.join(tmp.dir, 'missing'), COREWEAVE_API_TOKEN: TOKENS.valid });
    const run = cwtoken(['clusters'], { env });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('using the token of $COREWEAVE_API_TOKEN');
    expect(run.stdout.split('\n')[0].split(/\s+/)).toEqual(['NAME', 'ZONE', 'STATUS', 'VERSION', 'SERVER', 'CONTEXT']);
    expect(run.stdout).toMatch(/^gamma\s+US-EAST-04A\s+CREATING\s+v1\.32\.3\s+-\s+-$/m);
    expectNoToken(run.stderr, ...ALL_TOKENS);
  });

  test('a token the API refuses (expired or revoked) says to create a new one, and exits 9', () => {
    const run = cwtoken(['clusters'], { env: coreweaveEnv(api.server, { KUBECONFIG: existing(TOKENS.expired) }) });
    expect(run).toMatchObject({ code: 9, stdout: '' });
    expect(run.stderr).toMatch(/^error: .*401 Unauthorized.*Cloud Console → Tokens\n$/m);
    expectNoToken(run.stderr, ...ALL_TOKENS);
  });

  test('a token without an IAM access policy gets 403, told apart from 401', () => {
    const run = cwtoken(['clusters'], { env: coreweaveEnv(api.server, { KUBECONFIG: existing(TOKENS.noPermission) }) });
    expect(run.code).toBe(9);
    expect(run.stderr).toMatch(/403 Forbidden.*IAM access policy/);
    expectNoToken(run.stderr, ...ALL_TOKENS);
  });

  test.each([
    ['not JSON', TOKENS.malformed, /cannot read: it is not JSON/],
    ['JSON without an items list', TOKENS.notAList, /cannot read: it has no "items" list/],
  ])('an answer that is %s is a clear error, and --sync writes nothing', (_, token, message) => {
    const file = existing(token);
    const before = snapshot(tmp.dir);
    const run = cwtoken(['clusters', '--sync'], { env: coreweaveEnv(api.server, { KUBECONFIG: file }) });
    expect(run.code).toBe(9);
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trim().split('\n')).toHaveLength(2); // "using the token of …" and the error
    expect(snapshot(tmp.dir)).toEqual(before);
  });

  test('a server that never answers times out after --timeout seconds, and --sync writes nothing', () => {
    const file = existing(TOKENS.hangs);
    const before = snapshot(tmp.dir);
    const started = Date.now();
    const run = cwtoken(['clusters', '--sync', '--timeout', '1'], { env: coreweaveEnv(api.server, { KUBECONFIG: file }) });
    expect(run.code).toBe(9);
    expect(run.stderr).toMatch(/did not answer within 1 s/);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(snapshot(tmp.dir)).toEqual(before);
  });

  test('a 503 is retried: the idempotent GET succeeds on the second attempt', () => {
    const run = cwtoken(['clusters', '-o', 'json'], { env: coreweaveEnv(api.server, { COREWEAVE_API_TOKEN: TOKENS.flaky, KUBECONFIG: existing() }) });
    expect(run.code).toBe(0);
    expect(json(run.stdout)).toHaveLength(CLUSTERS.length);
    const flaky = api.server.requests.filter((r) => r.authorization === `Bearer ${TOKENS.flaky}`);
    expect(flaky).toHaveLength(2);
  });

  test('an endpoint that is not https:// is refused before the token is sent', () => {
    const run = cwtoken(['clusters'], { env: { COREWEAVE_API_ENDPOINT: 'http://127.0.0.1:1/', COREWEAVE_API_TOKEN: TOKENS.valid } });
    expect(run.code).toBe(6);
    expect(run.stderr).toMatch(/is not https:\/\//);
  });

  test('a proxy that cannot be reached is named as the problem', () => {
    const env = { COREWEAVE_API_ENDPOINT: 'https://api.coreweave.invalid/', HTTPS_PROXY: 'http://127.0.0.1:1', COREWEAVE_API_TOKEN: TOKENS.valid };
    const run = cwtoken(['clusters', '--timeout', '5'], { env });
    expect(run.code).toBe(9);
    expect(run.stderr).toMatch(/cannot connect to the proxy 127\.0\.0\.1:1 .*HTTPS_PROXY/);
    expectNoToken(run.stderr, ...ALL_TOKENS);
  });
});

describeWithKubectl('clusters --sync', () => {
  test('writes a context per running cluster, one user for the token, and kubectl reaches each with it', () => {
    const file = tmp.file('config', kubeconfig().cw('old', TOKENS.expired).current('old').yaml());
    const env = coreweaveEnv(api.server, { KUBECONFIG: file, COREWEAVE_API_TOKEN: TOKENS.valid });
    const run = cwtoken(['clusters', '--sync'], { env });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('skip cluster "gamma": it is not running (STATUS_CREATING)');
    expect(run.stderr).toContain('skip cluster "delta": it is not running (DELETING)');
    expectNoToken(run.stderr, ...ALL_TOKENS);

    const view = JSON.parse(kubectl(['config', 'view', '--raw', '-o', 'json'], { KUBECONFIG: file }).stdout);
    const contexts = Object.fromEntries(view.contexts.map((c: { name: string; context: object }) => [c.name, c.context]));
    expect(Object.keys(contexts).sort()).toEqual(['alpha', 'beta', 'old']);
    // One new user, not a second `token`: the existing `token` keeps its own (expired) token.
    const users = view.users.map((u: { name: string }) => u.name).sort();
    expect(users).toHaveLength(2);
    expect(users).toContain('token');
    expect(contexts.alpha.user).toBe(contexts.beta.user);
    expect(contexts.alpha.user).not.toBe('token');
    for (const context of ['alpha', 'beta']) {
      const whoami = kubectl(['auth', 'whoami', '--context', context, '-o', 'jsonpath={.status.userInfo.username}'], {
        KUBECONFIG: file,
        SSL_CERT_FILE: api.server.caFile,
      });
      expect(whoami).toMatchObject({ code: 0, stdout: 'alice@example.com' });
      expect(api.server.requests.at(-1)?.authorization).toBe(`Bearer ${TOKENS.valid}`);
    }
  });

  test('is idempotent: a second sync writes nothing and lists the contexts it made', () => {
    const file = existing(TOKENS.valid);
    const env = coreweaveEnv(api.server, { KUBECONFIG: file });
    expect(cwtoken(['clusters', '--sync'], { env }).code).toBe(0);
    const after = readFileSync(file, 'utf8');
    const again = cwtoken(['clusters', '--sync', '-o', 'json'], { env });
    expect(again.code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(after);
    expect(json(again.stdout).find((c) => c.name === 'alpha')?.contexts).toEqual(['alpha']);
    // The token came from user "token": the new contexts use it rather than a copy.
    expect(after.match(new RegExp(TOKENS.valid, 'g'))).toHaveLength(1);
  });

  test('--dry-run says what it would write and writes nothing', () => {
    const file = existing();
    const before = snapshot(tmp.dir);
    const run = cwtoken(['clusters', '--sync', '--dry-run'], { env: coreweaveEnv(api.server, { KUBECONFIG: file }) });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('would add context "alpha"');
    expect(snapshot(tmp.dir)).toEqual(before);
  });

  test('a context name that is taken by another cluster is renamed, never shadowed', () => {
    const file = tmp.file('config', kubeconfig().cw('alpha', TOKENS.expired).current('alpha').yaml());
    const env = coreweaveEnv(api.server, { KUBECONFIG: file, COREWEAVE_API_TOKEN: TOKENS.valid });
    expect(cwtoken(['clusters', '--sync'], { env }).code).toBe(0);
    const view = JSON.parse(kubectl(['config', 'view', '--raw', '-o', 'json'], { KUBECONFIG: file }).stdout);
    const names = view.contexts.map((c: { name: string }) => c.name);
    expect(names).toContain('alpha');
    expect(names).toHaveLength(3);
    const old = view.clusters.find((c: { name: string }) => c.name === 'alpha');
    expect(old.cluster.server).toBe('https://alpha.k8s.us-east-04a.coreweave.com');
  });
});
