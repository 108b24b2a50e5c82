import type { KubeconfigDocument } from '../../kubeconfig/edit/edit';
import { noToken } from '../../errors';
import { authKinds, bearerToken, readTokenFile } from '../../kubeconfig/resolve';
import { resolveRelative } from '../../kubeconfig/paths';
import { tokenFileContent } from '../../secrets/token';
import type { Entry, MergedConfig, User } from '../../kubeconfig/model';
import type { FileChange } from '../../kubeconfig/edit/apply';
import { bodyAt, entriesOf } from '../../kubeconfig/sections';

/**
 * Where a new token must land so that kubectl sends it, as changes for the write layer (applied under the locks
 * to freshly re-read files): `set` for one user entry, `rotate` for every entry holding the old token.
 */

/** One token replaced (or about to be, in a dry run), as `set` and `rotate` report it. */
export interface TokenChange {
  /** The kubeconfig file that defines the user. */
  file: string;
  user: string;
  /** Where the token lives: the inline `token` field, or the file `tokenFile` names. */
  field: 'token' | 'tokenFile';
  tokenFile?: string;
  created?: boolean;
  old?: string;
  new: string;
}

export interface SetOptions {
  /** For a tokenFile user: set `token` and drop `tokenFile` instead of rewriting the file. */
  inline: boolean;
  /** Remove exec, auth-provider, client certificates and basic auth instead of refusing. */
  replaceAuth: boolean;
}

/** Fields that make a user something other than a bearer-token user; kubectl's set-credentials clears them too. */
const NON_BEARER_FIELDS = ['exec', 'auth-provider', 'client-certificate', 'client-certificate-data', 'client-key', 'client-key-data', 'username', 'password'];

/** The changes that give one user `token`: an existing entry where it is defined, else a new one in `file`. */
export function planSetToken(user: Entry<User> | undefined, name: string, file: string, token: string, options: SetOptions) {
  return user ? updateUser(user, token, options) : createUser(name, file, token);
}

function createUser(name: string, file: string, token: string): { changes: FileChange[]; record: TokenChange } {
  return {
    changes: [{ file, edit: (doc) => (doc.entry('users', name) ? doc.setField('users', name, 'token', token) : doc.addEntry('users', name, { token })) }],
    record: { file, user: name, field: 'token', created: true, new: token },
  };
}

function updateUser(user: Entry<User>, token: string, args: SetOptions): { changes: FileChange[]; record: TokenChange } {
  const { name, origin, value } = user;
  const other = authKinds(value).filter((k) => k !== 'token' && k !== 'tokenFile');
  if (other.length && !args.replaceAuth) {
    throw noToken(
      `user "${name}" (${origin.file}) authenticates with ${other.join(' and ')}, not a bearer token; pass --replace-auth to remove ${other.length > 1 ? 'those' : 'it'} and set the token`,
    );
  }
  const removeAuth = (doc: KubeconfigDocument) => {
    if (args.replaceAuth) for (const field of NON_BEARER_FIELDS) doc.deleteField('users', name, field);
  };
  const tokenFile = value.tokenFile ? resolveRelative(value.tokenFile, origin) : undefined;
  if (tokenFile && !args.inline) {
    const changes: FileChange[] = [{ file: tokenFile, replace: () => tokenFileContent(token) }];
    // An inline token next to tokenFile is kubectl's fallback when the file is unreadable: keep the two in step.
    if (value.token || args.replaceAuth) {
      changes.push({ file: origin.file, edit: (doc) => {
        removeAuth(doc);
        if (doc.entry('users', name)?.token) doc.setField('users', name, 'token', token);
      } });
    }
    return { changes, record: { file: origin.file, user: name, field: 'tokenFile', tokenFile, old: readQuietly(tokenFile), new: token } };
  }
  return {
    changes: [{
      file: origin.file,
      edit: (doc) => {
        removeAuth(doc);
        if (args.inline) doc.deleteField('users', name, 'tokenFile');
        doc.setField('users', name, 'token', token);
      },
    }],
    record: { file: origin.file, user: name, field: 'token', old: tokenFile ? readQuietly(tokenFile) : value.token, new: token },
  };
}

/** The old token, for the summary only (redacted there). */
function readQuietly(file: string): string | undefined {
  const content = readTokenFile(file);
  return 'token' in content ? content.token : undefined;
}

/**
 * The changes that replace `old` by `token` in every user entry of the chain holding it (shadowed entries too),
 * or in `only` that one. Each is a compare-and-swap against the file as re-read under the lock, and records in
 * `landed` what it really changed.
 */
export function planRotation(config: MergedConfig, old: string, token: string, only?: Entry<User>) {
  const holders = only ? [{ name: only.name, origin: only.origin }] : holdersOf(config, old);
  const landed: TokenChange[] = [];
  return { changes: holders.flatMap((h) => plan(config, h, old, token, landed)), landed };
}

interface Holder {
  name: string;
  origin: { file: string; index: number };
}

/** Every user entry in every file of the chain whose bearer token is `old`, the entries kubectl ignores too. */
function holdersOf(config: MergedConfig, old: string): Holder[] {
  const holders: Holder[] = [];
  for (const file of config.files) {
    for (const { name, value, index } of entriesOf(file.config, 'users')) {
      const entry = { name, value, origin: { file: file.path, index }, shadows: [] };
      let token: string | undefined;
      try {
        token = bearerToken(entry).token;
      } catch {
        token = undefined; // not a bearer user: it cannot hold the old token
      }
      if (token === old || entry.value.token === old) holders.push({ name: entry.name, origin: entry.origin });
    }
  }
  return holders;
}

/** The writes for one holder: compare-and-swap, against the content re-read under the lock. */
function plan(config: MergedConfig, holder: Holder, old: string, token: string, landed: TokenChange[]): FileChange[] {
  const { name, origin } = holder;
  const value = bodyAt(config, 'users', origin);
  const changes: FileChange[] = [];
  if (value.tokenFile) {
    const tokenFile = resolveRelative(value.tokenFile, origin);
    changes.push({
      file: tokenFile,
      replace: (current) => {
        if (current?.trim() !== old) return current ?? '';
        landed.push({ file: origin.file, user: name, field: 'tokenFile', tokenFile, old, new: token });
        return tokenFileContent(token);
      },
    });
  }
  if (value.token === old || !value.tokenFile) {
    changes.push({
      file: origin.file,
      edit: (doc) => {
        if (doc.entry('users', name)?.token !== old) return;
        doc.setField('users', name, 'token', token);
        landed.push({ file: origin.file, user: name, field: 'token', old, new: token });
      },
    });
  }
  return changes;
}
