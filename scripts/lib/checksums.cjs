// dist/sha256sums.txt in `sha256sum` format (`<hex>  <file>`), so users can run `sha256sum -c` on it, and the
// krew manifest is regenerated from it alone.
const { TARGETS, archiveName } = require('./targets.cjs');

/** @param {{name: string, sha256: string}[]} files */
function formatSums(files) {
  return files.map(({ name, sha256 }) => `${sha256}  ${name}\n`).join('');
}

/**
 * Every target's archive in a sums file; a release with a target missing cannot make a complete manifest.
 * @param {string} text @param {string} version
 * @returns {import('./krew-manifest.cjs').ReleasedArchive[]}
 */
function archivesFromSums(text, version) {
  const sums = new Map(
    text
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const match = /^([0-9a-f]{64}) [ *](.+)$/.exec(line);
        if (!match) throw new Error(`not a sha256sum line: ${JSON.stringify(line)}`);
        return [match[2], match[1]];
      }),
  );
  return TARGETS.map((target) => {
    const sha256 = sums.get(archiveName(target, version));
    if (!sha256) throw new Error(`no sha256 for ${archiveName(target, version)}: run npm run release`);
    return { target, sha256 };
  });
}

module.exports = { formatSums, archivesFromSums };
