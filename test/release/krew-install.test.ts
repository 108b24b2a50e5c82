// What `kubectl krew install --manifest=cwtoken.yaml --archive=<linux-amd64 archive>` does, step by step,
// then the installed plugin run through the real kubectl. The archive is made from the dist/kubectl-cwtoken
// that `npm run build` made, with the same code as `npm run release`, so no cross-target build is needed.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { kubeconfig } from '../support/builder';
import { binary } from '../support/cli';
import { describeWithKubectl, kubectl } from '../support/kubectl';
import { hostTarget, LICENSE, makeArchive, renderManifest, targetNamed, VERSION } from './release-scripts';

interface Platform {
  selector: { matchLabels: Record<string, string> };
  sha256: string;
  bin: string;
  files: { from: string; to: string }[];
}

const TOKEN = 'CW-SECRET-0b7e1d5a9c3f4e2d8a6b1c0f9e7d3a52';
const linux = targetNamed('linux-amd64');
const describeOnLinuxAmd64 = hostTarget() === linux ? describeWithKubectl : describe.skip;

describeOnLinuxAmd64('installing the linux-amd64 release as krew does', () => {
  // One install for all tests: archiving 100 MB takes seconds.
  let dir = '';
  let binDir = '';
  let installDir = '';

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'cwtoken-krew-'));
    const { file: archive, sha256 } = makeArchive(linux, { executable: binary(), license: LICENSE, outDir: path.join(dir, 'release'), version: VERSION });
    const manifest = path.join(dir, 'cwtoken.yaml');
    writeFileSync(manifest, renderManifest({ version: VERSION, archives: [{ target: linux, sha256 }] }));

    // krew: pick the platform whose selector matches this os/arch, verify the download, unpack it,
    // move `files` into the version's install dir, link `bin` into $KREW_ROOT/bin as kubectl-<name>.
    const platform = (parse(readFileSync(manifest, 'utf8')) as { spec: { platforms: Platform[] } }).spec.platforms.find(
      (p) => p.selector.matchLabels.os === 'linux' && p.selector.matchLabels.arch === 'amd64',
    )!;
    expect(createHash('sha256').update(readFileSync(archive)).digest('hex')).toBe(platform.sha256);
    const download = path.join(dir, 'download');
    mkdirSync(download);
    execFileSync('tar', ['-xzf', archive, '-C', download]);
    installDir = path.join(dir, 'krew', 'store', 'cwtoken', `v${VERSION}`);
    for (const { from, to } of platform.files) {
      mkdirSync(path.join(installDir, to), { recursive: true });
      copyFileSync(path.join(download, from), path.join(installDir, to, path.basename(from)));
    }
    binDir = path.join(dir, 'krew', 'bin');
    mkdirSync(binDir);
    symlinkSync(path.join(installDir, platform.bin), path.join(binDir, 'kubectl-cwtoken'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('the licence is extracted next to the executable', () => {
    expect(readFileSync(path.join(installDir, 'LICENSE'), 'utf8')).toBe(readFileSync(LICENSE, 'utf8'));
    expect(existsSync(path.join(installDir, 'kubectl-cwtoken'))).toBe(true);
  });

  test('kubectl plugin list finds the plugin on a PATH without node', () => {
    const run = kubectl(['plugin', 'list'], { PATH: binDir });
    expect(run.stdout).toContain(path.join(binDir, 'kubectl-cwtoken'));
    expect(run.stderr).not.toMatch(/warning: .*kubectl-cwtoken/);
  });

  test('kubectl cwtoken get prints the token of the current context', () => {
    const config = path.join(dir, 'config');
    writeFileSync(config, kubeconfig().cw('cw-a', TOKEN).current('cw-a').yaml(), { mode: 0o600 });
    const run = kubectl(['cwtoken', 'get', '--kubeconfig', config], { PATH: binDir });
    expect(run).toEqual({ code: 0, stdout: `${TOKEN}\n`, stderr: '' });
  });
});
