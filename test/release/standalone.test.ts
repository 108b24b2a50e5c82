// dist/kubectl-cwtoken, as `npm run build` makes it: a Node single executable application, not a script.
import { openSync, readSync, closeSync } from 'node:fs';
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
