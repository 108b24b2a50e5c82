// The tools `npm run release` runs, checked before anything is built: a missing strip used to surface only after
// four of five archives, ~85 s in.
const { spawnSync } = require('node:child_process');
const { TARGETS } = require('./targets.cjs');

/** @returns {Array<{tool: string, why: string, install: string}>} every tool the release needs */
function requiredTools() {
  const strips = TARGETS.flatMap((t) => (t.strip ? [t] : [])).map((t) => ({
    tool: /** @type {string} */ (t.strip),
    why: `strips the ${t.name} Node binary`,
    install: `apt-get install binutils-${/** @type {string} */ (t.strip).replace(/-strip$/, '').replace(/_/g, '-')}`,
  }));
  return [
    { tool: 'tar', why: 'packs the archives (GNU tar)', install: 'apt-get install tar' },
    { tool: 'npm', why: 'fetches the Node binaries', install: 'install Node.js with npm' },
    ...strips,
  ];
}

/** Whether `tool` runs here: `--version` answers for every tool in the list. */
const runs = (/** @type {string} */ tool) => spawnSync(tool, ['--version'], { stdio: 'ignore' }).status === 0;

/** Throws one message listing every missing tool and how to install it; returns when all are there. */
function checkReleaseTools(available = runs) {
  const missing = [...new Map(requiredTools().map((t) => [t.tool, t])).values()].filter((t) => !available(t.tool));
  if (missing.length === 0) return;
  throw new Error(`npm run release needs these tools, and nothing was built:\n${missing.map((t) => `  ${t.tool} (${t.why}): ${t.install}`).join('\n')}`);
}

/** For scripts/release.mjs, first thing: the message and exit 1 rather than a stack trace. */
function exitUnlessReleaseTools() {
  try {
    checkReleaseTools();
  } catch (e) {
    console.error(/** @type {Error} */ (e).message);
    process.exit(1);
  }
}

module.exports = { checkReleaseTools, exitUnlessReleaseTools, requiredTools };
