import fc from 'fast-check';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

/** The built executable: the suite judges exactly what users run. */
export const BINARY = path.resolve(__dirname, '../../dist/kubectl-cwtoken');
export const LONG = process.env.RELIABILITY_LONG === '1';
export const KUBECTL = 'kubectl';
/** How many violating cases each property prints (RELIABILITY_EXAMPLES=n to see more). */
const EXAMPLES = Number(process.env.RELIABILITY_EXAMPLES ?? 3);

/**
 * The seed of every generated case of a run (RELIABILITY_SEED=N repeats a run's cases; a fresh one is drawn
 * otherwise), NaN when RELIABILITY_SEED is not a whole number. Kill timings and scheduling still vary from run to
 * run: the seed fixes what is tried, not when.
 */
export const SEED = seedFrom(process.env.RELIABILITY_SEED);

function seedFrom(text: string | undefined): number {
  if (!text) return Math.floor(Math.random() * 2 ** 31);
  return /^\d{1,10}$/.test(text) ? Number(text) | 0 : NaN;
}

/**
 * `count` values of `arbitrary`, drawn from the run's seed and the stream's name: a group run alone with the same
 * seed tries the same cases as in the whole suite.
 */
export function sample<T>(stream: string, arbitrary: fc.Arbitrary<T>, count: number): T[] {
  let h = SEED;
  for (let i = 0; i < stream.length; i++) h = (Math.imul(h, 31) + stream.charCodeAt(i)) | 0;
  return fc.sample(arbitrary, { seed: h, numRuns: count });
}

export interface Result {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
  /** Peak resident memory in KiB, when measured. */
  maxRssKiB?: number;
  /** Killed by the harness for running over its time limit. */
  timedOut: boolean;
}

export interface RunOptions {
  env?: Record<string, string | undefined>;
  input?: string | Buffer;
  /** A file whose content is stdin (large inputs). */
  inputFile?: string;
  timeoutMs?: number;
  measureMemory?: boolean;
  /** Send this signal after `killAfterMs`. */
  kill?: { signal: NodeJS.Signals; afterMs: number };
}

/** The runs' HOME unless a case gives its own: one empty directory for the suite, never the real one. */
let home: string | undefined;
const suiteHome = () => (home ??= mkdtempSync(path.join(tmpdir(), 'rel-home-')));

export function baseEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: extra.HOME ?? suiteHome() };
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) env[k] = v;
  return env;
}

/** Runs a command to its end (or its time limit), never throwing. */
export function run(command: string, args: string[], options: RunOptions = {}): Promise<Result> {
  const started = performance.now();
  const memFile = options.measureMemory ? path.join(mkdtempSync(path.join(tmpdir(), 'rel-mem-')), 'rss') : undefined;
  const [cmd, argv] = memFile ? ['/usr/bin/time', ['-f', '%M', '-o', memFile, command, ...args]] : [command, args];
  return new Promise((resolve) => {
    // Its own process group, killed whole: under /usr/bin/time, killing time alone would leave the binary running
    // (and holding the pipes, so that the run never ends).
    const child = spawn(cmd, argv, { env: baseEnv(options.env), stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    const kill = (signal: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, signal);
      } catch {
        // Already gone.
      }
    };
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (d) => (stdout.length < 1 << 20 ? (stdout += d) : undefined));
    child.stderr.on('data', (d) => (stderr.length < 1 << 20 ? (stderr += d) : undefined));
    child.stdin.on('error', () => undefined);
    if (options.inputFile) {
      require('node:fs')
        .createReadStream(options.inputFile)
        .on('error', () => undefined)
        .pipe(child.stdin);
    } else child.stdin.end(options.input ?? '');
    const limit = setTimeout(() => {
      timedOut = true;
      kill('SIGKILL');
    }, options.timeoutMs ?? 30_000);
    // The signal goes to the binary itself (a crash test kills the writer, not a wrapper).
    const killer = options.kill && setTimeout(() => child.kill(options.kill!.signal), options.kill.afterMs);
    child.on('close', (code, signal) => {
      clearTimeout(limit);
      if (killer) clearTimeout(killer);
      let maxRssKiB: number | undefined;
      if (memFile) {
        try {
          const text = readFileSync(memFile, 'utf8');
          maxRssKiB = Number(/(\d+)\s*$/.exec(text)?.[1]);
          // /usr/bin/time reports the child's signal in its own exit status.
          const m = /Command terminated by signal (\d+)/.exec(text);
          if (m) signal = `SIG${m[1]}` as NodeJS.Signals;
        } catch {
          // No report: the time process itself was killed.
        }
        rmSync(path.dirname(memFile), { recursive: true, force: true });
      }
      resolve({ code, signal, stdout, stderr, ms: performance.now() - started, maxRssKiB, timedOut });
    });
  });
}

export const cwtoken = (args: string[], options: RunOptions = {}) => run(BINARY, args, options);

/** Runs jobs with at most `width` alive at once. */
export async function pool<T>(jobs: Array<() => Promise<T>>, width: number): Promise<T[]> {
  const results: T[] = new Array(jobs.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < jobs.length) {
        const i = next++;
        results[i] = await jobs[i]();
      }
    }),
  );
  return results;
}

export function scratch(name: string): string {
  return mkdtempSync(path.join(tmpdir(), `rel-${name}-`));
}

/** Every entry under `dir` (names only, relative), for "no temp file left". */
export function listAll(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      out.push(path.relative(dir, p));
      if (e.isDirectory()) walk(p);
    }
  };
  walk(dir);
  return out;
}

/** One property's tally: what was tried, what broke it, and a few of the breaking cases to read. */
export class Property {
  tried = 0;
  violations = 0;
  readonly examples: string[] = [];
  constructor(readonly name: string) {}

  check(ok: boolean, describe: () => string): boolean {
    this.tried++;
    if (!ok) {
      this.violations++;
      if (this.examples.length < EXAMPLES) this.examples.push(describe().replace(/\s+/g, ' ').slice(0, 300));
    }
    return ok;
  }
}

/** "error: …\n": one line, no stack trace. */
export const oneLine = (stderr: string) => /^error: [^\n]*\n(warning: [^\n]*\n)*$/.test(stderr) || /^(warning: [^\n]*\n)*error: [^\n]*\n$/.test(stderr);
