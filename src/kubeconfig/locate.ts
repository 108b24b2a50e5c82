import * as path from 'node:path';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';

/**
 * Which files make up the kubeconfig, by client-go's clientcmd rules:
 * `--kubeconfig FILE` alone; else KUBECONFIG split on the platform delimiter (empty entries dropped, exact
 * duplicates removed, order kept); else ~/.kube/config.
 */
export interface Chain {
  /** True when --kubeconfig named the one file: a missing file is then an error, not an empty config. */
  explicit: boolean;
  paths: string[];
}

export interface LocateOptions {
  kubeconfig?: string;
  env?: NodeJS.ProcessEnv;
  delimiter?: string;
}

export function homeKubeconfig(env: NodeJS.ProcessEnv = process.env): string {
  // client-go's homedir.HomeDir(): $HOME first; USERPROFILE is the Windows fallback.
  const home = env.HOME || env.USERPROFILE || homedir();
  return path.join(home, '.kube', 'config');
}

export function locateChain(options: LocateOptions = {}): Chain {
  const env = options.env ?? process.env;
  if (options.kubeconfig) return { explicit: true, paths: [options.kubeconfig] };
  const fromEnv = env.KUBECONFIG;
  if (fromEnv) {
    const entries = fromEnv.split(options.delimiter ?? path.delimiter).filter((p) => p !== '');
    return { explicit: false, paths: [...new Set(entries)] };
  }
  return { explicit: false, paths: [homeKubeconfig(env)] };
}

/**
 * The file kubectl writes a new entry (or current-context) to: client-go's PathOptions.GetDefaultFilename.
 * The explicit file; else the only chain entry; else the first that exists; else the last.
 */
export function defaultFilename(chain: Chain, exists: (file: string) => boolean = existsSync): string {
  if (chain.explicit || chain.paths.length === 1) return chain.paths[0];
  return chain.paths.find((p) => exists(p)) ?? chain.paths[chain.paths.length - 1];
}
