import * as path from 'node:path';
import { CwError, invalidInput } from '../../errors';
import type { FileChange } from '../../kubeconfig/edit/apply';
import type { Entry, MergedConfig, User } from '../../kubeconfig/model';
import { bearerToken } from '../../kubeconfig/resolve';
import type { TokenChange } from '../token/plan';
import type { RecordUpdate } from './record-edit';
import { tokenRecord } from './token-record';
import { execStanza, readStore, StoredToken, storeContent, storeFileName, storeFileOf } from './token-store';

/**
 * Moving a user's token out of the kubeconfig into the token store and back, and rotating stored tokens: all
 * as changes for the write layer, each a compare-and-swap against the files as re-read under their locks.
 */

const changedMeanwhile = (user: string, file: string) =>
  new CwError('write', `user "${user}" in "${file}" changed while this command ran; nothing was written: run it again`);

/** The changes that store `user`'s token in a new file of `directory` and turn the entry into an exec stanza. */
export function planStore(user: Entry<User>, directory: string, randomHex: string): { changes: FileChange[]; storeFile: string; token: string } {
  const { name, origin, value } = user;
  if (storeFileOf(value)) throw invalidInput(`user "${name}" (${origin.file}) is stored already, in "${storeFileOf(value)}"`);
  const { token } = bearerToken(user); // refuses users without a bearer token, naming what they use instead
  const storeFile = path.join(directory, storeFileName(name, randomHex));
  const expiresAt = tokenRecord(value)?.expiresAt;
  const stored: StoredToken = { user: name, token, ...(expiresAt ? { expiresAt } : {}) };
  return {
    storeFile,
    token,
    changes: [
      { file: storeFile, replace: () => storeContent(stored) },
      {
        file: origin.file,
        edit: (doc) => {
          const now = doc.entry('users', name);
          if (!now || now.token !== value.token || now.tokenFile !== value.tokenFile || now.exec) throw changedMeanwhile(name, origin.file);
          doc.deleteField('users', name, 'token');
          doc.deleteField('users', name, 'tokenFile');
          doc.setField('users', name, 'exec', execStanza(storeFile));
        },
      },
    ],
  };
}

/** The change that puts a stored token back inline, and the store file to remove afterwards. */
export function planUnstore(user: Entry<User>): { changes: FileChange[]; storeFile: string } {
  const { name, origin, value } = user;
  const storeFile = storeFileOf(value);
  if (!storeFile) throw invalidInput(`user "${name}" (${origin.file}) is not stored: its token is not in the token store`);
  const { token } = readStore(storeFile);
  return {
    storeFile,
    changes: [
      {
        file: origin.file,
        edit: (doc) => {
          if (storeFileOf(doc.entry('users', name)) !== storeFile) throw changedMeanwhile(name, origin.file);
          doc.deleteField('users', name, 'exec');
          doc.setField('users', name, 'token', token);
        },
      },
    ],
  };
}

/** Every user entry of the chain (shadowed ones too) that names `storeFile`. */
export function usersOfStore(config: MergedConfig, storeFile: string): string[] {
  return config.files.flatMap((f) =>
    (f.config.users ?? []).filter((u) => u && storeFileOf(u.user ?? undefined) === storeFile).map((u) => `"${u.name}" (${f.path})`),
  );
}

/**
 * The changes that replace `old` by `token` in every store file a user of the chain names (or only `only`'s),
 * recording the new expiry there as exec-credential reports it; `landed` says what really changed.
 */
export function planStoreRotation(config: MergedConfig, old: string, token: string, update: RecordUpdate, only?: Entry<User>) {
  const users = only
    ? [{ name: only.name, file: only.origin.file, value: only.value }]
    : config.files.flatMap((f) => (f.config.users ?? []).flatMap((u) => (u ? [{ name: u.name, file: f.path, value: u.user ?? {} }] : [])));
  const landed: TokenChange[] = [];
  const seen = new Set<string>();
  const changes: FileChange[] = [];
  for (const user of users) {
    const storeFile = storeFileOf(user.value);
    if (!storeFile || seen.has(storeFile)) continue;
    seen.add(storeFile);
    changes.push({
      file: storeFile,
      replace: (current) => {
        let stored: StoredToken;
        try {
          stored = readStore(storeFile, () => current ?? '');
        } catch {
          return current ?? ''; // not a store this rotation can read: left alone
        }
        if (stored.token !== old) return current ?? '';
        landed.push({ file: user.file, user: user.name, field: 'tokenFile', tokenFile: storeFile, old, new: token });
        const { expiresAt: _, ...rest } = stored;
        return storeContent({ ...rest, token, ...(update.expiresAt ? { expiresAt: update.expiresAt } : {}) });
      },
    });
  }
  // Whose record to update: the users whose store holds the old token now (re-checked under the lock above).
  const holders = users.filter((u) => {
    const storeFile = storeFileOf(u.value);
    try {
      return storeFile !== undefined && readStore(storeFile).token === old;
    } catch {
      return false;
    }
  });
  return { changes, landed, holders: holders.map((u) => ({ file: u.file, user: u.name })) };
}
