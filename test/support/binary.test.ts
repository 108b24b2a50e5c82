/** The binary tier refuses to run a binary that was not built from the sources being tested. */
import { utimesSync } from 'node:fs';
import { staleness } from '../support/cli';
import { useTempDir } from '../support/tmp';

describe('staleness of the built binary', () => {
  const tmp = useTempDir();
  const at = (file: string, seconds: number) => (utimesSync(file, seconds, seconds), file);

  test('a binary newer than every source is fresh', () => {
    const source = at(tmp.file('src/a.ts', ''), 1_000);
    expect(staleness(at(tmp.file('dist/bin', ''), 2_000), [source])).toBeUndefined();
  });

  test('a source edited after the build makes it stale, naming that source', () => {
    at(tmp.file('src/old.ts', ''), 1_000);
    at(tmp.file('src/deep/edited.ts', ''), 3_000);
    expect(staleness(at(tmp.file('dist/bin', ''), 2_000), [`${tmp.dir}/src`])).toMatch(/older than .*edited\.ts/);
  });

  test('a missing binary is reported', () => {
    expect(staleness(`${tmp.dir}/dist/none`, [tmp.file('src/a.ts', '')])).toMatch(/missing/);
  });
});
