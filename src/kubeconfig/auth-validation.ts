import { accessSync, constants } from 'node:fs';
import { readCredentialFile } from './load';
import { resolveRelative } from './paths';
import { keyPairProblem } from './key-pair';
import type { Origin, User } from './model';

/** The ExecCredential versions kubectl's exec transport speaks. */
const EXEC_API_VERSIONS = ['client.authentication.k8s.io/v1', 'client.authentication.k8s.io/v1beta1'];

/**
 * Why client-go refuses to build a client for this user entry, so that kubectl sends no request and no token:
 * its ConfirmUsable validation (clientcmd validateAuthInfo) plus the failures of building the transport. A
 * `get` that printed the token of such a user would print something kubectl never sends.
 */
export function whyKubectlRefuses(user: User, origin: Origin): string | undefined {
  // One answer per entry and command: `contexts` and `doctor` ask for every context and finding of a user, and the
  // key-pair check reads files (a FIFO only once).
  if (answers.has(user)) return answers.get(user);
  const answer = refusal(user, origin);
  answers.set(user, answer);
  return answer;
}

const answers = new WeakMap<User, string | undefined>();

function refusal(user: User, origin: Origin): string | undefined {
  const has = (v: unknown) => v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0);
  const readable = (file: string) => {
    try {
      accessSync(resolveRelative(file, origin), constants.R_OK);
      return true;
    } catch {
      return false;
    }
  };

  if ((has(user.token) || has(user.tokenFile)) && (has(user.username) || has(user.password))) {
    return 'it has both a bearer token and basic auth (username/password), and only one authentication method is allowed';
  }
  if (has(user['client-certificate']) || has(user['client-certificate-data'])) {
    if (has(user['client-certificate']) && has(user['client-certificate-data'])) return 'client-certificate and client-certificate-data are both set';
    if (has(user['client-key']) && has(user['client-key-data'])) return 'client-key and client-key-data are both set';
    if (!has(user['client-key']) && !has(user['client-key-data'])) return 'it has a client certificate but no client-key or client-key-data';
    if (has(user['client-certificate']) && !readable(user['client-certificate']!)) return `client-certificate "${user['client-certificate']}" cannot be read`;
    if (has(user['client-key']) && !readable(user['client-key']!)) return `client-key "${user['client-key']}" cannot be read`;
    // Two files are loaded by a reloader that only logs a bad pair (the token is still sent); data is checked up front.
    if (has(user['client-certificate-data']) || has(user['client-key-data'])) {
      const pem = (data: string | undefined, file: string | undefined) =>
        has(data) ? Buffer.from(data!, 'base64') : readCredentialFile(resolveRelative(file!, origin));
      let pair: [Buffer, Buffer];
      try {
        pair = [pem(user['client-certificate-data'], user['client-certificate']), pem(user['client-key-data'], user['client-key'])];
      } catch (e) {
        const file = has(user['client-certificate-data']) ? 'client-key' : 'client-certificate';
        return `${file} "${user[file]}" cannot be read (${e instanceof Error ? e.message : String(e)})`;
      }
      const problem = keyPairProblem(...pair);
      if (problem) return `its client certificate and key are not a usable TLS key pair (${problem})`;
    }
  }
  const exec = user.exec;
  if (exec) {
    if (user['auth-provider']) return 'auth-provider cannot be combined with an exec plugin';
    if (!has(exec.command)) return 'its exec plugin has no command';
    if (!has(exec.apiVersion)) return 'its exec plugin has no apiVersion';
    // Defaulting gives v1alpha1 and v1beta1 an interactiveMode (IfAvailable); the exec transport then knows only v1beta1 and v1.
    if ((exec.env ?? []).some((e) => !has(e?.name))) return 'its exec plugin has an env entry without a name';
    const mode = (exec as { interactiveMode?: string }).interactiveMode ?? '';
    const defaulted = exec.apiVersion === 'client.authentication.k8s.io/v1alpha1' || exec.apiVersion === 'client.authentication.k8s.io/v1beta1';
    if (mode === '' && !defaulted) return `its exec plugin (${exec.apiVersion}) has no interactiveMode`;
    if (mode !== '' && !['Never', 'IfAvailable', 'Always'].includes(mode)) return `its exec plugin has an invalid interactiveMode "${mode}"`;
    if (!EXEC_API_VERSIONS.includes(exec.apiVersion!))
      return `its exec plugin's apiVersion "${exec.apiVersion}" is not one kubectl runs (${EXEC_API_VERSIONS.join(', ')})`;
  }
  if ((has(user['as-groups']) || has(user['as-user-extra']) || has(user['as-uid'])) && !has(user.as)) {
    return 'it requests impersonated groups, uid or user-extra without impersonating a user (as)';
  }
  const provider = user['auth-provider'];
  if (provider) {
    if (provider.name === 'gcp' || provider.name === 'azure') return `the ${provider.name} auth-provider has been removed from kubectl`;
    // oidc is the only provider kubectl still registers; any other name (an empty one too) has no plugin.
    if (provider.name !== 'oidc') return `kubectl has no auth-provider named "${provider.name ?? ''}" (only oidc)`;
    if (!(has(provider.config?.['idp-issuer-url']) && has(provider.config?.['client-id']))) {
      return 'its oidc auth-provider lacks idp-issuer-url or client-id';
    }
  }
  return undefined;
}
