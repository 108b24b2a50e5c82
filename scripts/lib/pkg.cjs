// Runs @yao-pkg/pkg offline. pkg needs Node >= 22, so it runs on the pinned Node 22 binary for this machine, with
// a private HOME under .cache/pkg/: pkg looks for its Node binaries in `$HOME/.pkg-cache/sea/` and downloads from
// nodejs.org whatever lacks an `.ok` sentinel beside it. That cache is seeded here with the binaries node-dist.cjs
// fetched from the npm registry and checked against the pinned sha512 (linux ones already stripped), so pkg never
// downloads and the sentinels always describe checked files.
const { execFileSync } = require('node:child_process');
const { existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } = require('node:fs');
const path = require('node:path');
const { nodeBinary, packageTarball } = require('./node-dist.cjs');
const { CACHE } = require('./paths.cjs');
const { NODE_VERSION, hostTarget } = require('./targets.cjs');

const PKG_HOME = path.join(CACHE, 'pkg', 'home');
const PKG_SEA_CACHE = path.join(PKG_HOME, '.pkg-cache', 'sea');
const DRIVER = path.join(__dirname, 'pkg-sea.cjs');
const PKG_VERSION = require('@yao-pkg/pkg/package.json').version;

/** pkg's target name, e.g. node22.23.2-macos-arm64: a full version, so pkg asks nodejs.org for no version list. */
function pkgTargetName(/** @type {import('./targets.cjs').Target} */ target) {
  return `node${NODE_VERSION}-${target.pkgPlatform}-${target.nodeArch}`;
}

/**
 * Where pkg's getNodejsExecutable() looks (lib-es5/sea.js): the nodejs.org archive
 * `node-v<version>-<os>-<arch>.{tar.gz,zip}` (os `darwin` for macos) with `<archive>.ok`, and the binary it would
 * extract, `<archive name>/bin/node` or `<archive name>.exe` for windows, with `<binary>.ok`. With both sentinels
 * present pkg reads neither archive: ours is the npm tarball the binary came from, kept only so that the layout
 * is pkg's own.
 */
function seedPkgCache(/** @type {import('./targets.cjs').Target} */ target) {
  const os = { linux: 'linux', macos: 'darwin', win: 'win' }[target.pkgPlatform];
  const stem = `node-v${NODE_VERSION}-${os}-${target.nodeArch}`;
  const archive = path.join(PKG_SEA_CACHE, `${stem}.${os === 'win' ? 'zip' : 'tar.gz'}`);
  const binary = os === 'win' ? path.join(PKG_SEA_CACHE, `${stem}.exe`) : path.join(PKG_SEA_CACHE, stem, 'bin', 'node');
  const source = nodeBinary(target);
  link(packageTarball(target), archive);
  link(source, binary);
}

/** A symlink and its `.ok` sentinel, replacing whatever was there (a stale link, or a download of pkg's own). */
function link(/** @type {string} */ target, /** @type {string} */ at) {
  mkdirSync(path.dirname(at), { recursive: true });
  rmSync(`${at}.ok`, { force: true });
  rmSync(at, { force: true });
  symlinkSync(target, at);
  writeFileSync(`${at}.ok`, '');
}

/**
 * Builds one SEA executable with pkg: `main` as the SEA's main script, `assets` (name → file) in its blob.
 * @param {import('./targets.cjs').Target} target
 * @param {{main: string, assets: Record<string, string>, output: string}} job
 */
function pkgSea(target, { main, assets, output }) {
  seedPkgCache(target);
  // A cross build has no host-target binary to make the blob: pkg then uses the Node it runs on, the same version.
  const node = nodeBinary(hostTarget());
  const job = JSON.stringify({ main, assets, output, target: { nodeRange: `node${NODE_VERSION}`, platform: target.pkgPlatform, arch: target.nodeArch } });
  try {
    execFileSync(node, [DRIVER, job], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH, HOME: PKG_HOME, TMPDIR: path.join(CACHE, 'pkg'), NODE_OPTIONS: '' },
    });
  } catch (e) {
    const { stdout = '', stderr = '' } = /** @type {{stdout?: Buffer, stderr?: Buffer}} */ (e);
    throw new Error(`pkg ${pkgTargetName(target)} failed:\n${stdout}${stderr}`);
  }
  if (!existsSync(output)) throw new Error(`pkg ${pkgTargetName(target)} wrote no ${output}`);
  return output;
}

module.exports = { pkgSea, PKG_VERSION };
