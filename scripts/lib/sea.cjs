// Makes a standalone executable for one target: a Node single executable application (SEA). The bundle
// becomes a SEA blob, made by the host's copy of the pinned Node version (a blob made by another version
// crashes or prints nothing), and postject injects the blob into a copy of the target's official Node binary.
// Results are cached by their inputs in .cache/sea/, since injection takes seconds per target.
const { createHash } = require('node:crypto');
const { execFileSync } = require('node:child_process');
const { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } = require('node:fs');
const path = require('node:path');
const { nodeBinary } = require('./node-dist.cjs');
const { BUNDLE, CACHE, HOST_BINARY } = require('./paths.cjs');
const { NODE_VERSION, hostTarget } = require('./targets.cjs');

const SEA_CACHE = path.join(CACHE, 'sea');
// Fixed by Node: the resource name and the fuse its SEA loader looks for.
const SEA_RESOURCE = 'NODE_SEA_BLOB';
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';
const POSTJECT_CLI = require.resolve('postject/dist/cli.js');
/** The code signing identifier of the darwin binaries. */
const SIGNING_IDENTIFIER = 'kubectl-cwtoken';

/**
 * @typedef {object} StandaloneOptions
 * @property {string} bundle      the CJS bundle to embed
 * @property {string} out         where to write the executable
 * @property {boolean} [codeCache] embed V8's code cache: defaults to on for the host target only, because the
 *   cache is only accepted by the platform that made it (elsewhere Node warns "Code cache data rejected")
 */

/** @param {import('./targets.cjs').Target} target @param {StandaloneOptions} options @returns {string} options.out */
function buildStandalone(target, { bundle, out, codeCache = target === hostTarget() }) {
  const script = readFileSync(bundle);
  const key = createHash('sha256')
    .update(JSON.stringify({ node: NODE_VERSION, target: target.name, codeCache, signer: target.os === 'darwin' ? signerDigest() : '' }))
    .update(script)
    .digest('hex')
    .slice(0, 16);
  const variant = `${target.name}${codeCache ? '' : '-nocache'}`;
  const cached = path.join(SEA_CACHE, `${variant}-${key}`);
  if (!existsSync(cached)) inject(target, script, codeCache, cached);
  // Renamed into place: writing over an executable that a test is running fails with ETXTBSY.
  mkdirSync(path.dirname(out), { recursive: true });
  const partial = `${out}.${process.pid}.partial`;
  copyFileSync(cached, partial);
  chmodSync(partial, 0o755);
  renameSync(partial, out);
  return out;
}

/** @param {import('./targets.cjs').Target} target @param {Buffer} script @param {boolean} codeCache @param {string} cached */
function inject(target, script, codeCache, cached) {
  mkdirSync(SEA_CACHE, { recursive: true });
  const work = mkdtempSync(path.join(SEA_CACHE, '.work-'));
  try {
    writeFileSync(path.join(work, 'main.cjs'), script);
    writeFileSync(path.join(work, 'sea-config.json'), JSON.stringify({
      main: 'main.cjs',
      output: 'sea.blob',
      disableExperimentalSEAWarning: true,
      useCodeCache: codeCache,
    }));
    run(nodeBinary(hostTarget()), ['--experimental-sea-config', 'sea-config.json'], work);

    const executable = path.join(work, 'executable');
    copyFileSync(nodeBinary(target), executable);
    chmodSync(executable, 0o755);
    run(process.execPath, [
      POSTJECT_CLI, executable, SEA_RESOURCE, 'sea.blob', '--sentinel-fuse', SEA_FUSE,
      ...(target.os === 'darwin' ? ['--macho-segment-name', 'NODE_SEA'] : []),
    ], work);
    // Injection drops the Mach-O signature, and arm64 macOS kills unsigned executables on start.
    if (target.os === 'darwin') writeFileSync(executable, adhocSigner()(readFileSync(executable), SIGNING_IDENTIFIER));

    // Keeps one build per target and variant: older ones are 120 MB each.
    const variant = path.basename(cached).replace(/-[0-9a-f]{16}$/, '');
    for (const stale of readdirSync(SEA_CACHE)) {
      if (new RegExp(`^${variant}-[0-9a-f]{16}$`).test(stale)) rmSync(path.join(SEA_CACHE, stale), { force: true });
    }
    renameSync(executable, cached);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Runs a build tool quietly: its output (postject prints LIEF warnings on stripped ELF files) only on failure. */
function run(/** @type {string} */ file, /** @type {string[]} */ args, /** @type {string} */ cwd) {
  try {
    execFileSync(file, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: '' } });
  } catch (e) {
    const { stdout = '', stderr = '' } = /** @type {{stdout?: Buffer, stderr?: Buffer}} */ (e);
    throw new Error(`${path.basename(file)} ${args.join(' ')} failed:\n${stdout}${stderr}`);
  }
}

const SIGNER = path.join(__dirname, 'macho-sign.cjs');

/** @returns {(binary: Buffer, identifier: string) => Buffer} */
function adhocSigner() {
  if (!existsSync(SIGNER)) {
    throw new Error(`${path.relative(process.cwd(), SIGNER)} is missing: darwin binaries must be ad-hoc signed (macOS refuses unsigned ones), so none is built`);
  }
  return require(SIGNER).adhocSign;
}

/** A changed signer must re-sign: its source is part of the darwin cache key. */
function signerDigest() {
  return existsSync(SIGNER) ? createHash('sha256').update(readFileSync(SIGNER)).digest('hex') : 'missing';
}

/**
 * The standalone executable for this machine, for benchmarks: dist/kubectl-cwtoken as `npm run build` made it,
 * or with `codeCache: false` the same bundle built without V8's code cache (into .cache/sea/, seconds if cold).
 * @param {{codeCache?: boolean}} [options]
 */
function standaloneBinary({ codeCache = true } = {}) {
  if (!existsSync(BUNDLE) || !existsSync(HOST_BINARY)) throw new Error(`${HOST_BINARY} is missing: run npm run build first`);
  if (codeCache) return HOST_BINARY;
  return buildStandalone(hostTarget(), { bundle: BUNDLE, out: path.join(SEA_CACHE, 'bench', 'kubectl-cwtoken-nocache'), codeCache: false });
}

module.exports = { buildStandalone, standaloneBinary };
