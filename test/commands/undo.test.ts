import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { kubeconfig } from '../support/builder';
import { cwtoken } from '../support/cli';
import { describeWithKubectl, kubectl } from '../support/kubectl';
import { useTempDir } from '../support/tmp';
import { expectNoToken } from '../support/files';

const tmp = useTempDir();
const OLD = 'CW-SECRET-undo-old-aaaaaaaaaaaaaaaa';
const NEW = 'CW-SECRET-undo-new-bbbbbbbbbbbbbbbb';
const state = () => ({ XDG_STATE_HOME: path.join(tmp.dir, 'state') });
const run = (args: string[], input?: string, env: Record<string, string> = {}) => cwtoken(args, { env: { ...state(), ...env }, input });

/** Two downloads sharing one org token, as `rotate` meets them. */
function twoDownloads(): { a: string; b: string; kubeconfigs: string } {
  const a = tmp.file('a.yaml', `# first download\n${kubeconfig().cw('lga1', OLD).current('lga1').yaml()}`);
  const b = tmp.file('b.yaml', kubeconfig().cw('ord1', OLD, 'org-token').yaml());
  return { a, b, kubeconfigs: `${a}:${b}` };
}

test('undo puts back the bytes the last write replaced, and a second undo walks back further', () => {
  const file = tmp.file('config', `# mine\n${kubeconfig().cw('lga1', OLD).current('lga1').yaml()}`);
  const original = readFileSync(file, 'utf8');
  expect(run(['set', '--kubeconfig', file, '--token-stdin'], NEW).code).toBe(0);
  const afterSet = readFileSync(file, 'utf8');
  expect(run(['set', '--kubeconfig', file, '--token-stdin'], `${NEW}2`).code).toBe(0);
  const undo1 = run(['undo']);
  expect(undo1.code).toBe(0);
  expect(readFileSync(file, 'utf8')).toBe(afterSet);
  expect(run(['undo']).code).toBe(0);
  expect(readFileSync(file, 'utf8')).toBe(original);
  expect(run(['undo']).code).toBe(4);
});

test('undo of a rotation restores every file it changed', () => {
  const { a, b, kubeconfigs } = twoDownloads();
  const before = [readFileSync(a, 'utf8'), readFileSync(b, 'utf8')];
  const rotated = run(['rotate', '--no-verify', '--token-stdin'], NEW, { KUBECONFIG: kubeconfigs });
  expect(rotated.code).toBe(0);
  expect(readFileSync(b, 'utf8')).toContain(NEW);
  expect(run(['undo']).code).toBe(0);
  expect([readFileSync(a, 'utf8'), readFileSync(b, 'utf8')]).toEqual(before);
});

test('undo of `use` and of an import that created the kubeconfig', () => {
  const file = tmp.file('config', kubeconfig().cw('lga1', OLD).cw('ord1', OLD, 'other').current('lga1').yaml());
  const original = readFileSync(file, 'utf8');
  expect(run(['use', 'ord1', '--kubeconfig', file]).code).toBe(0);
  expect(run(['undo']).code).toBe(0);
  expect(readFileSync(file, 'utf8')).toBe(original);

  const download = tmp.file('download.yaml', kubeconfig().cw('las1', OLD).yaml());
  const created = path.join(tmp.dir, 'new', 'config');
  expect(run(['import', download, '--kubeconfig', created]).code).toBe(0);
  const undone = run(['undo']);
  expect(undone.code).toBe(0);
  expect(undone.stderr).toContain('removed');
  expect(() => statSync(created)).toThrow();
});

describeWithKubectl('undo and kubectl', () => {
  test('refuses, naming the file and writing nothing, when kubectl changed the file since', () => {
    const file = tmp.file('config', kubeconfig().cw('lga1', OLD).current('lga1').yaml());
    expect(run(['set', '--kubeconfig', file, '--token-stdin'], NEW).code).toBe(0);
    expect(kubectl(['config', 'set-credentials', 'someone', '--token', 'x', '--kubeconfig', file]).code).toBe(0);
    const changed = readFileSync(file, 'utf8');
    const r = run(['undo']);
    expect(r.code).toBe(8);
    expect(r.stderr).toMatch(new RegExp(`^error: "${file}" changed since the set of .*nothing was written\\n$`));
    expect(readFileSync(file, 'utf8')).toBe(changed);
  });
});

test('undo --list shows time, command and files, newest first, never a token; -o json for scripts', () => {
  const { kubeconfigs } = twoDownloads();
  expect(run(['rotate', '--no-verify', '--token-stdin'], NEW, { KUBECONFIG: kubeconfigs }).code).toBe(0);
  const list = run(['undo', '--list']);
  expect(list.stdout.split('\n')[0]).toMatch(/^TIME\s+COMMAND\s+STATE\s+FILES$/);
  expect(list.stdout).toMatch(/rotate\s+done\s+.*a\.yaml, .*b\.yaml/);
  const json = JSON.parse(run(['undo', '--list', '-o', 'json']).stdout);
  expect(json).toEqual([expect.objectContaining({ command: 'rotate', state: 'done', files: kubeconfigs.split(':') })]);
  expectNoToken(list.stdout + list.stderr, OLD, NEW);
});

test('the backups are private files in private directories, named without any secret', () => {
  const file = tmp.file('config', kubeconfig().cw('lga1', OLD).current('lga1').yaml(), 0o644);
  run(['set', '--kubeconfig', file, '--token-stdin'], NEW);
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((n) => [path.join(dir, n), ...(statSync(path.join(dir, n)).isDirectory() ? walk(path.join(dir, n)) : [])]);
  const entries = walk(state().XDG_STATE_HOME);
  expect(entries.length).toBeGreaterThan(2);
  for (const entry of entries) {
    expect(path.basename(entry)).not.toMatch(/SECRET|undo-old|undo-new/);
    expect(statSync(entry).mode & 0o777).toBe(statSync(entry).isDirectory() ? 0o700 : 0o600);
  }
});
