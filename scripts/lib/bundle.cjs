// Bundles the CLI into one minified CommonJS file, dist/cwtoken.cjs: the script a Node SEA runs, and what the
// dev loop and tests run with plain node. ESM-only dependencies (yargs, ora, client-node) are bundled too, so
// nothing is resolved from node_modules at run time (a SEA's require() only sees Node's built-in modules).
const { build } = require('esbuild');
const { mkdirSync, readFileSync } = require('node:fs');
const path = require('node:path');
const { BUNDLE, PACKAGE_JSON, ROOT } = require('./paths.cjs');

/** @returns {string} package.json's version, compiled into the bundle for `--version` */
function packageVersion() {
  return JSON.parse(readFileSync(PACKAGE_JSON, 'utf8')).version;
}

async function bundle() {
  mkdirSync(path.dirname(BUNDLE), { recursive: true });
  // format cjs makes esbuild reject top-level await, which a SEA main script cannot have.
  await build({
    entryPoints: [path.join(ROOT, 'src/main.ts')],
    outfile: BUNDLE,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify: true,
    legalComments: 'none',
    define: {
      __CWTOKEN_VERSION__: JSON.stringify(packageVersion()),
      // yargs' ESM build reads import.meta.url; in a CJS bundle that is this file's URL (in a SEA, the
      // executable's: Node sets __filename to process.execPath there).
      'import.meta.url': '__cwtokenImportMetaUrl',
    },
    banner: { js: 'const __cwtokenImportMetaUrl=require("url").pathToFileURL(__filename).href;' },
    logLevel: 'warning',
  });
  return BUNDLE;
}

module.exports = { bundle, packageVersion };
