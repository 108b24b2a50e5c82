import { Chain, locateChain, LocateOptions } from './locate';
import { loadChain, LoadOptions, ReadText, readText } from './load';
import { merge } from './merge';
import { configError } from '../errors';
import { MergedConfig } from './model';

export interface LoadedConfig {
  chain: Chain;
  config: MergedConfig;
}

/** Locate, read, parse and merge the kubeconfig chain: what every command starts from. */
export async function loadConfig(options: LocateOptions & LoadOptions = {}, read: ReadText = readText): Promise<LoadedConfig> {
  const chain = locateChain(options);
  return { chain, config: merge(await loadChain(chain, read, options)) };
}

/** For commands that need something to read: a chain of only missing files is "no kubeconfig". */
export function requireSomeFile({ chain, config }: LoadedConfig): void {
  if (config.files.some((f) => f.exists)) return;
  const where = chain.paths.length === 1 ? `"${chain.paths[0]}"` : `any of ${chain.paths.map((p) => `"${p}"`).join(', ')}`;
  throw configError(`no kubeconfig found: ${where} does not exist; set KUBECONFIG or pass --kubeconfig FILE`);
}
