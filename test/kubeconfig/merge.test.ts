import { merge } from '../../src/kubeconfig/merge';
import { KubeconfigFile, RawConfig } from '../../src/kubeconfig/model';
import { kubeconfig } from '../support/builder';

const file = (path: string, config: RawConfig): KubeconfigFile => ({ path, exists: true, text: '', config });
const missing = (path: string): KubeconfigFile => ({ path, exists: false, text: '', config: {} });

describe('merging the chain', () => {
  test('the first file that defines a name wins the whole entry', () => {
    const merged = merge([
      file('/a', kubeconfig().user('u', { token: 'A' }).build()),
      file('/b', kubeconfig().user('u', { token: 'B', tokenFile: '/tf' }).build()),
    ]);
    expect(merged.users.get('u')?.value).toEqual({ token: 'A' });
  });

  test('an entry remembers its file and index', () => {
    const merged = merge([file('/a', kubeconfig().tokenUser('x', '1').tokenUser('y', '2').build())]);
    expect(merged.users.get('y')?.origin).toEqual({ file: '/a', index: 1 });
  });

  test('an entry remembers the later definitions it shadows', () => {
    const merged = merge([
      file('/a', kubeconfig().tokenUser('token', 'A').build()),
      file('/b', kubeconfig().tokenUser('other', 'O').tokenUser('token', 'B').build()),
      file('/c', kubeconfig().tokenUser('token', 'C').build()),
    ]);
    expect(merged.users.get('token')?.shadows).toEqual([
      { file: '/b', index: 1 },
      { file: '/c', index: 0 },
    ]);
  });

  test('clusters, users and contexts merge independently', () => {
    const merged = merge([
      file('/a', kubeconfig().cluster('c1').tokenUser('u', 'A').build()),
      file('/b', kubeconfig().cluster('c1').cluster('c2').context('x', { cluster: 'c2', user: 'u' }).build()),
    ]);
    expect([...merged.clusters.keys()]).toEqual(['c1', 'c2']);
    expect(merged.clusters.get('c1')?.origin.file).toBe('/a');
    expect(merged.contexts.get('x')?.origin.file).toBe('/b');
  });

  test('current-context is the first non-empty one, and remembers its file', () => {
    const merged = merge([
      file('/a', kubeconfig().build()),
      file('/b', kubeconfig().current('second').build()),
      file('/c', kubeconfig().current('third').build()),
    ]);
    expect(merged.currentContext).toBe('second');
    expect(merged.currentContextFile).toBe('/b');
  });

  test('missing files contribute nothing', () => {
    const merged = merge([missing('/gone'), file('/a', kubeconfig().tokenUser('u', 'A').current('c').build())]);
    expect(merged.users.get('u')?.origin.file).toBe('/a');
    expect(merged.currentContext).toBe('c');
  });

  test('a null list item is the entry named "", and shadows a later one', () => {
    const merged = merge([file('/a', { users: [null] } as unknown as RawConfig), file('/b', kubeconfig().tokenUser('', 'T').build())]);
    expect(merged.users.get('')).toMatchObject({ value: {}, origin: { file: '/a', index: 0 }, shadows: [{ file: '/b', index: 0 }] });
  });

  test('an entry without a body is an empty entry, as in kubectl', () => {
    const merged = merge([file('/a', { users: [{ name: 'u', user: null }] })]);
    expect(merged.users.get('u')?.value).toEqual({});
  });
});
