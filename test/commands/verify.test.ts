import { kubeconfig } from '../support/builder';
import { cwtoken } from '../support/cli';
import { coreweaveEnv, TOKENS, useCoreWeave } from '../support/coreweave';
import { expectNoToken } from '../support/files';
import { useTempDir } from '../support/tmp';

const tmp = useTempDir();
const api = useCoreWeave();

const ALL_TOKENS = Object.values(TOKENS);

/** Contexts on the test server, one per token, plus one on a CKS unmanaged-auth (`api.`) endpoint. */
function contexts(...tokens: Array<keyof typeof TOKENS>) {
  const builder = kubeconfig().cluster('local', { server: api.server.url, 'certificate-authority-data': api.server.caData });
  for (const name of tokens) builder.tokenUser(name, TOKENS[name]).context(name, { cluster: 'local', user: name });
  return builder.current(tokens[0]);
}

const run = (file: string, args: string[]) => cwtoken(['verify', ...args], { env: coreweaveEnv(api.server, { KUBECONFIG: file }) });

describe('verify', () => {
  test('a valid CoreWeave token: who the API server says it is, and how many clusters the CoreWeave API shows it', () => {
    const file = tmp.file('config', contexts('valid').yaml());
    const result = run(file, []);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('authenticated as alice@example.com');
    expect(result.stdout).toContain('can see 4 CKS clusters');
    const paths = api.server.requests
      .slice(-2)
      .map((r) => r.path)
      .sort();
    expect(paths).toEqual(['/apis/authentication.k8s.io/v1/selfsubjectreviews', '/v1beta1/cks/clusters']);
  });

  test('-o json carries both results for scripts', () => {
    const file = tmp.file('config', contexts('valid').yaml());
    const result = run(file, ['-o', 'json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      context: 'valid',
      kubernetes: { ok: true, username: 'alice@example.com' },
      coreweave: { ok: true, clusters: 4 },
    });
  });

  test('an expired or revoked token fails with 401 and the way out, exit 9', () => {
    const file = tmp.file('config', contexts('expired').yaml());
    const result = run(file, []);
    expect(result.code).toBe(9);
    expect(result.stderr).toMatch(/^error: .*401 Unauthorized/m);
    expectNoToken(result.stderr + result.stdout, ...ALL_TOKENS);
  });

  test('a token the cluster accepts but without CoreWeave IAM permission is reported as 403', () => {
    const file = tmp.file('config', contexts('noPermission').yaml());
    const result = run(file, ['-o', 'json']);
    expect(result.code).toBe(9);
    expect(JSON.parse(result.stdout)).toMatchObject({ kubernetes: { ok: true }, coreweave: { ok: false, reason: 'forbidden' } });
    expect(result.stderr).toMatch(/IAM access policy/);
  });

  test('--all checks every context and prints a table with a short reason per failure; one failure fails the run', () => {
    const file = tmp.file('config', contexts('valid', 'expired', 'noPermission', 'hangs').yaml());
    const result = run(file, ['--all', '--timeout', '5']);
    expect(result.code).toBe(9);
    const rows = Object.fromEntries(
      result.stdout
        .trim()
        .split('\n')
        .slice(1)
        .map((line) => [line.split(/\s{3,}/)[0], line.split(/\s{3,}/).slice(1)]),
    );
    expect(rows.valid).toEqual(['valid', 'alice@example.com', 'valid, 4 clusters']);
    expect(rows.expired).toEqual(['expired', 'FAILED (unauthorized)', 'FAILED (unauthorized)']);
    expect(rows.noPermission[2]).toBe('FAILED (forbidden)');
    expect(rows.hangs[2]).toBe('FAILED (timeout)');
    expect(result.stderr).toMatch(/3 of 4 contexts failed verification/);
    expectNoToken(result.stderr + result.stdout, ...ALL_TOKENS);
  });

  test('--all and --context cannot be combined', () => {
    const file = tmp.file('config', contexts('valid').yaml());
    expect(run(file, ['--all', '--context', 'valid']).code).toBe(2);
  });

  test('a CKS unmanaged-auth endpoint (api.…) is explained, not just failed', () => {
    const file = tmp.file(
      'config',
      contexts('valid')
        .cluster('unmanaged', { server: 'https://api.ab1cd2-x.k8s.us-east-04a.coreweave.com' })
        .context('unmanaged', { cluster: 'unmanaged', user: 'valid' })
        .yaml(),
    );
    const result = run(file, ['--context', 'unmanaged', '--timeout', '2']);
    expect(result.stderr).toContain('unmanaged-auth endpoint, which does not accept Cloud Console tokens');
    expect(result.stderr).toContain('use the managed endpoint https://ab1cd2-x.k8s.us-east-04a.coreweave.com');
  });
});
