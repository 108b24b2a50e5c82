import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, unlinkSync } from 'node:fs';
import { load } from 'js-yaml';
import { leftoverTemps } from '../../src/files/atomic-write';
import { parseKubeconfig } from '../../src/kubeconfig/parse/parse';
import { kubeconfig } from '../support/builder';
import { binary } from '../support/cli';
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
  start(binary(), ['set', '--kubeconfig', file, '--user', user, '--token-stdin', '--lock-timeout', '60'], value).done;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A finished write and when it ran: from the start of its (last) process to its exit. */
interface Timed {
  run: Run;
  started: number;
  ended: number;
}

async function timed(command: string, args: string[], input?: string): Promise<Timed> {
  const started = performance.now();
  const run = await start(command, args, input).done;
  return { run, started, ended: performance.now() };
}

/** kubectl gives up at once on a held lock; a user would retry, and so does this, a bounded number of times. */
async function setCredentials(file: string, user: string, value: string): Promise<Timed> {
  for (let attempt = 1; ; attempt++) {
    const result = await timed(KUBECTL!, ['config', 'set-credentials', user, `--token=${value}`, '--kubeconfig', file]);
    if (result.run.code === 0 || !/\.lock/.test(result.run.stderr) || attempt === 20) return result;
    await sleep(10 + Math.random() * 40);
  }
}

const users = (file: string) =>
  new Map(((load(readFileSync(file, 'utf8')) as { users?: Array<{ name: string; user: { token?: string } }> }).users ?? []).map((u) => [u.name, u.user.token]));

describeWithKubectl('concurrent writers', () => {
  test('50 concurrent set processes on distinct users of one file all land', async () => {
    const file = tmp.file('config', kubeconfig().cw('cw', token('initial')).yaml());
    const runs = await pool(
      Array.from({ length: 50 }, (_, i) => () => setUser(file, `user-${i}`, token(i))),
      10,
    );
    for (const run of runs) {
      expect(run).toMatchObject({ code: 0, stdout: '' });
      expectNoToken(run.stderr, ...Array.from({ length: 50 }, (_, i) => token(i)));
    }
    const written = users(file);
    for (let i = 0; i < 50; i++) expect(written.get(`user-${i}`)).toBe(token(i));
    expect(written.get('token')).toBe(token('initial'));
    expect(kubectl(['config', 'view', '--kubeconfig', file]).code).toBe(0);
  });

  test('interleaved with kubectl config set-credentials, no update is lost but those kubectl itself clobbers, and the file stays whole', async () => {
    // kubectl reads the file before it takes the lock, then writes its stale view of every user back, undoing any
    // write that finished in between (clientcmd ModifyConfig). That loss is kubectl's and is allowed here, but only
    // when a successful kubectl run overlapped the lost write: our writer re-reads under the lock and loses nothing.
    const file = tmp.file('config', kubeconfig().cw('cw', token('initial')).yaml());
    const jobs = Array.from({ length: 24 }, (_, i) =>
      i % 2 === 0
        ? () =>
            timed(binary(), ['set', '--kubeconfig', file, '--user', `ours-${i}`, '--token-stdin', '--lock-timeout', '60'], token(i)).then((t) => ({
              ...t,
              kind: 'ours',
              i,
            }))
        : () => setCredentials(file, `kubectl-${i}`, token(i)).then((t) => ({ ...t, kind: 'kubectl', i })),
    );
    const results = await pool(jobs, 8);
    const written = users(file);
    expect(() => parseKubeconfig(readFileSync(file, 'utf8'))).not.toThrow();
    const kubectlWrites = results.filter((r) => r.kind === 'kubectl' && r.run.code === 0);
    const clobberedByKubectl = (w: Timed) => kubectlWrites.some((k) => k !== w && k.started < w.ended && k.ended > w.ended);
    for (const result of results) {
      const { run, kind, i } = result;
      if (kind === 'ours') expect(run.code).toBe(0);
      else if (run.code !== 0) expect(run.stderr).toMatch(/\.lock/);
      if (run.code !== 0 || written.get(`${kind}-${i}`) === token(i)) continue;
      expect({ lost: `${kind}-${i}`, explainedByAnOverlappingKubectlWrite: clobberedByKubectl(result) }).toEqual({
        lost: `${kind}-${i}`,
        explainedByAnOverlappingKubectlWrite: true,
      });
    }
    // Without this, a run where kubectl never got the lock would prove nothing about interleaving.
    expect(kubectlWrites.length).toBeGreaterThanOrEqual(1);
  });

  test('kill -9 in the middle of writes leaves the file in the before- or after-state, never anything else', async () => {
    const builder = kubeconfig().cw('cw', token('start'));
    for (let i = 0; i < 800; i++) builder.tokenUser(`filler-${i}`, token(`f${i}`));
    const file = tmp.file('config', builder.yaml());
    // The edit is planned before the lock is taken, so the locked write is short: each round kills the writer
    // once it holds the lock, a little later every round, to land anywhere in the write.
    let killedInsideWrite = 0;
    for (let round = 0; round < 20 && (round < 8 || killedInsideWrite < 3); round++) {
      const before = readFileSync(file, 'utf8');
      const after = before.replace(/token: CW-SECRET-concurrent-\S+-abcdef\n/, `token: ${token(`r${round}`)}\n`);
      const { child, done } = start(binary(), ['set', '--kubeconfig', file, '--user', 'token', '--token-stdin'], token(`r${round}`));
      let exited = false;
      void done.then(() => (exited = true));
      while (!exited && !existsSync(`${file}.lock`)) await new Promise((r) => setImmediate(r));
      await sleep(round % 4);
      child.kill('SIGKILL');
      const { code } = await done;
      expect([0, -1]).toContain(code); // finished, or killed
      const now = readFileSync(file, 'utf8');
      expect([before, after]).toContain(now);
      // A writer killed while holding the lock leaves it behind (exactly the stale lock a user would remove),
      // and one killed between creating its temp file and renaming it leaves that too.
      const leftovers = [`${file}.lock`].filter((f) => existsSync(f)).concat(leftoverTemps(file));
      if (code === -1 && leftovers.length > 0) killedInsideWrite++;
      for (const leftover of leftovers) unlinkSync(leftover);
    }
    expect(killedInsideWrite).toBeGreaterThanOrEqual(3);
    expect(() => parseKubeconfig(readFileSync(file, 'utf8'))).not.toThrow();
  });
});
