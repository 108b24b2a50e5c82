/**
 * Generated adversarial kubeconfigs (the classes of issue 9, randomly combined) against the real kubectl 1.32
 * binary. Each case is a chain of the generated file and a fallback file that defines the same names with other
 * tokens (so a file read as empty shows as the fallback's token), and every command is judged by what kubectl
 * does with the same files:
 * - `get`: what kubectl sends to a local HTTPS API server, or that it sends nothing;
 * - `get --first-user`: what `kubectl config view --raw -o jsonpath='{.users[0].user.token}'` prints, or that it fails;
 * - `contexts -o name`: what `kubectl config get-contexts -o name` prints, or that it fails;
 * - `use C` and `set --user U --token T`: after our write, kubectl must read exactly the intended change (its
 *   `config view` is the one before with only current-context, or U's token, changed) and send what it implies
 *   (C's token; T for U); when we refuse, kubectl's own `config use-context` / `config set-credentials` must
 *   refuse the same files too, unless ours is one of the refusals the plugin makes on purpose (DECLINED).
 *
 * Fixed seed by default (CI, a few cases: each costs some ten kubectl runs); CWTOKEN_DIFF_LONG=1 runs 500 cases
 * from a time seed, CWTOKEN_DIFF_CASES and CWTOKEN_DIFF_SEED choose them. A failure names its seed and case
 * number, which reproduce it.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { byteOrder } from '../../src/text/byte-order';
import { ApiServer, startApiServer, versionRequestAuthorization } from '../support/apiserver';
import { BINARY } from '../support/cli';
import { cleanEnv, describeWithKubectl, realKubectl, Run } from '../support/kubectl';
import { prng } from '../support/prng';
import { runCli } from '../support/run-cli';

const LONG = process.env.CWTOKEN_DIFF_LONG === '1';
const CASES = Number(process.env.CWTOKEN_DIFF_CASES ?? (LONG ? 500 : 16));
const SEED = Number(process.env.CWTOKEN_DIFF_SEED ?? (LONG ? Date.now() % 2 ** 31 : 20261201));

type Random = () => number;
const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)];
const chance = (random: Random, p: number) => random() < p;

/** One generated kubeconfig: its bytes, what `use` and `set` are asked to do, and the choices, for the failure message. */
interface Case {
  bytes: Buffer;
  /** The context `use` switches to: the generated file's own, or the fallback's other one. */
  useContext: string;
  /** The user `set` writes a token into: the generated file's, or one no file defines yet. */
  setUser: string;
  choices: string[];
}

// The token's value as written after `token:`; {T} is the case's unique token.
const TOKEN_FORMS = [
  '{T}',
  '"{T}"',
  "'{T}'",
  '"{T}\\x41\\u00e9"',
  '"{T}\\/"',
  '"{T}\\ud83d\\ude00"',
  '"{T}\u0085x"',
  '"{T}\u0080"',
  '!!str {T}',
  '!!binary {B}',
  '!!binary not-base64!',
  '!!timestamp 2001-12-14',
  '!!value {T}',
  '!!python/str {T}',
  '!e!x {T}',
  '! {T}',
  '&t:x {T}',
  '&anchor {T}',
  '0xFFFFFFFFFFFFFFFFFF',
  '1e999',
  '12345',
  '"{T}" ',
  '{T}\t# tab then comment',
  '"{T}\n      folded"',
  '.nan',
];

const BODY_FORMS = ['block', 'flow', 'merge', 'quoted-merge', 'tagged-merge', 'alias-merge', 'merge-list'];
const PREFIXES = ['', '\ufeff', '\ufeff# downloaded\n\n', '%YAML 1.1\n', '\ufeff%YAML 1.1\n', '%YAML 1.2\n', '%TAG !e! tag:e.com,2000:\n', '# c\n'];
const EXTRAS = [
  '',
  'x-nan: {a: [.inf]}\n',
  '~: x\n',
  '18446744073709551615: x\n',
  '[a]: b\n',
  '1: one\n',
  '"<<": {a: b}\n',
  '\t# tab comment\n',
  '  # fine comment\n',
  `${'k'.repeat(1100)}: v\n`,
  'x-alias: [*anchor]\n',
  'x-bad: "\\q"\n',
];
const TRAILERS = ['', '...\n', '...\nusers: [\n', '---\nusers: [\n', '---\ncurrent-context: other\n'];
const API_VERSIONS = ['v1', '/v1', 'v2', ''];
const EOLS = ['\n', '\r\n', '\r'];
// Next to the token: client-go's rules outside the YAML reader (a refused user sends nothing).
const AUTH_EXTRAS = [
  '',
  '    exec: {command: cw, apiVersion: client.authentication.k8s.io/v1alpha1}\n',
  '    exec: {command: cw, apiVersion: example.com/v1}\n',
  '    exec: {command: cw, apiVersion: client.authentication.k8s.io/v1beta1}\n',
  '    auth-provider: {name: no-such-provider}\n',
  '    client-certificate-data: QUJD\n    client-key-data: QUJD\n',
];

function generate(random: Random, server: ApiServer, token: string): Case {
  const choices: string[] = [];
  // Half the time the ordinary first choice: refusals compound, and a case kubectl refuses proves less.
  const choose = <T>(name: string, items: readonly T[]): T => {
    const value = chance(random, 0.5) ? items[0] : pick(random, items);
    choices.push(`${name}=${JSON.stringify(value)}`);
    return value;
  };
  const prefix = choose('prefix', PREFIXES);
  const explicit = prefix.includes('%') || chance(random, 0.3);
  const apiVersion = choose('apiVersion', API_VERSIONS);
  const form = choose('token', TOKEN_FORMS).replace('{T}', token).replace('{B}', Buffer.from(token).toString('base64'));
  const body = choose('body', BODY_FORMS);
  const extra = choose('extra', EXTRAS);
  const trailer = choose('trailer', TRAILERS);
  const eol = choose('eol', EOLS);
  const invalidByte = chance(random, 0.1) ? choose('invalidByte', ['trailer', 'comment']) : undefined;
  const auth = body === 'block' ? choose('auth', AUTH_EXTRAS) : '';
  const useContext = choose('use', ['other', 'local']);
  const setUser = choose('set', ['me', 'fresh']);

  const user = {
    block: `  user:\n    token: ${form}\n${auth}`,
    flow: `  user: {token: ${form.replace(/\t# .*/, '')}}\n`,
    merge: `  user:\n    token: OWN-${token}\n    <<: {token: ${form.replace(/\t# .*/, '')}}\n`,
    'quoted-merge': `  user:\n    "<<": {token: MERGED}\n    token: ${form}\n`,
    'tagged-merge': `  user:\n    !!merge <<: {token: ${form.replace(/\t# .*/, '')}}\n`,
    'alias-merge': `  user:\n    <<: *base\n`,
    'merge-list': `  user:\n    <<: [{token: ${form.replace(/\t# .*/, '')}}, {token: SECOND}]\n`,
  }[body];
  const base = body === 'alias-merge' ? `- name: base\n  user: &base\n    token: ${form}\n` : '';
  const lines = [
    prefix,
    explicit ? '---\n' : '',
    apiVersion ? `apiVersion: ${apiVersion}\n` : '',
    'kind: Config\n',
    invalidByte === 'comment' ? '# caf\u0000\n' : '',
    `clusters:\n- name: local\n  cluster:\n    server: ${server.url}\n    certificate-authority-data: ${server.caData}\n`,
    `users:\n${base}- name: me\n${user}`,
    'contexts:\n- name: local\n  context: {cluster: local, user: me}\n',
    'current-context: local\n',
    extra,
    trailer,
    invalidByte === 'trailer' ? '# \u0000\n' : '',
  ];
  const text = lines.join('').replace(/\n/g, eol);
  // \u0000 marks where an invalid UTF-8 byte goes.
  const bytes = Buffer.concat(text.split('\u0000').flatMap((part, i) => (i ? [Buffer.from([0xe9]), Buffer.from(part)] : [Buffer.from(part)])));
  return { bytes, useContext, setUser, choices };
}

const FALLBACK = (server: ApiServer) =>
  [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: local',
    `  cluster: {server: "${server.url}", certificate-authority-data: ${server.caData}}`,
    'users:',
    '- name: me',
    '  user: {token: FALLBACK-TOKEN}',
    '- name: other-user',
    '  user: {token: OTHER-TOKEN}',
    'contexts:',
    '- name: local',
    '  context: {cluster: local, user: me}',
    '- name: other',
    '  context: {cluster: local, user: other-user}',
    'current-context: local',
    '',
  ].join('\n');

let server: ApiServer;
let dir: string;
beforeAll(async () => {
  server = await startApiServer({ acceptedToken: 'accepted', username: 'tester' });
  dir = mkdtempSync(path.join(tmpdir(), 'cwtoken-adversarial-'));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await server?.close();
});

/** One case's chain, written into a directory of its own: the generated file, then the fallback. */
interface Chain {
  env: Record<string, string>;
  files: string[];
}

function writeChain(where: string, generated: Case): Chain {
  mkdirSync(where, { recursive: true });
  const files = [path.join(where, 'config'), path.join(where, 'fallback')];
  writeFileSync(files[0], generated.bytes, { mode: 0o600 });
  writeFileSync(files[1], FALLBACK(server), { mode: 0o600 });
  return chainIn(where, files);
}

/** The chain of `files`, run from `where`: our writes keep an undo history and a previous context in its own state directory. */
const chainIn = (where: string, files: string[]): Chain => ({
  files,
  env: { KUBECONFIG: files.join(path.delimiter), HOME: where, XDG_STATE_HOME: path.join(where, 'state') },
});

/** The same chain in a fresh directory, for a write that must not touch the original. */
function copyChain(chain: Chain, where: string): Chain {
  mkdirSync(where, { recursive: true });
  const files = chain.files.map((file) => path.join(where, path.basename(file)));
  chain.files.forEach((file, i) => copyFileSync(file, files[i]));
  return chainIn(where, files);
}

/** The credential kubectl sends for `args` (none when it refuses): the Authorization header the server saw. */
function kubectlSends(chain: Chain, args: string[] = []): string | undefined {
  const header = versionRequestAuthorization(server, () => realKubectl(['get', '--raw', '/version', ...args], chain.env));
  // `Bearer` alone (a blank token, trimmed by Go's HTTP client) is no credential.
  return header === 'Bearer' ? undefined : header;
}

/** Named entries in the order kubectl lists them (Go's string order). */
const byName = (a: { name: string }, b: { name: string }) => byteOrder(a.name, b.name);

/** kubectl's merged config as `config view --raw -o json` shows it, lists in name order; undefined when it refuses. */
function kubectlView(chain: Chain): Record<string, unknown> | undefined {
  const view = realKubectl(['config', 'view', '--raw', '-o', 'json'], chain.env);
  if (view.code !== 0) return undefined;
  const config = JSON.parse(view.stdout) as Record<string, unknown>;
  for (const list of ['clusters', 'users', 'contexts']) {
    const items = (config[list] ?? []) as Array<{ name: string }>;
    config[list] = [...items].sort(byName);
  }
  return config;
}

/**
 * Refusals the plugin makes on purpose where kubectl writes blindly: changing a user that authenticates otherwise
 * without --replace-auth, and editing a value that an alias or merge key shares (kubectl re-serialises the file
 * and silently unshares it). Anything else that refuses a write kubectl makes is a disagreement.
 */
const DECLINED: Array<[string, RegExp]> = [
  ['user authenticates otherwise (needs --replace-auth)', /not a bearer token; pass --replace-auth/],
  ['shared by an alias or merge key', /alias|anchor|merge key/],
];

const declined = (ours: Run) => (ours.code === 5 || ours.code === 6 ? DECLINED.find(([, pattern]) => pattern.test(ours.stderr))?.[0] : undefined);

/** Runs `check` on every generated case, and fails with every disagreement, named by case and choices. */
function differential(command: string, check: (generated: Case, chain: Chain, index: number) => Promise<string | undefined>, outcomes: Record<string, number>) {
  return async () => {
    const random = prng(SEED);
    const disagreements: string[] = [];
    for (let i = 0; i < CASES; i++) {
      const generated = generate(random, server, `T-${SEED}-${i}`);
      const chain = writeChain(path.join(dir, command.replace(/\W+/g, '-'), `case-${i}`), generated);
      const problem = await check(generated, chain, i);
      if (problem) disagreements.push(`case ${i}: ${problem}: ${generated.choices.join(' ')}`);
    }
    if (LONG) console.log(`${command}, seed ${SEED}: ${CASES} cases, ${JSON.stringify(outcomes)}; ${disagreements.length} disagreements`);
    expect(disagreements).toEqual([]);
    // The cases must include both outcomes (its first, and refused), or agreement proves little.
    const [first] = Object.keys(outcomes);
    expect({ [first]: outcomes[first] > 0, refused: outcomes.refused > 0 }).toEqual({ [first]: true, refused: true });
  };
}

const describeOutcome = (run: Run) => (run.code === 0 ? 'succeeded' : `failed (${run.stderr.trim().split('\n').pop()})`);
const TIMEOUT = (LONG ? 60 : 4) * 60_000;

describeWithKubectl(`generated adversarial kubeconfigs (seed ${SEED}, ${CASES} cases)`, () => {
  const get = { sent: 0, fallback: 0, refused: 0 };
  test(
    'get prints exactly the token kubectl sends, and fails exactly when kubectl sends none',
    differential(
      'get',
      async (_, chain) => {
        const sent = kubectlSends(chain);
        if (sent === undefined) get.refused++;
        else if (sent === 'Bearer FALLBACK-TOKEN') get.fallback++;
        else get.sent++;
        // The binary, for its bytes: the header as the server saw it (latin1) against what we print.
        const ours = spawnSync(BINARY, ['get'], { env: cleanEnv(chain.env), timeout: 30_000 });
        const printed = ours.status === 0 ? `Bearer ${ours.stdout.toString('latin1').replace(/\n$/, '')}` : undefined;
        if (printed === sent) return undefined;
        if (printed === undefined) return `kubectl sent a token, get failed (${ours.stderr.toString().trim()})`;
        return sent === undefined
          ? 'kubectl sent nothing, get printed a token'
          : `get printed ${printed === 'Bearer FALLBACK-TOKEN' ? 'the fallback' : 'another token'}`;
      },
      get,
    ),
    TIMEOUT,
  );

  /** Output judged by kubectl: both print the same (ours may end in one more newline), or both fail. */
  async function judgeOutput(chain: Chain, theirsArgs: string[], oursArgs: string[], outcomes: { printed: number; refused: number }) {
    const theirs = realKubectl(theirsArgs, chain.env);
    const ours = await runCli(oursArgs, { env: chain.env });
    if (theirs.code === 0) outcomes.printed++;
    else outcomes.refused++;
    if ((theirs.code === 0) !== (ours.code === 0)) return `kubectl ${describeOutcome(theirs)}, ours ${describeOutcome(ours)}`;
    const printed = theirs.stdout.endsWith('\n') ? ours.stdout : ours.stdout.replace(/\n$/, '');
    return printed === theirs.stdout ? undefined : `ours printed ${JSON.stringify(printed)}, kubectl ${JSON.stringify(theirs.stdout)}`;
  }

  const firstUser = { printed: 0, refused: 0 };
  test(
    "get --first-user prints what kubectl's documented jsonpath prints, and fails exactly when it fails",
    differential(
      'first-user',
      async (_, chain) => judgeOutput(chain, ['config', 'view', '--raw', '-o', 'jsonpath={.users[0].user.token}'], ['get', '--first-user'], firstUser),
      firstUser,
    ),
    TIMEOUT,
  );

  const contexts = { printed: 0, refused: 0 };
  test(
    'contexts -o name lists what kubectl config get-contexts -o name lists, and fails exactly when it fails',
    differential('contexts', async (_, chain) => judgeOutput(chain, ['config', 'get-contexts', '-o', 'name'], ['contexts', '-o', 'name'], contexts), contexts),
    TIMEOUT,
  );

  /**
   * A write judged by kubectl: after ours, kubectl's view is `expected(before)` and it sends `sends`; when ours
   * refuses, kubectl's own writer refuses a copy of the same files too, or ours is a refusal DECLINED lists.
   */
  async function judgeWrite(
    chain: Chain,
    write: { ours: string[]; theirs: string[]; expected: (before: Record<string, unknown>) => Record<string, unknown>; sends: string[]; token?: string },
    outcomes: Record<string, number>,
  ): Promise<string | undefined> {
    const before = kubectlView(chain);
    const oursChain = copyChain(chain, path.join(path.dirname(chain.files[0]), 'ours'));
    // What the change must make kubectl send: the given token, or what the other selection sent before.
    const intended = write.token === undefined ? kubectlSends(chain, write.sends) : `Bearer ${write.token}`;
    const ours = await runCli(write.ours, { env: oursChain.env });
    if (ours.code !== 0) {
      const theirs = realKubectl(write.theirs, copyChain(chain, path.join(path.dirname(chain.files[0]), 'theirs')).env);
      if (theirs.code !== 0) return void outcomes.refused++;
      const reason = declined(ours);
      if (reason) return void (outcomes[`declined: ${reason}`] = (outcomes[`declined: ${reason}`] ?? 0) + 1);
      return `kubectl's own writer succeeded, ours ${describeOutcome(ours)}`;
    }
    outcomes.written++;
    if (before === undefined) return 'kubectl refuses the chain, but ours wrote it';
    const after = kubectlView(oursChain);
    if (after === undefined) return 'after our write kubectl refuses the chain';
    if (!isDeepStrictEqual(after, write.expected(before))) return 'after our write kubectl reads more (or other) changes than the intended one';
    const sent = kubectlSends(oursChain, write.sends);
    // A user kubectl refuses (client-go's rules) sends nothing before and after: then our get must refuse it too.
    if (sent === intended) return undefined;
    if (sent === undefined && (await runCli(['get', ...write.sends], { env: oursChain.env })).code !== 0) return undefined;
    return `after our write kubectl ${sent === undefined ? 'sends nothing' : 'sends another token'} instead of the intended one`;
  }

  const use = { written: 0, refused: 0 };
  test(
    'use C: kubectl then reads current-context C and nothing else changed, and sends what --context C sent; or kubectl refuses too',
    differential(
      'use',
      async ({ useContext }, chain) =>
        judgeWrite(
          chain,
          {
            ours: ['use', useContext],
            theirs: ['config', 'use-context', useContext],
            expected: (before) => ({ ...before, 'current-context': useContext }),
            sends: ['--context', useContext],
          },
          use,
        ),
      use,
    ),
    TIMEOUT,
  );

  const set = { written: 0, refused: 0 };
  test(
    'set --user U --token T: kubectl then reads T as U token and nothing else changed, and sends T for U; or kubectl refuses too',
    differential(
      'set',
      async ({ setUser }, chain, i) => {
        const token = `NEW-${SEED}-${i}`;
        return judgeWrite(
          chain,
          {
            ours: ['set', '--user', setUser, '--token', token],
            theirs: ['config', 'set-credentials', setUser, '--token', token],
            expected: (before) => withToken(before, setUser, token),
            sends: ['--user', setUser],
            token,
          },
          set,
        );
      },
      set,
    ),
    TIMEOUT,
  );
});

/** `config` (kubectl's view) with user `name`'s token set to `token`, the user added when there is none. */
function withToken(config: Record<string, unknown>, name: string, token: string): Record<string, unknown> {
  const users = (config.users ?? []) as Array<{ name: string; user: Record<string, unknown> }>;
  const changed = users.some((u) => u.name === name)
    ? users.map((u) => (u.name === name ? { ...u, user: { ...u.user, token } } : u))
    : [...users, { name, user: { token } }].sort(byName);
  return { ...config, users: changed };
}
