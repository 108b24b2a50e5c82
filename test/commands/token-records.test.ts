import { readFileSync } from 'node:fs';
import { kubeconfig } from '../support/builder';
import { cwtoken } from '../support/cli';
import { TOKENS, useCoreWeave } from '../support/coreweave';
import { expectNoToken, snapshot } from '../support/files';
import { describeWithKubectl, kubectl } from '../support/kubectl';
import { useTempDir } from '../support/tmp';

const tmp = useTempDir();
const api = useCoreWeave();

const OLD = TOKENS.expired;
const NEW = TOKENS.valid;
const DAY = 86_400_000;

/** A context on the test server whose user `token` holds OLD. */
function config(user: Record<string, unknown> = { token: OLD }) {
  return tmp.file(
    'config',
    kubeconfig()
      .cluster('local', { server: api.server.url, 'certificate-authority-data': api.server.caData })
      .user('token', user)
      .context('local', { cluster: 'local', user: 'token' })
      .current('local')
      .yaml(),
  );
}

const record = (expiresAt: string, note?: string) => ({
  name: 'kubectl-cwtoken',
  extension: { rotatedAt: '2026-01-01T00:00:00Z', expiresAt, ...(note ? { note } : {}) },
});
const status = (file: string) => JSON.parse(cwtoken(['status', '-o', 'json'], { env: { KUBECONFIG: file } }).stdout);

describeWithKubectl('--expires and --note', () => {
  test("set records them in the user entry's extensions, which kubectl keeps", () => {
    const file = config();
    const run = cwtoken(['set', '--token-stdin', '--expires', '90d', '--note', 'CI runner'], { env: { KUBECONFIG: file }, input: NEW });
    expect(run.code).toBe(0);
    const view = JSON.parse(kubectl(['config', 'view', '--raw', '-o', 'json'], { KUBECONFIG: file }).stdout);
    const ext = view.users[0].user.extensions.find((e: { name: string }) => e.name === 'kubectl-cwtoken').extension;
    expect(ext.note).toBe('CI runner');
    const days = (new Date(ext.expiresAt).getTime() - Date.now()) / DAY;
    expect(days).toBeGreaterThan(89.9);
    expect(days).toBeLessThan(90.1);
    expect(Math.abs(new Date(ext.rotatedAt).getTime() - Date.now())).toBeLessThan(60_000);
    expect(view.users[0].user.token).toBe(NEW);
  });

  test("kubectl's own writes keep the record, and status still reads it", () => {
    const file = config();
    cwtoken(['set', '--token-stdin', '--expires', '2099-01-01T00:00:00Z', '--note', 'laptop'], { env: { KUBECONFIG: file }, input: NEW });
    expect(kubectl(['config', 'set-credentials', 'token', `--token=${OLD}`], { KUBECONFIG: file }).code).toBe(0);
    expect(status(file)[0]).toMatchObject({ user: 'token', expiresAt: '2099-01-01T00:00:00Z', note: 'laptop', expiry: 'valid' });
  });

  test('rotate records the new expiry in every entry it rotates; an old expiry is dropped, the note kept', () => {
    const file = tmp.file(
      'config',
      kubeconfig()
        .cluster('local', { server: api.server.url, 'certificate-authority-data': api.server.caData })
        .user('token', { token: OLD, extensions: [record('2026-01-02T00:00:00Z', 'team token')] })
        .tokenUser('copy', OLD)
        .context('local', { cluster: 'local', user: 'token' })
        .current('local')
        .yaml(),
    );
    const run = cwtoken(['rotate', '--token-stdin', '--expires', '30d'], { env: { KUBECONFIG: file }, input: NEW });
    expect(run.code).toBe(0);
    const users = Object.fromEntries(status(file).map((s: { user: string }) => [s.user, s]));
    expect(users.token).toMatchObject({ note: 'team token', expiry: 'valid' });
    expect(users.copy).toMatchObject({ expiry: 'valid' });
    expect(new Date(users.copy.expiresAt).getTime()).toBeGreaterThan(Date.now() + 29 * DAY);

    const again = cwtoken(['rotate', '--token-stdin', '--no-verify'], { env: { KUBECONFIG: file }, input: TOKENS.flaky });
    expect(again.code).toBe(0);
    const after = status(file).find((s: { user: string }) => s.user === 'token');
    expect(after).toMatchObject({ note: 'team token', expiry: 'unknown' });
    expect(after.expiresAt).toBeUndefined();
  });

  test('import records them on the imported users, and importing the same file again changes nothing', () => {
    const target = tmp.file('config', kubeconfig().cw('old', OLD).current('old').yaml());
    const download = tmp.file('CWKubeconfig_cwtoken-1a2b-ci', kubeconfig().cw('new', NEW).yaml());
    expect(cwtoken(['import', download, '--expires', '1y', '--note', 'ci'], { env: { KUBECONFIG: target } }).code).toBe(0);
    const imported = status(target).find((s: { token: string }) => s.token === 'CW-S…0000');
    expect(imported).toMatchObject({ note: 'ci', expiry: 'valid' });
    const after = readFileSync(target, 'utf8');
    const again = cwtoken(['import', download], { env: { KUBECONFIG: target } });
    expect(again.code).toBe(0);
    expect(readFileSync(target, 'utf8')).toBe(after);
  });

  test.each([
    ['set', ['set', '--token-stdin']],
    ['rotate', ['rotate', '--token-stdin', '--no-verify']],
  ])('%s refuses a bad --expires before anything is written', (_, args) => {
    const file = config();
    for (const expires of ['soon', '3x', '2020-01-01T00:00:00Z', '0d']) {
      const before = snapshot(tmp.dir);
      const run = cwtoken([...args, '--expires', expires], { env: { KUBECONFIG: file }, input: NEW });
      expect(run).toMatchObject({ code: 6, stdout: '' });
      expect(run.stderr).toMatch(/^error: --expires .*nothing was written\n$/);
      expect(snapshot(tmp.dir)).toEqual(before);
      expectNoToken(run.stderr, OLD, NEW);
    }
  });

  test('import refuses a bad --expires before anything is written', () => {
    const target = config();
    const download = tmp.file('download', kubeconfig().cw('new', NEW).yaml());
    const before = snapshot(tmp.dir);
    expect(cwtoken(['import', download, '--expires', 'yesterday'], { env: { KUBECONFIG: target } }).code).toBe(6);
    expect(snapshot(tmp.dir)).toEqual(before);
  });
});

describe('get and expiry', () => {
  const soon = () => new Date(Date.now() + 3 * DAY).toISOString();

  test('warns in one line on stderr when the token expires within 7 days; stdout is only the token', () => {
    const file = config({ token: OLD, extensions: [record(soon())] });
    const run = cwtoken(['get'], { env: { KUBECONFIG: file } });
    expect(run).toMatchObject({ code: 0, stdout: `${OLD}\n` });
    expect(run.stderr).toMatch(/^warning: the token of user "token" expires in 2d2\dh \(.*\); rotate it before then\n$/);
    expectNoToken(run.stderr, OLD);
  });

  test('warns that an expired token has expired', () => {
    const file = config({ token: OLD, extensions: [record('2026-01-02T00:00:00Z')] });
    const run = cwtoken(['get'], { env: { KUBECONFIG: file } });
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^warning: the token of user "token" expired .* ago .*Cloud Console → Tokens.*\n$/);
  });

  test('--quiet silences the warning; a token with more than 7 days left has none', () => {
    const expiring = config({ token: OLD, extensions: [record(soon())] });
    expect(cwtoken(['get', '--quiet'], { env: { KUBECONFIG: expiring } })).toMatchObject({ code: 0, stderr: '', stdout: `${OLD}\n` });
    const later = config({ token: OLD, extensions: [record(new Date(Date.now() + 30 * DAY).toISOString())] });
    expect(cwtoken(['get'], { env: { KUBECONFIG: later } })).toMatchObject({ code: 0, stderr: '' });
  });
});

describe('status', () => {
  test('lists each token user with age, expiry, note and the contexts using it, redacted', () => {
    const file = tmp.file(
      'config',
      kubeconfig()
        .cw('prod', OLD)
        .cluster('dev', { server: 'https://dev.example.test' })
        .context('dev', { cluster: 'dev', user: 'token' })
        .user('certs', { 'client-certificate-data': 'eA==', 'client-key-data': 'eA==' })
        .yaml(),
    );
    const run = cwtoken(['status'], { env: { KUBECONFIG: file } });
    expect(run.code).toBe(0);
    const [header, ...rows] = run.stdout.trim().split('\n');
    expect(header.split(/\s+/)).toEqual(['USER', 'TOKEN', 'AGE', 'EXPIRES', 'CONTEXTS', 'FILE', 'NOTE']);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatch(/^token\s+CW-S…6666\s+-\s+-\s+dev,prod\s/);
    expectNoToken(run.stdout + run.stderr, OLD);
  });
});
