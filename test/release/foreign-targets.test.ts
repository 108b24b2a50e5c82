// The linux-arm64 and windows-amd64 executables (and the code cache they make), run under emulation where it is installed (Debian packages
// qemu-user-static + libc6-arm64-cross + libstdc++6-arm64-cross, and wine64). Skipped without them: each
// needs a cross build (seconds with a warm .cache/sea, up to a minute cold) and wine a prefix (~10 s once).
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { kubeconfig } from '../support/builder';
import { useTempDir } from '../support/tmp';
import { buildStandalone, targetNamed, VERSION } from './release-scripts';

const TOKEN = 'CW-SECRET-9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d';
const ARM64_SYSROOT = '/usr/aarch64-linux-gnu';
const SLOW = 180_000;
const available = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
const hasQemu = available('qemu-aarch64-static') && existsSync(path.join(ARM64_SYSROOT, 'lib/libstdc++.so.6'));
const hasWine = available('wine');

/** The CLI chunk's code cache file for `<platform>-<arch>` in `dir` (there is one per build). */
function codeCacheFile(dir: string, platformArch: string): string {
  const names = readdirSync(dir).filter((name) => name.startsWith(`cwtoken.cjs-${VERSION}-${platformArch}-`));
  expect(names).toHaveLength(1);
  return path.join(dir, names[0]);
}

describe('executables for other targets', () => {
  const tmp = useTempDir();
  const config = () => tmp.file('config', kubeconfig().cw('cw-a', TOKEN).current('cw-a').yaml());
  const build = (target: string) => {
    const t = targetNamed(target);
    return buildStandalone(t, { out: path.join(tmp.dir, t.name, t.binary) });
  };

  (hasQemu ? test : test.skip)(
    'linux-arm64 prints the token under qemu-aarch64-static, and its next run accepts the code cache of the first',
    () => {
      const exe = build('linux-arm64');
      const file = config();
      const cacheHome = path.join(tmp.dir, 'cache');
      const get = () => {
        const run = spawnSync('qemu-aarch64-static', ['-L', ARM64_SYSROOT, exe, 'get', '--kubeconfig', file], {
          encoding: 'utf8',
          env: { PATH: '/usr/bin:/bin', XDG_CACHE_HOME: cacheHome },
          timeout: 60_000,
        });
        return { code: run.status, stdout: run.stdout, stderr: run.stderr };
      };
      expect(get()).toEqual({ code: 0, stdout: `${TOKEN}\n`, stderr: '' });
      const cache = codeCacheFile(path.join(cacheHome, 'kubectl-cwtoken'), 'linux-arm64');
      const before = statSync(cache);
      expect(get()).toEqual({ code: 0, stdout: `${TOKEN}\n`, stderr: '' });
      expect(statSync(cache)).toMatchObject({ ino: before.ino, mtimeMs: before.mtimeMs });
    },
    SLOW,
  );

  (hasWine ? test : test.skip)(
    'windows-amd64 prints the token and its version under wine',
    () => {
      const exe = build('windows-amd64');
      // A prefix that reports Windows 10 (Node refuses older Windows) reused across runs; wine's piped stdio
      // gives Node EBADF, so output goes to files.
      const prefix = path.resolve(__dirname, '../../.cache/wine');
      const env = { PATH: process.env.PATH, HOME: tmp.dir, WINEPREFIX: prefix, WINEDEBUG: '-all' };
      if (!existsSync(path.join(prefix, 'system.reg'))) {
        mkdirSync(prefix, { recursive: true });
        spawnSync('wine', ['winecfg', '/v', 'win10'], { env, stdio: 'ignore', timeout: 120_000 });
      }
      const wine = (args: string[]) => {
        const out = path.join(tmp.dir, 'stdout');
        const err = path.join(tmp.dir, 'stderr');
        const fds = [openSync(out, 'w'), openSync(err, 'w')];
        const run = spawnSync('wine', [exe, ...args], { env, stdio: ['ignore', fds[0], fds[1]], timeout: 60_000 });
        fds.forEach(closeSync);
        const result = { code: run.status, stdout: readFileSync(out, 'utf8'), stderr: readFileSync(err, 'utf8') };
        rmSync(out);
        rmSync(err);
        return result;
      };
      expect(wine(['get', '--kubeconfig', `Z:${config().replace(/\//g, '\\')}`])).toEqual({ code: 0, stdout: `${TOKEN}\n`, stderr: '' });
      // The code cache goes to %LocalAppData%, in the prefix's user profile; the next run accepts it.
      const users = path.join(prefix, 'drive_c', 'users');
      const cacheDir = readdirSync(users)
        .map((user) => path.join(users, user, 'AppData', 'Local', 'kubectl-cwtoken'))
        .find(existsSync);
      const cache = codeCacheFile(cacheDir!, 'win32-x64');
      const before = statSync(cache);
      expect(wine(['--version'])).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
      expect(statSync(cache)).toMatchObject({ ino: before.ino, mtimeMs: before.mtimeMs });
    },
    SLOW,
  );
});
