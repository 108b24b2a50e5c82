import * as path from 'node:path';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { configError } from '../errors';

/**
 * Which files make up the kubeconfig, by client-go's clientcmd rules:
 * `--kubeconfig FILE` alone; else KUBECONFIG split on the platform delimiter (empty entries dropped, exact
 * duplicates removed, order kept); else ~/.kube/config.
 */
export interface Chain {
  /** True when --kubeconfig named the one file: a missing file is then an error, not an empty config. */
  explicit: boolean;
  paths: string[];
  /**
   * KUBECONFIG's entries as client-go lists them for writing (GetEnvVarFiles): duplicates removed, but empty
   * entries kept, so `KUBECONFIG=a:` has a last entry "" — where kubectl then fails to write a new entry.
   */
  envEntries?: string[];
}

export interface LocateOptions {
  kubeconfig?: string;
  env?: NodeJS.ProcessEnv;
  delimiter?: string;
}

export function homeKubeconfig(env: NodeJS.ProcessEnv): string {
  // client-go's homedir.HomeDir(): $HOME first; USERPROFILE is the Windows fallback.
  const home = env.HOME || env.USERPROFILE || homedir();
  return path.join(home, '.kube', 'config');
}

export function locateChain(options: LocateOptions = {}): Chain {
  const env = options.env ?? process.env;
  if (options.kubeconfig) return { explicit: true, paths: [options.kubeconfig] };
  const fromEnv = env.KUBECONFIG;
  if (fromEnv) {
    const envEntries = [...new Set(fromEnv.split(options.delimiter ?? path.delimiter))];
    return { explicit: false, paths: envEntries.filter((p) => p !== ''), envEntries };
  }
  return { explicit: false, paths: [homeKubeconfig(env)] };
}

/**
 * The file kubectl writes a new entry (or current-context) to: client-go's PathOptions.GetDefaultFilename.
 * The explicit file; else the only KUBECONFIG entry; else the first that exists; else the last, which may be empty.
 */
export function defaultFilename(chain: Chain, exists: (file: string) => boolean = existsSync): string {
  const entries = chain.envEntries ?? chain.paths;
  const file = chain.explicit || entries.length === 1 ? entries[0] : (entries.find((p) => p !== '' && exists(p)) ?? entries[entries.length - 1]);
  if (file === '') {
    throw configError(
      'KUBECONFIG ends with an empty entry and none of its files exists, so kubectl has no file to write to; nothing was written: remove the empty entry or pass --kubeconfig FILE',
    );
  }
  return file;
}
