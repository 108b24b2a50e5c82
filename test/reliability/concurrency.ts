import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { load } from 'js-yaml';
import { kubeconfig } from '../support/builder';
import { cwtoken, KUBECTL, LONG, Property, Result, run, scratch } from './harness';

/**
 * N writers of ours on distinct users of one file, all started at once with the default lock timeout (10 s),
 * beside a kubectl writer (set-credentials, retried as a user would, and use-context, one kubectl at a time) and
 * readers (kubectl config view, cwtoken get) running in a loop the whole time.
 *
 * kubectl's own writes are not ours to judge, and they confound two things: `kubectl config set-credentials`
 * reads the file before it takes the lock and writes that view back, reverting any update that landed in between
 * (ours included); and it rewrites the file in place, so a reader can see it half-written. So:
 *  - kubectl runs one at a time: then no kubectl write can revert another kubectl write (each reads after the one
 *    before it has finished), and any acknowledged kubectl update lost at the end was lost by one of ours;
 *  - an update of ours lost at the end is kubectl's revert only if a kubectl write was in flight when ours wrote
 *    (its read before our write, its write after): those are counted as kubectl's figure, any other is ours;
 *  - `cwtoken get` must never fail; `kubectl config view` failing while a kubectl write was in flight is kubectl's.
 * RELIABILITY_KUBECTL=0 runs our writers alone (every loss then is ours).
 */
const token = (i: number) => `CW-SECRET-concurrent-${String(i).padStart(4, '0')}-abcdefghijkl`;
const KUBECTL_BESIDE = process.env.RELIABILITY_KUBECTL !== '0';

interface Tokens {
  users?: Array<{ name: string; user?: { token?: string } }>;
}

interface Span {
  start: number;
  end: number;
}
const overlaps = (a: Span, b: Span) => a.start < b.end && b.start < a.end;
/**
 * When a writer of ours wrote: after its lock wait, within the moment before it exits (the journal's last step
 * and its message). A loss is excused only when a kubectl write was in flight then, not anywhere in the wait.
 */
const WRITE_TO_EXIT_MS = 2_000;
const writeOf = (r: Span): Span => ({ start: Math.max(r.start, r.end - WRITE_TO_EXIT_MS), end: r.end });

/** Notes when a command ran (it starts as it is called). */
async function timed(command: Promise<Result>): Promise<Result & Span> {
  const start = performance.now();
  const r = await command;
  return { ...r, start, end: performance.now() };
}

/** Whether user `name` holds `value` in a file's final content. */
const holds = (final: Tokens, name: string, value: string): boolean => final.users?.some((u) => u.name === name && u.user?.token === value) ?? false;

export async function concurrency(): Promise<Property[]> {
  const beside = KUBECTL_BESIDE ? ', beside a kubectl writer' : '';
  const acknowledged = new Property(
    `concurrency: every acknowledged update of ours is present at the end, unless a kubectl write reverted it (N=50,100,200${beside})`,
  );
  const theirs = new Property('concurrency: our writers never lose an acknowledged kubectl set-credentials update (one kubectl at a time)');
  const timeouts = new Property(`concurrency: no writer of ours times out on the lock (default 10 s) or fails, N=50,100,200${beside}`);
  const torn = new Property(
    'concurrency: a concurrent reader never sees a file we write torn (cwtoken get always; kubectl config view unless kubectl was writing)',
  );
  const rounds = process.env.RELIABILITY_N ? process.env.RELIABILITY_N.split(',').map(Number) : LONG ? [50, 100, 200, 200, 200] : [50, 100, 200];
  const times: string[] = [];
  const kubectlFigures: string[] = [];
  for (const n of rounds) {
    const dir = scratch('concurrency');
    const file = path.join(dir, 'config');
    writeFileSync(file, kubeconfig().cw('lga1', token(9999)).cw('ord1', token(9998), 'o').current('lga1').yaml(), { mode: 0o600 });
    const env = { XDG_STATE_HOME: path.join(dir, 'state') };
    const kubectlWrites: Span[] = [];
    let writing = true;
    let viewFailures = 0;
    const readerFailures: Array<Result & Span & { who: string }> = [];
    const readers = [0, 1].map(async (which) => {
      while (writing) {
        const r =
          which === 0
            ? await timed(run(KUBECTL, ['config', 'view', '--kubeconfig', file, '-o', 'json']))
            : await timed(cwtoken(['get', '--kubeconfig', file, '--context', 'lga1'], { env }));
        if (r.code !== 0) readerFailures.push({ ...r, who: which === 0 ? 'kubectl config view' : 'cwtoken get' });
        else torn.check(true, () => '');
      }
    });
    const started = performance.now();
    const ours = Array.from({ length: n }, (_, i) =>
      timed(cwtoken(['set', '--kubeconfig', file, '--user', `u${i}`, '--token-stdin'], { env, input: token(i), timeoutMs: 600_000 })),
    );
    // One kubectl at a time, each retried as a user would (kubectl fails at once on a held lock) until acknowledged.
    const kubectlAcked: boolean[] = [];
    let kubectlAttempts = 0;
    const kubectl = (async () => {
      for (let i = 0; KUBECTL_BESIDE && i < 10; i++) {
        let ok = false;
        for (let attempt = 0; attempt < 200 && !ok; attempt++) {
          kubectlAttempts++;
          const args = i % 2 ? ['config', 'use-context', i % 4 === 1 ? 'ord1' : 'lga1'] : ['config', 'set-credentials', `k${i}`, '--token', token(5000 + i)];
          const r = await timed(run(KUBECTL, [...args, '--kubeconfig', file]));
          ok = r.code === 0;
          if (ok) kubectlWrites.push(r);
          else await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 100));
        }
        kubectlAcked.push(ok);
      }
    })();
    const results = await Promise.all(ours);
    await kubectl;
    writing = false;
    await Promise.all(readers);
    times.push(`N=${n}: ${((performance.now() - started) / 1000).toFixed(0)} s`);
    const final = load(readFileSync(file, 'utf8')) as Tokens;
    let reverted = 0;
    results.forEach((r, i) => {
      timeouts.check(r.code === 0, () => `N=${n}: writer ${i} exit ${r.code}: ${r.stderr}`);
      if (r.code !== 0) return;
      const present = holds(final, `u${i}`, token(i));
      if (!present && kubectlWrites.some((k) => overlaps(k, writeOf(r)))) reverted++;
      else acknowledged.check(present, () => `N=${n}: u${i} acknowledged but lost, no kubectl write in flight meanwhile`);
    });
    kubectlAcked.forEach((ok, i) => {
      if (ok && i % 2 === 0) theirs.check(holds(final, `k${i}`, token(5000 + i)), () => `N=${n}: kubectl's k${i} acknowledged but lost`);
    });
    for (const f of readerFailures) {
      const kubectlsFault = f.who === 'kubectl config view' && kubectlWrites.some((k) => overlaps(k, f));
      if (kubectlsFault) viewFailures++;
      else torn.check(false, () => `N=${n}: ${f.who} exit ${f.code}: ${f.stderr}`);
    }
    if (KUBECTL_BESIDE) {
      kubectlFigures.push(
        `N=${n}: ${kubectlAcked.filter(Boolean).length}/10 kubectl writes acknowledged after ${kubectlAttempts} attempts (${kubectlAttempts - kubectlWrites.length} failed on the lock), ${reverted} of our updates reverted by them, ${viewFailures} kubectl config view failures while kubectl wrote`,
      );
    }
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`  (concurrency wall times, shared 2-core machine: ${times.join(', ')})`);
  console.log(`  (for contrast, ${await kubectlAlone(50)})`);
  if (KUBECTL_BESIDE) console.log(`  (kubectl beside ours, its own figures: ${kubectlFigures.join('; ')})`);
  return KUBECTL_BESIDE ? [acknowledged, theirs, timeouts, torn] : [acknowledged, timeouts, torn];
}

/** kubectl's own figure: n concurrent `kubectl config set-credentials` on distinct users, each tried once. */
async function kubectlAlone(n: number): Promise<string> {
  const dir = scratch('concurrency-kubectl');
  const file = path.join(dir, 'config');
  writeFileSync(file, kubeconfig().cw('lga1', token(9999)).current('lga1').yaml(), { mode: 0o600 });
  const results = await Promise.all(
    Array.from({ length: n }, (_, i) => run(KUBECTL, ['config', 'set-credentials', `k${i}`, '--token', token(i), '--kubeconfig', file])),
  );
  const final = load(readFileSync(file, 'utf8')) as Tokens;
  const acked = results.flatMap((r, i) => (r.code === 0 ? [i] : []));
  const lost = acked.filter((i) => !holds(final, `k${i}`, token(i))).length;
  rmSync(dir, { recursive: true, force: true });
  return `kubectl alone: ${n} concurrent set-credentials, ${n - acked.length} failed on the lock, ${lost} of the ${acked.length} acknowledged lost`;
}
