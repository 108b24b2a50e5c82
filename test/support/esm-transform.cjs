// @ts-check
/**
 * jest runs tests as CommonJS; yargs 18, ora 9 and @kubernetes/client-node are ESM-only. This transform turns an
 * ES module from node_modules into CommonJS with esbuild (already the build's bundler), as the release bundle
 * does; CommonJS files pass through unchanged. `import.meta.url` is the file's own URL, as in the bundle.
 */
const { transformSync } = require('esbuild');
const { readFileSync } = require('node:fs');
const path = require('node:path');

/** @type {Map<string, boolean>} package directory → "type": "module" */
const moduleTypes = new Map();

/** @param {string} file */
function isEsm(file) {
  if (file.endsWith('.mjs')) return true;
  if (file.endsWith('.cjs')) return false;
  for (let dir = path.dirname(file); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const known = moduleTypes.get(dir);
    if (known !== undefined) return known;
    let text;
    try {
      text = readFileSync(path.join(dir, 'package.json'), 'utf8');
    } catch {
      continue;
    }
    const esm = JSON.parse(text).type === 'module';
    moduleTypes.set(dir, esm);
    return esm;
  }
  return false;
}

module.exports = {
  /** @param {string} source @param {string} file */
  process(source, file) {
    if (!isEsm(file)) return { code: source };
    const { code, map } = transformSync(source, {
      loader: 'js',
      format: 'cjs',
      target: 'node20',
      // Named .js, not .mjs: esbuild would treat an .mjs importer as Node does CommonJS, handing it a converted
      // module's whole exports object as its default export instead of its `default`.
      sourcefile: file.replace(/\.mjs$/, '.js'),
      sourcemap: 'inline',
      define: { 'import.meta.url': '__importMetaUrl' },
      // A function scope of its own: ES modules may declare their own `__dirname`, which jest's wrapper passes in.
      banner: '(() => { "use strict"; const __importMetaUrl = require("node:url").pathToFileURL(__filename).href;',
      footer: '})();',
      logLevel: 'silent',
    });
    return { code, map };
  },
  /** @param {string} source @param {string} file */
  getCacheKey(source, file) {
    return `esm-transform-3:${file}:${require('node:crypto').createHash('sha1').update(source).digest('hex')}`;
  },
};
