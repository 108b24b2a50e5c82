import { proxyFor } from '../../src/auth/proxy';

const API = new URL('https://api.coreweave.com/v1beta1/cks/clusters');
const proxy = (url: URL, env: NodeJS.ProcessEnv) => proxyFor(url, env)?.href;

describe('proxyFor (Go httpproxy rules, as kubectl)', () => {
  test('HTTPS_PROXY (or https_proxy) is used for an https URL; a value without a scheme is http://', () => {
    expect(proxy(API, { HTTPS_PROXY: 'http://proxy.corp:3128' })).toBe('http://proxy.corp:3128/');
    expect(proxy(API, { https_proxy: 'proxy.corp:3128' })).toBe('http://proxy.corp:3128/');
    expect(proxy(API, { HTTP_PROXY: 'http://proxy.corp:3128' })).toBeUndefined();
  });

  test.each([
    ['*', true],
    ['api.coreweave.com', true],
    ['coreweave.com', true],
    ['.coreweave.com', true],
    ['other.com,coreweave.com', true],
    ['api.coreweave.com:443', true],
    ['api.coreweave.com:8443', false],
    ['weave.com', false],
    ['', false],
  ])('NO_PROXY=%s bypasses the proxy: %s', (noProxy, bypassed) => {
    expect(proxy(API, { HTTPS_PROXY: 'http://p:1', NO_PROXY: noProxy }) === undefined).toBe(bypassed);
  });

  test('.domain matches subdomains only', () => {
    expect(proxy(new URL('https://coreweave.com/'), { HTTPS_PROXY: 'http://p:1', NO_PROXY: '.coreweave.com' })).toBe('http://p:1/');
  });

  test('IPs and CIDRs in NO_PROXY; localhost and loopback never use a proxy', () => {
    const env = { HTTPS_PROXY: 'http://p:1', NO_PROXY: '10.0.0.0/8' };
    expect(proxy(new URL('https://10.1.2.3/'), env)).toBeUndefined();
    expect(proxy(new URL('https://11.1.2.3/'), env)).toBe('http://p:1/');
    expect(proxy(new URL('https://127.0.0.1:6443/'), { HTTPS_PROXY: 'http://p:1' })).toBeUndefined();
    expect(proxy(new URL('https://localhost/'), { HTTPS_PROXY: 'http://p:1' })).toBeUndefined();
  });
});
