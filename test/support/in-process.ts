import { main } from '../../src/cli/main';
import type { Run } from './kubectl';

/**
 * Runs the CLI in this process with captured streams: for what never reaches yargs (help, version, usage errors,
 * the fast-path commands), which jest cannot load (yargs is ESM-only). Everything else runs the binary (cli.ts).
 */
export async function runInProcess(argv: string[], options: { columns?: number } = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    out: (text) => void (stdout += text),
    err: (text) => void (stderr += text),
    interactive: false,
    color: false,
    outColor: false,
    columns: options.columns,
  });
  return { code, stdout, stderr };
}
