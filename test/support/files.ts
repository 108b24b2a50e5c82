import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';

/** Every file under `dir` with its bytes and mode: "byte-identical to before" is equality of two snapshots. */
export function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = path.join(d, name);
      const s = statSync(p);
      if (s.isDirectory()) walk(p);
      else files[path.relative(dir, p)] = `${(s.mode & 0o777).toString(8)} ${readFileSync(p, 'latin1')}`;
    }
  };
  walk(dir);
  return files;
}

/** The secret must not leak into what a person (or a log collector) sees. */
export function expectNoToken(stderr: string, ...tokens: string[]): void {
  for (const token of tokens) expect(stderr).not.toContain(token);
}
