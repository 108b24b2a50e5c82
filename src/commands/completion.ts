import { accessSync, constants, readFileSync, unlinkSync } from 'node:fs';
import * as path from 'node:path';
import { COMPLETION_SCRIPTS, kubectlCompletionShim, Shell, SHELLS } from './completion-scripts';
import { CwError, errno, errorCode, invalidInput } from '../errors';
import { Streams, note } from '../output/streams';
import type { CommandArgs, COMPLETION_OPTIONS } from './options';

export type CompletionArgs = CommandArgs<typeof COMPLETION_OPTIONS> & { shell: string };
import { writeAtomic } from '../files/atomic-write';

const windows = process.platform === 'win32';
const PLUGIN = windows ? 'kubectl-cwtoken.exe' : 'kubectl-cwtoken';
const SHIM = windows ? 'kubectl_complete-cwtoken.cmd' : 'kubectl_complete-cwtoken';

/** The shim's mode and owner: the user's own, executable (Windows has no uid, and then none is kept). */
const OWN_EXECUTABLE = { regular: true, mode: 0o755, uid: process.getuid?.() as number, gid: process.getgid?.() as number };

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Where the plugin is installed: the first `kubectl-cwtoken` on PATH (for krew, the stable link in
 * $KREW_ROOT/bin, which survives upgrades), else this executable itself.
 */
function installedPlugin(env: NodeJS.ProcessEnv): string {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (dir && isExecutable(path.join(dir, PLUGIN))) return path.join(dir, PLUGIN);
  }
  const sea = (() => {
    try {
      return (require('node:sea') as { isSea(): boolean }).isSea();
    } catch {
      return false;
    }
  })();
  return path.resolve(sea ? process.execPath : process.argv[1]);
}

const isShell = (name: string): name is Shell => (SHELLS as readonly string[]).includes(name);

/** `completion bash|zsh|fish|powershell` prints a script; `completion install` writes kubectl's shim, `uninstall` removes it. */
export async function completion(args: CompletionArgs, streams: Streams): Promise<void> {
  const { shell } = args;
  if (shell !== 'install' && shell !== 'uninstall') {
    if (!isShell(shell)) throw invalidInput(`unknown shell "${shell}": choose one of ${SHELLS.join(', ')}, or install`);
    return streams.out(COMPLETION_SCRIPTS[shell]);
  }

  const plugin = installedPlugin(streams.env);
  const dir = args.dir ?? path.dirname(plugin);
  const target = path.join(dir, SHIM);
  if (shell === 'uninstall') return uninstall(target, streams);
  try {
    // As every writer does: a private temp file of a random name created with O_EXCL|O_NOFOLLOW (a link
    // planted at any name is never followed), its mode set on the open descriptor, renamed over the target
    // (which replaces a link there rather than writing through it).
    writeAtomic(target, kubectlCompletionShim(plugin, windows), OWN_EXECUTABLE);
  } catch (e) {
    throw invalidInput(`cannot write ${target}: ${errorCode(e)}; pass --dir DIR with a directory on PATH you can write to`);
  }
  note(streams, `wrote ${target}: kubectl now completes \`kubectl cwtoken …\` (kubectl ≥ 1.26; ${dir} must be on PATH)`);
}

/** Before `kubectl krew uninstall cwtoken`, which does not know of the shim: removes it, and only it. */
function uninstall(target: string, streams: Streams): void {
  try {
    if (!readFileSync(target, 'utf8').includes('completion install')) {
      throw invalidInput(`${target} was not written by \`kubectl cwtoken completion install\`; it is left alone`);
    }
    unlinkSync(target);
  } catch (e) {
    if (e instanceof CwError) throw e;
    if (errno(e) === 'ENOENT') return note(streams, `${target} does not exist: nothing to remove (pass --dir DIR if it was installed elsewhere)`);
    throw invalidInput(`cannot remove ${target}: ${errorCode(e)}`);
  }
  note(streams, `removed ${target}: kubectl no longer completes \`kubectl cwtoken …\``);
}
