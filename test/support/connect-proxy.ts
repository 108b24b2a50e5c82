import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { createInterface } from 'node:readline';

export interface ConnectProxy {
  /** http://127.0.0.1:<port> */
  url: string;
  /** Every CONNECT target so far (`host:port`), oldest first. */
  readonly connects: string[];
  close(): Promise<void>;
}

/** A loopback CONNECT proxy that sends every host to 127.0.0.1 (see connect-proxy-process.js). */
export async function startConnectProxy(): Promise<ConnectProxy> {
  const dir = mkdtempSync(path.join(tmpdir(), 'cwtoken-proxy-'));
  const log = path.join(dir, 'connects.log');
  const child = spawn(process.execPath, [path.join(__dirname, 'connect-proxy-process.js'), log], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = once(child, 'exit');
  const [port] = (await Promise.race([once(createInterface({ input: child.stdout! }), 'line'), exited])) as [string];
  if (!/^\d+$/.test(String(port))) throw new Error('the test proxy exited before listening');
  return {
    url: `http://127.0.0.1:${port}`,
    get connects() {
      return existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : [];
    },
    close: async () => {
      child.kill();
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
