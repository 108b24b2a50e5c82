import { Readable } from 'node:stream';
import { main } from '../../src/cli/main';
import { commandStreams, Streams } from '../../src/output/streams';
import { cleanEnv, Run } from './kubectl';

export interface RunOptions {
  /** Added to a clean environment (PATH, and HOME pointing nowhere), as for the binary. */
  env?: Record<string, string | undefined>;
  /** What the CLI reads on stdin; empty by default, as a closed pipe. */
  stdin?: string;
  /** The working directory relative paths resolve against; the test process's by default. */
  cwd?: string;
  /** The width of the terminal stdout pretends to be, for help's wrapping. */
  columns?: number;
}

/** What a command is handed when it is called directly and its output does not matter: no terminal, no colour. */
export const silentStreams = (env: NodeJS.ProcessEnv, cwd: string): Streams =>
  commandStreams({
    streams: { out: () => undefined, err: () => undefined, interactive: false, color: false, outColor: false },
    env,
    cwd,
    stdin: process.stdin,
  });

/**
 * Runs the CLI in the jest process, exactly as the binary's entry point does but with this boundary: stdout and
 * stderr captured, no terminal (so no colour and no spinner). Coverage sees everything it runs.
 */
export async function runCli(argv: string[], options: RunOptions = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const streams = {
    out: (text: string) => void (stdout += text),
    err: (text: string) => void (stderr += text),
    interactive: false,
    color: false,
    outColor: false,
    columns: options.columns,
  };
  const stdin = Readable.from(options.stdin === undefined ? [] : [Buffer.from(options.stdin)]);
  const code = await main(argv, { streams, env: cleanEnv(options.env ?? {}), stdin, cwd: options.cwd ?? process.cwd() });
  return { code, stdout, stderr };
}
