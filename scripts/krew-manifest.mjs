// Regenerates krew/cwtoken.yaml from dist/sha256sums.txt (written by `npm run release`, which also calls this).
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const { packageVersion } = require('./lib/bundle.cjs');
const { archivesFromSums } = require('./lib/checksums.cjs');
const { renderManifest } = require('./lib/krew-manifest.cjs');
const { DIST, KREW_MANIFEST } = require('./lib/paths.cjs');

export const SUMS = path.join(DIST, 'sha256sums.txt');

export function writeKrewManifest() {
  const version = packageVersion();
  writeFileSync(KREW_MANIFEST, renderManifest({ version, archives: archivesFromSums(readFileSync(SUMS, 'utf8'), version) }));
  return KREW_MANIFEST;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) console.log(`wrote ${path.relative(process.cwd(), writeKrewManifest())}`);
