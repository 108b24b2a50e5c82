import { closeSync, existsSync, linkSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, writeSync, constants } from 'node:fs';
import { forget, removeOnSignal, tryUnlink } from './cleanup';
import * as path from 'node:path';
import { byteOrder } from '../text/byte-order';
import { CwError, errno } from '../errors';
import { currentOwner, Owner, ownerGone, parseOwner, progressOf } from './owner';
import { createPrivateTemp, privateTempName, removeLeftoverTemps, tempPrefix as waiterPrefix } from './atomic-write';

/**
 * kubectl's kubeconfig lock (client-go clientcmd `lockFile`): `<file>.lock`, created exclusively next to the file
 * as named in the chain (not the symlink target), removed on unlock. kubectl ignores what the lock holds; ours
 * holds its owner (pid, boot id, start time: owner.ts), written before the lock exists (a private temp file
 * hard-linked into place), so that a lock left by a killed cwtoken is seen to be dead and taken over.
 *
 * kubectl fails at once when the lock exists; we wait while the lock keeps changing hands (many writers queue on
 * one file) or its holder (one of ours) keeps working, with backoff and jitter, and give up only when one holder
 * makes no progress for the whole timeout: a lock left by a killed kubectl (empty) never goes away by itself,
 * hence the error says how to remove it.
 */
export const lockName = (file: string) => `${file}.lock`;
/** Serialises the take-over of a dead holder's lock, so that two waiters never remove a live lock. */
const recoveryName = (lock: string) => `${lock}.recover`;

export interface LockOptions {
  /** How long one holder may keep the lock before we give up. */
  timeoutMs: number;
  /** Called once when a lock is still held after WAIT_NOTICE_MS, so a person knows why nothing happens. */
  onWait?: (lock: string) => void;
}

export const WAIT_NOTICE_MS = 1000;

export const DEFAULT_LOCK_TIMEOUT_MS = 10_000;

/** Locks this process holds (each is also registered for removal on a signal). */
const held = new Set<string>();

const cannotCreate = (lock: string, e: unknown) =>
  new CwError(
    'lock',
    `cannot create lock file "${lock}": ${errno(e) === 'EACCES' || errno(e) === 'EPERM' ? "permission denied; check the directory's owner and mode" : errorText(e)}`,
  );
const errorText = (e: unknown) => errno(e) ?? (e as Error).message;

/** A private file holding the owner record, 0600, created exclusively (never through a planted link). */
function ownerTemp(lock: string, owner: Owner): string {
  let created: { temp: string; fd: number };
  try {
    created = createPrivateTemp(lock);
  } catch (e) {
    throw cannotCreate(lock, e);
  }
  const { temp, fd } = created;
  try {
    writeSync(fd, `${JSON.stringify(owner)}\n`);
  } finally {
    closeSync(fd);
  }
  return temp;
}

/** link(2) fails if the lock exists, like O_EXCL, and the lock appears with its content. */
function tryLink(temp: string, lock: string): boolean {
  // Registered first: a signal arriving once the link exists must remove it.
  removeOnSignal(lock);
  const taken = linkOrCreate(temp, lock);
  if (!taken) forget(lock);
  return taken;
}

function linkOrCreate(temp: string, lock: string): boolean {
  try {
    linkSync(temp, lock);
    return true;
  } catch (e) {
    if (errno(e) === 'EEXIST') return false;
    if (['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EXDEV', 'EMLINK'].includes(errno(e) ?? '')) return tryCreateWithContent(temp, lock);
    throw cannotCreate(lock, e);
  }
}

/** For filesystems without hard links: O_EXCL, then the content (a reader may briefly see it empty). */
function tryCreateWithContent(temp: string, lock: string): boolean {
  let fd: number;
  try {
    fd = openSync(lock, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
  } catch (e) {
    if (errno(e) === 'EEXIST') return false;
    throw cannotCreate(lock, e);
  }
  try {
    writeSync(fd, readFileSync(temp));
  } finally {
    closeSync(fd);
  }
  return true;
}

/** What a waiter knows about the current holder: `key` changes whenever the lock changes hands. */
interface Holder {
  key: string;
  text: string;
  owner?: Owner;
}

function readHolder(lock: string): Holder | undefined {
  try {
    const s = lstatSync(lock, { bigint: true });
    const text = s.isFile() && s.size < 4096n ? readFileSync(lock, 'utf8') : '';
    return { key: `${s.ino}:${s.mtimeNs}:${text}`, text, owner: parseOwner(text) };
  } catch (e) {
    if (errno(e) === 'ENOENT') return undefined;
    throw e;
  }
}

/**
 * Removes a lock whose holder is certainly gone, race-free against other waiters: only the holder of
 * `<lock>.recover` may remove it, and only if it still holds the dead owner's record (the same nonce).
 */
function takeOver(lock: string, dead: Holder, temp: string): void {
  const guard = recoveryName(lock);
  if (!tryLink(temp, guard)) {
    const guardHolder = readHolder(guard);
    // A waiter killed inside the take-over (a few microseconds) leaves the guard: its owner is dead too.
    if (guardHolder?.owner && ownerGone(guardHolder.owner)) removeIfStill(guard, guardHolder);
    return;
  }
  try {
    removeIfStill(lock, dead);
  } finally {
    tryUnlink(guard);
    forget(guard);
  }
}

/** Moves the file aside (atomic), then checks that what was moved is the record seen; puts back anything else. */
function removeIfStill(file: string, seen: Holder): void {
  const aside = path.join(path.dirname(file), privateTempName(file));
  try {
    renameSync(file, aside);
  } catch (e) {
    if (errno(e) === 'ENOENT') return;
    throw e;
  }
  const moved = readFileSync(aside, 'utf8');
  if (moved !== seen.text) {
    try {
      linkSync(aside, file);
    } catch {
      // Someone locked in the meantime: they hold it; the record moved aside is the one to drop.
    }
  }
  tryUnlink(aside);
}

/** How many processes wait for the lock: their owner temps (privateTempName of the lock) sit beside it. */
function waitersOf(lock: string): number {
  try {
    return readdirSync(path.dirname(lock)).filter((n) => n.startsWith(waiterPrefix(lock))).length;
  } catch {
    return 1;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function timeoutError(lock: string, holder: Holder | undefined, timeoutMs: number): CwError {
  const waited = `waited ${+(timeoutMs / 1000).toFixed(1)} s`;
  const owner = holder?.owner;
  if (owner) {
    return new CwError(
      'lock',
      `"${lock}" is held by kubectl-cwtoken (pid ${owner.pid}${owner.host === currentOwner().host ? '' : ` on ${owner.host}`}), still running (${waited}); retry when it is done, or pass --lock-timeout SECONDS`,
    );
  }
  return new CwError(
    'lock',
    `"${lock}" is held by kubectl or another program (${waited}); if none is running it was left by one that crashed: remove it with \`rm '${lock}'\` and retry`,
  );
}

/** Takes the lock of one file; throws CwError('lock') naming the lock file when one holder keeps it too long. */
export async function lock(file: string, options: LockOptions): Promise<void> {
  const name = lockName(file);
  // client-go creates the directory first, so that a lock (and then the file) can be made in a new ~/.kube.
  mkdirSync(path.dirname(name), { recursive: true, mode: 0o755 });
  // Temps of waiters that were killed while waiting: this lock's holder can tell they are dead.
  removeLeftoverTemps(name);
  const temp = ownerTemp(name, currentOwner());
  try {
    let seen: Holder | undefined;
    const started = Date.now();
    let since = started;
    let told = false;
    let ceiling = 2;
    for (;;) {
      if (tryLink(temp, name)) {
        held.add(name);
        return;
      }
      const holder = readHolder(name);
      if (!holder) continue;
      if (holder.owner && ownerGone(holder.owner)) {
        takeOver(name, holder, temp);
        continue;
      }
      // One of ours on this host that is still working is progress too, however long it takes.
      const progress = holder.owner && holder.owner.host === currentOwner().host ? progressOf(holder.owner.pid) : undefined;
      holder.key += `:${progress ?? ''}`;
      if (holder.key !== seen?.key) {
        seen = holder;
        since = Date.now();
      } else if (Date.now() - since >= options.timeoutMs) {
        throw timeoutError(name, holder, options.timeoutMs);
      }
      if (options.timeoutMs === 0) throw timeoutError(name, holder, 0);
      if (!told && options.onWait && Date.now() - started >= WAIT_NOTICE_MS) {
        told = true;
        options.onWait(name);
      }
      // Exponential backoff with jitter, scaled by the queue: each waiter has an owner temp beside the lock, and
      // 200 waiters polling every few milliseconds would starve the holder of CPU. A signal still ends the
      // sleep at once (the event loop wakes for it).
      ceiling = Math.min(ceiling * 2, Math.max(16, waitersOf(name) * 4), 1000);
      await sleep(ceiling * (0.5 + Math.random() / 2));
    }
  } finally {
    tryUnlink(temp);
    forget(temp);
  }
}

export function unlock(file: string): void {
  const name = lockName(file);
  if (!held.delete(name)) return;
  tryUnlink(name);
  forget(name);
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

/**
 * Waits, at most `timeoutMs`, until none of the files' locks exists; says whether any was there. For readers:
 * kubectl rewrites a file in place under its lock, so what a reader saw meanwhile may be part of the file.
 */
export async function waitForUnlocked(files: string[], timeoutMs: number): Promise<boolean> {
  const held = () => files.some((file) => existsSync(lockName(file)));
  if (!held()) return false;
  const deadline = Date.now() + timeoutMs;
  while (held() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  return true;
}
