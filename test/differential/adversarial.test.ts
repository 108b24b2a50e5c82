/**
 * Generated adversarial kubeconfigs (the classes of issue 9, randomly combined) against the real kubectl binary:
 * for each case, what kubectl sends to a local HTTPS API server (or that it refuses the chain and sends nothing)
 * must be what `get` prints (or that it fails). Each case is a chain of the generated file and a fallback file
 * that defines the same names with another token, so a file read as empty shows as the fallback's token.
 *
 * Fixed seeds by default (CI); CWTOKEN_DIFF_LONG=1 runs 500 cases from a time seed, CWTOKEN_DIFF_CASES and
 * CWTOKEN_DIFF_SEED choose them. A failure names its seed and case number, which reproduce it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ApiServer, startApiServer } from '../support/apiserver';
import { BINARY } from '../support/cli';
import { cleanEnv, describeWithKubectl, KUBECTL } from '../support/kubectl';
import { prng } from '../support/prng';

const LONG = process.env.CWTOKEN_DIFF_LONG === '1';
const CASES = Number(process.env.CWTOKEN_DIFF_CASES ?? (LONG ? 500 : 40));
const SEED = Number(process.env.CWTOKEN_DIFF_SEED ?? (LONG ? Date.now() % 2 ** 31 : 20261201));

/** The real kubectl binary beside the dispatcher on PATH (which reads kubeconfigs itself), when there is one. */
function realKubectl(): string | undefined {
  if (!KUBECTL) return undefined;
  const beside = path.join(path.dirname(realpathSync(KUBECTL)), 'kubectl.1.32');
  return existsSync(beside) ? beside : KUBECTL;
}

type Random = () => number;
const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)];
const chance = (random: Random, p: number) => random() < p;

/** One generated kubeconfig: its bytes, and a description of the choices, for the failure message. */
interface Case {
  bytes: Buffer;
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

  const user = {
    block: `  user:\n    token: ${form}\n`,
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
  return { bytes, choices };
}

const FALLBACK = (server: ApiServer) =>
  `apiVersion: v1\nkind: Config\nclusters:\n- name: local\n  cluster:\n    server: ${server.url}\n    certificate-authority-data: ${server.caData}\nusers:\n- name: me\n  user:\n    token: FALLBACK-TOKEN\ncontexts:\n- name: local\n  context: {cluster: local, user: me}\ncurrent-context: local\n`;

let server: ApiServer;
beforeAll(async () => {
  server = await startApiServer({ acceptedToken: 'accepted', username: 'tester' });
});
afterAll(() => server?.close());

describeWithKubectl(`generated adversarial kubeconfigs (seed ${SEED}, ${CASES} cases)`, () => {
  test('get prints exactly the token kubectl sends, and fails exactly when kubectl sends none', () => {
    const kubectlBinary = realKubectl()!;
    const dir = mkdtempSync(path.join(tmpdir(), 'cwtoken-adversarial-'));
    const disagreements: string[] = [];
    const outcomes = { sent: 0, refused: 0, fallback: 0 };
    try {
      const fallback = path.join(dir, 'fallback');
      writeFileSync(fallback, FALLBACK(server), { mode: 0o600 });
      const random = prng(SEED);
      for (let i = 0; i < CASES; i++) {
        const token = `T-${SEED}-${i}`;
        const generated = generate(random, server, token);
        const file = path.join(dir, `case-${i}`);
        writeFileSync(file, generated.bytes, { mode: 0o600 });
        const env = cleanEnv({ KUBECONFIG: [file, fallback].join(path.delimiter) });
        const before = server.requests.length;
        spawnSync(kubectlBinary, ['get', '--raw', '/version'], { env, timeout: 30_000 });
        const sent = server.requests.slice(before).find((r) => r.path === '/version')?.authorization;
        if (sent === undefined) outcomes.refused++;
        else if (sent === 'Bearer FALLBACK-TOKEN') outcomes.fallback++;
        else outcomes.sent++;
        const ours = spawnSync(BINARY, ['get'], { env, timeout: 30_000 });
        // The header as the server saw it (latin1 bytes), against the bytes we print.
        const printed = ours.status === 0 ? `Bearer ${ours.stdout.toString('latin1').replace(/\n$/, '')}` : undefined;
        if (printed !== sent) {
          disagreements.push(
            `case ${i}: kubectl ${sent === undefined ? 'sent nothing' : 'sent a token'}, get ${printed === undefined ? `failed (${ours.stderr.toString().trim()})` : printed === sent ? '' : 'printed another token'}${printed && sent ? ` (${printed === `Bearer FALLBACK-TOKEN` ? 'the fallback' : 'differs'})` : ''}: ${generated.choices.join(' ')}`,
          );
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(disagreements).toEqual([]);
    // The generator must produce both kinds of case, or agreement proves nothing.
    expect(outcomes.sent).toBeGreaterThan(0);
    expect(outcomes.refused).toBeGreaterThan(0);
    if (LONG)
      console.log(
        `seed ${SEED}: ${CASES} cases, kubectl sent the case's token in ${outcomes.sent}, the fallback's in ${outcomes.fallback}, nothing in ${outcomes.refused}; ${disagreements.length} disagreements`,
      );
  });
});
