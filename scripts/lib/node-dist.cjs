// Official Node.js binaries, fetched from the npm registry with npm itself (so its registry, proxy and CA
// settings apply), checked against the pinned integrity, unpacked once and kept in .cache/node/.
const { createHash } = require('node:crypto');
const { execFileSync } = require('node:child_process');
const { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } = require('node:fs');
const path = require('node:path');
const { CACHE } = require('./paths.cjs');
const { NODE_VERSION } = require('./targets.cjs');

const NODE_CACHE = path.join(CACHE, 'node');

/** @param {string} file */
function integrityOf(file) {
  return `sha512-${createHash('sha512').update(readFileSync(file)).digest('base64')}`;
}

/** The package tarball, downloaded unless a copy with the pinned integrity is already cached. */
function packageTarball(/** @type {import('./targets.cjs').Target} */ target) {
  const tarball = path.join(NODE_CACHE, `${target.npmPackage}-${NODE_VERSION}.tgz`);
  if (existsSync(tarball) && integrityOf(tarball) === target.integrity) return tarball;
  mkdirSync(NODE_CACHE, { recursive: true });
  // npm pack verifies against the registry's integrity too; ours catches a registry that changed under us.
  execFileSync('npm', ['pack', `${target.npmPackage}@${NODE_VERSION}`, '--pack-destination', NODE_CACHE, '--silent'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const actual = integrityOf(tarball);
  if (actual !== target.integrity) {
    rmSync(tarball, { force: true });
    throw new Error(
      `${target.npmPackage}@${NODE_VERSION} from the registry has integrity ${actual}, not the pinned ${target.integrity} (scripts/lib/targets.cjs)`,
    );
  }
  return tarball;
}

/**
 * The target's Node binary, ready to inject into: unpacked from its verified tarball and, for linux, stripped
 * of symbols (about 18 MB less; stripping after injection would corrupt the binary). Made in a temporary
 * directory and renamed into place, so an interrupted build never leaves a half-written binary in the cache.
 */
function nodeBinary(/** @type {import('./targets.cjs').Target} */ target) {
  const binary = path.join(NODE_CACHE, `${target.npmPackage}-${NODE_VERSION}`, path.basename(target.nodeInTarball));
  if (existsSync(binary)) return binary;
  const tarball = packageTarball(target);
  const work = mkdtempSync(path.join(NODE_CACHE, '.unpack-'));
  try {
    execFileSync('tar', ['-xzf', tarball, '-C', work, target.nodeInTarball]);
    const unpacked = path.join(work, target.nodeInTarball);
    if (target.strip) strip(target.strip, target.name, unpacked);
    mkdirSync(path.dirname(binary), { recursive: true });
    renameSync(unpacked, binary);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return binary;
}

/** @param {string} tool the target's binutils strip @param {string} targetName @param {string} file */
function strip(tool, targetName, file) {
  try {
    execFileSync(tool, [file], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (e) {
    const missing = /** @type {NodeJS.ErrnoException} */ (e).code === 'ENOENT';
    const triple = tool.replace(/-strip$/, '');
    throw new Error(
      missing
        ? `${tool} is needed to strip the ${targetName} binary: apt-get install binutils-${triple.replace(/_/g, '-')}`
        : `${tool} failed on the ${targetName} Node binary: ${String(/** @type {{stderr?: Buffer}} */ (e).stderr ?? e)}`,
    );
  }
}

module.exports = { nodeBinary, packageTarball, NODE_CACHE };
