// Bundles the CLI into minified CommonJS chunks in dist/: cwtoken.cjs (the CLI; `node dist/cwtoken.cjs` is the dev
// loop and what in-process tooling runs), client-node.cjs (@kubernetes/client-node and its fetch stack, required by
// src/auth/load-client-node.ts only for network work, so no other command reads or compiles its ~930 KB), and
// sea-main.cjs (src/boot/: the standalone executable's main script, which runs the two others from the SEA blob
// with a code cache). ESM-only dependencies (yargs, ora, client-node) are bundled too, so nothing is resolved from
// node_modules at run time (a SEA's require() only sees Node's built-in modules).
const { build } = require('esbuild');
const { createHash } = require('node:crypto');
const { mkdirSync, readFileSync } = require('node:fs');
const path = require('node:path');
const { BUNDLE, DIST, PACKAGE_JSON, ROOT } = require('./paths.cjs');

const CLIENT_NODE_CHUNK = path.join(DIST, 'client-node.cjs');
const SEA_MAIN = path.join(DIST, 'sea-main.cjs');
/** What the standalone executable is made of: its main script, and the chunks it loads as SEA assets. */
const PAYLOAD = { main: SEA_MAIN, assets: { 'cwtoken.cjs': BUNDLE, 'client-node.cjs': CLIENT_NODE_CHUNK } };

/** @returns {string} package.json's version, compiled into the bundle for `--version` */
function packageVersion() {
  return JSON.parse(readFileSync(PACKAGE_JSON, 'utf8')).version;
}

/** @type {import('esbuild').BuildOptions} */
const COMMON = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  // format cjs makes esbuild reject top-level await, which a SEA main script cannot have.
  format: 'cjs',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
};

/** yargs' ESM build reads import.meta.url; in a CJS chunk that is the chunk file's URL (in the SEA, the executable's). */
const IMPORT_META_URL = {
  define: { 'import.meta.url': '__cwtokenImportMetaUrl' },
  banner: { js: 'const __cwtokenImportMetaUrl=require("url").pathToFileURL(__filename).href;' },
};

/** `import('./client-node')` in load-client-node.ts becomes `require('./client-node.cjs')`: the chunk beside the bundle. */
const clientNodeAsChunk = {
  name: 'client-node-chunk',
  setup(/** @type {import('esbuild').PluginBuild} */ b) {
    b.onResolve({ filter: /^\.\/client-node$/ }, (args) =>
      path.basename(args.importer) === 'load-client-node.ts' ? { path: `./${path.basename(CLIENT_NODE_CHUNK)}`, external: true } : undefined,
    );
  },
};

async function bundle() {
  mkdirSync(DIST, { recursive: true });
  const define = { __CWTOKEN_VERSION__: JSON.stringify(packageVersion()) };
  await Promise.all([
    build({ ...COMMON, ...IMPORT_META_URL, entryPoints: [path.join(ROOT, 'src/auth/client-node.ts')], outfile: CLIENT_NODE_CHUNK }),
    build({
      ...COMMON,
      ...IMPORT_META_URL,
      entryPoints: [path.join(ROOT, 'src/main.ts')],
      outfile: BUNDLE,
      define: { ...define, ...IMPORT_META_URL.define },
      plugins: [clientNodeAsChunk],
      // the external chunk is loaded with require(), which the SEA main script can hand its own loader to
      supported: { 'dynamic-import': false },
    }),
  ]);
  const chunks = Object.fromEntries(
    Object.entries(PAYLOAD.assets).map(([name, file]) => [name, createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, 16)]),
  );
  await build({
    ...COMMON,
    entryPoints: [path.join(ROOT, 'src/boot/sea-main.ts')],
    outfile: SEA_MAIN,
    define: { ...define, __CWTOKEN_CHUNKS__: JSON.stringify(chunks) },
  });
  return PAYLOAD;
}

module.exports = { bundle, packageVersion, PAYLOAD };
