import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as tls from 'node:tls';
import { CwError, errorCode } from '../errors';
import { resolveRelative } from '../kubeconfig/paths';
import type { Cluster, Entry } from '../kubeconfig/model';
import { redact } from '../secrets/redact';
import { withSpinner } from '../output/spinner';
import type { Output } from '../output/streams';
import type { ObservableMiddleware } from './client-node';
import { ClientNode, loadClientNode } from './load-client-node';
import { proxyFor } from './proxy';

/** Who the API server says a token belongs to (a SelfSubjectReview's status.userInfo). */
export interface Identity {
  username: string;
  uid?: string;
  groups: string[];
}

/** The API server answered 401: the token is not (or no longer) valid there. Other failures prove nothing about it. */
export class TokenRejected extends CwError {
  name = 'TokenRejected';
}

export interface VerifyTarget {
  cluster: Entry<Cluster>;
  token: string;
  timeoutMs: number;
  /** Where HTTPS_PROXY / NO_PROXY come from: the CLI's environment. */
  env: NodeJS.ProcessEnv;
}

/**
 * Asks the cluster's API server who `token` is (POST authentication.k8s.io/v1 SelfSubjectReview), over TLS set
 * up as kubectl sets it up from the cluster entry. Any failure is a one-line `verify` error that never contains
 * the token.
 */
export async function verifyToken(target: VerifyTarget, streams: Output): Promise<Identity> {
  return withSpinner(streams, `verifying the token with ${target.cluster.value.server ?? 'the API server'}`, () => checkToken(target));
}

/** verifyToken without a spinner, for callers that check several servers under one. */
export async function checkToken(target: VerifyTarget): Promise<Identity> {
  const { cluster, token } = target;
  try {
    return await review(target, httpsServer(cluster));
  } catch (e) {
    const error = e instanceof CwError ? e : verifyError(`verifying the token failed: ${(e as Error).message}`);
    // Defence in depth: a server or library could echo the Authorization header back into a message.
    const scrub = (text: string) => (token ? text.split(token).join(redact(token)) : text);
    const Kind = error instanceof TokenRejected ? TokenRejected : CwError;
    throw new Kind(error.kind, scrub(error.message), { detail: error.detail && scrub(error.detail), hint: error.hint });
  }
}

async function review({ cluster, token, timeoutMs, env }: VerifyTarget, server: string): Promise<Identity> {
  const insecure = cluster.value['insecure-skip-tls-verify'] === true;
  const caData = certificateAuthority(cluster) ?? (insecure ? undefined : systemCertificateAuthorities());
  const k8s = await loadClientNode();
  const config = new k8s.KubeConfig();
  const { value } = cluster;
  const proxy = proxyFor(server, value['proxy-url'] || undefined, env);
  config.loadFromClusterAndUser(
    {
      name: cluster.name,
      server,
      caData,
      skipTLSVerify: insecure,
      tlsServerName: value['tls-server-name'] || undefined,
      proxyUrl: proxy,
    },
    { name: 'cwtoken', token },
  );
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const answer = await config
      .makeApiClient(k8s.AuthenticationV1Api)
      .createSelfSubjectReview(
        { body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' } },
        { middleware: [abortOn(k8s, signal)], middlewareMergeStrategy: 'append' },
      );
    const user = answer.status?.userInfo;
    if (!user?.username) throw verifyError(`the API server at ${server} accepted the token but its SelfSubjectReview names no user`);
    return { username: user.username, ...(user.uid ? { uid: user.uid } : {}), groups: user.groups ?? [] };
  } catch (e) {
    if (e instanceof CwError) throw e;
    if (signal.aborted) {
      throw verifyError(
        `the API server at ${server} did not answer within ${timeoutMs / 1000} s; check that it is reachable, or allow more time with --timeout`,
      );
    }
    if (e instanceof k8s.ApiException) throw statusError(server, e.code, statusMessage(e.body));
    if (e instanceof k8s.FetchError) throw networkError(cluster, server, e.code ?? '', e.message, proxy);
    throw e;
  }
}

/** client-node sets no deadline of its own; node-fetch aborts the whole request (connect, TLS, body) on this signal. */
function abortOn(k8s: ClientNode, signal: AbortSignal): ObservableMiddleware {
  return {
    pre: (request) => {
      request.setSignal(signal);
      return new k8s.Observable(Promise.resolve(request));
    },
    post: (response) => new k8s.Observable(Promise.resolve(response)),
  };
}

/** The server URL without trailing slashes, which client-node would double; https only, like kubectl's tokens. */
function httpsServer(cluster: Entry<Cluster>): string {
  const server = (cluster.value.server ?? '').replace(/\/+$/, '');
  if (!server) throw verifyError(`${describe(cluster)} has no server, so there is no API server to verify the token with`);
  if (!/^https:\/\//i.test(server)) {
    throw verifyError(
      `the server of ${describe(cluster)} is "${server}": kubectl sends bearer tokens only over https://, so the token cannot be verified there`,
    );
  }
  return server;
}

/**
 * The CA to trust, base64 as in certificate-authority-data. kubectl lets the data win over the file; client-node
 * would read the file first, so it gets only the one kubectl uses. The file is read here to name it on failure.
 */
/**
 * A cluster entry without a CA: kubectl (Go) then trusts the operating system's store (on Linux the files
 * SSL_CERT_FILE and SSL_CERT_DIR name, else the distribution's bundle), where Node would trust its own bundled
 * roots. Node >= 22 (the standalone binary) reads the same system store; older Node keeps its default.
 */
function systemCertificateAuthorities(): string | undefined {
  const getCACertificates = (tls as { getCACertificates?: (type: 'system') => string[] }).getCACertificates;
  // Go skips SSL_CERT_DIR entries that do not exist; OpenSSL would print a complaint about each on stderr.
  const dirs = process.env.SSL_CERT_DIR;
  if (dirs !== undefined)
    process.env.SSL_CERT_DIR = dirs
      .split(path.delimiter)
      .filter((d) => d && existsSync(d))
      .join(path.delimiter);
  const certificates = getCACertificates?.('system') ?? [];
  return certificates.length ? Buffer.from(certificates.join('\n')).toString('base64') : undefined;
}

function certificateAuthority(cluster: Entry<Cluster>): string | undefined {
  const { value } = cluster;
  if (value['certificate-authority-data']) return value['certificate-authority-data'];
  if (!value['certificate-authority']) return undefined;
  const file = resolveRelative(value['certificate-authority'], cluster.origin);
  try {
    return readFileSync(file).toString('base64');
  } catch (e) {
    const code = errorCode(e);
    throw verifyError(`certificate-authority "${file}" of ${describe(cluster)} cannot be read (${code}); fix the path or use certificate-authority-data`);
  }
}

function statusError(server: string, code: number, message: string | undefined): CwError {
  const said = message ? `: ${message}` : '';
  switch (code) {
    case 401:
      return new TokenRejected(
        'verify',
        `the API server at ${server} rejected the token (401 Unauthorized): it is wrong, expired or revoked, or belongs to another cluster`,
      );
    case 403:
      return verifyError(
        `the API server at ${server} authenticated the token but refused to say who it is (403 Forbidden${said}); ask the cluster's administrators to allow SelfSubjectReview`,
      );
    case 404:
      return verifyError(
        `the API server at ${server} does not serve authentication.k8s.io/v1 SelfSubjectReview (404 Not Found): it needs Kubernetes 1.28 or later`,
      );
    default:
      return verifyError(`the API server at ${server} answered the SelfSubjectReview with HTTP ${code}${said}`);
  }
}

/** The `message` of a Kubernetes Status body, when the server sent one. */
function statusMessage(body: unknown): string | undefined {
  try {
    const status: unknown = typeof body === 'string' ? JSON.parse(body) : body;
    const message = (status as { message?: unknown } | undefined)?.message;
    return typeof message === 'string' && message ? message : undefined;
  } catch {
    return undefined;
  }
}

const UNKNOWN_CA = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
]);

function networkError(cluster: Entry<Cluster>, server: string, code: string, detail: string, proxy: string | undefined): CwError {
  const where = describe(cluster);
  const host = new URL(server).hostname;
  const fail = (message: string) => verifyError(message, detail);
  if (proxy && !/CERT|TLS|SSL|EPROTO/.test(code)) {
    const source = cluster.value['proxy-url'] ? `the proxy-url of ${where}` : 'HTTPS_PROXY (NO_PROXY lists the hosts reached directly)';
    return fail(`cannot reach the API server at ${server} through the proxy ${redactProxy(proxy)} (${code || detail || 'network error'}); check ${source}`);
  }
  if (UNKNOWN_CA.has(code)) {
    return fail(
      `the TLS certificate of ${server} is signed by an unknown certificate authority (${code}); set certificate-authority-data or certificate-authority of ${where} to the CA that signed it`,
    );
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    const name = cluster.value['tls-server-name'] || host;
    return fail(`the TLS certificate of ${server} is not valid for the name "${name}" (${code}); check the server URL or tls-server-name of ${where}`);
  }
  if (code === 'CERT_HAS_EXPIRED') return fail(`the TLS certificate of ${server} has expired (${code})`);
  if (code === 'CERT_NOT_YET_VALID') return fail(`the TLS certificate of ${server} is not valid yet (${code}); check this machine's clock`);
  if (code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL') || code === 'EPROTO' || /CERT/.test(code)) {
    return fail(`the TLS handshake with ${server} failed (${code})`);
  }
  if (code === 'ECONNREFUSED') {
    return fail(`cannot connect to the API server at ${server}: connection refused; check the server of ${where} and that the cluster is up`);
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return fail(`cannot resolve the host "${host}" of the API server at ${server} (${code}); check the server of ${where} and your DNS`);
  }
  return fail(`cannot reach the API server at ${server} (${code || 'network error'})`);
}

/** A proxy URL without its password. */
function redactProxy(proxy: string): string {
  try {
    const url = new URL(proxy);
    if (url.password) url.password = '…';
    return url.toString().replace(/\/$/, '');
  } catch {
    return proxy;
  }
}

const describe = (cluster: Entry<Cluster>) => `cluster "${cluster.name}" (${cluster.origin.file})`;
const verifyError = (message: string, detail?: string) => new CwError('verify', message, { detail });
