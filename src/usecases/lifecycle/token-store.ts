import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import * as path from 'node:path';
import { errorCode, noToken } from '../../errors';
import type { ExecConfig, User } from '../../kubeconfig/model';

/**
 * The token store: one 0600 JSON file per stored token, under $XDG_CONFIG_HOME/kubectl-cwtoken/tokens/ (else the
 * platform's config directory, as Go's os.UserConfigDir names it), named after the user entry and a random id,
 * never after the secret. A stored user's entry is an exec stanza that runs `kubectl-cwtoken exec-credential
 * --file <file>` (a flag, not a positional, so the CLI's fast path runs it without yargs): kubectl asks the plugin for the token on every invocation, and no kubeconfig file holds it. Read on
 * `get`'s fast path and by exec-credential, so this module imports nothing heavy.
 */
export const EXEC_API_VERSION = 'client.authentication.k8s.io/v1';
export const PLUGIN_COMMAND = 'kubectl-cwtoken';
export const EXEC_SUBCOMMAND = 'exec-credential';

export interface StoredToken {
  token: string;
  /** The user entry it was stored from, for a person reading the file. */
  user?: string;
  expiresAt?: string;
}

export function storeDirectory(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): string {
  const home = env.HOME || env.USERPROFILE || homedir();
  const base =
    env.XDG_CONFIG_HOME ||
    (platform === 'darwin'
      ? path.join(home, 'Library', 'Application Support')
      : platform === 'win32'
        ? env.APPDATA || path.join(home, 'AppData', 'Roaming')
        : path.join(home, '.config'));
  return path.join(base, 'kubectl-cwtoken', 'tokens');
}

/** The store file a user entry's exec stanza names, when it is this plugin's exec-credential. */
export function storeFileOf(user: User | undefined): string | undefined {
  const exec = user?.exec;
  if (!exec || typeof exec.command !== 'string' || !Array.isArray(exec.args)) return undefined;
  const command = path.basename(exec.command).replace(/\.exe$/i, '');
  const [subcommand, flag, file] = exec.args;
  if (command !== PLUGIN_COMMAND || subcommand !== EXEC_SUBCOMMAND || flag !== '--file' || typeof file !== 'string') return undefined;
  return file;
}

/** The exec stanza that makes kubectl ask the plugin for the token in `file`. */
export function execStanza(file: string): ExecConfig {
  return {
    apiVersion: EXEC_API_VERSION,
    command: PLUGIN_COMMAND,
    args: [EXEC_SUBCOMMAND, '--file', file],
    interactiveMode: 'Never',
    provideClusterInfo: false,
  };
}

export const storeContent = (stored: StoredToken) => `${JSON.stringify(stored, null, 2)}\n`;

/** Reads a store file; a CwError('no-token') that names the file (never the content) when it gives no token. */
export function readStore(file: string, read: (file: string) => string = (f) => readFileSync(f, 'utf8')): StoredToken {
  let text: string;
  try {
    text = read(file);
  } catch (e) {
    throw noToken(`the token store file "${file}" cannot be read (${errorCode(e)}); restore it, or set a new token for the user`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const value = parsed as Partial<StoredToken> | undefined;
  if (typeof value?.token !== 'string' || !value.token || /[\s\u0000-\u001f\u007f]/.test(value.token)) {
    throw noToken(`the token store file "${file}" holds no valid token; set a new token for the user`);
  }
  return {
    token: value.token,
    ...(typeof value.user === 'string' ? { user: value.user } : {}),
    ...(typeof value.expiresAt === 'string' ? { expiresAt: value.expiresAt } : {}),
  };
}

/** A store file's name for a user: readable, unique, and free of the secret. */
export function storeFileName(user: string, randomHex: string): string {
  const readable =
    user
      .replace(/[^A-Za-z0-9._-]+/g, '_')
      .replace(/^[.]+/, '')
      .slice(0, 64) || 'user';
  return `${readable}-${randomHex}.json`;
}
