import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { errno } from '../errors';

/**
 * Who holds a lock or runs a write, recorded so that another process can tell, without asking anyone, that the
 * holder is gone: a pid alone is not enough (pids are reused, and a lock can outlive a reboot), so the boot id
 * and the process start time are kept beside it. Nothing in it is secret.
 */
export interface Owner {
  tool: 'kubectl-cwtoken';
  pid: number;
  host: string;
  /** /proc/sys/kernel/random/boot_id, where the kernel has one. */
  boot?: string;
  /** Field 22 of /proc/<pid>/stat (clock ticks since boot): a reused pid has another. */
  start?: string;
  /** Tells two holders of one process apart (two locks, two writes). */
  nonce: string;
}

function readOrUndefined(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

const bootId = (() => {
  let cached: string | null | undefined;
  return () => (cached === undefined ? (cached = readOrUndefined('/proc/sys/kernel/random/boot_id')?.trim() ?? null) : cached) ?? undefined;
})();

/** The start time of a process, or undefined where /proc does not say (not Linux, or the process is gone). */
export function startTime(pid: number): string | undefined {
  const stat = readOrUndefined(`/proc/${pid}/stat`);
  // The command name (field 2) may hold spaces and parentheses: count fields from the last ')'.
  return stat?.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
}

/**
 * Changes while a process works: its CPU time grows, or it is runnable or in disk wait. On a machine with 200
 * writers starting at once the holder of a lock may wait seconds for the CPU: that is progress, not a hang.
 * Undefined where /proc does not say.
 */
export function progressOf(pid: number): string | undefined {
  const stat = readOrUndefined(`/proc/${pid}/stat`);
  if (!stat) return undefined;
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const [state, utime, stime] = [fields[0], fields[11], fields[12]];
  return state === 'R' || state === 'D' ? `${state}:${performance.now()}` : `${state}:${utime}:${stime}`;
}

let self: Omit<Owner, 'nonce'> | undefined;

/** This process, with a fresh nonce. */
export function currentOwner(): Owner {
  self ??= { tool: 'kubectl-cwtoken', pid: process.pid, host: hostname(), boot: bootId(), start: startTime(process.pid) };
  return { ...self, nonce: randomBytes(8).toString('hex') };
}

export function parseOwner(text: string): Owner | undefined {
  try {
    const o = JSON.parse(text) as Partial<Owner>;
    return o?.tool === 'kubectl-cwtoken' && Number.isInteger(o.pid) && typeof o.nonce === 'string' && typeof o.host === 'string' ? (o as Owner) : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a process with this pid exists (EPERM: it exists, and is someone else's). */
export function pidRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return errno(e) === 'EPERM';
  }
}

/**
 * False only when the owner is certainly gone: another boot, or no process with its pid and start time on this
 * host. A record from another host (a shared home directory) or without a way to tell is never declared dead.
 */
export function ownerGone(owner: Owner): boolean {
  if (owner.host !== hostname()) return false;
  const boot = bootId();
  if (owner.boot && boot && owner.boot !== boot) return true;
  if (!pidRunning(owner.pid)) return true;
  if (owner.start === undefined) return false;
  const now = startTime(owner.pid);
  return now !== undefined && now !== owner.start;
}
