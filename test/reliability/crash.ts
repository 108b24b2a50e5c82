import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { kubeconfig } from '../support/builder';
import { cwtoken, KUBECTL, LONG, pool, Property, run, sample, scratch } from './harness';

/**
 * SIGKILL and SIGTERM at random moments of every writing command. Per run: each file is its before- or its
 * after-state at once; after the next writer (of any file) a change spanning files is all or nothing; a writer of
 * each file then gets its lock (a killed cwtoken's lock is taken over) and leaves no lock and no temp file; kubectl
 * can write each file again.
 */
const OLD = 'CW-SECRET-crash-old-aaaaaaaaaaaaaaaaaaaa';
const NEW = 'CW-SECRET-crash-new-bbbbbbbbbbbbbbbbbbbb';

interface Scenario {
  name: string;
  /** Files (relative to the case directory) the command may write. */
  files: string[];
  setup(dir: string, big: boolean): void;
  args(dir: string): string[];
  env?(dir: string): Record<string, string>;
  input?: string;
}

/** A big kubeconfig (7 MB in the long run, 1 MB in CI): many clusters, so that a write takes long enough to be hit. */
function padded(builder: ReturnType<typeof kubeconfig>, big: boolean): string {
  if (big)
    for (let i = 0; i < (LONG ? 25_000 : 3_000); i++)
      builder.cluster(`pad-${i}`, { server: `https://pad-${i}.example.test:6443`, 'certificate-authority-data': 'QUJD'.repeat(50) } as never);
  return builder.yaml();
}

const SCENARIOS: Scenario[] = [
  {
    name: 'set',
    files: ['config'],
    setup: (d, big) => writeFileSync(path.join(d, 'config'), padded(kubeconfig().cw('lga1', OLD).current('lga1'), big)),
    args: (d) => ['set', '--kubeconfig', path.join(d, 'config'), '--token-stdin'],
    input: NEW,
  },
  {
    name: 'rotate',
    files: ['a', 'b'],
    setup: (d, big) => {
      writeFileSync(path.join(d, 'a'), padded(kubeconfig().cw('lga1', OLD).current('lga1'), big));
      writeFileSync(path.join(d, 'b'), padded(kubeconfig().cw('ord1', OLD, 'org'), big));
    },
    args: () => ['rotate', '--no-verify', '--token-stdin'],
    env: (d) => ({ KUBECONFIG: `${path.join(d, 'a')}:${path.join(d, 'b')}` }),
    input: NEW,
  },
  {
    name: 'import',
    files: ['config'],
    setup: (d, big) => {
      writeFileSync(path.join(d, 'config'), padded(kubeconfig().cw('lga1', OLD).current('lga1'), big));
      writeFileSync(path.join(d, 'download'), kubeconfig().cw('las1', NEW).yaml());
    },
    args: (d) => ['import', path.join(d, 'download'), '--kubeconfig', path.join(d, 'config'), '--use'],
  },
  {
    name: 'use',
    files: ['config'],
    setup: (d, big) => writeFileSync(path.join(d, 'config'), padded(kubeconfig().cw('lga1', OLD).cw('ord1', OLD, 'o').current('lga1'), big)),
    args: (d) => ['use', 'ord1', '--kubeconfig', path.join(d, 'config')],
  },
  {
    name: 'doctor --fix',
    files: ['a', 'b', 'c'],
    setup: (d, big) => {
      // The same user name in three files: the second and third are hidden, and renamed in their files.
      writeFileSync(path.join(d, 'a'), padded(kubeconfig().cw('lga1', OLD).current('lga1'), big));
      writeFileSync(path.join(d, 'b'), padded(kubeconfig().cw('ord1', NEW), big));
      writeFileSync(path.join(d, 'c'), padded(kubeconfig().cw('las1', `${NEW}c`), big));
    },
    args: () => ['doctor', '--fix'],
    env: (d) => ({ KUBECONFIG: ['a', 'b', 'c'].map((f) => path.join(d, f)).join(':') }),
  },
];

type State = Record<string, string | null>;
const snapshot = (dir: string, files: string[]): State =>
  Object.fromEntries(files.map((f) => [f, existsSync(path.join(dir, f)) ? readFileSync(path.join(dir, f), 'latin1') : null]));
const same = (a: State, b: State, files: string[]) => files.every((f) => a[f] === b[f]);
/** Our temp files and locks, wherever they are in the case directory. */
const leftovers = (dir: string) => readdirSync(dir).filter((n) => n.endsWith('.lock') || n.includes('.cwtoken-') || n.endsWith('.recover'));

export async function crashSafety(): Promise<Property[]> {
  const states = new Property('crash: every file equals its before- or after-state (SIGKILL/SIGTERM, set/rotate/import/use/doctor --fix)');
  const allOrNothing = new Property('crash: a change spanning files is all or nothing after the next writer');
  const cleanTerm = new Property('crash: SIGTERM leaves no <file>.lock and no temp file');
  const recovered = new Property('crash: after SIGKILL the next writer of each file takes the lock over and leaves no lock or temp');
  const kubectlWrites = new Property('crash: kubectl config set-credentials works on every file afterwards');
  const privateTemps = new Property('crash: every temp file left at the kill is 0600');
  const runs = LONG ? 40 : 4;

  for (const big of LONG ? [false, true] : [false, true]) {
    for (const scenario of SCENARIOS) {
      const perScenario = big ? Math.ceil(runs / 4) : runs;
      // The after-state, and how long a whole run takes: kills land anywhere in it.
      const reference = scratch('crash-ref');
      scenario.setup(reference, big);
      const before = snapshot(reference, scenario.files);
      const env = { XDG_STATE_HOME: path.join(reference, 'state'), ...scenario.env?.(reference) };
      const clean = await cwtoken(scenario.args(reference), { env, input: scenario.input, timeoutMs: 300_000 });
      if (clean.code !== 0) throw new Error(`${scenario.name}: the reference run failed (${clean.code ?? clean.signal}): ${clean.stderr}`);
      const after = snapshot(reference, scenario.files);
      const cases = sample(
        `crash ${scenario.name}${big ? ' big' : ''}`,
        fc.record({ signal: fc.constantFrom<NodeJS.Signals>('SIGKILL', 'SIGTERM'), at: fc.double({ min: 0.2, max: 1.1, noNaN: true }) }),
        perScenario,
      );
      await pool(
        cases.map((c) => async () => {
          const dir = scratch('crash');
          // Same paths as the reference, so that the after-state (which holds paths) compares byte for byte.
          const caseDir = dir;
          scenario.setup(caseDir, big);
          const rel = (s: State) => JSON.stringify(s).split(reference).join(caseDir);
          const beforeHere: State = JSON.parse(rel(before));
          const afterHere: State = JSON.parse(rel(after));
          const caseEnv = { XDG_STATE_HOME: path.join(caseDir, 'state'), ...scenario.env?.(caseDir) };
          const r = await cwtoken(scenario.args(caseDir), {
            env: caseEnv,
            input: scenario.input,
            kill: { signal: c.signal, afterMs: c.at * clean.ms },
            timeoutMs: 300_000,
          });
          const now = snapshot(caseDir, scenario.files);
          const label = `${scenario.name}${big ? ' (7 MB)' : ''} ${c.signal} at ${Math.round(c.at * clean.ms)} ms (exit ${r.code ?? r.signal})`;
          for (const f of scenario.files) {
            states.check(now[f] === beforeHere[f] || now[f] === afterHere[f], () => `${label}: ${f} is neither`);
          }
          const wide = leftovers(caseDir).filter((n) => n.includes('.cwtoken-') && (statSync(path.join(caseDir, n)).mode & 0o077) !== 0);
          privateTemps.check(wide.length === 0, () => `${label}: ${wide.join(', ')} wider than 0600`);
          if (c.signal === 'SIGTERM') cleanTerm.check(leftovers(caseDir).length === 0, () => `${label}: left ${leftovers(caseDir).join(', ')}`);
          // The next writer, of an unrelated file: it rolls back what the killed one left half-done.
          const other = path.join(caseDir, 'unrelated');
          await cwtoken(['set', '--kubeconfig', other, '--user', 'x', '--token-stdin', '--lock-timeout', '5'], {
            env: { XDG_STATE_HOME: caseEnv.XDG_STATE_HOME },
            input: NEW,
            timeoutMs: 300_000,
          });
          const settled = snapshot(caseDir, scenario.files);
          if (scenario.files.length > 1) {
            allOrNothing.check(
              same(settled, beforeHere, scenario.files) || same(settled, afterHere, scenario.files),
              () =>
                `${label}: ${scenario.files.map((f) => `${f}=${settled[f] === beforeHere[f] ? 'before' : settled[f] === afterHere[f] ? 'after' : '?'}`).join(' ')}`,
            );
          }
          if (c.signal === 'SIGKILL') {
            let ok = true;
            for (const f of scenario.files) {
              const w = await cwtoken(['set', '--kubeconfig', path.join(caseDir, f), '--user', 'probe', '--token-stdin', '--lock-timeout', '5'], {
                env: { XDG_STATE_HOME: caseEnv.XDG_STATE_HOME },
                input: NEW,
                timeoutMs: 300_000,
              });
              ok &&= w.code === 0;
            }
            recovered.check(
              ok && leftovers(caseDir).length === 0,
              () => `${label}: next writer ${ok ? 'ok' : 'failed'}, left ${leftovers(caseDir).join(', ')}`,
            );
          }
          let kubectlOk = true;
          for (const f of scenario.files) {
            if (!existsSync(path.join(caseDir, f))) continue;
            const k = await run(KUBECTL, ['config', 'set-credentials', 'after-crash', '--token', 'x', '--kubeconfig', path.join(caseDir, f)]);
            kubectlOk &&= k.code === 0;
          }
          kubectlWrites.check(kubectlOk, () => `${label}: kubectl could not write`);
          require('node:fs').rmSync(dir, { recursive: true, force: true });
        }),
        2,
      );
      require('node:fs').rmSync(reference, { recursive: true, force: true });
    }
  }
  return [states, allOrNothing, cleanTerm, recovered, kubectlWrites, privateTemps];
}
