import * as path from 'node:path';
import { buildSync } from 'esbuild';

/**
 * jest runs tests as CommonJS and cannot load the ESM-only @kubernetes/client-node. Tests that reach it mock
 * src/auth/client-node with this CommonJS bundle of that same module, built as the release bundle builds it:
 *
 *   let mockClientNode = '';
 *   jest.mock('../../src/auth/client-node', () => require(mockClientNode));
 *   beforeAll(() => { mockClientNode = bundleClientNode(dir); });
 *
 * Returns the bundle's path inside `outDir`.
 */
export function bundleClientNode(outDir: string): string {
  const outfile = path.join(outDir, 'client-node.cjs');
  buildSync({
    entryPoints: [path.resolve(__dirname, '../../src/auth/client-node.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'warning',
  });
  return outfile;
}
