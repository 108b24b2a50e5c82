// `npm run bench`: times `kubectl cwtoken get` against the kubectl command people use today, side by side in one
// run (alternating, so machine noise hits both alike), on a 1-user kubeconfig and on a generated 5,000-context
// file of ~7 MB. Prints medians, the ratio, and peak RSS (via GNU time, when installed).
// NODE_EXTRA_CA_CERTS is removed from the environment: it adds ~40 ms to every Node start on these machines
// and is not something users of the standalone binary pay for.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const binary = path.join(root, 'dist', 'kubectl-cwtoken');
const bundle = path.join(root, 'dist', 'cwtoken.cjs');
if (!existsSync(binary)) {
  console.error('dist/kubectl-cwtoken is missing: run `npm run build` first');
  process.exit(1);
}

const env = { ...process.env };
delete env.NODE_EXTRA_CA_CERTS;
delete env.NODE_OPTIONS; // applies to the SEA binary too, and would measure the caller's settings
const variants = process.argv.includes('--variants');
const noCodeCache = variants ? createRequire(import.meta.url)('./lib/sea.cjs').standaloneBinary({ codeCache: false }) : undefined;
const gnuTime = ['/usr/bin/time', '/bin/time'].find((p) => existsSync(p));

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

function largeConfig(n = 5000) {
  const ca = Buffer.alloc(900, 7).toString('base64');
  const parts = ['apiVersion: v1\nkind: Config\nclusters:\n'];
  for (let i = 0; i < n; i++) parts.push(`- name: cluster-${i}\n  cluster:\n    server: https://c${i}.k8s.us-east-04a.coreweave.com\n    certificate-authority-data: ${ca}\n`);
  parts.push('users:\n');
  for (let i = 0; i < n; i++) parts.push(`- name: user-${i}\n  user:\n    token: CW-SECRET-${String(i).padStart(6, '0')}0123456789abcdef\n`);
  parts.push('contexts:\n');
  for (let i = 0; i < n; i++) parts.push(`- name: ctx-${i}\n  context:\n    cluster: cluster-${i}\n    user: user-${i}\n    namespace: ns-${i}\n`);
  parts.push(`current-context: ctx-${Math.floor(n / 2)}\n`);
  return parts.join('');
}

function run(command, args) {
  const start = process.hrtime.bigint();
  const r = spawnSync(command, args, { env, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${r.stderr}`);
  return { ms, stdout: r.stdout };
}

// Peak RSS of one run in MB: GNU time's %M, else Python's getrusage(RUSAGE_CHILDREN) (both in KiB on Linux).
function peakRss(command, args) {
  const r = gnuTime
    ? spawnSync(gnuTime, ['-f', '%M', command, ...args], { env, encoding: 'utf8' })
    : spawnSync('python3', ['-c', PY_MAXRSS, command, ...args], { env, encoding: 'utf8' });
  const kib = Number((gnuTime ? r.stderr : r.stdout).trim().split('\n').pop());
  return Number.isFinite(kib) && kib > 0 ? kib / 1024 : undefined;
}
const PY_MAXRSS =
  'import resource, subprocess, sys; subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)';

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const dir = mkdtempSync(path.join(tmpdir(), 'cwtoken-bench-'));
try {
  const cases = [
    { name: '(a) 1-user file', file: path.join(dir, 'small.yaml'), text: smallConfig(), runs: 31, target: 1.3 },
    { name: '(b) 5,000 contexts, 7 MB', file: path.join(dir, 'large.yaml'), text: largeConfig(), runs: 9, target: 0.3 },
  ];
  const contenders = (file) => ({
    'kubectl-cwtoken': [binary, ['get', '--kubeconfig', file]],
    ...(variants
      ? {
          'SEA, no code cache': [noCodeCache, ['get', '--kubeconfig', file]],
          'node dist/cwtoken.cjs': [process.execPath, [bundle, 'get', '--kubeconfig', file]],
        }
      : {}),
    kubectl: ['kubectl', ['config', 'view', '--raw', '--minify', '--kubeconfig', file, '-o', 'jsonpath={.users[0].user.token}']],
  });
  console.log(`kubectl-cwtoken get vs kubectl config view --raw --minify -o jsonpath (NODE_EXTRA_CA_CERTS and NODE_OPTIONS unset)`);
  let failed = false;
  for (const c of cases) {
    writeFileSync(c.file, c.text, { mode: 0o600 });
    const entries = Object.entries(contenders(c.file));
    const outputs = entries.map(([, [cmd, args]]) => run(cmd, args).stdout.trim());
    if (new Set(outputs).size !== 1) throw new Error(`outputs differ on ${c.name}: ${outputs.map((o) => o.slice(0, 8)).join(' / ')}`);
    const times = Object.fromEntries(entries.map(([name]) => [name, []]));
    for (let i = 0; i < c.runs; i++) for (const [name, [cmd, args]] of entries) times[name].push(run(cmd, args).ms);
    const kubectlMedian = median(times.kubectl);
    console.log(`\n${c.name} (${(c.text.length / 1e6).toFixed(1)} MB, ${c.runs} alternating runs each)`);
    for (const [name, [cmd, args]] of entries) {
      const m = median(times[name]);
      const rss = peakRss(cmd, args);
      const ratio = m / kubectlMedian;
      const verdict = name === 'kubectl' ? '' : `  ratio ${ratio.toFixed(2)} (target ≤ ${c.target}) ${ratio <= c.target ? 'ok' : 'MISSED'}`;
      if (name === 'kubectl-cwtoken' && ratio > c.target) failed = true;
      console.log(`  ${name.padEnd(24)} median ${m.toFixed(1).padStart(7)} ms  peak RSS ${rss ? `${rss.toFixed(0)} MB` : 'n/a'}${verdict}`);
    }
  }
  if (failed) process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
