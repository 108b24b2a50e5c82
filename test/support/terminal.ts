import { spawnSync } from 'node:child_process';
import { cleanEnv } from './kubectl';

/**
 * Runs a shell command in a real pseudo-terminal (util-linux `script`), typing `keys` into it after a moment, as
 * a person would. Returns everything the terminal showed: stdout and stderr are the same terminal there.
 */
export function inTerminal(command: string, options: { keys?: string; env?: Record<string, string> } = {}): string {
  const typing = `sleep 1; printf '%s' '${(options.keys ?? '').replace(/'/g, `'\\''`)}'; sleep 1`;
  return spawnSync('bash', ['-c', `(${typing}) | script -qec "$0" /dev/null`, command], {
    encoding: 'utf8',
    env: cleanEnv({ TERM: 'xterm', ...options.env }),
    timeout: 30_000,
  }).stdout;
}
