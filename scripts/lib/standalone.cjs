// Makes the standalone executable of one target with @yao-pkg/pkg (pkg.cjs): a Node single executable
// application whose main script is the small start-up loader (src/boot/) and whose blob carries the bundle and the
// client-node chunk as assets. Every target is built the same way, without a build-time code cache (V8 accepts one
// only on the platform that made it): each binary makes its own on first run. Results are cached by their inputs in
// .cache/sea/, since a build takes seconds per target.
const { createHash } = require('node:crypto');
const { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } = require('node:fs');
const path = require('node:path');
const { PAYLOAD } = require('./bundle.cjs');
const { CACHE, HOST_BINARY } = require('./paths.cjs');
const { PKG_VERSION, pkgSea } = require('./pkg.cjs');
const { NODE_VERSION } = require('./targets.cjs');

const SEA_CACHE = path.join(CACHE, 'sea');
/** The code signing identifier of the darwin binaries. */
const SIGNING_IDENTIFIER = 'kubectl-cwtoken';

/**
 * @typedef {{main: string, assets: Record<string, string>}} Payload  the SEA main script and its assets (name → file)
 * @param {import('./targets.cjs').Target} target
 * @param {{payload?: Payload, out: string}} options  payload defaults to the files `npm run build` bundled
 * @returns {string} options.out
 */
function buildStandalone(target, { payload = PAYLOAD, out }) {
  const hash = createHash('sha256')
    .update(
      JSON.stringify({
        node: NODE_VERSION,
        pkg: PKG_VERSION,
        target: target.name,
        signer: target.os === 'darwin' ? signerDigest() : '',
        assets: Object.keys(payload.assets),
      }),
    )
    .update(readFileSync(payload.main));
  for (const file of Object.values(payload.assets)) hash.update(readFileSync(file));
  const cached = path.join(SEA_CACHE, `${target.name}-${hash.digest('hex').slice(0, 16)}`);
  if (!existsSync(cached)) build(target, payload, cached);
  // Renamed into place: writing over an executable that a test is running fails with ETXTBSY.
  mkdirSync(path.dirname(out), { recursive: true });
  const partial = `${out}.${process.pid}.partial`;
  copyFileSync(cached, partial);
  chmodSync(partial, 0o755);
  renameSync(partial, out);
  return out;
}

/** @param {import('./targets.cjs').Target} target @param {Payload} payload @param {string} cached */
function build(target, payload, cached) {
  mkdirSync(SEA_CACHE, { recursive: true });
  const work = mkdtempSync(path.join(SEA_CACHE, '.work-'));
  try {
    const executable = pkgSea(target, { ...payload, output: path.join(work, target.binary) });
    // Injection drops the Mach-O signature, and arm64 macOS kills unsigned executables on start.
    if (target.os === 'darwin') writeFileSync(executable, adhocSigner()(readFileSync(executable), SIGNING_IDENTIFIER));
    // Keeps one build per target: older ones are 120 MB each.
    for (const stale of readdirSync(SEA_CACHE)) {
      if (new RegExp(`^${target.name}-[0-9a-f]{16}$`).test(stale)) rmSync(path.join(SEA_CACHE, stale), { force: true });
    }
    renameSync(executable, cached);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const SIGNER = path.join(__dirname, 'macho-sign.cjs');

/** @returns {(binary: Buffer, identifier: string) => Buffer} */
function adhocSigner() {
  if (!existsSync(SIGNER)) {
    throw new Error(
      `${path.relative(process.cwd(), SIGNER)} is missing: darwin binaries must be ad-hoc signed (macOS refuses unsigned ones), so none is built`,
    );
  }
  return require(SIGNER).adhocSign;
}

/** A changed signer must re-sign: its source is part of the darwin cache key. */
function signerDigest() {
  return existsSync(SIGNER) ? createHash('sha256').update(readFileSync(SIGNER)).digest('hex') : 'missing';
}

/** dist/kubectl-cwtoken as `npm run build` made it, for benchmarks. */
function standaloneBinary() {
  if (!existsSync(HOST_BINARY)) throw new Error(`${HOST_BINARY} is missing: run npm run build first`);
  return HOST_BINARY;
}

module.exports = { buildStandalone, standaloneBinary };
