// Typed handles on the release scripts (plain CommonJS in scripts/lib/, so the build runs them without
// compiling): the tests drive exactly the code `npm run build` and `npm run release` run.
import * as path from 'node:path';

export interface Target {
  name: string;
  os: 'linux' | 'darwin' | 'windows';
  arch: 'amd64' | 'arm64';
  binary: string;
  archive: 'tar.gz' | 'zip';
}

const lib = (name: string) => require(path.resolve(__dirname, '../../scripts/lib', name));

export const { TARGETS, targetNamed, hostTarget, archiveName } = lib('targets.cjs') as {
  TARGETS: Target[];
  targetNamed(name: string): Target;
  hostTarget(): Target;
  archiveName(target: Target, version: string): string;
};
export const { makeArchive } = lib('archive.cjs') as {
  makeArchive(target: Target, files: { executable: string; license: string; outDir: string; version: string }): { file: string; sha256: string };
};
export const { renderManifest, downloadBase } = lib('krew-manifest.cjs') as {
  renderManifest(release: { version: string; archives: { target: Target; sha256: string }[] }): string;
  downloadBase(version: string): string;
};
export const { formatSums, archivesFromSums } = lib('checksums.cjs') as {
  formatSums(files: { name: string; sha256: string }[]): string;
  archivesFromSums(text: string, version: string): { target: Target; sha256: string }[];
};
export const { buildStandalone } = lib('standalone.cjs') as {
  /** Builds with pkg, from the chunks `npm run build` bundled into dist/. */
  buildStandalone(target: Target, options: { out: string }): string;
};
export const { LICENSE, KREW_MANIFEST, DIST } = lib('paths.cjs') as Record<'LICENSE' | 'KREW_MANIFEST' | 'DIST', string>;

export const VERSION: string = (require('../../package.json') as { version: string }).version;
