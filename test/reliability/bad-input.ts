import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { kubeconfig } from '../support/builder';
import { cwtoken, LONG, oneLine, pool, Property, Result, sample, scratch } from './harness';

/**
 * Every reader fed broken input: random mutations of a valid kubeconfig (truncations, byte flips that make
 * invalid UTF-8, CR/CRLF, NUL, BOM, YAML punctuation, wrong types, duplicated lines) and inputs built to be large
 * or slow (deep nesting, alias bombs, thousands of aliases, huge names, big files), through the kubeconfig, token
 * and import readers. A failure is a non-zero exit other than 1 with one line; the time and memory are bounded;
 * a file that is not written stays byte-identical; a write never turns invalid UTF-8 into U+FFFD.
 */
const OLD = 'CW-SECRET-fuzz-old-aaaaaaaaaaaaaaaaaaaa';
const NEW = 'CW-SECRET-fuzz-new-bbbbbbbbbbbbbbbbbbbb';
const VALID = Buffer.from(
  `# a comment\n${kubeconfig().cw('lga1', OLD).cw('ord1', `${OLD}2`, 'other').current('lga1').yaml()}`.replace('users:', 'users: # the users'),
);

const SNIPPETS = [
  '\r',
  '\r\n',
  '\0',
  '\uFEFF',
  '\t',
  '&a ',
  '*a',
  '<<: *a\n',
  '- ',
  ': ',
  '{',
  '[',
  '"',
  "'",
  '!!binary ',
  '%YAML 1.1\n',
  '---\n',
  '...\n',
  '? ',
  '|\n',
  '\\',
];
const VALUES = ['[]', '{}', '5', 'null', '~', 'true', '"x"', '[1, [2]]', '{a: b}', '-1e999', '!!int x'];

type Mutation = (b: Buffer) => Buffer;
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.nat().map((n) => (b: Buffer) => b.subarray(0, n % b.length)),
  fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })).map(([n, byte]) => (b: Buffer) => {
    const c = Buffer.from(b);
    c[n % c.length] = byte;
    return c;
  }),
  fc.tuple(fc.nat(), fc.constantFrom(...SNIPPETS)).map(
    ([n, s]) =>
      (b: Buffer) =>
        Buffer.concat([b.subarray(0, n % b.length), Buffer.from(s), b.subarray(n % b.length)]),
  ),
  fc.tuple(fc.nat(), fc.constantFrom(...VALUES)).map(([n, v]) => (b: Buffer) => {
    // A wrong type at some level: the value after the n-th ": " replaced.
    const parts = b.toString('latin1').split(': ');
    // An earlier mutation (a truncation) may have left no ": " to replace after.
    if (parts.length < 2) return b;
    const i = 1 + (n % (parts.length - 1));
    parts[i] = v + parts[i].slice(parts[i].search(/\n|$/));
    return Buffer.from(parts.join(': '), 'latin1');
  }),
  fc.nat().map((n) => (b: Buffer) => {
    const lines = b.toString('latin1').split('\n');
    const i = n % lines.length;
    lines.splice(i, 0, lines[i]);
    return Buffer.from(lines.join('\n'), 'latin1');
  }),
  fc.constant((b: Buffer) => Buffer.from(b.toString('latin1').replace(/\n/g, '\r'), 'latin1')),
  fc.constant((b: Buffer) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), b])),
);

/** Inputs built to be big or slow: each must fail (or succeed) within the bounds below. */
function specials(): Array<[string, () => Buffer]> {
  const bigClusters = (n: number) => {
    const b = kubeconfig().cw('lga1', OLD).current('lga1');
    for (let i = 0; i < n; i++) b.cluster(`c${i}`, { server: `https://c${i}.example.test`, 'certificate-authority-data': 'QUJD'.repeat(2000) } as never);
    return Buffer.from(b.yaml());
  };
  const nested = (depth: number) => Buffer.from(`${VALID.toString()}extra: ${'['.repeat(depth)}${']'.repeat(depth)}\n`);
  const aliasBomb = () => {
    let y = 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n';
    for (let i = 1; i < 9; i++)
      y += `a${i}: &a${i} [${Array(10)
        .fill(`*a${i - 1}`)
        .join(', ')}]\n`;
    return Buffer.from(`${VALID.toString()}${y}`);
  };
  const manyAliases = (n: number) => {
    let y = `apiVersion: v1\nkind: Config\ncurrent-context: ctx0\nclusters:\n- name: lga1\n  cluster: &cl {server: https://lga1.example.test}\nusers:\n- name: token\n  user: {token: ${OLD}}\ncontexts:\n`;
    for (let i = 0; i < n; i++) y += `- name: ctx${i}\n  context: {cluster: lga1, user: token, extensions: [{name: e, extension: *cl}]}\n`;
    return Buffer.from(y);
  };
  const longNames = () =>
    Buffer.from(
      VALID.toString()
        .replace(/name: other/g, `name: ${'o'.repeat(30_000)}`)
        .replace('name: token', `name: ${'t'.repeat(30_000)}`),
    );
  return [
    ['2,000-deep nesting', () => nested(2_000)],
    ['20,000-deep nesting', () => nested(20_000)],
    ['alias bomb (10^9 nodes)', aliasBomb],
    ['5,000 aliases', () => manyAliases(5_000)],
    ['two 30,000-character names', longNames],
    ['lone-CR file', () => Buffer.from(VALID.toString().replace(/\n/g, '\r'))],
    ['invalid UTF-8 in a comment', () => Buffer.concat([Buffer.from('# \xff\xfe bad\n', 'latin1'), VALID])],
    [`${LONG ? 100 : 20} MB file`, () => bigClusters(LONG ? 12_500 : 2_500)],
  ];
}

const SMALL_MS = LONG ? 3_000 : 5_000;
/** The time a run may take: small inputs SMALL_MS (on a loaded machine), 10 s more per MiB, never over a minute. */
const limitFor = (bytes: Buffer) => Math.min(60_000, SMALL_MS + (10_000 * bytes.length) / (1 << 20));

export async function badInput(): Promise<Property[]> {
  const exits = new Property('bad input: a non-zero exit with one line, never exit 1 or a signal (kubeconfig, token, import readers)');
  const bounded = new Property('bad input: bounded time (5 s on a loaded machine, 10 s more per MiB, at most 60 s) and memory (< 1 GiB)');
  const identical = new Property('bad input: every file byte-identical when the write fails or is refused');
  const noReplacement = new Property('bad input: a write never turns invalid UTF-8 into U+FFFD');
  const cases = LONG ? 400 : 40;

  const judge = (what: string, r: Result, limitMs: number) => {
    exits.check(
      !r.timedOut && r.signal === null && r.code !== 1 && (r.code === 0 || oneLine(r.stderr)),
      () => `${what}: exit ${r.code ?? r.signal}${r.timedOut ? ' (timed out)' : ''}: ${r.stderr}`,
    );
    bounded.check(
      !r.timedOut && r.ms < limitMs && (r.maxRssKiB === undefined || r.maxRssKiB < 1 << 20),
      () => `${what}: ${Math.round(r.ms)} ms, ${Math.round((r.maxRssKiB ?? 0) / 1024)} MiB`,
    );
  };

  /** The reader commands and one writer, on the file; the writer's failure must leave it byte-identical. */
  async function probe(what: string, bytes: Buffer, limitMs: number): Promise<void> {
    const dir = scratch('fuzz');
    const file = path.join(dir, 'config');
    writeFileSync(file, bytes, { mode: 0o600 });
    const env = { XDG_STATE_HOME: path.join(dir, 'state') };
    const opts = { env, timeoutMs: limitMs * 2, measureMemory: true };
    for (const args of [
      ['get', '--kubeconfig', file],
      ['contexts', '--kubeconfig', file],
      ['doctor', '--kubeconfig', file],
    ]) {
      judge(`${what}: ${args[0]}`, await cwtoken(args, opts), limitMs);
    }
    const set = await cwtoken(['set', '--kubeconfig', file, '--user', 'token', '--token-stdin'], { ...opts, input: NEW });
    judge(`${what}: set`, set, limitMs);
    const after = readFileSync(file);
    if (set.code !== 0) identical.check(after.equals(bytes), () => `${what}: set failed (${set.stderr.trim()}) but changed the file`);
    else if (!bytes.includes(Buffer.from('\ufffd'))) noReplacement.check(!after.includes(Buffer.from('\ufffd')), () => `${what}: set wrote U+FFFD`);
    const download = path.join(dir, 'download');
    writeFileSync(download, bytes);
    const target = path.join(dir, 'target');
    writeFileSync(target, VALID, { mode: 0o600 });
    const imp = await cwtoken(['import', download, '--kubeconfig', target], opts);
    judge(`${what}: import`, imp, limitMs);
    if (imp.code !== 0) identical.check(readFileSync(target).equals(VALID), () => `${what}: import failed but changed the target`);
    rmSync(dir, { recursive: true, force: true });
  }

  const mutations = sample('bad-input mutations', fc.array(mutation, { minLength: 1, maxLength: 3 }), cases);
  await pool(
    mutations.map(
      (ms, i) => () =>
        probe(
          `mutation ${i}`,
          ms.reduce<Buffer>((b, m) => m(b), VALID),
          SMALL_MS,
        ),
    ),
    2,
  );
  for (const [what, build] of specials()) {
    const bytes = build();
    await probe(what, bytes, limitFor(bytes));
  }

  // Token input: random bytes, empty, huge, through every source.
  const tokens = sample('bad-input tokens', fc.uint8Array({ minLength: 0, maxLength: 64 }), LONG ? 100 : 10);
  await pool(
    tokens.map((t, i) => async () => {
      const dir = scratch('fuzz-token');
      const file = path.join(dir, 'config');
      writeFileSync(file, VALID, { mode: 0o600 });
      writeFileSync(path.join(dir, 'token'), t);
      const env = { XDG_STATE_HOME: path.join(dir, 'state') };
      for (const args of [['--token-stdin'], ['--token-file', path.join(dir, 'token')]]) {
        const r = await cwtoken(['set', '--kubeconfig', file, ...args], { env, input: Buffer.from(t), timeoutMs: SMALL_MS * 2 });
        judge(`token bytes ${i} via ${args[0]}`, r, SMALL_MS);
        if (r.code !== 0) identical.check(readFileSync(file).equals(VALID), () => `token ${i}: set failed but changed the file`);
      }
      rmSync(dir, { recursive: true, force: true });
    }),
    2,
  );
  return [exits, bounded, identical, noReplacement];
}
