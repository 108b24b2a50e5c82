// dist/kubectl-cwtoken, as `npm run build` makes it: a Node single executable application, not a script.
import { closeSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { ApiServer, startApiServer } from '../support/apiserver';
import { kubeconfig } from '../support/builder';
import { binary, cwtoken } from '../support/cli';
import { useTempDir } from '../support/tmp';
import { VERSION } from './release-scripts';

const TOKEN = 'CW-SECRET-5d2c8e1f7a9b4c3d6e0f1a2b3c4d5e6f';
const NO_NODE = { PATH: '/nonexistent' };

function firstBytes(file: string, count: number): Buffer {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(count);
    readSync(fd, buffer, 0, count, 0);
    return buffer;
  } finally {
    closeSync(fd);
  }
}

describe('the standalone executable', () => {
  const tmp = useTempDir();

  test('is a native executable, not a script run by node', () => {
    expect(firstBytes(binary(), 2).toString('latin1')).not.toBe('#!');
    expect(firstBytes(binary(), 4)).toEqual(process.platform === 'darwin' ? Buffer.from([0xcf, 0xfa, 0xed, 0xfe]) : Buffer.from('\x7fELF', 'latin1'));
  });

  test('prints the token with no node on PATH, and nothing on stderr (no SEA or code-cache warning)', () => {
    const config = tmp.file('config', kubeconfig().cw('cw-a', TOKEN).current('cw-a').yaml());
    expect(cwtoken(['get', '--kubeconfig', config], { env: NO_NODE })).toEqual({ code: 0, stdout: `${TOKEN}\n`, stderr: '' });
  });

  test('--version prints the package.json version compiled into the bundle', () => {
    expect(cwtoken(['--version'], { env: NO_NODE })).toMatchObject({ code: 0, stdout: `${VERSION}\n` });
  });

  test('--help works without node_modules (yargs runs from the bundle through its import.meta.url shim)', () => {
    const run = cwtoken(['--help'], { env: NO_NODE });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('kubectl cwtoken');
  });

  test('NODE_OPTIONS from the environment applies to it as to node (documented in the README)', () => {
    const run = cwtoken(['--version'], { env: { ...NO_NODE, NODE_OPTIONS: '--require=/nonexistent/preload.js' } });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('/nonexistent/preload.js');
  });
});

describe('the code cache it makes on first run', () => {
  const tmp = useTempDir();
  const cacheDir = () => path.join(tmp.dir, 'cache', 'kubectl-cwtoken');
  const env = () => ({ ...NO_NODE, XDG_CACHE_HOME: path.join(tmp.dir, 'cache') });
  const config = () => tmp.file('config', kubeconfig().cw('cw-a', TOKEN).current('cw-a').yaml());
  // The code cache's files; the get cache (usecases/token/get-cache.ts) shares the directory.
  const cacheFiles = () =>
    readdirSync(cacheDir())
      .filter((name) => name.endsWith('.v8cache'))
      .sort();
  const cachedChunks = () => cacheFiles().map((name) => name.slice(0, name.indexOf('.cjs-') + '.cjs'.length));

  let server: ApiServer;
  beforeAll(async () => {
    server = await startApiServer({ acceptedToken: TOKEN, username: 'alice@example.com' });
  });
  afterAll(() => server.close());

  test('is one private file for the CLI chunk, named for version, platform and arch', () => {
    expect(cwtoken(['get', '--kubeconfig', config()], { env: env() })).toEqual({ code: 0, stdout: `${TOKEN}\n`, stderr: '' });
    expect(statSync(cacheDir()).mode & 0o777).toBe(0o700);
    expect(cacheFiles()).toEqual([
      expect.stringMatching(new RegExp(`^cwtoken\\.cjs-${VERSION.replace(/\./g, '\\.')}-${process.platform}-${process.arch}-[0-9a-f]{16}\\.v8cache$`)),
    ]);
    expect(statSync(path.join(cacheDir(), cacheFiles()[0])).mode & 0o777).toBe(0o600);
  });

  test('is accepted by the next run, which leaves it as it is and prints nothing more', () => {
    const file = config();
    cwtoken(['get', '--kubeconfig', file], { env: env() });
    const cache = path.join(cacheDir(), cacheFiles()[0]);
    const before = statSync(cache);
    expect(cwtoken(['get', '--kubeconfig', file], { env: env() })).toEqual({ code: 0, stdout: `${TOKEN}\n`, stderr: '' });
    expect(statSync(cache)).toMatchObject({ ino: before.ino, mtimeMs: before.mtimeMs });
  });

  test('holds compiled code only: not the token the run printed', () => {
    cwtoken(['get', '--kubeconfig', config()], { env: env() });
    const data = readFileSync(path.join(cacheDir(), cacheFiles()[0]));
    expect(data.includes(TOKEN.slice('CW-SECRET-'.length))).toBe(false);
  });

  test('has no client-node part until a command does network work: get never compiles it, rotate does', () => {
    const file = tmp.file('verified', kubeconfig().local(server, 'u', { token: 'CW-SECRET-0ld0000000000000000000000000000' }).yaml());
    cwtoken(['get', '--kubeconfig', file], { env: env() });
    expect(cachedChunks()).toEqual(['cwtoken.cjs']);
    const run = cwtoken(['rotate', '--token-env', 'T', '--kubeconfig', file], { env: { ...env(), T: TOKEN } });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('authenticated as alice@example.com');
    expect(cachedChunks()).toEqual(['client-node.cjs', 'cwtoken.cjs']);
  });
});
