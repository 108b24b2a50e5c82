import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { applyEdits } from '../../src/kubeconfig/edit/apply';
import { currentOwner, parseOwner, startTime } from '../../src/files/owner';
import type { KubeconfigDocument } from '../../src/kubeconfig/edit/edit';
import { kubeconfig } from '../support/builder';
import { useTempDir } from '../support/tmp';

const tmp = useTempDir();
const NEW = 'CW-SECRET-lock-new-000000000000';
const setToken = (file: string) => ({ file, edit: (d: KubeconfigDocument) => d.setField('users', 'token', 'token', NEW) });
const config = () => tmp.file('config', kubeconfig().cw('a', 'CW-SECRET-lock-old-00000000000').yaml());

/** The pid of a process that has exited: a lock it held is certainly stale. */
const deadPid = () => spawnSync('true').pid!;
const lockOf = (owner: object) => `${JSON.stringify({ ...currentOwner(), ...owner })}\n`;

test('our lock file names its holder: pid, boot id and start time (kubectl ignores the content)', async () => {
  const file = config();
  let seen: string | undefined;
  await applyEdits([{ file, edit: (d) => ((seen = readFileSync(`${file}.lock`, 'utf8')), setToken(file).edit(d)) }]);
  const owner = parseOwner(seen!);
  expect(owner).toMatchObject({ pid: process.pid, host: hostname(), start: startTime(process.pid) });
  expect(owner?.boot).toBe(readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim());
  expect(existsSync(`${file}.lock`)).toBe(false);
});

test('a lock left by a killed cwtoken (its pid is gone) is taken over at once', async () => {
  const file = config();
  writeFileSync(`${file}.lock`, lockOf({ pid: deadPid() }));
  await applyEdits([setToken(file)], { lockTimeoutMs: 0 });
  expect(readFileSync(file, 'utf8')).toContain(NEW);
  expect(existsSync(`${file}.lock`)).toBe(false);
});

test('a lock whose pid was reused by another process (other start time) or left before a reboot is taken over', async () => {
  for (const stale of [{ start: '1' }, { boot: '00000000-0000-0000-0000-000000000000' }]) {
    const file = config();
    writeFileSync(`${file}.lock`, lockOf(stale));
    await applyEdits([setToken(file)], { lockTimeoutMs: 0 });
    expect(existsSync(`${file}.lock`)).toBe(false);
  }
});

test('a lock of a running cwtoken that makes no progress, or of another host, is waited for and never taken over', async () => {
  const sleeper = spawn('sleep', ['30']);
  await new Promise((resolve) => sleeper.on('spawn', resolve));
  const stuck = { pid: sleeper.pid!, start: startTime(sleeper.pid!) };
  for (const live of [stuck, { pid: deadPid(), host: 'other-host.example' }]) {
    const file = config();
    const record = lockOf(live);
    writeFileSync(`${file}.lock`, record);
    await expect(applyEdits([setToken(file)], { lockTimeoutMs: 150 })).rejects.toMatchObject({
      kind: 'lock',
      message: expect.stringContaining('held by kubectl-cwtoken (pid'),
    });
    expect(readFileSync(`${file}.lock`, 'utf8')).toBe(record);
    unlinkSync(`${file}.lock`);
  }
  sleeper.kill();
});

test("kubectl's empty lock is waited for, then reported with how to remove it", async () => {
  const file = config();
  writeFileSync(`${file}.lock`, '');
  await expect(applyEdits([setToken(file)], { lockTimeoutMs: 150 })).rejects.toMatchObject({
    kind: 'lock',
    message: expect.stringContaining(`rm '${file}.lock'`),
  });
  expect(existsSync(`${file}.lock`)).toBe(true);
});

test('the timeout runs per holder: a lock that keeps changing hands is waited for longer than the timeout', async () => {
  const file = config();
  writeFileSync(`${file}.lock`, '1');
  // Another writer after another takes the lock for 60 ms each, for 600 ms in all, well past the 200 ms timeout.
  const handOver = setInterval(() => writeFileSync(`${file}.lock`, String(Math.random())), 60);
  setTimeout(() => (clearInterval(handOver), unlinkSync(`${file}.lock`)), 600);
  await applyEdits([setToken(file)], { lockTimeoutMs: 200 });
  expect(readFileSync(file, 'utf8')).toContain(NEW);
});
