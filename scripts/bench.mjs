// `npm run bench`: every row of the performance table (issue 11) side by side against the real kubectl 1.32
// binary (not the gcloud dispatcher on PATH, which parses the kubeconfig itself), alternating runs so machine
// noise hits both alike, medians; then the linux-arm64 binary's start-up under qemu-aarch64-static.
//
//   npm run bench                      all rows
//   npm run bench -- --only=get,set    rows whose name starts with one of these (get, set, use, import, rotate,
//                                      signals, qemu)
//   npm run bench -- --variants        also the host binary without its code cache, on its first run, and the
//                                      bundle run by node, in the get rows
//
// Every run is timed twice: wall clock (the issue's figures) and CPU (the child's user + sys, from bash's `times`,
// which runs each command), which a machine shared with other work disturbs far less; both medians and ratios
// are printed.
//
// The environment is cleaned: NODE_EXTRA_CA_CERTS is unset (it adds ~40 ms to every Node start on these machines
// and is not something users of the standalone binary pay for), NODE_OPTIONS too (it applies to the SEA binary
// and would measure the caller's settings), KUBECONFIG too; HOME is a fresh directory, so the plugin's code cache
// (made by a warm-up run before timing, as any user's first run makes it) and kubectl's state are the bench's own.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os, { tmpdir } from 'node:os';
import path from 'node:path';

const require = createRequire(import.meta.url);
/** @type {typeof import('./lib/paths.cjs')} */
const { HOST_BINARY, BUNDLE, CACHE } = require('./lib/paths.cjs');
/** @type {typeof import('./lib/targets.cjs')} */
const { targetNamed } = require('./lib/targets.cjs');

const argv = process.argv.slice(2);
const only = argv
  .find((a) => a.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
/** @param {string} key a row's key (or signals, qemu): whether --only picks it */
const wanted = (key) => !only || only.some((o) => key.startsWith(o));
const variants = argv.includes('--variants');
if (!existsSync(HOST_BINARY)) {
  console.error('dist/kubectl-cwtoken is missing: run `npm run build` first');
  process.exit(1);
}
const KUBECTL = process.env.CWTOKEN_BENCH_KUBECTL ?? realKubectl();
const ARM64_SYSROOT = '/usr/aarch64-linux-gnu';
/** A run that takes longer is killed: quadratic code must not hold the bench for an hour. */
const TIMEOUT_MS = 120_000;
const TOKENS = ['CW-SECRET-bench0000000000000000000000000000', 'CW-SECRET-bench1111111111111111111111111111'];

/** `$(dirname $(readlink -f $(which kubectl)))/kubectl.1.32`, the binary the dispatcher on PATH runs. */
function realKubectl() {
  const onPath = spawnSync('sh', ['-c', 'command -v kubectl'], { encoding: 'utf8' }).stdout.trim();
  const real = onPath && path.join(path.dirname(realpathSync(onPath)), 'kubectl.1.32');
  if (!real || !existsSync(real)) {
    console.error('kubectl.1.32 not found beside the kubectl on PATH: set CWTOKEN_BENCH_KUBECTL to a kubectl 1.32 binary');
    process.exit(1);
  }
  return real;
}

const dir = mkdtempSync(path.join(tmpdir(), 'cwtoken-bench-'));
const home = path.join(dir, 'home');
const env = { PATH: process.env.PATH, HOME: home, XDG_CACHE_HOME: path.join(home, '.cache'), XDG_CONFIG_HOME: path.join(home, '.config') };
mkdirSync(home);

// ---- kubeconfigs -----------------------------------------------------------------------------------------------

/**
 * @param {string} name
 * @param {string} text
 */
const file = (name, text) => {
  const p = path.join(dir, name);
  writeFileSync(p, text, { mode: 0o600 });
  return p;
};

function smallConfig() {
  return `apiVersion: v1
kind: Config
clusters:
- name: cw
  cluster:
    server: https://ab1cd2-x.k8s.us-east-04a.coreweave.com
users:
- name: token
  user:
    token: CW-SECRET-3f9a1c27e84b4d0a9c6e5b2f71d08e4a
contexts:
- name: cw
  context: {cluster: cw, user: token, namespace: tenant-x}
current-context: cw
`;
}

/**
 * 5,000 clusters (each with a 900-byte CA), users u<i> and contexts ctx-<i>: ~7 MB. `sharedToken` gives every user one token.
 * @param {{n?: number, sharedToken?: string}} [options]
 */
function largeConfig({ n = 5000, sharedToken } = {}) {
  const ca = Buffer.alloc(900, 7).toString('base64');
  const parts = ['apiVersion: v1\nkind: Config\nclusters:\n'];
  for (let i = 0; i < n; i++)
    parts.push(`- name: cluster-${i}\n  cluster:\n    server: https://c${i}.k8s.us-east-04a.coreweave.com\n    certificate-authority-data: ${ca}\n`);
  parts.push('users:\n');
  for (let i = 0; i < n; i++) parts.push(`- name: u${i}\n  user:\n    token: ${sharedToken ?? `CW-SECRET-${String(i).padStart(6, '0')}0123456789abcdef`}\n`);
  parts.push('contexts:\n');
  for (let i = 0; i < n; i++) parts.push(`- name: ctx-${i}\n  context:\n    cluster: cluster-${i}\n    user: u${i}\n    namespace: ns-${i}\n`);
  parts.push(`current-context: ctx-${Math.floor(n / 2)}\n`);
  return parts.join('');
}

// ---- running ---------------------------------------------------------------------------------------------------

const TIMES = path.join(dir, 'times.out');
/**
 * bash runs the command under coreutils' timeout (which kills the command itself, not just bash), then writes
 * `times` (its children's line: `0m0.115s 0m0.036s`, user and sys) to TIMES.
 */
const WITH_TIMES = `timeout -s KILL ${TIMEOUT_MS / 1000} "$@"; status=$?; times > '${TIMES}'; exit $status`;
const KILLED = 128 + 9;

/** A ratio as the tables print it: a killed run is ∞. @param {number} r */
const ratioText = (r) => (r === Infinity ? '∞' : Number.isNaN(r) ? 'n/a' : r.toFixed(2));

/** @typedef {{extraEnv?: Record<string, string>}} RunOptions  variables added to the bench's environment */
/** @typedef {[command: string, args: string[], options?: RunOptions]} Command  what `run` takes */

/**
 * @param {string} command
 * @param {string[]} args
 * @param {RunOptions} [options]
 * @returns {{ms: number, cpu: number, stdout: string}} wall and CPU milliseconds
 */
function run(command, args, { extraEnv = {} } = {}) {
  const start = process.hrtime.bigint();
  const r = spawnSync('bash', ['-c', WITH_TIMES, 'bash', command, ...args], { env: { ...env, ...extraEnv }, encoding: 'utf8', maxBuffer: 1 << 28 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status === KILLED) return { ms: Infinity, cpu: Infinity, stdout: '' };
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  const lines = readFileSync(TIMES, 'utf8').trim().split('\n');
  const children = lines[lines.length - 1];
  const cpu = [...children.matchAll(/(\d+)m([\d.]+)s/g)].reduce((sum, [, m, sec]) => sum + (Number(m) * 60 + Number(sec)) * 1000, 0);
  return { ms, cpu, stdout: r.stdout };
}

/** @param {number[]} xs */
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
/** @param {number} ms */
const fmt = (ms) =>
  Number.isNaN(ms) ? 'n/a' : ms === Infinity ? `> ${TIMEOUT_MS / 1000} s (killed)` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`;

/** @typedef {{label: string, cmd: (i: number) => Command, before?: (i: number) => void}} Contender */
/** @typedef {{label: string, wall: number, cpu: number}} Figure  medians, milliseconds */
/** @typedef {{name: string, plugin: Figure, kubectl: Figure, ratio: number, cpuRatio: number, target: number}} RowResult */

/**
 * One row: contenders run alternately `runs` times (each given the run index, for commands that must change
 * something every time), after one untimed warm-up each. A contender killed by the timeout is not run again.
 * @param {{name: string, runs: number, target: number, plugin: Contender, kubectl: Contender, extra?: Contender[], sameOutput?: boolean}} row
 * @returns {RowResult}
 */
function row({ name, runs, target, plugin, kubectl, extra = [], sameOutput = false }) {
  const contenders = [plugin, ...extra, kubectl];
  /** @type {number[][]} */
  const times = contenders.map(() => []);
  /** @type {number[][]} */
  const cpus = contenders.map(() => []);
  const outputs = contenders.map((c) => {
    c.before?.(-1);
    const [cmd, args, opts] = c.cmd(-1);
    return run(cmd, args, opts).stdout.trim();
  });
  if (sameOutput && new Set(outputs).size !== 1) throw new Error(`outputs differ on ${name}: ${outputs.map((o) => o.slice(0, 12)).join(' / ')}`);
  for (let i = 0; i < runs; i++) {
    contenders.forEach((c, k) => {
      if (times[k].includes(Infinity)) return;
      c.before?.(i);
      const [cmd, args, opts] = c.cmd(i);
      const { ms, cpu } = run(cmd, args, opts);
      times[k].push(ms);
      cpus[k].push(cpu);
    });
  }
  const medians = times.map(median);
  const cpuMedians = cpus.map(median);
  // kubectl is the last contender
  const kubectlWall = medians[medians.length - 1];
  const kubectlCpu = cpuMedians[cpuMedians.length - 1];
  const ratio = medians[0] / kubectlWall;
  console.log(`\n${name} (${runs} alternating runs each; wall, then CPU)`);
  contenders.forEach((c, k) => {
    const last = k === contenders.length - 1;
    const ratios = last ? '' : `  ratio ${ratioText(medians[k] / kubectlWall).padStart(4)} / ${ratioText(cpuMedians[k] / kubectlCpu).padStart(4)}`;
    const verdict = k === 0 ? ` (target ≤ ${target}) ${ratio <= target ? 'ok' : 'MISSED'}` : '';
    console.log(`  ${c.label.padEnd(48)} ${fmt(medians[k]).padStart(10)} / ${fmt(cpuMedians[k]).padStart(10)}${ratios}${verdict}`);
  });
  return {
    name,
    plugin: { label: plugin.label, wall: medians[0], cpu: cpuMedians[0] },
    kubectl: { label: kubectl.label, wall: kubectlWall, cpu: kubectlCpu },
    ratio,
    cpuRatio: cpuMedians[0] / kubectlCpu,
    target,
  };
}

/**
 * @param {string[]} args
 * @param {Record<string, string>} [extraEnv]
 * @returns {() => Command}
 */
const cwtoken = (args, extraEnv) => () => [HOST_BINARY, args, { extraEnv }];

// ---- rows ------------------------------------------------------------------------------------------------------

const small = file('small.yaml', smallConfig());
const large = file('large.yaml', largeConfig());
const jsonpath = ['-o', 'jsonpath={.users[0].user.token}'];
/**
 * @param {string} config
 * @returns {Contender[]}
 */
const getVariants = (config) =>
  variants
    ? [
        { label: 'same binary, no code cache (first-run speed)', cmd: cwtoken(['get', '--kubeconfig', config], { XDG_CACHE_HOME: '/nonexistent' }) },
        {
          label: 'same binary, first run (writes its cache)',
          cmd: cwtoken(['get', '--kubeconfig', config], { XDG_CACHE_HOME: path.join(dir, 'fresh-cache') }),
          before: () => rmSync(path.join(dir, 'fresh-cache'), { recursive: true, force: true }),
        },
        {
          label: `node ${path.relative(process.cwd(), BUNDLE)} (Node ${process.versions.node})`,
          cmd: () => [process.execPath, [BUNDLE, 'get', '--kubeconfig', config]],
        },
      ]
    : [];

/**
 * A file per contender, copied before every run from `source` (import must start from the same file each time).
 * @param {string} name
 * @param {string} source
 */
const fresh = (name, source) => {
  const p = path.join(dir, name);
  return { path: p, before: () => copyFileSync(source, p) };
};

/** @type {[key: string, measure: () => RowResult][]} */
const rows = [
  [
    'get',
    () =>
      row({
        name: 'get, 1-user file',
        runs: 31,
        target: 0.85,
        sameOutput: true,
        plugin: { label: 'kubectl cwtoken get', cmd: cwtoken(['get', '--kubeconfig', small]) },
        extra: getVariants(small),
        kubectl: {
          label: 'kubectl config view --raw --minify -o jsonpath',
          cmd: () => [KUBECTL, ['config', 'view', '--raw', '--minify', '--kubeconfig', small, ...jsonpath]],
        },
      }),
  ],
  [
    'get',
    () =>
      row({
        name: 'get, 5,000 contexts (7 MB)',
        runs: 9,
        target: 0.25,
        sameOutput: true,
        plugin: { label: 'kubectl cwtoken get', cmd: cwtoken(['get', '--kubeconfig', large]) },
        extra: getVariants(large),
        kubectl: {
          label: 'kubectl config view --raw --minify -o jsonpath',
          cmd: () => [KUBECTL, ['config', 'view', '--raw', '--minify', '--kubeconfig', large, ...jsonpath]],
        },
      }),
  ],
  [
    'set',
    () => {
      // Each tool edits its own copy, with a different token every run, so every run writes.
      const mine = file('set-plugin.yaml', readFileSync(large, 'utf8'));
      const theirs = file('set-kubectl.yaml', readFileSync(large, 'utf8'));
      return row({
        name: 'set --user u77, 7 MB',
        runs: 7,
        target: 0.3,
        plugin: {
          label: 'kubectl cwtoken set --user u77 --token-env',
          cmd: (i) => [HOST_BINARY, ['set', '--user', 'u77', '--token-env', 'T', '--kubeconfig', mine], { extraEnv: { T: TOKENS[(i + 2) % 2] } }],
        },
        kubectl: {
          label: 'kubectl config set-credentials u77 --token',
          cmd: (i) => [KUBECTL, ['config', 'set-credentials', 'u77', `--token=${TOKENS[(i + 2) % 2]}`, '--kubeconfig', theirs]],
        },
      });
    },
  ],
  [
    'use',
    () => {
      const mine = file('use-plugin.yaml', readFileSync(large, 'utf8'));
      const theirs = file('use-kubectl.yaml', readFileSync(large, 'utf8'));
      /** @param {number} i */
      const ctx = (i) => `ctx-${10 + ((i + 2) % 2)}`;
      return row({
        name: 'use ctx-10, 7 MB',
        runs: 7,
        target: 0.3,
        plugin: { label: 'kubectl cwtoken use ctx-10', cmd: (i) => [HOST_BINARY, ['use', ctx(i), '--kubeconfig', mine]] },
        kubectl: { label: 'kubectl config use-context ctx-10', cmd: (i) => [KUBECTL, ['config', 'use-context', ctx(i), '--kubeconfig', theirs]] },
      });
    },
  ],
  [
    'import',
    () => {
      const download = file('download.yaml', readFileSync(large, 'utf8'));
      const target = fresh('import-into.yaml', small);
      return row({
        name: 'import of a 5,000-context download into a 1-user file',
        runs: 5,
        target: 1.0,
        plugin: { label: 'kubectl cwtoken import', cmd: () => [HOST_BINARY, ['import', download, '--kubeconfig', target.path]], before: target.before },
        kubectl: {
          label: 'kubectl config view --flatten (of the chain)',
          cmd: () => [KUBECTL, ['config', 'view', '--flatten'], { extraEnv: { KUBECONFIG: `${small}:${download}` } }],
        },
      });
    },
  ],
  [
    'rotate',
    () => {
      // Rotating back and forth: every run replaces the token of all 5,000 users.
      const shared = file('shared.yaml', largeConfig({ sharedToken: TOKENS[1] }));
      return row({
        name: 'rotate of a token shared by 5,000 users, 7 MB',
        runs: 3,
        target: 2.0,
        plugin: {
          label: 'kubectl cwtoken rotate --no-verify',
          cmd: (i) => [HOST_BINARY, ['rotate', '--no-verify', '--token-env', 'T', '--kubeconfig', shared], { extraEnv: { T: TOKENS[(i + 2) % 2] } }],
        },
        kubectl: { label: 'kubectl config view --raw', cmd: () => [KUBECTL, ['config', 'view', '--raw', '--kubeconfig', shared]] },
      });
    },
  ],
];

/** @typedef {{runs: number, median: number, max: number}} SignalResult  milliseconds from the signal to the exit */

/**
 * How soon SIGINT ends a long write: a 5,000-holder rotate of the 7 MB file (coreutils' timeout sends the signal
 * at a point of the run, from early in the read to the locked write), wall time from the signal to the exit.
 * @returns {SignalResult}
 */
function signalLatency() {
  const before = largeConfig({ sharedToken: TOKENS[1] });
  const shared = file('signal.yaml', before);
  const args = ['rotate', '--no-verify', '--token-env', 'T', '--kubeconfig', shared];
  const full = run(HOST_BINARY, args, { extraEnv: { T: TOKENS[0] } }).ms;
  /** @type {number[]} */
  const latencies = [];
  for (const at of [0.1, 0.3, 0.5, 0.7, 0.85, 0.95]) {
    writeFileSync(shared, before);
    const delay = (full * at) / 1000;
    const start = process.hrtime.bigint();
    const r = spawnSync('timeout', ['-s', 'INT', delay.toFixed(3), HOST_BINARY, ...args], { env: { ...env, T: TOKENS[0] }, stdio: 'ignore' });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (r.status === 124 || r.signal) latencies.push(ms - delay * 1000); // ended by the signal (else it was done first)
  }
  if (existsSync(`${shared}.lock`)) throw new Error('a SIGINT left the lock behind');
  const result = { runs: latencies.length, median: median(latencies), max: Math.max(...latencies) };
  console.log(`\nSIGINT during a 5,000-holder rotate (${result.runs} signals from 10% to 95% of a ${fmt(full)} run)`);
  console.log(`  ended the process ${fmt(result.median)} after the signal (median), ${fmt(result.max)} at most; no lock left`);
  return result;
}

/**
 * The linux-arm64 release binary (built with pkg like the others, into .cache/bench/) under qemu: a figure, not a target.
 * @returns {Figure[] | undefined} undefined when qemu or the arm64 libraries are not installed
 */
function qemuStartup() {
  const qemu = spawnSync('sh', ['-c', 'command -v qemu-aarch64-static'], { encoding: 'utf8' }).stdout.trim();
  if (!qemu || !existsSync(path.join(ARM64_SYSROOT, 'lib/libstdc++.so.6'))) {
    console.log('\nlinux-arm64 under qemu: skipped (apt-get install qemu-user-static libc6-arm64-cross libstdc++6-arm64-cross)');
    return;
  }
  /** @type {typeof import('./lib/standalone.cjs')} */
  const { buildStandalone } = require('./lib/standalone.cjs');
  const target = targetNamed('linux-arm64');
  const binary = buildStandalone(target, { out: path.join(CACHE, 'bench', target.name, target.binary) });
  const cache = path.join(dir, 'arm64-cache');
  /**
   * @param {string} xdg
   * @returns {() => Command}
   */
  const get = (xdg) => () => [qemu, ['-L', ARM64_SYSROOT, binary, 'get', '--kubeconfig', small], { extraEnv: { XDG_CACHE_HOME: xdg } }];
  const runs = 7;
  const contenders = [
    { label: 'first run (no cache yet; writes it)', cmd: get(cache), before: () => rmSync(cache, { recursive: true, force: true }) },
    { label: 'later runs (its code cache)', cmd: get(path.join(dir, 'arm64-warm')) },
    { label: 'without a code cache', cmd: get('/nonexistent') },
  ];
  run(...contenders[1].cmd()); // makes the warm cache
  /** @type {number[][]} */
  const times = contenders.map(() => []);
  /** @type {number[][]} */
  const cpus = contenders.map(() => []);
  for (let i = 0; i < runs; i++) {
    contenders.forEach((c, k) => {
      c.before?.();
      const [cmd, args, opts] = c.cmd();
      const { ms, cpu } = run(cmd, args, opts);
      times[k].push(ms);
      cpus[k].push(cpu);
    });
  }
  console.log(`\nlinux-arm64 binary, get on the 1-user file, under qemu-aarch64-static (${runs} alternating runs each; wall, then CPU; emulation, a figure)`);
  contenders.forEach((c, k) => console.log(`  ${c.label.padEnd(48)} ${fmt(median(times[k])).padStart(10)} / ${fmt(median(cpus[k])).padStart(10)}`));
  return contenders.map((c, k) => ({ label: c.label, wall: median(times[k]), cpu: median(cpus[k]) }));
}

/**
 * The figures as the README's table: medians, wall and CPU (user + sys), ratio plugin/kubectl.
 * @param {RowResult[]} results
 * @param {Figure[] | undefined} qemu
 * @param {SignalResult | undefined} signals
 * @param {number} seconds
 */
function markdown(results, qemu, signals, seconds) {
  const lines = [
    '| operation | plugin (wall / CPU) | kubectl (wall / CPU) | ratio (wall / CPU) | target |',
    '| --- | --- | --- | --- | --- |',
    ...results.map(
      (r) =>
        `| ${r.name} | ${fmt(r.plugin.wall)} / ${fmt(r.plugin.cpu)} | ${fmt(r.kubectl.wall)} / ${fmt(r.kubectl.cpu)} (\`${r.kubectl.label.replace(/^kubectl /, '')}\`) | ${ratioText(r.ratio)} / ${ratioText(r.cpuRatio)} | ≤ ${r.target} ${r.ratio <= r.target ? '✓' : '✗'} |`,
    ),
    ...(signals
      ? [
          `| SIGINT during a 5,000-holder rotate, 7 MB: time to exit | ${fmt(signals.median)} median, ${fmt(signals.max)} max (${signals.runs} signals) | | | ~100 ms |`,
        ]
      : []),
    ...(qemu ?? []).map((q) => `| linux-arm64 \`get\` under qemu-aarch64-static: ${q.label} | ${fmt(q.wall)} / ${fmt(q.cpu)} | | | a figure |`),
  ];
  console.log(
    `\n${lines.join('\n')}\n\n${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(1)} at the end; kubectl ${path.basename(KUBECTL)}; the bench took ${Math.round(seconds)} s`,
  );
}

console.log(`kubectl-cwtoken (${path.relative(process.cwd(), HOST_BINARY)}) vs ${KUBECTL}`);
console.log("NODE_EXTRA_CA_CERTS, NODE_OPTIONS and KUBECONFIG unset; HOME, XDG_CACHE_HOME and XDG_CONFIG_HOME are the bench's own; medians");
const began = process.hrtime.bigint();
try {
  // The plugin's first run makes its code cache, as a user's first run does; the rows then time later runs.
  run(HOST_BINARY, ['get', '--kubeconfig', small]);
  /** @type {RowResult[]} */
  const results = [];
  for (const [key, measure] of rows) if (wanted(key)) results.push(measure());
  const signals = wanted('signals') ? signalLatency() : undefined;
  const qemu = wanted('qemu') ? qemuStartup() : undefined;
  markdown(results, qemu, signals, Number(process.hrtime.bigint() - began) / 1e9);
  const missed = results.filter((r) => !(r.ratio <= r.target));
  if (missed.length) {
    console.log(`\nmissed: ${missed.map((r) => r.name).join('; ')}`);
    process.exitCode = 1;
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
