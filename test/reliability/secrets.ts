import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { kubeconfig } from '../support/builder';
import { BINARY, baseEnv, cwtoken, listAll, pool, Property, run, scratch } from './harness';

/**
 * A canary token in every fixture position and every argument position: it never appears in stderr, in the stdout
 * of any command but `get`, in the names of files we create, or in any file wider than 0600 that we create.
 */
const CANARY = 'CW-SECRET-canary-zzzzzzzzzzzzzzzzzzzzzzzz';
const OTHER = 'CW-SECRET-other-yyyyyyyyyyyyyyyyyyyyyyyy';

const base = () => kubeconfig().cw('lga1', OTHER).current('lga1').yaml();
/** The canary placed somewhere a token does not belong (and where it does). */
const FIXTURES: Array<[string, () => string]> = [
  ['as the token', () => kubeconfig().cw('lga1', CANARY).current('lga1').yaml()],
  ['in apiVersion', () => base().replace('apiVersion: v1', `apiVersion: ${CANARY}`)],
  ['in kind', () => base().replace('kind: Config', `kind: ${CANARY}`)],
  ['as a tag', () => base().replace(`token: ${OTHER}`, `token: !${CANARY} ${OTHER}`)],
  ['as an alias name', () => base().replace('    server:', `    server: &${CANARY}`).replace('current-context', `x: *${CANARY}\ncurrent-context`)],
  ['as current-context', () => base().replace('current-context: lga1', `current-context: ${CANARY}`)],
  [
    'as a user name',
    () =>
      base()
        .replace(/user: token/, `user: ${CANARY}`)
        .replace('- name: token', `- name: ${CANARY}`),
  ],
  ['as a context name', () => base().replace(/- name: lga1\n {2}context/, `- name: ${CANARY}\n  context`)],
  ['as a tokenFile path', () => base().replace(`token: ${OTHER}`, `tokenFile: /nonexistent/${CANARY}`)],
  ['in a broken file', () => `${base()}\n${CANARY}: [\n`],
  ['as a duplicate user', () => base().replace('users:\n', `users:\n- name: token\n  user: {token: ${CANARY}}\n`)],
];

/** Commands whose output must never hold the canary; `get` may print only its own token (to stdout). */
const COMMANDS = (file: string, dir: string): Array<{ args: string[]; input?: string; stdoutMayHold?: boolean }> => [
  { args: ['get', '--kubeconfig', file], stdoutMayHold: true },
  { args: ['contexts', '--kubeconfig', file] },
  { args: ['contexts', '--kubeconfig', file, '-o', 'json'] },
  { args: ['doctor', '--kubeconfig', file] },
  { args: ['set', '--kubeconfig', file, '--token-stdin', '--dry-run', '-o', 'json'], input: OTHER },
  { args: ['set', '--kubeconfig', file, '--user', CANARY, '--token-stdin', '--dry-run', '-o', 'json'], input: OTHER },
  { args: ['set', '--kubeconfig', file, '--context', CANARY, '--token-stdin'], input: OTHER },
  { args: ['rotate', '--kubeconfig', file, '--no-verify', '--token-stdin', '--dry-run', '-o', 'json'], input: OTHER },
  { args: ['import', path.join(dir, 'download'), '--kubeconfig', path.join(dir, 'target'), '--prefix', CANARY, '--dry-run'] },
  { args: ['import', file, '--kubeconfig', path.join(dir, 'target'), '--dry-run'] },
  { args: ['use', CANARY, '--kubeconfig', file] },
  { args: ['get', '--kubeconfig', file, '--context', CANARY] },
  { args: ['get', '--kubeconfig', file, '--user', CANARY] },
  { args: ['get', CANARY, '--kubeconfig', file] },
  { args: ['undo', '--list', '-o', 'json'] },
  { args: ['set', '--kubeconfig', file, '--token-stdin'], input: `${CANARY}\n` },
  { args: ['undo', '--list'] },
  { args: ['undo'] },
];

export async function secrets(): Promise<Property[]> {
  const stderr = new Property('secrets: the canary never appears in stderr or error messages (11 fixture positions x 18 commands)');
  const stdout = new Property('secrets: nor in the stdout of any command but get (contexts, doctor, --dry-run, -o json, undo --list)');
  const names = new Property('secrets: nor in the name of any file we create (temps, backups, history)');
  const wide = new Property('secrets: nor in any file we create that is wider than 0600');
  await pool(
    FIXTURES.map(([where, build]) => async () => {
      const dir = scratch('secrets');
      const file = path.join(dir, 'config');
      writeFileSync(file, build(), { mode: 0o600 });
      writeFileSync(path.join(dir, 'download'), kubeconfig().cw('las1', OTHER).yaml());
      const env = { XDG_STATE_HOME: path.join(dir, 'state') };
      for (const c of COMMANDS(file, dir)) {
        const r = await cwtoken(c.args, { env, input: c.input });
        const what = `canary ${where}: ${c.args.map((a) => (a === CANARY ? '<canary>' : a.startsWith(dir) ? path.relative(dir, a) : a)).join(' ')}`;
        stderr.check(!r.stderr.includes(CANARY), () => `${what}: stderr ${r.stderr}`);
        if (!c.stdoutMayHold) stdout.check(!r.stdout.includes(CANARY), () => `${what}: stdout ${r.stdout.slice(0, 200)}`);
      }
      for (const entry of listAll(dir)) {
        names.check(!entry.includes(CANARY), () => `canary ${where}: created ${entry}`);
        const p = path.join(dir, entry);
        const s = statSync(p);
        if (s.isFile() && p !== path.join(dir, 'download')) {
          wide.check(
            (s.mode & 0o077) === 0 || !readFileSync(p, 'latin1').includes(CANARY),
            () => `canary ${where}: ${entry} is 0${(s.mode & 0o777).toString(8)}`,
          );
        }
      }
      rmSync(dir, { recursive: true, force: true });
    }),
    2,
  );
  return [stderr, stdout, names, wide, await tokenNotInCommandLines()];
}

/** The command line of a process and of every process below it, as others on the machine can read it. */
function processCommandLines(pid: number): string[] {
  const lines: string[] = [];
  const visit = (p: number) => {
    try {
      lines.push(readFileSync(`/proc/${p}/cmdline`, 'latin1'));
      for (const task of readdirSync(`/proc/${p}/task`)) {
        for (const child of readFileSync(`/proc/${p}/task/${task}/children`, 'utf8').split(' ').filter(Boolean)) visit(Number(child));
      }
    } catch {
      // Gone in between.
    }
  };
  visit(pid);
  return lines;
}

/**
 * The token handed over the recommended ways never shows in /proc/<pid>/cmdline (ours or a child's), which every
 * user of the machine can read. The writer is held on a lock (an empty one, as kubectl leaves) so that it is
 * sampled while it holds the token.
 */
async function tokenNotInCommandLines(): Promise<Property> {
  const property = new Property('secrets: nor in /proc/<pid>/cmdline, given --token-stdin, --token-file or --token-env (sampled while the writer waits)');
  const dir = scratch('cmdline');
  const file = path.join(dir, 'config');
  writeFileSync(file, base(), { mode: 0o600 });
  writeFileSync(`${file}.lock`, '');
  writeFileSync(path.join(dir, 'token'), CANARY, { mode: 0o600 });
  const ways: Array<{ args: string[]; env?: Record<string, string>; input?: string }> = [
    { args: ['--token-stdin'], input: CANARY },
    { args: ['--token-file', path.join(dir, 'token')] },
    { args: ['--token-env', 'CW_TOKEN'], env: { CW_TOKEN: CANARY } },
  ];
  for (const way of ways) {
    const child = spawn(BINARY, ['set', '--kubeconfig', file, '--lock-timeout', '3', ...way.args], {
      env: baseEnv({ XDG_STATE_HOME: path.join(dir, 'state'), ...way.env }),
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    child.stdin.end(way.input ?? '');
    const exited = new Promise((resolve) => child.on('close', resolve));
    const seen: string[] = [];
    for (let i = 0; i < 10; i++) {
      await new Promise((resolve) => setTimeout(resolve, 150));
      if (child.pid) seen.push(...processCommandLines(child.pid));
    }
    await exited;
    property.check(
      seen.length > 0 && !seen.some((l) => l.includes(CANARY)),
      () => `${way.args[0]}: ${seen.length ? 'the canary is in a command line' : 'no command line could be read'}`,
    );
  }
  rmSync(dir, { recursive: true, force: true });
  return property;
}

/**
 * Hostile paths: a kubeconfig that is a symlink (written through, the link kept), links planted where we put
 * files, FIFOs, devices, /proc files and directories as kubeconfigs: a clear error (one line, not exit 1, no hang),
 * no write through a planted link, nothing lost.
 */
export async function hostilePaths(): Promise<Property[]> {
  const clear = new Property('hostile paths: FIFOs, devices, /proc files, directories as kubeconfig or token file: a clear error, no hang, nothing written');
  const links = new Property('hostile paths: a symlinked kubeconfig is written through (link kept); no write through a planted link');
  const dir = scratch('hostile');
  const env = { XDG_STATE_HOME: path.join(dir, 'state') };
  const valid = kubeconfig().cw('lga1', OTHER).current('lga1').yaml();
  mkdirSync(path.join(dir, 'a-directory'));
  spawnSync('mkfifo', [path.join(dir, 'fifo')]);
  const specials = [
    '/dev/null',
    '/dev/zero',
    '/dev/urandom',
    '/proc/self/status',
    '/proc/self/mem',
    path.join(dir, 'fifo'),
    path.join(dir, 'a-directory'),
    '/',
  ];
  const ok = (r: { code: number | null; timedOut: boolean; stderr: string }) =>
    !r.timedOut && r.code !== 1 && r.code !== null && (r.code === 0 || /^(warning: [^\n]*\n)*error: [^\n]+\n(warning: [^\n]*\n)*$/.test(r.stderr));
  // A FIFO without a writer is waited on (10 s) before the error: the cases run side by side, mostly waiting.
  const jobs = specials.flatMap((special, i) => [
    ...[
      ['get', '--kubeconfig', special],
      ['set', '--kubeconfig', special, '--user', 'u', '--token-stdin'],
      ['use', 'x', '--kubeconfig', special],
      ['import', special, '--kubeconfig', path.join(dir, `target-${i}`)],
      ['doctor'],
    ].map((args) => async () => {
      const r = await cwtoken(args, { env: { ...env, KUBECONFIG: `${special}:${path.join(dir, 'nonexistent')}` }, input: OTHER, timeoutMs: 30_000 });
      clear.check(ok(r), () => `${args.join(' ')} (KUBECONFIG=${special}:…): exit ${r.code}${r.timedOut ? ' (hung)' : ''}: ${r.stderr}`);
    }),
    async () => {
      const file = path.join(dir, `config-${i}`);
      writeFileSync(file, valid, { mode: 0o600 });
      const r = await cwtoken(['set', '--kubeconfig', file, '--token-file', special], { env, timeoutMs: 30_000 });
      clear.check(
        ok(r) && r.code !== 0 && readFileSync(file, 'utf8') === valid,
        () => `set --token-file ${special}: exit ${r.code}${r.timedOut ? ' (hung)' : ''}: ${r.stderr}`,
      );
    },
  ]);
  await pool(jobs, 4);
  // A kubeconfig that is a symlink: the target changes, the link stays a link.
  const real = path.join(dir, 'real-config');
  writeFileSync(real, valid, { mode: 0o600 });
  const link = path.join(dir, 'link-config');
  symlinkSync(real, link);
  const r = await cwtoken(['set', '--kubeconfig', link, '--token-stdin'], { env, input: CANARY });
  links.check(r.code === 0 && lstatSync(link).isSymbolicLink() && readFileSync(real, 'utf8').includes(CANARY), () => `symlinked kubeconfig: ${r.stderr}`);
  // Links planted at the names we use beside the file (the lock, its recovery guard, old-style temps): never followed.
  const victim = path.join(dir, 'victim');
  writeFileSync(victim, 'precious\n', { mode: 0o600 });
  const file = path.join(dir, 'planted');
  writeFileSync(file, valid, { mode: 0o600 });
  for (const name of [`${file}.lock.recover`, path.join(dir, `.planted.cwtoken-${process.pid}-0000000000000000.tmp`)]) symlinkSync(victim, name);
  chmodSync(victim, 0o600);
  const w = await cwtoken(['set', '--kubeconfig', file, '--token-stdin'], { env, input: CANARY });
  links.check(
    w.code === 0 && readFileSync(victim, 'utf8') === 'precious\n' && (statSync(victim).mode & 0o777) === 0o600,
    () => `planted links: exit ${w.code} ${w.stderr}; victim now ${readFileSync(victim, 'utf8').slice(0, 40)}`,
  );
  // A planted lock symlink makes the lock "held": waited for, reported, the victim untouched.
  symlinkSync(victim, `${file}.lock`);
  const held = await cwtoken(['set', '--kubeconfig', file, '--token-stdin', '--lock-timeout', '0.3'], { env, input: OTHER });
  links.check(held.code === 7 && readFileSync(victim, 'utf8') === 'precious\n', () => `planted lock link: exit ${held.code} ${held.stderr}`);
  rmSync(dir, { recursive: true, force: true });
  return [clear, links, await unwritableDirectory()];
}

/**
 * A kubeconfig the user may write in a directory they may not (no lock, no temp file can be made there), run as
 * an unprivileged user: root writes anywhere, so as root the binary is run as nobody (setpriv). Every writer
 * fails with one line, the file byte-identical, nothing left in the directory. A machine where no unprivileged
 * run is possible fails the property rather than skipping it.
 */
async function unwritableDirectory(): Promise<Property> {
  const property = new Property('hostile paths: a kubeconfig in a directory its (unprivileged) user cannot write: one-line error, nothing written or left');
  const root = process.getuid?.() === 0;
  const nobody = { uid: 65534, gid: 65534 };
  const asUser = (args: string[], env: Record<string, string>, input?: string) =>
    root
      ? run('setpriv', [`--reuid=${nobody.uid}`, `--regid=${nobody.gid}`, '--clear-groups', BINARY, ...args], { env, input })
      : cwtoken(args, { env, input });
  const dir = scratch('unwritable');
  chmodSync(dir, 0o755);
  const locked = path.join(dir, 'locked');
  mkdirSync(locked, { mode: 0o755 });
  const file = path.join(locked, 'config');
  const valid = kubeconfig().cw('lga1', OTHER).cw('ord1', OTHER, 'o').current('lga1').yaml();
  writeFileSync(file, valid, { mode: 0o600 });
  writeFileSync(path.join(dir, 'download'), kubeconfig().cw('las1', OTHER).yaml(), { mode: 0o644 });
  const state = path.join(dir, 'state');
  mkdirSync(state, { mode: 0o700 });
  if (root) {
    chownSync(file, nobody.uid, nobody.gid);
    chownSync(state, nobody.uid, nobody.gid);
  } else chmodSync(locked, 0o555);
  const env = { XDG_STATE_HOME: state, HOME: '/nonexistent-home' };
  const probe = await asUser(['get', '--kubeconfig', file], env);
  if (!property.check(probe.code === 0, () => `cannot run the binary as an unprivileged user (exit ${probe.code}: ${probe.stderr.trim()})`)) return property;
  for (const [args, input] of [
    [['set', '--kubeconfig', file, '--token-stdin'], CANARY],
    [['use', 'ord1', '--kubeconfig', file], undefined],
    [['import', path.join(dir, 'download'), '--kubeconfig', file], undefined],
    [['rotate', '--no-verify', '--kubeconfig', file, '--token-stdin'], CANARY],
  ] as Array<[string[], string | undefined]>) {
    const r = await asUser(args, env, input);
    const left = readdirSync(locked).filter((n) => n !== 'config');
    property.check(
      r.code !== 0 && r.code !== 1 && /^(warning: [^\n]*\n)*error: [^\n]+\n$/.test(r.stderr) && readFileSync(file, 'utf8') === valid && left.length === 0,
      () => `${args[0]}: exit ${r.code}: ${r.stderr.trim()}; left ${left.join(', ') || 'nothing'}`,
    );
  }
  if (!root) chmodSync(locked, 0o755);
  rmSync(dir, { recursive: true, force: true });
  return property;
}
