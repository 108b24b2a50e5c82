// krew/cwtoken.yaml against every rule krew enforces on a manifest: ValidatePlugin, validatePlatform,
// validateFiles and validateSelector in krew's internal/index/validation/validate.go, and the checks
// cmd/validate-krew-manifest/main.go adds (file name, line lengths, supported and non-overlapping platforms).
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { archiveName, archivesFromSums, DIST, downloadBase, KREW_MANIFEST, TARGETS, VERSION } from './release-scripts';

interface Selector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}
interface Platform {
  uri?: string;
  sha256?: string;
  bin?: string;
  files?: { from?: string; to?: string }[] | null;
  selector?: Selector | null;
}
interface Plugin {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string };
  spec?: { version?: string; shortDescription?: string; description?: string; caveats?: string; homepage?: string; platforms?: Platform[] };
}

const manifest = parse(readFileSync(KREW_MANIFEST, 'utf8')) as Plugin;
const spec = manifest.spec ?? {};
const platforms = spec.platforms ?? [];
const pluginName = path.basename(KREW_MANIFEST, path.extname(KREW_MANIFEST));

// validate-krew-manifest's allPlatforms(), plus the arm64 pairs krew supports since Apple Silicon.
const KREW_PLATFORMS: [string, string][] = [
  ['windows', '386'],
  ['windows', 'amd64'],
  ['windows', 'arm64'],
  ['linux', '386'],
  ['linux', 'amd64'],
  ['linux', 'arm'],
  ['linux', 'arm64'],
  ['darwin', '386'],
  ['darwin', 'amd64'],
  ['darwin', 'arm64'],
];

/** metav1.LabelSelectorAsSelector(...).Matches({os, arch}) for the operators a selector may use. */
function selects(selector: Selector, os: string, arch: string): boolean {
  const labels: Record<string, string> = { os, arch };
  const byLabel = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  const byExpression = (selector.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
    if (operator === 'In') return values.includes(labels[key]);
    if (operator === 'NotIn') return !values.includes(labels[key]);
    if (operator === 'Exists') return key in labels;
    if (operator === 'DoesNotExist') return !(key in labels);
    throw new Error(`unknown selector operator ${operator}`);
  });
  return byLabel && byExpression;
}

/** validate-krew-manifest's validateLineLength: a longer line is allowed only if it is one word. */
const longLines = (text: string | undefined, max: number) => (text ?? '').split('\n').filter((line) => line.length > max && line.trim().includes(' '));

// k8s.io/apimachinery/pkg/util/version.ParseSemantic (semver 2.0.0), after krew's own leading-"v" check.
const SEMVER = /^v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$/;

describe('krew/cwtoken.yaml passes krew validation', () => {
  test('validate-krew-manifest: the file has the .yaml extension and names the plugin', () => {
    expect(path.extname(KREW_MANIFEST)).toBe('.yaml');
    expect(pluginName).toBe('cwtoken');
  });

  test('ValidatePlugin: apiVersion is krew.googlecontainertools.github.com/v1alpha2 (isSupportedAPIVersion)', () => {
    expect(manifest.apiVersion).toBe('krew.googlecontainertools.github.com/v1alpha2');
  });

  test('ValidatePlugin: kind is Plugin', () => {
    expect(manifest.kind).toBe('Plugin');
  });

  test('ValidatePlugin: the name is safe (IsSafePluginName: ^[\\w-]+$, not a reserved Windows device name)', () => {
    expect(pluginName).toMatch(/^[\w-]+$/);
    const reserved = ['CON', 'PRN', 'AUX', 'NUL', ...[1, 2, 3, 4, 5, 6, 7, 8, 9].flatMap((n) => [`COM${n}`, `LPT${n}`])];
    expect(reserved).not.toContain(pluginName.toUpperCase());
  });

  test('ValidatePlugin: metadata.name equals the file name', () => {
    expect(manifest.metadata?.name).toBe(pluginName);
  });

  test('ValidatePlugin: shortDescription is set and has no line breaks', () => {
    expect(spec.shortDescription).toBeTruthy();
    expect(spec.shortDescription).not.toMatch(/[\r\n]/);
  });

  test('ValidatePlugin: at least one platform is specified', () => {
    expect(platforms.length).toBeGreaterThan(0);
  });

  test('ValidatePlugin: version is set and is semver with a leading v (semver.Parse)', () => {
    expect(spec.version).toMatch(SEMVER);
  });

  test('the version is v + package.json version', () => {
    expect(spec.version).toBe(`v${VERSION}`);
  });

  test.each(platforms.map((p, i) => [i, p] as const))('validatePlatform [%i]: uri, sha256 (^[a-f0-9]{64}$) and bin are set', (_, p) => {
    expect(p.uri).toBeTruthy();
    expect(p.sha256).toMatch(/^[a-f0-9]{64}$/);
    expect(p.bin).toBeTruthy();
  });

  test.each(platforms.map((p, i) => [i, p] as const))('validateFiles [%i]: files is unset or non-empty, every entry has from and to', (_, p) => {
    if (p.files === undefined || p.files === null) return;
    expect(p.files.length).toBeGreaterThan(0);
    for (const op of p.files) {
      expect(op.from).toBeTruthy();
      expect(op.to).toBeTruthy();
    }
  });

  test.each(platforms.map((p, i) => [i, p] as const))('validateSelector [%i]: non-empty, only os/arch keys, no empty matchLabels/matchExpressions', (_, p) => {
    const selector = p.selector;
    expect(selector).toBeTruthy();
    expect(selector!.matchLabels !== undefined || (selector!.matchExpressions ?? []).length > 0).toBe(true);
    const keys = [...Object.keys(selector!.matchLabels ?? {}), ...(selector!.matchExpressions ?? []).map((e) => e.key)];
    for (const key of keys) expect(['os', 'arch']).toContain(key);
    if (selector!.matchLabels !== undefined) expect(Object.keys(selector!.matchLabels).length).toBeGreaterThan(0);
    if (selector!.matchExpressions !== undefined) expect(selector!.matchExpressions.length).toBeGreaterThan(0);
  });

  test('validate-krew-manifest: every platform selects a supported os/arch', () => {
    for (const p of platforms) expect(KREW_PLATFORMS.some(([os, arch]) => selects(p.selector!, os, arch))).toBe(true);
  });

  test('validate-krew-manifest: no supported os/arch is selected by two platforms (isOverlappingPlatformSelectors)', () => {
    for (const [os, arch] of KREW_PLATFORMS) expect(platforms.filter((p) => selects(p.selector!, os, arch)).length).toBeLessThanOrEqual(1);
  });

  test('validate-krew-manifest: description and caveats lines ≤ 80, shortDescription ≤ 70 characters', () => {
    expect(longLines(spec.description, 80)).toEqual([]);
    expect(longLines(spec.caveats, 80)).toEqual([]);
    expect(longLines(spec.shortDescription, 70)).toEqual([]);
  });
});

describe('krew/cwtoken.yaml matches the release', () => {
  test('one platform per release target, selected by its os and arch', () => {
    const selected = platforms.map((p) => `${p.selector?.matchLabels?.os}-${p.selector?.matchLabels?.arch}`);
    expect(selected.sort()).toEqual(TARGETS.map((t) => t.name).sort());
  });

  test.each(TARGETS.map((t) => [t.name, t] as const))(
    '%s: uri is the release download of its archive, bin its executable, files extract it and LICENSE',
    (_, target) => {
      const p = platforms.find((candidate) => selects(candidate.selector!, target.os, target.arch))!;
      expect(p.uri).toBe(`${downloadBase(VERSION)}${archiveName(target, VERSION)}`);
      expect(p.uri).toMatch(/^https:\/\//);
      expect(p.bin).toBe(target.os === 'windows' ? 'kubectl-cwtoken.exe' : 'kubectl-cwtoken');
      expect(p.files).toEqual(
        expect.arrayContaining([
          { from: p.bin, to: '.' },
          { from: 'LICENSE', to: '.' },
        ]),
      );
    },
  );

  const sums = path.join(DIST, 'sha256sums.txt');
  (existsSync(sums) ? test : test.skip)('the sha256 of every platform is the one in dist/sha256sums.txt (after npm run release)', () => {
    for (const { target, sha256 } of archivesFromSums(readFileSync(sums, 'utf8'), VERSION)) {
      expect(platforms.find((p) => selects(p.selector!, target.os, target.arch))?.sha256).toBe(sha256);
    }
  });
});
