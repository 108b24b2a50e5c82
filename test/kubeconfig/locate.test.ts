import { defaultFilename, locateChain } from '../../src/kubeconfig/locate';

describe('which kubeconfig files are read', () => {
  test('--kubeconfig names the only file, even when KUBECONFIG is set', () => {
    expect(locateChain({ kubeconfig: '/x/given', env: { KUBECONFIG: '/a:/b', HOME: '/h' } })).toEqual({ explicit: true, paths: ['/x/given'] });
  });

  test('KUBECONFIG is split on the path delimiter, in order', () => {
    expect(locateChain({ env: { KUBECONFIG: '/a:/b:/c', HOME: '/h' }, delimiter: ':' }).paths).toEqual(['/a', '/b', '/c']);
  });

  test('empty KUBECONFIG entries are dropped', () => {
    expect(locateChain({ env: { KUBECONFIG: ':/a::/b:', HOME: '/h' }, delimiter: ':' }).paths).toEqual(['/a', '/b']);
  });

  test('exact duplicates in KUBECONFIG are read once, at their first position', () => {
    expect(locateChain({ env: { KUBECONFIG: '/b:/a:/b', HOME: '/h' }, delimiter: ':' }).paths).toEqual(['/b', '/a']);
  });

  test('Windows uses ; as the delimiter', () => {
    expect(locateChain({ env: { KUBECONFIG: 'C:\\a;C:\\b' }, delimiter: ';' }).paths).toEqual(['C:\\a', 'C:\\b']);
  });

  test('without KUBECONFIG the chain is ~/.kube/config', () => {
    expect(locateChain({ env: { HOME: '/home/me' } })).toEqual({ explicit: false, paths: ['/home/me/.kube/config'] });
  });

  test('an empty KUBECONFIG counts as unset', () => {
    expect(locateChain({ env: { KUBECONFIG: '', HOME: '/home/me' } }).paths).toEqual(['/home/me/.kube/config']);
  });
});

describe('the file kubectl writes new entries to (GetDefaultFilename)', () => {
  const exists = (present: string[]) => (p: string) => present.includes(p);

  test('the explicit file', () => {
    expect(defaultFilename({ explicit: true, paths: ['/x'] }, exists([]))).toBe('/x');
  });

  test('the only KUBECONFIG entry, even when it does not exist', () => {
    expect(defaultFilename({ explicit: false, paths: ['/only'] }, exists([]))).toBe('/only');
  });

  test('else the first entry that exists', () => {
    expect(defaultFilename({ explicit: false, paths: ['/a', '/b', '/c'] }, exists(['/b', '/c']))).toBe('/b');
  });

  test('else the last entry', () => {
    expect(defaultFilename({ explicit: false, paths: ['/a', '/b', '/c'] }, exists([]))).toBe('/c');
  });
});
