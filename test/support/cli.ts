import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { cleanEnv, Run } from './kubectl';

/**
 * The built executable, for the few tests that need a process of its own (exit codes, signals, broken pipes,
 * argv, the standalone binary itself, kubectl running the plugin); the rest run the CLI in-process (run-cli.ts).
 * `npm test` builds it first.
 */
export const BINARY = path.resolve(__dirname, '../../dist/kubectl-cwtoken');

const ROOT = path.resolve(__dirname, '../..');

/** The newest modification time among the files under `roots` (files or directories). */
function newest(roots: string[]): { file: string; mtimeMs: number } {
  let found = { file: '', mtimeMs: -Infinity };
  const visit = (file: string) => {
    const stat = statSync(file);
    if (stat.isDirectory()) for (const name of readdirSync(file)) visit(path.join(file, name));
    else if (stat.mtimeMs > found.mtimeMs) found = { file, mtimeMs: stat.mtimeMs };
  };
  roots.forEach(visit);
  return found;
}

/** Why `executable` cannot be tested as built from `sources`: missing, or older than one of them. */
export function staleness(executable: string, sources: string[]): string | undefined {
  if (!existsSync(executable)) return `${executable} is missing: run \`npm run build\` first`;
  const source = newest(sources);
  if (source.mtimeMs > statSync(executable).mtimeMs) return `${executable} is older than ${path.relative(ROOT, source.file)}: run \`npm run build\` first`;
  return undefined;
}

let fresh = false;

/** The binary's path, once it is known to be built from the current sources. */
export function binary(): string {
  // `npx jest` after an edit must not pass on the old code.
  if (!fresh) {
    const stale = staleness(BINARY, [path.join(ROOT, 'src'), path.join(ROOT, 'package.json')]);
    if (stale) throw new Error(stale);
    fresh = true;
  }
  return BINARY;
}

export function cwtoken(args: string[], options: { env?: Record<string, string | undefined>; input?: string } = {}): Run {
  const result = spawnSync(binary(), args, { encoding: 'utf8', env: cleanEnv(options.env ?? {}), input: options.input, timeout: 60_000 });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}
