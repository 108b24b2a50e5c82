import { isIP } from 'node:net';
import { domainToASCII } from 'node:url';

/**
 * The proxy kubectl uses to reach an https server: the cluster's proxy-url when it has one (client-go then
 * proxies every request, loopback included), else Go's http.ProxyFromEnvironment — HTTPS_PROXY (or
 * https_proxy) unless NO_PROXY (or no_proxy) matches, and never for localhost or a loopback address.
 * Undefined means a direct connection.
 */
export function proxyFor(server: string, clusterProxy: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  if (clusterProxy) return clusterProxy;
  const proxy = envAny(env, 'HTTPS_PROXY', 'https_proxy');
  if (!proxy) return undefined;
  const url = new URL(server);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  const port = url.port || '443';
  return useProxy(host, port, envAny(env, 'NO_PROXY', 'no_proxy') ?? '') ? withScheme(proxy) : undefined;
}

/** The first of the names that is set and not empty, as Go's getEnvAny reads them. */
function envAny(env: NodeJS.ProcessEnv, ...names: string[]): string | undefined {
  for (const name of names) if (env[name]) return env[name];
  return undefined;
}

/** Go's parseProxy: "proxy:3128" means http://proxy:3128. */
function withScheme(proxy: string): string {
  try {
    const url = new URL(proxy);
    if (url.host) return proxy;
  } catch {
    // no scheme: below
  }
  return `http://${proxy}`;
}

/** golang.org/x/net/http/httpproxy's useProxy, with NO_PROXY parsed as its config does. */
function useProxy(host: string, port: string, noProxy: string): boolean {
  if (host === 'localhost' || isLoopback(host)) return false;
  for (const raw of noProxy.split(',')) {
    const entry = raw.trim().toLowerCase();
    if (!entry) continue;
    if (entry === '*') return false;
    if (entry.includes('/')) {
      if (isIP(host) && inCidr(host, entry)) return false;
      continue;
    }
    const { host: pattern, port: wanted } = splitHostPort(entry);
    if (!pattern) continue;
    if (isIP(pattern)) {
      if (isIP(host) && sameIp(pattern, host) && (!wanted || wanted === port)) return false;
      continue;
    }
    // "foo.com" matches foo.com and its subdomains; ".foo.com" and "*.foo.com" only the subdomains.
    const exact = !pattern.startsWith('.') && !pattern.startsWith('*.');
    const suffix = domainToASCII(exact ? `.${pattern}` : pattern.replace(/^\*/, '')) || pattern;
    if ((host.endsWith(suffix) || (exact && host === suffix.slice(1))) && (!wanted || wanted === port)) return false;
  }
  return true;
}

function splitHostPort(entry: string): { host: string; port?: string } {
  const bracketed = /^\[([^\]]*)\]:(\d+)$/.exec(entry);
  if (bracketed) return { host: bracketed[1], port: bracketed[2] };
  const hostPort = /^([^:]*):(\d+)$/.exec(entry);
  if (hostPort) return { host: hostPort[1], port: hostPort[2] };
  return { host: entry };
}

function isLoopback(host: string): boolean {
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) return sameIp(host, '::1') || /^::ffff:127\./.test(host);
  return false;
}

function sameIp(a: string, b: string): boolean {
  return isIP(a) === 6 || isIP(b) === 6 ? expand6(a).join(':') === expand6(b).join(':') : a === b;
}

/** An IPv6 address as eight 16-bit groups (IPv4 addresses as their IPv4-mapped form). */
function expand6(ip: string): number[] {
  if (isIP(ip) === 4) return [0, 0, 0, 0, 0, 0xffff, ...v4Groups(ip)];
  let text = ip;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  let tail: number[] = [];
  if (v4) {
    tail = v4Groups(v4[1]);
    text = text.slice(0, -v4[1].length).replace(/:$/, '') || ':';
  }
  const [head, rest] = text.split('::');
  const left = head ? head.split(':').map((g) => parseInt(g, 16)) : [];
  const right = rest !== undefined && rest ? rest.split(':').map((g) => parseInt(g, 16)) : [];
  const missing = 8 - tail.length - left.length - right.length;
  return [...left, ...(rest !== undefined ? new Array(missing).fill(0) : []), ...right, ...tail];
}

function v4Groups(ip: string): number[] {
  const [a, b, c, d] = ip.split('.').map(Number);
  return [(a << 8) | b, (c << 8) | d];
}

function inCidr(ip: string, cidr: string): boolean {
  const [base, bitsText] = cidr.split('/');
  const bits = Number(bitsText);
  if (!isIP(base) || !Number.isInteger(bits)) return false;
  if ((isIP(base) === 4) !== (isIP(ip) === 4) && !(isIP(base) === 6 && isIP(ip) === 4)) return false;
  const width = isIP(base) === 4 ? 32 : 128;
  if (bits < 0 || bits > width) return false;
  const toBits = (addr: string) =>
    (isIP(base) === 4 ? v4Groups(addr).map((g) => g.toString(2).padStart(16, '0')) : expand6(addr).map((g) => g.toString(2).padStart(16, '0'))).join('');
  return toBits(ip).slice(0, bits) === toBits(base).slice(0, bits);
}
