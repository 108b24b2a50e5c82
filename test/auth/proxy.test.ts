/** Which proxy verification goes through: Go's http.ProxyFromEnvironment rules, and the cluster's proxy-url. */
import { proxyFor } from '../../src/auth/proxy';

const P = 'http://proxy.corp:3128';
const cases: Array<[string, string, Record<string, string>, string | undefined]> = [
  ['no proxy variable', 'https://api.example.com', {}, undefined],
  ['HTTPS_PROXY', 'https://api.example.com', { HTTPS_PROXY: P }, P],
  ['https_proxy when HTTPS_PROXY is unset', 'https://api.example.com', { https_proxy: P }, P],
  ['https_proxy when HTTPS_PROXY is empty', 'https://api.example.com', { HTTPS_PROXY: '', https_proxy: P }, P],
  ['HTTP_PROXY is for http:// only', 'https://api.example.com', { HTTP_PROXY: P }, undefined],
  ['a proxy without a scheme is http', 'https://api.example.com', { HTTPS_PROXY: 'proxy.corp:3128' }, 'http://proxy.corp:3128'],
  ['loopback is never proxied', 'https://127.0.0.1:6443', { HTTPS_PROXY: P }, undefined],
  ['all of 127/8 is loopback', 'https://127.9.9.9', { HTTPS_PROXY: P }, undefined],
  ['nor is ::1', 'https://[::1]:6443', { HTTPS_PROXY: P }, undefined],
  ['nor localhost', 'https://localhost:6443', { HTTPS_PROXY: P }, undefined],
  ['NO_PROXY=* turns it off', 'https://api.example.com', { HTTPS_PROXY: P, NO_PROXY: '*' }, undefined],
  ['NO_PROXY domain matches itself', 'https://example.com', { HTTPS_PROXY: P, NO_PROXY: 'example.com' }, undefined],
  ['NO_PROXY domain matches subdomains', 'https://api.example.com', { HTTPS_PROXY: P, NO_PROXY: 'example.com' }, undefined],
  ['NO_PROXY domain does not match a longer name', 'https://notexample.com', { HTTPS_PROXY: P, NO_PROXY: 'example.com' }, P],
  ['NO_PROXY .domain matches only subdomains', 'https://example.com', { HTTPS_PROXY: P, NO_PROXY: '.example.com' }, P],
  ['NO_PROXY *.domain is .domain', 'https://api.example.com', { HTTPS_PROXY: P, NO_PROXY: '*.example.com' }, undefined],
  ['NO_PROXY entries are trimmed and case-insensitive', 'https://API.Example.com', { HTTPS_PROXY: P, NO_PROXY: 'other.org , EXAMPLE.com' }, undefined],
  ['NO_PROXY host:port matches that port only', 'https://api.example.com:6443', { HTTPS_PROXY: P, NO_PROXY: 'api.example.com:443' }, P],
  ['NO_PROXY host:port, default port 443', 'https://api.example.com', { HTTPS_PROXY: P, NO_PROXY: 'api.example.com:443' }, undefined],
  ['NO_PROXY CIDR', 'https://10.1.2.3:6443', { HTTPS_PROXY: P, NO_PROXY: '10.0.0.0/8' }, undefined],
  ['NO_PROXY CIDR outside', 'https://11.1.2.3:6443', { HTTPS_PROXY: P, NO_PROXY: '10.0.0.0/8' }, P],
  ['NO_PROXY IP', 'https://192.168.1.10', { HTTPS_PROXY: P, NO_PROXY: '192.168.1.10' }, undefined],
  ['no_proxy when NO_PROXY is unset', 'https://api.example.com', { HTTPS_PROXY: P, no_proxy: 'example.com' }, undefined],
];

test.each(cases)('%s', (_, server, env, expected) => {
  expect(proxyFor(server, undefined, env)).toBe(expected);
});

test("the cluster's proxy-url wins over the environment and applies to loopback too, as in client-go", () => {
  expect(proxyFor('https://127.0.0.1:6443', 'socks5://127.0.0.1:1080', { HTTPS_PROXY: P, NO_PROXY: '*' })).toBe('socks5://127.0.0.1:1080');
});
