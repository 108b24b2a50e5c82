// `npm run release`: for every target a standalone executable, its archive in dist/ (binary and LICENSE at
// the root), dist/sha256sums.txt, and with --krew-manifest krew/cwtoken.yaml regenerated from those sums.
// Every target is attempted; if any fails, no sums or manifest are written, so a partial release cannot be published.
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { SUMS, writeKrewManifest } from './krew-manifest.mjs';

const require = createRequire(import.meta.url);
require('./lib/release-tools.cjs').exitUnlessReleaseTools();
const { makeArchive } = require('./lib/archive.cjs');
const { bundle, packageVersion } = require('./lib/bundle.cjs');
const { formatSums } = require('./lib/checksums.cjs');
const { DIST, LICENSE } = require('./lib/paths.cjs');
const { buildStandalone } = require('./lib/standalone.cjs');
const { TARGETS, hostTarget } = require('./lib/targets.cjs');

const version = packageVersion();
const payload = await bundle();
rmSync(SUMS, { force: true });

const archives = [];
const failures = [];
for (const target of TARGETS) {
  const started = Date.now();
  try {
    const executable = buildStandalone(target, { payload, out: path.join(DIST, 'release', target.name, target.binary) });
    if (target === hostTarget()) checkRuns(executable);
    const { file, sha256 } = makeArchive(target, { executable, license: LICENSE, outDir: DIST, version });
    archives.push({ name: path.basename(file), sha256 });
    console.log(`${target.name}: ${path.relative(process.cwd(), file)} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  } catch (e) {
    failures.push(`${target.name}: ${e instanceof Error ? e.message : String(e)}`);
  }
}
if (failures.length) {
  console.error(`release failed, no sha256sums.txt or krew manifest written:\n${failures.join('\n')}`);
  process.exit(1);
}
writeFileSync(SUMS, formatSums(archives));
// krew/cwtoken.yaml is tracked: a local release leaves it alone unless asked (`npm run release -- --krew-manifest`).
const manifest = process.argv.includes('--krew-manifest') ? ` and ${path.relative(process.cwd(), writeKrewManifest())}` : '';
console.log(`wrote ${path.relative(process.cwd(), SUMS)}${manifest}`);

/** The executable this machine can run must report the version it was built from. */
function checkRuns(/** @type {string} */ executable) {
  const out = execFileSync(executable, ['--version'], { encoding: 'utf8', env: { PATH: '/nonexistent' } }).trim();
  if (out !== version) throw new Error(`${executable} --version printed ${JSON.stringify(out)}, not ${version}`);
}
