// Release archives: the executable and LICENSE at the archive root (krew's `files` extract both), as krew
// downloads them: .tar.gz for linux and darwin, .zip for windows. Owners, dates and order are fixed so the
// same executable always gives the same archive and sha256.
const { createHash } = require('node:crypto');
const { execFileSync } = require('node:child_process');
const { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const path = require('node:path');
const { gzipSync } = require('node:zlib');
const { archiveName } = require('./targets.cjs');
const { writeZip } = require('./zip.cjs');

const LICENSE_NAME = 'LICENSE';

/**
 * @param {import('./targets.cjs').Target} target
 * @param {{executable: string, license: string, outDir: string, version: string}} files
 * @returns {{file: string, sha256: string}}
 */
function makeArchive(target, { executable, license, outDir, version }) {
  const file = path.join(outDir, archiveName(target, version));
  mkdirSync(outDir, { recursive: true });
  if (target.archive === 'zip') {
    writeZip(file, [
      { name: target.binary, data: readFileSync(executable), mode: 0o755 },
      { name: LICENSE_NAME, data: readFileSync(license), mode: 0o644 },
    ]);
  } else {
    writeFileSync(file, gzipSync(tarOf(target, executable, license)));
  }
  return { file, sha256: createHash('sha256').update(readFileSync(file)).digest('hex') };
}

/** An uncompressed tar from GNU tar; compressed by zlib so no timestamp or file name ends up in the gzip header. */
function tarOf(/** @type {import('./targets.cjs').Target} */ target, /** @type {string} */ executable, /** @type {string} */ license) {
  const stage = mkdtempSync(path.join(tmpdir(), 'cwtoken-archive-'));
  try {
    copyFileSync(executable, path.join(stage, target.binary));
    chmodSync(path.join(stage, target.binary), 0o755);
    copyFileSync(license, path.join(stage, LICENSE_NAME));
    chmodSync(path.join(stage, LICENSE_NAME), 0o644);
    return execFileSync(
      'tar',
      [
        '--create',
        '--file=-',
        '--format=ustar',
        '--owner=0',
        '--group=0',
        '--numeric-owner',
        `--mtime=@${process.env.SOURCE_DATE_EPOCH ?? 0}`,
        '-C',
        stage,
        target.binary,
        LICENSE_NAME,
      ],
      { maxBuffer: 1 << 30 },
    );
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

module.exports = { makeArchive };
