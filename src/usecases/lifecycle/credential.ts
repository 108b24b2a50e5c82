import type { Entry, User } from '../../kubeconfig/model';
import { bearerToken } from '../../kubeconfig/resolve';

/** Where a user's token is kept: in the kubeconfig (inline or tokenFile). */
export interface Credential {
  token: string;
  /** The file holding the token. */
  file: string;
  kind: 'token' | 'tokenFile';
}

/** The bearer token kubectl sends for this user, wherever it is kept; a CwError('no-token') when there is none. */
export function credentialOf(user: Entry<User>): Credential {
  const bearer = bearerToken(user);
  return bearer.source === 'tokenFile'
    ? { token: bearer.token, file: bearer.path, kind: 'tokenFile' }
    : { token: bearer.token, file: user.origin.file, kind: 'token' };
}
