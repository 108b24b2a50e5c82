import { configError, errno } from '../errors';
import { humanSize, NoWriter, readBounded, TooLarge } from '../files/bounded-read';
import { Chain } from './locate';
import { ParseError, readKubeconfig } from './parse/parse';
import { KubeconfigFile } from './model';
import { decodeBytes, decodeUtf8 } from '../text/bytes';

/** How files are read; tests may substitute an in-memory reader. Throws ENOENT for a missing file. */
export type ReadText = (path: string) => string;

/**
 * kubectl reads a kubeconfig or a tokenFile to its end, however long that is (`--kubeconfig /dev/zero` never
 * returns). The largest merged kubeconfigs are tens of MB, a token a few KB; a FIFO (`--kubeconfig <(…)`) is read
 * while its writer writes, and given up when nothing comes for a while.
 */
const MAX_KUBECONFIG_BYTES = 128 << 20;
const MAX_TOKEN_FILE_BYTES = 1 << 20;

/** A kubeconfig's text as go-yaml's reader sees it: UTF-16 by its BOM, else UTF-8 with invalid bytes kept. */
export const readText: ReadText = (path) => decodeBytes(readBounded(path, { maxBytes: MAX_KUBECONFIG_BYTES }));
/** A client certificate or key file named beside inline data: bounded as a tokenFile (a FIFO or /dev/zero there must not hang `get`). */
export const readCredentialFile = (path: string): Buffer => readBounded(path, { maxBytes: MAX_TOKEN_FILE_BYTES });
/** A file's bytes as text (invalid UTF-8 kept, no BOM rules): what client-go reads from a tokenFile. */
export const readBytesAsText: ReadText = (path) => decodeUtf8(readCredentialFile(path));

function describeReadError(path: string, e: unknown): string {
  const why = (): string => {
    if (e instanceof TooLarge) return `larger than ${humanSize(e.maxBytes)}, more than any kubeconfig; is it the right file?`;
    if (e instanceof NoWriter) return `a FIFO with ${e.message}`;
    switch (errno(e)) {
      case 'EACCES':
      case 'EPERM':
        return "permission denied; check the file's owner and mode";
      case 'EISDIR':
        return 'is a directory, not a kubeconfig file';
      default:
        return (e as Error).message;
    }
  };
  return `error loading config file "${path}": ${why()}`;
}

async function describeParseError(path: string, text: string, e: ParseError): Promise<string> {
  let line = e.line;
  if (line === undefined && e.path) line = (await import('./parse/positions')).lineOf(text, e.path);
  const where = line ? `line ${line}: ` : '';
  return `error loading config file "${path}": ${e.syntax ? `yaml: ${where}` : where}${e.message}`;
}

export interface LoadOptions {
  /**
   * A missing --kubeconfig file is an empty config rather than an error: for commands that write, since kubectl's
   * own writers (`kubectl config set-credentials --kubeconfig NEW`) create it.
   */
  missingExplicitIsEmpty?: boolean;
}

export async function loadFile(path: string, explicit: boolean, read: ReadText = readText, options: LoadOptions = {}): Promise<KubeconfigFile> {
  let text: string;
  try {
    text = read(path);
  } catch (e) {
    if (errno(e) === 'ENOENT' && (!explicit || options.missingExplicitIsEmpty)) return { path, exists: false, text: '', config: {} };
    if (errno(e) === 'ENOENT') throw configError(`kubeconfig file "${path}" (from --kubeconfig) does not exist`);
    throw configError(describeReadError(path, e));
  }
  try {
    const { syntax, config } = readKubeconfig(text);
    return { path, exists: true, text, config, syntax };
  } catch (e) {
    if (e instanceof ParseError) throw configError(await describeParseError(path, text, e));
    // go-yaml refuses more than 10,000 levels; our recursive reader runs out of stack a few thousand levels
    // earlier. No kubeconfig nests like that: it is refused as one line, not a crash.
    if (e instanceof RangeError && /call stack/i.test(e.message)) {
      throw configError(`error loading config file "${path}": nested too deeply to read (thousands of levels); it is not a kubeconfig`);
    }
    throw e;
  }
}

/** Reads every file of the chain. Like kubectl, one unloadable file fails the whole load. */
export async function loadChain(chain: Chain, read: ReadText = readText, options: LoadOptions = {}): Promise<KubeconfigFile[]> {
  const files: KubeconfigFile[] = [];
  for (const path of chain.paths) files.push(await loadFile(path, chain.explicit, read, options));
  return files;
}
