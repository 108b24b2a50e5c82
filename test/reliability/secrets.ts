import { chmodSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { kubeconfig } from '../support/builder';
import { cwtoken, listAll, pool, Property, scratch } from './harness';

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
  return [stderr, stdout, names, wide];
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
  require('node:child_process').spawnSync('mkfifo', [path.join(dir, 'fifo')]);
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
  for (const special of specials) {
    for (const args of [
      ['get', '--kubeconfig', special],
      ['set', '--kubeconfig', special, '--user', 'u', '--token-stdin'],
      ['use', 'x', '--kubeconfig', special],
      ['import', special, '--kubeconfig', path.join(dir, 'target')],
      ['doctor'],
    ]) {
      const r = await cwtoken(args, { env: { ...env, KUBECONFIG: `${special}:${path.join(dir, 'nonexistent')}` }, input: OTHER, timeoutMs: 20_000 });
      clear.check(ok(r), () => `${args.join(' ')}: exit ${r.code}${r.timedOut ? ' (hung)' : ''}: ${r.stderr}`);
    }
    const file = path.join(dir, 'config');
    writeFileSync(file, valid, { mode: 0o600 });
    const r = await cwtoken(['set', '--kubeconfig', file, '--token-file', special], { env, timeoutMs: 20_000 });
    clear.check(
      ok(r) && r.code !== 0 && readFileSync(file, 'utf8') === valid,
      () => `set --token-file ${special}: exit ${r.code}${r.timedOut ? ' (hung)' : ''}: ${r.stderr}`,
    );
  }
  // A kubeconfig that is a symlink: the target changes, the link stays a link.
  const real = path.join(dir, 'real-config');
  writeFileSync(real, valid, { mode: 0o600 });
  const link = path.join(dir, 'link-config');
  symlinkSync(real, link);
  const r = await cwtoken(['set', '--kubeconfig', link, '--token-stdin'], { env, input: CANARY });
  links.check(
    r.code === 0 && require('node:fs').lstatSync(link).isSymbolicLink() && readFileSync(real, 'utf8').includes(CANARY),
    () => `symlinked kubeconfig: ${r.stderr}`,
  );
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
  return [clear, links];
}
