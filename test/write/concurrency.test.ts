import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, unlinkSync } from 'node:fs';
import { load } from 'js-yaml';
import { parseKubeconfig } from '../../src/kubeconfig/parse';
import { kubeconfig } from '../support/builder';
import { BINARY } from '../support/cli';
import { cleanEnv, describeWithKubectl, KUBECTL, kubectl, Run } from '../support/kubectl';
import { useTempDir } from '../support/tmp';
import { expectNoToken } from '../support/files';

const tmp = useTempDir();
const token = (i: number | string) => `CW-SECRET-concurrent-${String(i).padStart(4, '0')}-abcdef`;

function start(command: string, args: string[], input?: string): { child: ChildProcess; done: Promise<Run> } {
  const child = spawn(command, args, { env: cleanEnv({}), stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  child.stdin!.end(input ?? '');
  const done = new Promise<Run>((resolve) => child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr })));
  return { child, done };
}

/** Runs the jobs with at most `width` processes alive: the machine has 2 cores shared with other work. */
async function pool<T>(jobs: Array<() => Promise<T>>, width: number): Promise<T[]> {
  const results: T[] = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await jobs[i]();
    }
  };
  await Promise.all(Array.from({ length: width }, worker));
  return results;
}

const setUser = (file: string, user: string, value: string) =>
  start(BINARY, ['set', '--kubeconfig', file, '--user', user, '--token-stdin', '--lock-timeout', '60'], value).done;

const users = (file: string) =>
  new Map(((load(readFileSync(file, 'utf8')) as { users?: Array<{ name: string; user: { token?: string } }> }).users ?? []).map((u) => [u.name, u.user.token]));

describeWithKubectl('concurrent writers', () => {
  test('50 concurrent set processes on distinct users of one file all land', async () => {
    const file = tmp.file('config', kubeconfig().cw('cw', token('initial')).yaml());
    const runs = await pool(Array.from({ length: 50 }, (_, i) => () => setUser(file, `user-${i}`, token(i))), 10);
    for (const run of runs) {
      expect(run).toMatchObject({ code: 0, stdout: '' });
      expectNoToken(run.stderr, ...Array.from({ length: 50 }, (_, i) => token(i)));
    }
    const written = users(file);
    for (let i = 0; i < 50; i++) expect(written.get(`user-${i}`)).toBe(token(i));
    expect(written.get('token')).toBe(token('initial'));
    expect(kubectl(['config', 'view', '--kubeconfig', file]).code).toBe(0);
  });

  test('interleaved with kubectl config set-credentials, no update of ours is lost and the file stays whole', async () => {
    const file = tmp.file('config', kubeconfig().cw('cw', token('initial')).yaml());
    const jobs = Array.from({ length: 24 }, (_, i) => i % 2 === 0
      ? () => setUser(file, `ours-${i}`, token(i)).then((run) => ({ run, kind: 'ours', i }))
      : () => start(KUBECTL!, ['config', 'set-credentials', `kubectl-${i}`, `--token=${token(i)}`, '--kubeconfig', file]).done.then((run) => ({ run, kind: 'kubectl', i })));
    const results = await pool(jobs, 8);
    const written = users(file);
    expect(() => parseKubeconfig(readFileSync(file, 'utf8'))).not.toThrow();
    for (const { run, kind, i } of results) {
      if (kind === 'ours') {
        expect(run.code).toBe(0);
        expect(written.get(`ours-${i}`)).toBe(token(i));
      } else if (run.code === 0) {
        // kubectl fails at once on a held lock (that is fine), but what it did write must not be lost either.
        expect(written.get(`kubectl-${i}`)).toBe(token(i));
      } else {
        expect(run.stderr).toMatch(/\.lock/);
      }
    }
  });

  test('kill -9 in the middle of writes leaves the file in the before- or after-state, never anything else', async () => {
    // A big file makes each write long enough for the kill to land inside it.
    const builder = kubeconfig().cw('cw', token('start'));
    for (let i = 0; i < 800; i++) builder.tokenUser(`filler-${i}`, token(`f${i}`));
    const file = tmp.file('config', builder.yaml());
    const probe = Date.now();
    await setUser(file, 'token', token('probe'));
    const runtime = Date.now() - probe;
    for (let round = 0; round < 8; round++) {
      const before = readFileSync(file, 'utf8');
      const after = before.replace(/token: CW-SECRET-concurrent-\S+-abcdef\n/, `token: ${token(`r${round}`)}\n`);
      const { child, done } = start(BINARY, ['set', '--kubeconfig', file, '--user', 'token', '--token-stdin'], token(`r${round}`));
      // Sweep the kill across the end of the run, where the lock, the read and the write happen.
      await new Promise((resolve) => setTimeout(resolve, runtime * (0.5 + round / 12)));
      child.kill('SIGKILL');
      expect([0, -1]).toContain((await done).code); // finished, or killed
      const now = readFileSync(file, 'utf8');
      expect([before, after]).toContain(now);
      // A writer killed while holding the lock leaves it behind, exactly the stale lock a user would remove.
      if (existsSync(`${file}.lock`)) unlinkSync(`${file}.lock`);
    }
    expect(() => parseKubeconfig(readFileSync(file, 'utf8'))).not.toThrow();
  });
});
