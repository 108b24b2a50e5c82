import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { applyEdits } from '../../src/kubeconfig/edit/apply';
import { history, historyDir, HISTORY_SIZE, Journal } from '../../src/files/journal';
import type { KubeconfigDocument } from '../../src/kubeconfig/edit/edit';
import { kubeconfig } from '../support/builder';
import { useTempDir } from '../support/tmp';

const tmp = useTempDir();
const OLD = 'CW-SECRET-journal-old-0000000000';
const NEW = 'CW-SECRET-journal-new-0000000000';
const setToken = (file: string, token = NEW) => ({ file, edit: (d: KubeconfigDocument) => d.setField('users', 'token', 'token', token) });

beforeEach(() => {
  process.env.XDG_STATE_HOME = path.join(tmp.dir, 'state');
});

/** What a writer killed after its first file leaves: a pending record of a dead pid, one file new, one old. */
function halfDoneRotation(): { a: string; b: string; before: string } {
  const before = kubeconfig().cw('a', OLD).yaml();
  const a = tmp.file('a', before);
  const b = tmp.file('b', before);
  const after = before.replace(OLD, NEW);
  const journal = Journal.begin(
    'rotate',
    [a, b].map((f) => ({ file: f, target: f, before: Buffer.from(before), after: Buffer.from(after) })),
    undefined,
    process.env,
  );
  const recordFile = path.join(journal.dir, 'record.json');
  const record = JSON.parse(readFileSync(recordFile, 'utf8'));
  record.owner.pid = spawnSync('true').pid;
  writeFileSync(recordFile, JSON.stringify(record));
  writeFileSync(a, after);
  return { a, b, before };
}

test('a multi-file write whose process died half-way is rolled back by the next writer, before its own change', async () => {
  const { a, b, before } = halfDoneRotation();
  const other = tmp.file('other', kubeconfig().cw('o', OLD).yaml());
  await applyEdits([setToken(other)]);
  expect(readFileSync(a, 'utf8')).toBe(before);
  expect(readFileSync(b, 'utf8')).toBe(before);
  expect(readdirSync(path.join(historyDir(process.env), 'pending'))).toEqual([]);
});

test('a half-done write whose file was changed since by someone else is left alone and kept as interrupted', async () => {
  const { a } = halfDoneRotation();
  writeFileSync(a, 'edited by hand\n');
  await applyEdits([setToken(tmp.file('other', kubeconfig().cw('o', OLD).yaml()))]);
  expect(readFileSync(a, 'utf8')).toBe('edited by hand\n');
  expect(history(process.env).map((s) => s.record.state)).toContain('interrupted');
});

test('every write keeps the bytes it replaced, private (0600 files in 0700 directories), named without the token', async () => {
  const file = tmp.file('config', kubeconfig().cw('a', OLD).yaml());
  await applyEdits([setToken(file)], { command: 'set' });
  const [{ record, dir }] = history(process.env);
  expect(record).toMatchObject({ command: 'set', state: 'done', files: [{ file }] });
  expect(JSON.stringify(record)).not.toContain(NEW);
  expect(JSON.stringify(record)).not.toContain(OLD);
  for (let d = dir; d !== path.dirname(historyDir(process.env)); d = path.dirname(d)) expect(statSync(d).mode & 0o777).toBe(0o700);
  for (const name of readdirSync(dir)) {
    expect(name).not.toMatch(/SECRET/);
    expect(statSync(path.join(dir, name)).mode & 0o777).toBe(0o600);
  }
  expect(readFileSync(path.join(dir, '0.before'), 'utf8')).toContain(OLD);
});

test(`the history keeps the last ${HISTORY_SIZE} writes`, async () => {
  const file = tmp.file('config', kubeconfig().cw('a', OLD).yaml());
  for (let i = 0; i < HISTORY_SIZE + 3; i++) await applyEdits([setToken(file, `${NEW}${i}`)], { command: 'set' });
  expect(history(process.env)).toHaveLength(HISTORY_SIZE);
});

test('a write whose history cannot be kept still happens, and says it cannot be undone', async () => {
  process.env.XDG_STATE_HOME = tmp.file('not-a-directory', '');
  const file = tmp.file('config', kubeconfig().cw('a', OLD).yaml());
  const warnings: string[] = [];
  await applyEdits([setToken(file)], { warn: (m) => warnings.push(m) });
  expect(readFileSync(file, 'utf8')).toContain(NEW);
  expect(warnings).toEqual([expect.stringContaining('cannot be undone')]);
});
