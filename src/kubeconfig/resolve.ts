import { statSync } from 'node:fs';
import { byteOrder } from '../text/byte-order';
import { suggest } from '../text/suggest';
import { whyKubectlRefuses } from './auth-validation';
import { resolveExecCommand, resolveRelative } from './paths';
import { noToken, notFound, errorCode } from '../errors';
import { ReadText, readBytesAsText } from './load';
import { Context, Entry, MergedConfig, User } from './model';

export interface Selection {
  context?: string;
  user?: string;
}

export interface Target {
  /** Absent only when --user was given and there is no context to speak of. */
  context?: Entry<Context>;
  user: Entry<User>;
}

export function selectContext(config: MergedConfig, name?: string): Entry<Context> {
  if (name !== undefined) {
    const entry = config.contexts.get(name);
    if (!entry) throw notFound(`context "${name}" does not exist${suggest(name, config.contexts.keys())}`);
    return entry;
  }
  if (!config.currentContext) {
    throw notFound('no current context is set: pass --context NAME, or set one with `kubectl config use-context NAME`');
  }
  const entry = config.contexts.get(config.currentContext);
  if (!entry) {
    throw notFound(
      `current-context "${config.currentContext}" (set in ${config.currentContextFile}) does not exist in any kubeconfig file; pass --context NAME or run \`kubectl config use-context NAME\``,
    );
  }
  return entry;
}

/** The user kubectl would authenticate as: --user, else the user of --context, else of the current context. */
export function selectTarget(config: MergedConfig, selection: Selection): Target {
  const context =
    selection.user !== undefined && selection.context === undefined && !config.currentContext ? undefined : selectContext(config, selection.context);
  const userName = selection.user ?? context?.value.user ?? '';
  if (!userName) throw notFound(`context "${context?.name}" names no user; pass --user NAME`);
  const user = config.users.get(userName);
  if (!user) {
    const via = selection.user !== undefined ? '' : ` (the user of context "${context?.name}")`;
    throw notFound(`user "${userName}"${via} does not exist in any kubeconfig file${suggest(userName, config.users.keys())}`);
  }
  return { context, user };
}

export type AuthKind = 'token' | 'tokenFile' | 'exec' | 'auth-provider' | 'client-certificate' | 'basic-auth';

/** Every way this user entry could authenticate, in the order client-go considers them. */
export function authKinds(user: User): AuthKind[] {
  const kinds: AuthKind[] = [];
  if (user.token) kinds.push('token');
  if (user.tokenFile) kinds.push('tokenFile');
  if (user.exec) kinds.push('exec');
  if (user['auth-provider']) kinds.push('auth-provider');
  if (user['client-certificate'] || user['client-certificate-data'] || user['client-key'] || user['client-key-data']) {
    kinds.push('client-certificate');
  }
  if (user.username || user.password) kinds.push('basic-auth');
  return kinds;
}

// Go's unicode.IsSpace, which strings.TrimSpace uses on a tokenFile: unlike String.prototype.trim it keeps a
// byte-order mark (U+FEFF) and strips NEL (U+0085).
const GO_SPACE = '[\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';
const GO_TRIM = new RegExp(`^${GO_SPACE}+|${GO_SPACE}+$`, 'g');
export const goTrimSpace = (s: string) => s.replace(GO_TRIM, '');

/** A tokenFile as client-go reads it: the trimmed content, or why it gives no token. */
export function readTokenFile(file: string, read: ReadText = readBytesAsText): { token: string } | { problem: string } {
  try {
    const token = goTrimSpace(read(file));
    return token ? { token } : { problem: 'is empty' };
  } catch (e) {
    return { problem: `cannot be read (${errorCode(e)})` };
  }
}

/**
 * The inline token as it goes on the wire: Go's HTTP client trims the header value (textproto.TrimString), so the
 * blanks and tabs at the end of `Bearer <token>` are never sent.
 */
export const sentInlineToken = (token: string) => token.replace(/[ \t]+$/, '');

/** A path that names a directory: a tokenFile there is unreadable to client-go, and no file can be written there. */
export function isDirectory(file: string): boolean {
  try {
    return statSync(file).isDirectory();
  } catch {
    return false;
  }
}

export type BearerToken = { token: string; source: 'token'; warning?: string } | { token: string; source: 'tokenFile'; path: string };

/**
 * The bearer token kubectl sends for this user. client-go reads tokenFile on every request (content trimmed)
 * and falls back to the inline token only when the file cannot be read.
 */
export function bearerToken(user: Entry<User>, read: ReadText = readBytesAsText): BearerToken {
  const { tokenFile } = user.value;
  const token = user.value.token && sentInlineToken(user.value.token);
  // Only a user with a bearer token could have one printed that kubectl would not send.
  const refusal = token || tokenFile ? whyKubectlRefuses(user.value, user.origin) : undefined;
  if (refusal) {
    throw noToken(`kubectl refuses user "${user.name}" (${user.origin.file}): ${refusal}, so it sends no token; fix the entry`);
  }
  const checked = (result: BearerToken): BearerToken => {
    // Go's HTTP client refuses a header value with control characters (all but tab): kubectl cannot send it,
    // and printed into `curl -H "$(… get --header)"` it would inject a header.
    if (/[\u0000-\u0008\u000a-\u001f\u007f]/.test(result.token)) {
      throw noToken(`the token of user "${user.name}" (${user.origin.file}) contains a line break or control character, so kubectl cannot send it`, {
        hint: { key: 'set-token', user: user.name },
      });
    }
    return result;
  };
  if (tokenFile) {
    const file = resolveRelative(tokenFile, user.origin);
    const content = readTokenFile(file, read);
    if ('token' in content) return checked({ token: content.token, source: 'tokenFile', path: file });
    const { problem } = content;
    const what = `tokenFile "${file}" of user "${user.name}" (${user.origin.file})`;
    if (token) return checked({ token, source: 'token', warning: `${what} ${problem}; kubectl falls back to the inline token` });
    throw noToken(`${what} ${problem}; write the token into it`, { hint: { key: 'set-token', user: user.name } });
  }
  if (token) return checked({ token, source: 'token' });
  if (user.value.token)
    throw noToken(`the token of user "${user.name}" (${user.origin.file}) is blank, so kubectl sends no credential`, {
      hint: { key: 'set-token', user: user.name },
    });
  const kinds = authKinds(user.value);
  const command = user.value.exec?.command;
  const described = kinds.map((k) => (k === 'exec' && command ? `exec (command "${resolveExecCommand(command, user.origin)}")` : k));
  if (kinds.length === 0) throw noToken(`user "${user.name}" (${user.origin.file}) has no credentials`, { hint: { key: 'set-token', user: user.name } });
  // An EKS or GKE user works as it is: no advice to swap its short-lived credentials for a static token.
  throw noToken(
    `user "${user.name}" (${user.origin.file}) authenticates with ${described.join(' and ')}, not a bearer token, so there is no token to print; kubectl runs that for each request`,
    { hint: { key: 'replace-auth', user: user.name } },
  );
}

/**
 * What `kubectl config view --raw -o jsonpath='{.users[0].user.token}'` prints: kubectl lists the merged users
 * sorted by name, and the jsonpath reads the inline token field only (never tokenFile); no user: it prints nothing.
 */
export function firstUser(config: MergedConfig): Entry<User> | undefined {
  const names = [...config.users.keys()].sort(byteOrder);
  return names.length ? config.users.get(names[0]) : undefined;
}
