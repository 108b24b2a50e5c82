import { lstatSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';

export const CACHE_DIR_NAME = 'kubectl-cwtoken';

/**
 * The per-user cache directory, chosen as Go's os.UserCacheDir chooses it (kubectl's own platform conventions):
 * $XDG_CACHE_HOME or ~/.cache on Linux and other unixes, ~/Library/Caches on macOS, %LocalAppData% on Windows.
 * Undefined when the environment names none (a relative XDG_CACHE_HOME is ignored, as the XDG spec says).
 */
export function userCacheDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string | undefined {
  const absolute = (dir: string | undefined) => (dir && path.isAbsolute(dir) ? dir : undefined);
  if (platform === 'win32') return absolute(env.LOCALAPPDATA);
  const home = absolute(env.HOME);
  if (platform === 'darwin') return home && path.join(home, 'Library', 'Caches');
  return absolute(env.XDG_CACHE_HOME) ?? (home && path.join(home, '.cache'));
}

/**
 * Our directory inside the user cache directory, created 0700 if missing, or undefined when it cannot be ours
 * alone. What it holds is compiled code that we run, so a directory that is a symlink, belongs to someone else or
 * is open to group or others is not used. The user cache directory itself is created only inside an existing
 * parent (a missing HOME stays missing).
 */
export function privateCacheDir(base: string, platform: NodeJS.Platform = process.platform): string | undefined {
  const dir = path.join(base, CACHE_DIR_NAME);
  try {
    mkdirIfMissing(base, 0o700);
    mkdirIfMissing(dir, 0o700);
    const stat = lstatSync(dir);
    if (!stat.isDirectory()) return undefined;
    if (platform !== 'win32' && (stat.uid !== process.getuid?.() || (stat.mode & 0o077) !== 0)) return undefined;
    return dir;
  } catch {
    return undefined;
  }
}

function mkdirIfMissing(dir: string, mode: number): void {
  try {
    mkdirSync(dir, { mode });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
}
