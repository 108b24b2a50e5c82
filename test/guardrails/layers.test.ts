/**
 * The layering of src/ is a lint rule: an import from a lower layer of a higher one fails `npm run lint`, and so
 * does ending the process or naming the command line below commands/.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

/**
 * The rules that fire for each source, linted as if it were the file named (relative to the repository): one
 * ESLint process for all rows, as starting typescript-eslint takes seconds. (jest cannot load ESLint's config
 * itself: it imports eslint.config.mjs with a dynamic import.)
 */
function violations(rows: Array<{ file: string; source: string }>): string[][] {
  const script = `
    const { ESLint } = require('eslint');
    const rows = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
    const eslint = new ESLint({ cwd: process.cwd() });
    (async () => {
      const out = [];
      for (const { file, source } of rows) {
        const [result] = await eslint.lintText(source, { filePath: file });
        out.push(result.messages.map((m) => m.ruleId || 'parse-error'));
      }
      process.stdout.write(JSON.stringify(out));
    })();`;
  const run = spawnSync(process.execPath, ['-e', script], { cwd: ROOT, input: JSON.stringify(rows), encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout) as string[][];
}

const ROWS: Array<[string, string, 'fails' | 'passes']> = [
  ['src/files/planted.ts', '../kubeconfig/model', 'fails'],
  ['src/files/planted.ts', '../cli/main', 'fails'],
  ['src/kubeconfig/planted.ts', '../usecases/token/plan', 'fails'],
  ['src/kubeconfig/parse/planted.ts', '../../commands/options', 'fails'],
  ['src/usecases/import/planted.ts', '../../commands/get', 'fails'],
  ['src/commands/planted.ts', '../cli/commands', 'fails'],
  ['src/output/planted.ts', '../files/transaction', 'fails'],
  ['src/secrets/planted.ts', '../output/streams', 'fails'],
  ['src/completion/planted.ts', '../commands/get', 'fails'],
  ['src/errors.ts', './kubeconfig/model', 'fails'],
  ['src/kubeconfig/planted.ts', '../files/transaction', 'passes'],
  ['src/usecases/doctor/planted.ts', '../../kubeconfig/model', 'passes'],
  ['src/commands/planted.ts', '../usecases/token/plan', 'passes'],
  ['src/cli/planted.ts', '../commands/options', 'passes'],
  ['src/completion/planted.ts', '../commands/options', 'passes'],
];

const BOUNDARY_ROWS: Array<[string, string, 'fails' | 'passes']> = [
  ['src/files/planted.ts', 'export const end = () => process.exit(1);', 'fails'],
  ['src/usecases/token/planted.ts', "export const hint = 'run kubectl cwtoken undo';", 'fails'],
  ['src/kubeconfig/planted.ts', 'export const hint = (f: string) => `kubectl cwtoken doctor --kubeconfig ${f}`;', 'fails'],
  ['src/commands/planted.ts', 'export const args = (parsed: object) => parsed as unknown as { list: boolean };', 'fails'],
  ['src/cli/planted.ts', 'export const end = () => process.exit(1);', 'passes'],
  ['src/commands/planted.ts', "export const hint = 'run kubectl cwtoken undo';", 'passes'],
];

const planted = (imported: string) => `export type { Planted } from '${imported}';\n`;
let results: string[][] = [];
let boundary: string[][] = [];
beforeAll(() => {
  const all = violations([
    ...ROWS.map(([file, imported]) => ({ file, source: planted(imported) })),
    ...BOUNDARY_ROWS.map(([file, source]) => ({ file, source: `${source}\n` })),
  ]);
  results = all.slice(0, ROWS.length);
  boundary = all.slice(ROWS.length);
});

test.each(ROWS.map((row, i) => [...row, i] as const))('%s importing %s %s', (_file, _imported, expected, i) => {
  if (expected === 'fails') expect(results[i]).toContain('no-restricted-imports');
  else expect(results[i]).toEqual([]);
});

test.each(BOUNDARY_ROWS.map((row, i) => [...row, i] as const))('%s containing %s %s', (_file, _source, expected, i) => {
  if (expected === 'fails') expect(boundary[i]).toContain('no-restricted-syntax');
  else expect(boundary[i]).toEqual([]);
});
