import type { Entry, User } from '../../kubeconfig/model';
import { bearerToken } from '../../kubeconfig/resolve';
import { readStore, storeFileOf } from './token-store';

/** Where a user's token is kept: in the kubeconfig (inline or tokenFile), or in the token store. */
export interface Credential {
  token: string;
  /** The file holding the token. */
  file: string;
  kind: 'token' | 'tokenFile' | 'store';
  /** A stored token's expiry, as the store records it. */
  expiresAt?: string;
}

/** The bearer token kubectl sends for this user, wherever it is kept; a CwError('no-token') when there is none. */
export function credentialOf(user: Entry<User>): Credential {
  const store = storeFileOf(user.value);
  if (store) {
    const stored = readStore(store);
    return { token: stored.token, file: store, kind: 'store', ...(stored.expiresAt ? { expiresAt: stored.expiresAt } : {}) };
  }
  const bearer = bearerToken(user);
  return bearer.source === 'tokenFile'
    ? { token: bearer.token, file: bearer.path, kind: 'tokenFile' }
    : { token: bearer.token, file: user.origin.file, kind: 'token' };
}
