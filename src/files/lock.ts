import { closeSync, mkdirSync, openSync, unlinkSync } from 'node:fs';
import * as path from 'node:path';
import { byteOrder } from '../text/byte-order';
import { CwError } from '../errors';

/**
 * kubectl's kubeconfig lock (client-go clientcmd `lockFile`): `<file>.lock`, created with O_CREAT|O_EXCL next to
 * the file as named in the chain (not the symlink target), removed on unlock. kubectl fails at once when the
 * lock exists; we wait and retry until a deadline, because the holder is usually a writer that is about to
 * finish. A lock left by a crashed writer never goes away by itself, hence the error says how to remove it.
 */
export const lockName = (file: string) => `${file}.lock`;

export interface LockOptions {
  /** How long to wait for a held lock before giving up. */
  timeoutMs: number;
  /** Called once when a lock is still held after WAIT_NOTICE_MS, so a person knows why nothing happens. */
  onWait?: (lock: string) => void;
}

export const WAIT_NOTICE_MS = 1000;

export const DEFAULT_LOCK_TIMEOUT_MS = 10_000;

/** Locks this process holds, so that an interrupt (Ctrl-C) does not leave them behind. */
const held = new Set<string>();

/** The signals that end us with locks to remove, and their numbers for the exit code (128 + n). */
const SIGNAL_NUMBERS = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 } as const;
const HANDLED = Object.keys(SIGNAL_NUMBERS) as Array<keyof typeof SIGNAL_NUMBERS>;

function removeHeldAndExit(signal: NodeJS.Signals): void {
  for (const lock of held) tryUnlink(lock);
  held.clear();
  process.exit(128 + SIGNAL_NUMBERS[signal as keyof typeof SIGNAL_NUMBERS]);
}

function tryUnlink(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // Already gone: nothing to release.
  }
}

function tryCreate(lock: string): boolean {
  try {
    closeSync(openSync(lock, 'wx', 0o600));
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    throw new CwError('lock', `cannot create lock file "${lock}": ${code === 'EACCES' || code === 'EPERM' ? 'permission denied; check the directory\'s owner and mode' : (e as Error).message}`);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Takes the lock of one file, waiting up to the timeout; throws CwError('lock') naming the lock file. */
export async function lock(file: string, options: LockOptions): Promise<void> {
  const name = lockName(file);
  // client-go creates the directory first, so that a lock (and then the file) can be made in a new ~/.kube.
  mkdirSync(path.dirname(name), { recursive: true, mode: 0o755 });
  const started = Date.now();
  const deadline = started + options.timeoutMs;
  let delay = 5;
  let told = false;
  while (!tryCreate(name)) {
    if (!told && options.onWait && Date.now() - started >= WAIT_NOTICE_MS) {
      told = true;
      options.onWait(name);
    }
    if (Date.now() >= deadline) {
      throw new CwError(
        'lock',
        `"${name}" is held by another kubectl or cwtoken (waited ${+(options.timeoutMs / 1000).toFixed(1)} s); if none is running it was left by one that crashed: remove it with \`rm '${name}'\` and retry`,
      );
    }
    // Jitter keeps many waiting writers from retrying in lockstep.
    await sleep(delay + Math.random() * delay);
    delay = Math.min(delay * 2, 100);
  }
  if (held.size === 0) {
    // A closed terminal or dropped ssh session sends SIGHUP: our locks must not outlive us then either.
    for (const signal of HANDLED) process.on(signal, removeHeldAndExit);
  }
  held.add(name);
}

export function unlock(file: string): void {
  const name = lockName(file);
  if (!held.delete(name)) return;
  tryUnlink(name);
  if (held.size === 0) {
    for (const signal of HANDLED) process.off(signal, removeHeldAndExit);
  }
}

/**
 * Locks every file in byte order, the order client-go's ModifyConfig locks in (it takes every file of the chain;
 * we take only those we write, a subset in the same order, so the two cannot deadlock), runs `body`,
 * and always releases what it took.
 */
export async function withLocks<T>(files: string[], options: LockOptions, body: () => Promise<T> | T): Promise<T> {
  const sorted = [...new Set(files)].sort(byteOrder);
  const taken: string[] = [];
  try {
    for (const file of sorted) {
      await lock(file, options);
      taken.push(file);
    }
    return await body();
  } finally {
    for (const file of taken.reverse()) unlock(file);
  }
}
