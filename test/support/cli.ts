import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { cleanEnv, Run } from './kubectl';

/** The built executable: end-to-end tests run exactly what users run. `npm test` builds it first. */
export const BINARY = path.resolve(__dirname, '../../dist/kubectl-cwtoken');

export function cwtoken(args: string[], options: { env?: Record<string, string | undefined>; input?: string } = {}): Run {
  if (!existsSync(BINARY)) throw new Error(`${BINARY} is missing: run \`npm run build\` first`);
  const result = spawnSync(BINARY, args, { encoding: 'utf8', env: cleanEnv(options.env ?? {}), input: options.input, timeout: 60_000 });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}
