// Where the build reads and writes, relative to the repository rather than the caller's working directory.
const path = require('node:path');

const ROOT = path.resolve(__dirname, '../..');

module.exports = {
  ROOT,
  DIST: path.join(ROOT, 'dist'),
  /** git-ignored; survives `rm -rf dist` so a rebuild does not download again */
  CACHE: path.join(ROOT, '.cache'),
  BUNDLE: path.join(ROOT, 'dist', 'cwtoken.cjs'),
  /** the standalone executable for this machine, made by `npm run build` */
  HOST_BINARY: path.join(ROOT, 'dist', 'kubectl-cwtoken'),
  LICENSE: path.join(ROOT, 'LICENSE'),
  KREW_MANIFEST: path.join(ROOT, 'krew', 'cwtoken.yaml'),
  PACKAGE_JSON: path.join(ROOT, 'package.json'),
};
