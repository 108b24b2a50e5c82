/**
 * The CoreWeave API (https://api.coreweave.com/, or COREWEAVE_API_ENDPOINT) over Node's own https: it needs
 * none of client-node's weight. The same Console token that CKS clusters accept is a Bearer token here, and
 * `GET /v1beta1/cks/clusters` is the practical check that a token is valid, independent of any cluster.
 * Like CoreWeave's own client it times out after 10 s and retries only idempotent calls on 502/503/504, a
 * bounded number of times, backing off. Proxies are honoured as Go (kubectl) honours them.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import type { Socket } from 'node:net';
import * as tls from 'node:tls';
import { CwError, errno } from '../errors';
import { proxyFor } from './proxy';

export const DEFAULT_ENDPOINT = 'https://api.coreweave.com/';
export const DEFAULT_TIMEOUT_MS = 10_000;

/** Why a call failed, for a table cell or a script; the message says what to do. */
export type ApiFailure = 'unauthorized' | 'forbidden' | 'tls' | 'dns' | 'timeout' | 'proxy' | 'unreachable' | 'malformed' | 'http';

export class CoreWeaveApiError extends CwError {
  constructor(
    readonly reason: ApiFailure,
    message: string,
    detail?: string,
  ) {
    super('verify', message, { detail });
  }
}

/** One CKS cluster as GET /v1beta1/cks/clusters lists it (the fields this plugin uses). */
export interface CksCluster {
  id: string;
  name: string;
  zone: string;
  /** As the API spells it: STATUS_RUNNING, or a short form (RUNNING). */
  status: string;
  version: string;
  public?: boolean;
  /** A bare host name (no scheme), e.g. ab1cd2-x.k8s.us-east-04a.coreweave.com. Empty while creating. */
  apiServerEndpoint: string;
}

export interface ApiOptions {
  token: string;
  timeoutMs?: number;
  /** Attempts in all for an idempotent call answered 502/503/504. */
  attempts?: number;
  /** The first back-off; each retry waits twice as long as the one before. */
  backoffMs?: number;
  /** The CLI's environment: COREWEAVE_API_ENDPOINT (else https://api.coreweave.com/) and the proxy variables. */
  env: NodeJS.ProcessEnv;
}

/** `STATUS_RUNNING` and `RUNNING` alike, as `running`. */
export const clusterState = (status: string) => status.replace(/^STATUS_/i, '').toLowerCase();

export const apiEndpoint = (env: NodeJS.ProcessEnv) => env.COREWEAVE_API_ENDPOINT || DEFAULT_ENDPOINT;

/** Every CKS cluster the token can read, across zones (no pagination is documented). */
export async function listClusters(options: ApiOptions): Promise<CksCluster[]> {
  const { url, body } = await get(options, 'v1beta1/cks/clusters');
  const items = (body as { items?: unknown } | null)?.items;
  if (!Array.isArray(items)) throw malformed(url, 'it has no "items" list');
  return items.map((item, i) => cluster(item, i, url));
}

function cluster(item: unknown, index: number, url: URL): CksCluster {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) throw malformed(url, `items[${index}] is not an object`);
  const value = item as Record<string, unknown>;
  const text = (field: string, required: boolean): string => {
    const v = value[field];
    if (typeof v === 'string' && (v || !required)) return v;
    if (v === undefined && !required) return '';
    throw malformed(url, `items[${index}].${field} is ${v === undefined ? 'missing' : 'not a string'}`);
  };
  const endpoint = text('apiServerEndpoint', false);
  if (endpoint && !/^[A-Za-z0-9.-]+(:\d+)?$/.test(endpoint)) throw malformed(url, `items[${index}].apiServerEndpoint is not a host name`);
  return {
    id: text('id', false),
    name: text('name', true),
    zone: text('zone', false),
    status: text('status', false),
    version: text('version', false),
    ...(typeof value.public === 'boolean' ? { public: value.public } : {}),
    apiServerEndpoint: endpoint,
  };
}

/** An idempotent GET, retried on 502/503/504; the parsed JSON body of a 2xx answer. */
async function get(options: ApiOptions, path: string): Promise<{ url: URL; body: unknown }> {
  const url = resolve(apiEndpoint(options.env), path);
  const attempts = Math.max(1, options.attempts ?? 3);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  for (let attempt = 1; ; attempt++) {
    const answer = await once(url, options.token, timeoutMs, options.env);
    if ([502, 503, 504].includes(answer.status) && attempt < attempts) {
      await sleep((options.backoffMs ?? 250) * 2 ** (attempt - 1));
      continue;
    }
    if (answer.status >= 200 && answer.status < 300) {
      try {
        return { url, body: JSON.parse(answer.text) };
      } catch {
        throw malformed(url, 'it is not JSON');
      }
    }
    throw statusError(url, answer.status, answer.text, attempt);
  }
}

function resolve(endpoint: string, path: string): URL {
  let base: URL;
  try {
    base = new URL(endpoint.endsWith('/') ? endpoint : `${endpoint}/`);
  } catch {
    throw new CwError('invalid-input', `COREWEAVE_API_ENDPOINT "${endpoint}" is not a URL; unset it to use ${DEFAULT_ENDPOINT}`);
  }
  if (base.protocol !== 'https:') {
    throw new CwError('invalid-input', `COREWEAVE_API_ENDPOINT "${endpoint}" is not https://: the token is sent only over TLS`);
  }
  return new URL(path, base);
}

const MAX_BODY = 16 * 1024 * 1024;

interface Answer {
  status: number;
  text: string;
}

async function once(url: URL, token: string, timeoutMs: number, env: NodeJS.ProcessEnv): Promise<Answer> {
  const signal = AbortSignal.timeout(timeoutMs);
  const proxyUrl = proxyFor(url.toString(), undefined, env);
  const proxy = proxyUrl === undefined ? undefined : new URL(proxyUrl);
  const port = Number(url.port || 443);
  try {
    const socket = proxy ? await tunnel(proxy, url.hostname, port, signal) : undefined;
    return await new Promise<Answer>((resolveAnswer, reject) => {
      const request = https.request(
        {
          host: url.hostname,
          port,
          path: `${url.pathname}${url.search}`,
          method: 'GET',
          headers: { Authorization: `Bearer ${token}`, Accept: 'application/json', 'User-Agent': 'kubectl-cwtoken' },
          signal,
          ca: trustedCertificates(),
          ...(socket ? { createConnection: () => tls.connect({ socket, servername: url.hostname, ca: trustedCertificates() }) } : {}),
        },
        (response) => {
          const chunks: Buffer[] = [];
          let size = 0;
          response.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_BODY) request.destroy(new Error('the answer is larger than 16 MiB'));
            else chunks.push(chunk);
          });
          response.on('end', () => resolveAnswer({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
          response.on('error', reject);
        },
      );
      request.on('error', reject);
      request.end();
    });
  } catch (e) {
    if (e instanceof CwError) throw e;
    if (signal.aborted) {
      throw new CoreWeaveApiError(
        'timeout',
        `the CoreWeave API at ${url.origin} did not answer within ${timeoutMs / 1000} s; check your network (or proxy), or allow more time with --timeout`,
      );
    }
    throw networkError(url, e, proxy);
  }
}

let trusted: string[] | undefined;

/**
 * Node's own roots and NODE_EXTRA_CA_CERTS, plus the operating system's store that kubectl (Go) trusts, where
 * this Node can read it (>= 22, as in the standalone binary): a CA a company installs for its TLS-inspecting
 * proxy is usually only there.
 */
function trustedCertificates(): string[] | undefined {
  const get = (tls as { getCACertificates?: (type: 'default' | 'system') => string[] }).getCACertificates;
  if (!get) return undefined;
  trusted ??= [...new Set([...get('default'), ...get('system')])];
  return trusted;
}

/** An HTTP CONNECT tunnel through the proxy to host:port, as Go's transport opens one for an https URL. */
function tunnel(proxy: URL, host: string, port: number, signal: AbortSignal): Promise<Socket> {
  return new Promise((resolveSocket, reject) => {
    const auth = proxy.username
      ? { 'Proxy-Authorization': `Basic ${Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString('base64')}` }
      : {};
    const request = http.request({
      host: proxy.hostname,
      port: Number(proxy.port || 80),
      method: 'CONNECT',
      path: `${host}:${port}`,
      headers: { Host: `${host}:${port}`, ...auth },
      signal,
    });
    request.once('connect', (response, socket) => {
      if (response.statusCode === 200) return resolveSocket(socket);
      socket.destroy();
      reject(
        new CoreWeaveApiError(
          'proxy',
          `the proxy ${proxy.host} refused to connect to ${host}:${port} (HTTP ${response.statusCode}); check HTTPS_PROXY and NO_PROXY`,
        ),
      );
    });
    request.once('error', (e) => reject(Object.assign(e, { viaProxy: true })));
    request.end();
  });
}

const UNKNOWN_CA = /SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/;

function networkError(url: URL, e: unknown, proxy: URL | undefined): CoreWeaveApiError {
  const code = errno(e) ?? '';
  const detail = (e as Error).message;
  const where = `the CoreWeave API at ${url.origin}`;
  if ((e as { viaProxy?: boolean }).viaProxy && proxy) {
    return new CoreWeaveApiError(
      'proxy',
      `cannot connect to the proxy ${proxy.host} (${code || 'network error'}) to reach ${where}; check HTTPS_PROXY and NO_PROXY`,
      detail,
    );
  }
  if (UNKNOWN_CA.test(code)) {
    return new CoreWeaveApiError(
      'tls',
      `the TLS certificate of ${where} is signed by an unknown certificate authority (${code}); if a proxy inspects TLS, add its CA with NODE_EXTRA_CA_CERTS`,
      detail,
    );
  }
  if (code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL') || code === 'EPROTO' || /CERT/.test(code)) {
    return new CoreWeaveApiError('tls', `the TLS handshake with ${where} failed (${code})`, detail);
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new CoreWeaveApiError('dns', `cannot resolve the host "${url.hostname}" of ${where} (${code}); check COREWEAVE_API_ENDPOINT and your DNS`, detail);
  }
  if (code === 'ECONNREFUSED') return new CoreWeaveApiError('unreachable', `cannot connect to ${where}: connection refused`, detail);
  return new CoreWeaveApiError('unreachable', `cannot reach ${where} (${code || detail})`, detail);
}

function statusError(url: URL, status: number, text: string, attempts: number): CoreWeaveApiError {
  const where = `the CoreWeave API at ${url.origin}`;
  if (status === 401) {
    return new CoreWeaveApiError(
      'unauthorized',
      `${where} rejected the token (401 Unauthorized): it is expired, revoked or mistyped; create a new token in the Cloud Console → Tokens`,
    );
  }
  if (status === 403) {
    return new CoreWeaveApiError(
      'forbidden',
      `${where} accepted the token but it may not list CKS clusters (403 Forbidden); ask an organization admin for an IAM access policy that grants it`,
    );
  }
  const said = serverMessage(text);
  const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
  return new CoreWeaveApiError('http', `${where} answered HTTP ${status}${tries}${said ? `: ${said}` : ''}`);
}

/** The `message` of a JSON error body, short, when there is one: never the raw body, which may echo a header. */
function serverMessage(text: string): string | undefined {
  try {
    const message = (JSON.parse(text) as { message?: unknown }).message;
    return typeof message === 'string' && message ? message.replace(/\s+/g, ' ').slice(0, 200) : undefined;
  } catch {
    return undefined;
  }
}

const malformed = (url: URL, why: string) =>
  new CoreWeaveApiError('malformed', `the CoreWeave API at ${url.origin} sent an answer to ${url.pathname} this plugin cannot read: ${why}`);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
