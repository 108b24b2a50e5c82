import { existsSync } from 'node:fs';
import { BINARY, LONG, Property, SEED } from './harness';
import { crashSafety } from './crash';
import { concurrency } from './concurrency';
import { badInput } from './bad-input';
import { hostilePaths, secrets } from './secrets';

/**
 * `npm run test:reliability` (RELIABILITY_LONG=1 for the deep runs): every property prints one line,
 * "property: N tried, N violations", with up to three violating cases below it; the exit status fails on any.
 */
const SUITES: Array<[string, () => Promise<Property[]>]> = [
  ['concurrency', concurrency],
  ['crash', crashSafety],
  ['bad-input', badInput],
  ['secrets', secrets],
  ['hostile', hostilePaths],
];

async function main(): Promise<number> {
  if (!existsSync(BINARY)) {
    console.log(`${BINARY} is missing: run \`npm run build\` first`);
    return 2;
  }
  if (Number.isNaN(SEED)) {
    console.log('RELIABILITY_SEED must be a whole number: the seed a run printed on its first line');
    return 2;
  }
  const only = process.argv.slice(2);
  const all: Property[] = [];
  const started = Date.now();
  console.log(`seed ${SEED} (RELIABILITY_SEED=${SEED} tries the same cases again)`);
  for (const [name, suite] of SUITES.filter(([n]) => only.length === 0 || only.includes(n))) {
    const t = Date.now();
    for (const p of await suite()) {
      all.push(p);
      console.log(`${p.name}: ${p.tried} tried, ${p.violations} violations`);
      for (const e of p.examples) console.log(`    e.g. ${e}`);
    }
    console.log(`  (${name}: ${((Date.now() - t) / 1000).toFixed(0)} s)`);
  }
  const failed = all.filter((p) => p.violations > 0 || p.tried === 0).length;
  console.log(
    `reliability${LONG ? ' (long)' : ''}: ${all.length - failed} properties passed, ${failed} failed in ${((Date.now() - started) / 1000).toFixed(0)} s`,
  );
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.log(`reliability suite crashed: ${e instanceof Error ? e.stack : e}`);
    process.exit(2);
  },
);
