// The release archives' layout and the sums file, checked with the standard tools users run on them.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { useTempDir } from '../support/tmp';
import { archiveName, archivesFromSums, formatSums, LICENSE, makeArchive, TARGETS, targetNamed } from './release-scripts';

const EXECUTABLE = '\x7fELF a stand-in executable\n';
const hasUnzip = spawnSync('unzip', ['-v']).status === 0;

describe('release archives', () => {
  const tmp = useTempDir();
  const make = (target: string) =>
    makeArchive(targetNamed(target), { executable: tmp.file('input', EXECUTABLE), license: LICENSE, outDir: path.join(tmp.dir, 'out'), version: '1.2.3' });

  test('a .tar.gz is named for version and target and holds exactly the executable (0755) and LICENSE (0644) at its root', () => {
    const { file } = make('linux-arm64');
    expect(path.basename(file)).toBe('kubectl-cwtoken-v1.2.3-linux-arm64.tar.gz');
    const listing = execFileSync('tar', ['-tvzf', file], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .map((line) => line.split(/\s+/));
    expect(listing.map((fields) => [fields[0], fields.at(-1)])).toEqual([
      ['-rwxr-xr-x', 'kubectl-cwtoken'],
      ['-rw-r--r--', 'LICENSE'],
    ]);
    expect(execFileSync('tar', ['-xzOf', file, 'kubectl-cwtoken'], { encoding: 'latin1' })).toBe(EXECUTABLE);
  });

  test('the same inputs give the same archive, byte for byte', () => {
    const first = make('darwin-arm64').sha256;
    expect(make('darwin-arm64').sha256).toBe(first);
  });

  (hasUnzip ? test : test.skip)('the windows .zip holds kubectl-cwtoken.exe and LICENSE, intact by unzip -t', () => {
    const { file } = make('windows-amd64');
    expect(path.basename(file)).toBe('kubectl-cwtoken-v1.2.3-windows-amd64.zip');
    expect(execFileSync('unzip', ['-t', file], { encoding: 'utf8' })).toContain('No errors detected');
    expect(execFileSync('unzip', ['-Z1', file], { encoding: 'utf8' }).trim().split('\n')).toEqual(['kubectl-cwtoken.exe', 'LICENSE']);
    expect(execFileSync('unzip', ['-p', file, 'kubectl-cwtoken.exe'], { encoding: 'latin1' })).toBe(EXECUTABLE);
    expect(execFileSync('unzip', ['-p', file, 'LICENSE'], { encoding: 'utf8' })).toBe(readFileSync(LICENSE, 'utf8'));
  });

  test('sha256sums.txt is accepted by sha256sum -c', () => {
    const archives = ['linux-amd64', 'windows-amd64'].map(make);
    const sums = tmp.file('out/sha256sums.txt', formatSums(archives.map(({ file, sha256 }) => ({ name: path.basename(file), sha256 }))));
    expect(execFileSync('sha256sum', ['-c', path.basename(sums)], { cwd: path.dirname(sums), encoding: 'utf8' })).toMatch(
      /linux-amd64.tar.gz: OK\n.*windows-amd64.zip: OK/,
    );
  });

  test('a sums file without every target cannot make a manifest', () => {
    const sums = formatSums(TARGETS.slice(1).map((t) => ({ name: archiveName(t, '1.2.3'), sha256: 'a'.repeat(64) })));
    expect(() => archivesFromSums(sums, '1.2.3')).toThrow(/kubectl-cwtoken-v1.2.3-linux-amd64.tar.gz/);
  });
});
