// Bundles the CLI into one minified CommonJS file, dist/cwtoken.cjs, and makes dist/kubectl-cwtoken, the
// executable for this machine. ESM-only dependencies (yargs, ora, client-node) are bundled too, so nothing is
// resolved from node_modules at run time.
import { build } from 'esbuild';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
mkdirSync('dist', { recursive: true });

await build({
  entryPoints: ['src/main.ts'],
  outfile: 'dist/cwtoken.cjs',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: true,
  legalComments: 'none',
  define: {
    __CWTOKEN_VERSION__: JSON.stringify(pkg.version),
    // yargs' ESM build reads import.meta.url; in a CJS bundle that is this file's URL.
    'import.meta.url': '__cwtokenImportMetaUrl',
  },
  banner: { js: 'const __cwtokenImportMetaUrl=require("url").pathToFileURL(__filename).href;' },
  logLevel: 'warning',
});

writeFileSync('dist/kubectl-cwtoken', `#!/usr/bin/env node\n${readFileSync('dist/cwtoken.cjs', 'utf8')}`);
chmodSync('dist/kubectl-cwtoken', 0o755);
