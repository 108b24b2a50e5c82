import { chmodSync, existsSync, lstatSync, readFileSync, readlinkSync, statSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { applyEdits } from '../../src/kubeconfig/edit/apply';
import { kubeconfig } from '../support/builder';
import { useTempDir } from '../support/tmp';

const tmp = useTempDir();
const KEY = 'CW-SECRET-new0000000000';
const setToken = (file: string, user = 'token', token = KEY) => ({
  file,
  edit: (d: import('../../src/kubeconfig/edit/edit').KubeconfigDocument) => d.setField('users', user, 'token', token),
});
const initial = () => kubeconfig().cw('a', 'CW-SECRET-old0000000000').yaml();
const mode = (file: string) => statSync(file).mode & 0o777;

test('applies the edit to the content read after taking the lock, not before', async () => {
  const file = tmp.file('config', initial());
  writeFileSync(`${file}.lock`, '');
  const pending = applyEdits([setToken(file)], { lockTimeoutMs: 5000 });
  // Another writer (holding the lock) adds a user meanwhile, then releases.
  writeFileSync(file, kubeconfig().cw('a', 'CW-SECRET-old0000000000').tokenUser('other', 'CW-SECRET-other').yaml());
  unlinkSync(`${file}.lock`);
  await pending;
  const text = readFileSync(file, 'utf8');
  expect(text).toContain(KEY);
  expect(text).toContain('CW-SECRET-other');
});

test('an edit of a file nobody changes meanwhile runs once, before the lock is taken: no parse with a lock held', async () => {
  const file = tmp.file('config', initial());
  const lockHeldDuringEdit: boolean[] = [];
  const [result] = await applyEdits([
    {
      file,
      edit: (d) => {
        lockHeldDuringEdit.push(existsSync(`${file}.lock`));
        d.setField('users', 'token', 'token', KEY);
        return 'planned';
      },
    },
  ]);
  expect(lockHeldDuringEdit).toEqual([false]);
  expect(result.values).toEqual(['planned']);
  expect(readFileSync(file, 'utf8')).toContain(KEY);
});

test('an edit planned before the lock is planned again under it when the file changed meanwhile, and only that run counts', async () => {
  const file = tmp.file('config', initial());
  writeFileSync(`${file}.lock`, '');
  let runs = 0;
  const pending = applyEdits(
    [
      {
        file,
        edit: (d) => {
          d.setField('users', 'token', 'token', KEY);
          return ++runs;
        },
      },
    ],
    {
      lockTimeoutMs: 5000,
      // Told while we wait for the lock, so after the edit was planned: the holder writes, then lets go.
      onLockWait: () => {
        writeFileSync(file, kubeconfig().cw('a', 'CW-SECRET-old0000000000').tokenUser('other', 'CW-SECRET-other').yaml());
        unlinkSync(`${file}.lock`);
      },
    },
  );
  const [result] = await pending;
  expect(result.values).toEqual([2]);
  expect(readFileSync(file, 'utf8')).toContain('CW-SECRET-other');
});

test('a lock that is never released times out naming the lock file and how to remove it, writing nothing', async () => {
  const file = tmp.file('config', initial());
  writeFileSync(`${file}.lock`, '');
  await expect(applyEdits([setToken(file)], { lockTimeoutMs: 200 })).rejects.toMatchObject({
    kind: 'lock',
    message: expect.stringContaining(`rm '${file}.lock'`),
  });
  expect(readFileSync(file, 'utf8')).toBe(initial());
});

test('releases its lock after writing and after failing', async () => {
  const file = tmp.file('config', initial());
  await applyEdits([setToken(file)]);
  expect(existsSync(`${file}.lock`)).toBe(false);
  await expect(applyEdits([setToken(file, 'nobody')])).rejects.toThrow(/not defined/);
  expect(existsSync(`${file}.lock`)).toBe(false);
});

test('keeps a wider mode and reports it', async () => {
  const file = tmp.file('config', initial(), 0o644);
  const [result] = await applyEdits([setToken(file)]);
  expect(mode(file)).toBe(0o644);
  expect(result).toMatchObject({ changed: true, wideMode: true, mode: 0o644 });
});

test('creates a new file with mode 0600', async () => {
  const file = path.join(tmp.dir, 'new', 'config');
  const [result] = await applyEdits([{ file, edit: (d) => d.addEntry('users', 'u', { token: KEY }) }]);
  expect(mode(file)).toBe(0o600);
  expect(result).toMatchObject({ created: true, wideMode: false });
});

test('writes through a symlink and leaves the link in place', async () => {
  const real = tmp.file('real/config', initial());
  const link = path.join(tmp.dir, 'link');
  symlinkSync(real, link);
  await applyEdits([setToken(link)]);
  expect(lstatSync(link).isSymbolicLink()).toBe(true);
  expect(readlinkSync(link)).toBe(real);
  expect(readFileSync(real, 'utf8')).toContain(KEY);
});

test('refuses a read-only file, even as root', async () => {
  const file = tmp.file('config', initial(), 0o400);
  await expect(applyEdits([setToken(file)])).rejects.toMatchObject({ kind: 'write', message: expect.stringContaining('read-only (mode 0400)') });
  expect(readFileSync(file, 'utf8')).toBe(initial());
});

test('puts back files already written when a later one fails, and says so', async () => {
  const first = tmp.file('a', initial());
  const second = path.join(tmp.dir, 'b');
  symlinkSync(path.join(tmp.dir, 'missing-dir', 'b'), second); // the write through this link cannot succeed
  const error = await applyEdits([setToken(first), { file: second, replace: () => KEY }]).catch((e) => e);
  expect(error).toMatchObject({ kind: 'write', message: expect.stringContaining(`put back "${first}"`) });
  expect(readFileSync(first, 'utf8')).toBe(initial());
});

test('a dry run refuses a read-only file as the real run would', async () => {
  const file = tmp.file('config', initial(), 0o400);
  await expect(applyEdits([setToken(file)], { dryRun: true })).rejects.toMatchObject({ kind: 'write', message: expect.stringContaining('read-only') });
});

test('a dry run writes nothing and reports what would change', async () => {
  const file = tmp.file('config', initial());
  expect(await applyEdits([setToken(file)], { dryRun: true })).toMatchObject([{ file, changed: true }]);
  expect(readFileSync(file, 'utf8')).toBe(initial());
});

test('an edit that changes nothing does not rewrite the file', async () => {
  const file = tmp.file('config', initial(), 0o600);
  chmodSync(file, 0o400); // would be refused if written
  expect(await applyEdits([setToken(file, 'token', 'CW-SECRET-old0000000000')])).toMatchObject([{ changed: false }]);
});

test('each edit hands back what it returned, computed from the content re-read under the lock', async () => {
  const file = tmp.file('config', initial());
  const [result] = await applyEdits<string | undefined>([
    { file, edit: (d) => d.entry('users', 'token')?.token },
    { file, edit: (d) => (d.setField('users', 'token', 'token', KEY), d.entry('users', 'token')?.token) },
  ]);
  expect(result.values).toEqual(['CW-SECRET-old0000000000', KEY]);
});
