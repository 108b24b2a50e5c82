import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { kubeconfig } from '../support/builder';
import { BINARY } from '../support/cli';
import { runCli } from '../support/run-cli';
import { describeWithKubectl, kubectl } from '../support/kubectl';
import { useTempDir } from '../support/tmp';

const TOKEN_A = 'CW-SECRET-aaaaaaaaaaaaaaaaaaaaaaaaaaaa1111';
const TOKEN_B = 'CW-SECRET-bbbbbbbbbbbbbbbbbbbbbbbbbbbb2222';

describe('contexts', () => {
  const tmp = useTempDir();

  test("the table has kubectl config get-contexts' columns and how each context authenticates, the token by its tail", async () => {
    const file = tmp.file('a.yaml', kubeconfig().cw('lga1', TOKEN_A).current('lga1').yaml());
    const run = await runCli(['contexts', '--kubeconfig', file]);
    expect(run.code).toBe(0);
    const [header, row] = run.stdout.trimEnd().split('\n');
    expect(header.split(/\s{2,}/)).toEqual(['CURRENT', 'NAME', 'CLUSTER', 'AUTHINFO', 'NAMESPACE', 'AUTH']);
    // Every CoreWeave token starts with CW-SECRET-: the tail alone tells them apart.
    expect(row.split(/\s{2,}/)).toEqual(['*', 'lga1', 'lga1', 'token', 'tenant-lga1', 'token …1111']);
  });

  test('-o wide adds the server, the defining file and the notes', async () => {
    const file = tmp.file('a.yaml', kubeconfig().cw('lga1', TOKEN_A).current('lga1').yaml());
    const [header, row] = (await runCli(['contexts', '--kubeconfig', file, '-o', 'wide'])).stdout.trimEnd().split('\n');
    expect(header.split(/\s{2,}/)).toEqual(['CURRENT', 'NAME', 'CLUSTER', 'AUTHINFO', 'NAMESPACE', 'AUTH', 'SERVER', 'FILE', 'NOTE']);
    expect(row.split(/\s{2,}/).slice(6)).toEqual(['https://lga1.k8s.us-east-04a.coreweave.com', file]);
  });

  test.each([[[]], [['-o', 'wide']]])('--no-headers %j prints the rows alone', async (output) => {
    const file = tmp.file('a.yaml', kubeconfig().cw('lga1', TOKEN_A).cw('ord1', TOKEN_B, 'u2').yaml());
    const withHeaders = (await runCli(['contexts', '--kubeconfig', file, ...output])).stdout.split('\n');
    expect((await runCli(['contexts', '--kubeconfig', file, '--no-headers', ...output])).stdout).toBe(withHeaders.slice(1).join('\n'));
  });

  test('columns align by display width: a wide-character name takes two columns a character', async () => {
    const file = tmp.file('a.yaml', kubeconfig().cw('東京', TOKEN_A).cw('lga1', TOKEN_B, 'u2').yaml());
    const lines = (await runCli(['contexts', '--kubeconfig', file])).stdout.trimEnd().split('\n');
    const authColumn = (line: string) => {
      const at = line.search(/token …/);
      return [...line.slice(0, at)].reduce((w, ch) => w + (/[\u4e00-\u9fff]/.test(ch) ? 2 : 1), 0);
    };
    expect(new Set(lines.slice(1).map(authColumn)).size).toBe(1);
    expect(authColumn(lines[1])).toBe(lines[0].search(/AUTH$/));
  });

  test('no output format prints a full token', async () => {
    const file = tmp.file('a.yaml', kubeconfig().cw('lga1', TOKEN_A).yaml());
    for (const output of [[], ['-o', 'json'], ['-o', 'yaml'], ['-o', 'name']]) {
      const run = await runCli(['contexts', '--kubeconfig', file, ...output]);
      expect(run.stdout + run.stderr).not.toContain(TOKEN_A);
    }
  });

  test('a context whose user is hidden by an earlier file is marked in the table and in -o json', async () => {
    const a = tmp.file('a.yaml', kubeconfig().cw('lga1', TOKEN_A).yaml());
    const b = tmp.file('b.yaml', kubeconfig().cw('ord1', TOKEN_B).yaml());
    const env = { KUBECONFIG: `${a}${path.delimiter}${b}` };
    const table = await runCli(['contexts'], { env });
    expect(table.stderr).toContain(`warning: context "ord1": user "token" is a.yaml's (own one shadowed)`);
    expect((await runCli(['contexts', '-o', 'wide'], { env })).stdout.split('\n').find((l) => l.includes('ord1'))).toContain(
      `user "token" is a.yaml's (own one shadowed)`,
    );
    const records = JSON.parse((await runCli(['contexts', '-o', 'json'], { env })).stdout) as Array<Record<string, unknown>>;
    expect(records.map((r) => [r.name, r.token, r.file, r.borrowed])).toEqual([
      ['lga1', 'CW-S…1111', a, []],
      // kubectl sends lga1's token to ord1: the table must say so rather than show ord1's own token.
      ['ord1', 'CW-S…1111', b, [{ kind: 'user', name: 'token', from: a }]],
    ]);
  });

  test('a tokenFile user shows the kind and the redacted content of the file', async () => {
    const tokenFile = tmp.file('token', `${TOKEN_B}\n`);
    const file = tmp.file('a.yaml', kubeconfig().cluster('c').user('u', { tokenFile }).context('ctx', { cluster: 'c', user: 'u' }).yaml());
    const [record] = JSON.parse((await runCli(['contexts', '--kubeconfig', file, '-o', 'json'])).stdout) as Array<Record<string, unknown>>;
    expect([record.auth, record.token]).toEqual([['tokenFile'], 'CW-S…2222']);
  });

  test('output that is not a terminal has no colour codes', async () => {
    const file = tmp.file('a.yaml', kubeconfig().cw('lga1', TOKEN_A).current('lga1').yaml());
    expect((await runCli(['contexts', '--kubeconfig', file])).stdout).not.toContain('\u001b[');
  });

  test('on a terminal the table is coloured, but not when stdout is redirected while stderr is still the terminal', () => {
    const file = tmp.file('a.yaml', kubeconfig().cw('lga1', TOKEN_A).current('lga1').yaml());
    const out = path.join(tmp.dir, 'out.txt');
    const inTerminal = (command: string) =>
      spawnSync('script', ['-qec', command, '/dev/null'], { encoding: 'utf8', env: { PATH: process.env.PATH, TERM: 'xterm' } }).stdout;
    expect(inTerminal(`'${BINARY}' contexts --kubeconfig '${file}'`)).toContain('\u001b[');
    inTerminal(`'${BINARY}' contexts --kubeconfig '${file}' > '${out}'`);
    expect(readFileSync(out, 'utf8')).toMatch(/lga1/);
    expect(readFileSync(out, 'utf8')).not.toContain('\u001b[');
  });

  test('a context whose cluster or user no file defines is marked', async () => {
    const file = tmp.file('a.yaml', kubeconfig().context('alpha', { cluster: 'nope', user: 'ghost' }).yaml());
    expect((await runCli(['contexts', '--kubeconfig', file])).stderr).toContain('context "alpha": cluster "nope" is not defined; user "ghost" is not defined');
    expect((await runCli(['contexts', '--kubeconfig', file, '-o', 'wide'])).stdout).toContain('cluster "nope" is not defined; user "ghost" is not defined');
    expect(JSON.parse((await runCli(['contexts', '--kubeconfig', file, '-o', 'json'])).stdout)[0].missing).toEqual(['cluster', 'user']);
  });

  test('an unloadable file is an error naming the file and line, like kubectl', async () => {
    const file = tmp.file('bad.yaml', 'users:\n- name: u\n  user:\n    token: [unclosed\n');
    const run = await runCli(['contexts', '--kubeconfig', file]);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(new RegExp(`^error: .*${file}.*line \\d+`));
  });
});

/** A kubectl-style table as records, cut at the header's column starts (cells may be empty, so no splitting on blanks). */
function readTable(stdout: string, columns: string[]): string[][] {
  const [header, ...rows] = stdout.trimEnd().split('\n');
  const starts = [...header.matchAll(/\S+/g)].map((m) => ({ name: m[0], at: m.index! }));
  const cell = (row: string, i: number) => row.slice(starts[i].at, starts[i + 1]?.at).trim();
  return rows.map((row) =>
    columns.map((c) =>
      cell(
        row,
        starts.findIndex((s) => s.name === c),
      ),
    ),
  );
}

describeWithKubectl('the contexts table against kubectl config get-contexts', () => {
  const tmp = useTempDir();
  const COLUMNS = ['CURRENT', 'NAME', 'CLUSTER', 'AUTHINFO', 'NAMESPACE'];

  test('the same five columns, row for row, across a chain of two downloads', async () => {
    const a = tmp.file('a', kubeconfig().cw('lga1', TOKEN_A).context('bare', { cluster: 'lga1' }).current('lga1').yaml());
    const b = tmp.file('b', kubeconfig().cw('ord1', TOKEN_B).context('lga1', { cluster: 'ord1', user: 'token', namespace: 'hidden' }).yaml());
    const env = { KUBECONFIG: [a, b].join(path.delimiter) };
    const expected = kubectl(['config', 'get-contexts'], env);
    expect(expected.code).toBe(0);
    expect(readTable((await runCli(['contexts'], { env })).stdout, COLUMNS)).toEqual(readTable(expected.stdout, COLUMNS));
  });
});

describeWithKubectl('contexts -o name against kubectl config get-contexts -o name', () => {
  const tmp = useTempDir();
  const chains: Record<string, () => string[]> = {
    'one file': () => [tmp.file('a', kubeconfig().cw('lga1', TOKEN_A).cw('ord1', TOKEN_B, 'u2').yaml())],
    'two downloads with the same user and context names': () => [
      tmp.file('a', kubeconfig().cw('lga1', TOKEN_A).context('shared', { cluster: 'lga1', user: 'token' }).yaml()),
      tmp.file('b', kubeconfig().cw('ord1', TOKEN_B).context('shared', { cluster: 'ord1', user: 'token' }).yaml()),
    ],
    'names that sort by byte, not by locale': () => [
      tmp.file('a', kubeconfig().cluster('c').context('b', {}).context('B', {}).context('a-1', {}).context('a_1', {}).context('ä', {}).context('Z', {}).yaml()),
    ],
    'a missing file and an empty file in the chain': () => [
      path.join(tmp.dir, 'missing'),
      tmp.file('empty', ''),
      tmp.file('c', kubeconfig().cw('x', TOKEN_A).yaml()),
    ],
    'no contexts at all': () => [tmp.file('a', kubeconfig().cluster('c').yaml())],
  };

  test.each(Object.keys(chains))('%s', async (name) => {
    const env = { KUBECONFIG: chains[name]().join(path.delimiter) };
    const expected = kubectl(['config', 'get-contexts', '-o', 'name'], env);
    expect(expected.code).toBe(0);
    const run = await runCli(['contexts', '-o', 'name'], { env });
    expect({ code: run.code, stdout: run.stdout }).toEqual({ code: 0, stdout: expected.stdout });
  });
});
