import * as net from 'node:net';

/**
 * The proxy for an https URL as Go's net/http (and so kubectl) picks it from the environment
 * (golang.org/x/net/http/httpproxy): HTTPS_PROXY (or https_proxy), a value without a scheme meaning http://;
 * NO_PROXY (or no_proxy) lists hosts that go direct: `*`, an IP, a CIDR, a domain (itself and its subdomains),
 * `.domain` (subdomains only), each optionally with a port. localhost and loopback addresses never use a proxy.
 */
export function proxyFor(url: URL, env: NodeJS.ProcessEnv = process.env): URL | undefined {
  const value = env.HTTPS_PROXY || env.https_proxy;
  if (!value) return undefined;
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || isLoopback(host)) return undefined;
  const port = url.port || '443';
  const noProxy = (env.NO_PROXY || env.no_proxy || '').split(',').map((e) => e.trim().toLowerCase()).filter(Boolean);
  if (noProxy.some((entry) => bypasses(entry, host, port))) return undefined;
  try {
    const proxy = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`);
    return proxy;
  } catch {
    return undefined; // Go ignores a proxy variable it cannot parse as a URL, too
  }
}

function isLoopback(host: string): boolean {
  if (net.isIPv4(host)) return host.startsWith('127.');
  return host === '::1';
}

function bypasses(entry: string, host: string, port: string): boolean {
  if (entry === '*') return true;
  if (entry.includes('/')) return inCidr(host, entry);
  let name = entry;
  const withPort = /^(.*):(\d+)$/.exec(entry);
  if (withPort && !net.isIPv6(entry)) {
    if (withPort[2] !== port) return false;
    name = withPort[1];
  }
  name = name.replace(/^\[|\]$/g, '');
  if (net.isIP(name)) return name === host;
  if (name.startsWith('.')) return host.endsWith(name);
  return host === name || host.endsWith(`.${name}`);
}

function inCidr(host: string, cidr: string): boolean {
  const [range, bits] = cidr.split('/');
  const family = net.isIPv4(range) ? 'ipv4' : net.isIPv6(range) ? 'ipv6' : undefined;
  if (!family || net.isIP(host) === 0) return false;
  const list = new net.BlockList();
  list.addSubnet(range, Number(bits), family);
  return list.check(host, net.isIPv4(host) ? 'ipv4' : 'ipv6');
}
