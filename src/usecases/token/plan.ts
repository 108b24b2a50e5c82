import type { KubeconfigDocument } from '../../kubeconfig/edit/edit';
import { CwError, noToken } from '../../errors';
import { AuthKind, authKinds, bearerToken, goTrimSpace, isDirectory, readTokenFile, sentInlineToken } from '../../kubeconfig/resolve';
import { resolveRelative } from '../../kubeconfig/paths';
import { tokenFileContent } from '../../secrets/token';
import type { Context, Entry, MergedConfig, User } from '../../kubeconfig/model';
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
  /** A new entry made for one context (a split): the entry the context used before, which keeps its token. */
  splitFrom?: { file: string; user: string };
  /** The other ways of authenticating removed from the entry (with replaceAuth). */
  removedAuth?: AuthKind[];
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

/** The non-bearer ways `user` authenticates, which a token write removes with replaceAuth and refuses without. */
function otherAuth(user: Entry<User>, options: SetOptions): AuthKind[] {
  const other = authKinds(user.value).filter((k) => k !== 'token' && k !== 'tokenFile');
  if (other.length && !options.replaceAuth) {
    throw noToken(
      `user "${user.name}" (${user.origin.file}) authenticates with ${other.join(' and ')}, not a bearer token; pass --replace-auth to remove ${other.length > 1 ? 'those' : 'it'} and set the token`,
    );
  }
  return other;
}

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
  const other = otherAuth(user, args);
  const removed = other.length ? { removedAuth: other } : {};
  const removeAuth = (doc: KubeconfigDocument) => {
    if (args.replaceAuth) for (const field of NON_BEARER_FIELDS) doc.deleteField('users', name, field);
  };
  const tokenFile = value.tokenFile ? resolveRelative(value.tokenFile, origin) : undefined;
  // A tokenFile that is a directory is never read, so kubectl sends the inline token: that is where the token
  // goes, tokenFile kept, as `kubectl config set-credentials --token` does.
  if (tokenFile && !args.inline && !isDirectory(tokenFile)) {
    const changes: FileChange[] = [{ file: tokenFile, replace: () => tokenFileContent(token) }];
    // An inline token next to tokenFile is kubectl's fallback when the file is unreadable: keep the two in step.
    if (value.token || args.replaceAuth) {
      changes.push({
        file: origin.file,
        edit: (doc) => {
          removeAuth(doc);
          if (doc.entry('users', name)?.token) doc.setField('users', name, 'token', token);
        },
      });
    }
    return { changes, record: { file: origin.file, user: name, field: 'tokenFile', tokenFile, ...removed, old: readQuietly(tokenFile), new: token } };
  }
  return {
    changes: [
      {
        file: origin.file,
        edit: (doc) => {
          removeAuth(doc);
          if (args.inline) doc.deleteField('users', name, 'tokenFile');
          doc.setField('users', name, 'token', token);
        },
      },
    ],
    record: { file: origin.file, user: name, field: 'token', ...removed, old: (tokenFile && readQuietly(tokenFile)) ?? value.token, new: token },
  };
}

/**
 * Gives one context its own user entry holding `token`, in the file that defines the context, and points the
 * context at it: every other context keeps the entry (and token) it uses. The new entry is the one the context
 * resolves to now (extensions and all) with the token in place of its credentials, named after the context.
 */
export function planSplit(config: MergedConfig, context: Entry<Context>, user: Entry<User>, token: string, options: SetOptions) {
  const other = otherAuth(user, options);
  const file = context.origin.file;
  const name = splitName(config, context.name, user.name);
  const body: User = { ...user.value, token };
  for (const field of ['tokenFile', ...(options.replaceAuth ? NON_BEARER_FIELDS : [])]) delete body[field];
  const change: FileChange = {
    file,
    edit: (doc) => {
      doc.addEntry('users', name, body);
      doc.setField('contexts', context.name, 'user', name);
    },
  };
  const record: TokenChange = {
    file,
    user: name,
    field: 'token',
    created: true,
    splitFrom: { file: user.origin.file, user: user.name },
    ...(other.length ? { removedAuth: other } : {}),
    new: token,
  };
  return { changes: [change], record };
}

/** `<context>-<user>`, or with a number after it: a name no file of the chain uses for a user, shadowed ones included. */
function splitName(config: MergedConfig, context: string, user: string): string {
  const taken = new Set(config.files.flatMap((f) => (f.config.users ?? []).map((u) => u?.name ?? '')));
  const base = context.endsWith(user) ? context : `${context}-${user}`;
  let name = base;
  for (let n = 2; taken.has(name); n++) name = `${base}-${n}`;
  return name;
}

/** The old token, for the summary only (redacted there). */
function readQuietly(file: string): string | undefined {
  const content = readTokenFile(file);
  return 'token' in content ? content.token : undefined;
}

/**
 * The changes that replace `old` by `token` in every user entry of the chain holding it (shadowed entries too),
 * or in `only` that one; `planned` says which, before anything is written. Each change is a compare-and-swap
 * against the file as re-read under the lock: an entry that no longer holds the old token there fails the whole
 * rotation (nothing is written), since a rotation that does not land where it was planned must not report success.
 */
export function planRotation(config: MergedConfig, old: string, token: string, only?: Entry<User>) {
  const holders = only ? [{ name: only.name, origin: only.origin }] : holdersOf(config, old);
  const planned = holders.flatMap((h) => plan(config, h, old));
  return { changes: rotationChanges(planned, old, token), planned: planned.map((p) => ({ ...p, new: token })) };
}

/**
 * The writes of a rotation: each tokenFile replaced whole, and every inline token of one kubeconfig set in one
 * batch, so that a token shared by thousands of users is one pass over the file, not one per holder.
 */
function rotationChanges(planned: Array<Omit<TokenChange, 'new'>>, old: string, token: string): FileChange[] {
  const changes: FileChange[] = [];
  const inline = new Map<string, string[]>();
  for (const p of planned) {
    if (p.field === 'tokenFile') {
      const tokenFile = p.tokenFile!;
      changes.push({
        file: tokenFile,
        replace: (current) => {
          // The rule client-go reads a tokenFile by (Go's TrimSpace), as when the old token was found.
          if (current === undefined || goTrimSpace(current) !== old) throw changedMeanwhile(`tokenFile "${tokenFile}" of user "${p.user}"`);
          return tokenFileContent(token);
        },
      });
    } else inline.set(p.file, [...(inline.get(p.file) ?? []), p.user]);
  }
  for (const [file, users] of inline) {
    changes.push({
      file,
      edit: (doc) =>
        doc.batch(() => {
          for (const name of users) {
            if (!holdsInline(doc.entry('users', name)?.token, old)) throw changedMeanwhile(`user "${name}" in "${file}"`);
            doc.setField('users', name, 'token', token);
          }
        }),
    });
  }
  return changes;
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

/** An inline token holds `old` when it is `old`, or is sent as `old` (trailing blanks are not sent). */
const holdsInline = (token: string | undefined, old: string) => token !== undefined && (token === old || sentInlineToken(token) === old);

/** The entry changed since it was read: the rotation stops before writing anything. */
const changedMeanwhile = (what: string) =>
  new CwError('write', `${what} no longer holds the old token (it changed since it was read); nothing was written: run the rotation again`);

/** Where one holder keeps the old token: its tokenFile (when that holds it), its inline token (when that does). */
function plan(config: MergedConfig, holder: Holder, old: string): Array<Omit<TokenChange, 'new'>> {
  const { name, origin } = holder;
  const value = bodyAt(config, 'users', origin);
  const planned: Array<Omit<TokenChange, 'new'>> = [];
  if (value.tokenFile) {
    const tokenFile = resolveRelative(value.tokenFile, origin);
    const content = readTokenFile(tokenFile);
    if ('token' in content && content.token === old) planned.push({ file: origin.file, user: name, field: 'tokenFile', tokenFile, old });
  }
  if (holdsInline(value.token, old)) planned.push({ file: origin.file, user: name, field: 'token', old });
  return planned;
}
