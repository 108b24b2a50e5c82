import { invalidInput } from '../errors';
import type { Streams } from '../output/streams';
import type { CommandArgs, EXEC_CREDENTIAL_OPTIONS } from './options';
import { EXEC_API_VERSION, readStore } from '../usecases/lifecycle/token-store';

export type ExecCredentialArgs = CommandArgs<typeof EXEC_CREDENTIAL_OPTIONS>;

const API_VERSIONS = new Set(['client.authentication.k8s.io/v1', 'client.authentication.k8s.io/v1beta1']);

/** The apiVersion kubectl asks for in KUBERNETES_EXEC_INFO (an ExecCredential with only spec), else v1. */
function requestedApiVersion(env: NodeJS.ProcessEnv): string {
  try {
    const apiVersion = (JSON.parse(env.KUBERNETES_EXEC_INFO ?? '') as { apiVersion?: unknown }).apiVersion;
    return typeof apiVersion === 'string' && API_VERSIONS.has(apiVersion) ? apiVersion : EXEC_API_VERSION;
  } catch {
    return EXEC_API_VERSION;
  }
}

/**
 * kubectl's credential plugin protocol: prints the ExecCredential for a stored token. An expiry is passed on
 * while it lies ahead; a past one is left out, since client-go would re-run the plugin on every request.
 */
export async function execCredential(args: ExecCredentialArgs, streams: Streams): Promise<void> {
  if (!args.file) throw invalidInput('exec-credential needs --file STORE_FILE (kubectl runs it from a user entry that `kubectl cwtoken store` wrote)');
  const stored = readStore(args.file);
  const expires = stored.expiresAt ? new Date(stored.expiresAt) : undefined;
  const status = {
    token: stored.token,
    ...(expires && expires.getTime() > Date.now() ? { expirationTimestamp: expires.toISOString().replace(/\.\d{3}Z$/, 'Z') } : {}),
  };
  streams.secret(`${JSON.stringify({ apiVersion: requestedApiVersion(streams.env), kind: 'ExecCredential', spec: {}, status })}\n`);
}
