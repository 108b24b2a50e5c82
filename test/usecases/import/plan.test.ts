/** Import planning on plain data: what happens to each incoming entry, by what the target already holds. */
import { definitionsOf, planImport, ConflictPolicy } from '../../../src/usecases/import/plan';
import { parseKubeconfig } from '../../../src/kubeconfig/parse/parse';
import { kubeconfig, KubeconfigBuilder } from '../../support/builder';

/** As read from a file (the builder's own objects come from another realm under jest, and compare unequal). */
const read = (b: KubeconfigBuilder) => parseKubeconfig(b.yaml());

const download = (token: string) => read(kubeconfig().cw('lga1', token).current('lga1'));
const plan = (target: ReturnType<typeof download>, policy: ConflictPolicy, prefix?: string) =>
  planImport(definitionsOf([target]), [{ source: 'CWKubeconfig_lga1', path: '/downloads/CWKubeconfig_lga1', config: download('T-new') }], { policy, prefix });

/** One line per decision: section, incoming name → name in the target, action. */
const summary = (p: ReturnType<typeof plan>) => p.decisions.map((d) => `${d.section} ${d.incoming}→${d.name} ${d.action}`);

describe('each incoming entry gets one decision', () => {
  test.each<[string, ReturnType<typeof download>, ConflictPolicy, string | undefined, string[]]>([
    [
      'into an empty target everything is added',
      read(kubeconfig()),
      'rename',
      undefined,
      ['clusters lga1→lga1 add', 'users token→token add', 'contexts lga1→lga1 add'],
    ],
    [
      'the same download again is identical throughout',
      download('T-new'),
      'rename',
      undefined,
      ['clusters lga1→lga1 identical', 'users token→token identical', 'contexts lga1→lga1 identical'],
    ],
    [
      'a different `token` user is renamed after its context',
      download('T-old'),
      'rename',
      undefined,
      ['clusters lga1→lga1 identical', 'users token→lga1-token add', 'contexts lga1→lga1-lga1 add'],
    ],
    [
      'overwrite replaces the different user',
      download('T-old'),
      'overwrite',
      undefined,
      ['clusters lga1→lga1 identical', 'users token→token overwrite', 'contexts lga1→lga1 identical'],
    ],
    ['skip keeps the target', download('T-old'), 'skip', undefined, ['clusters lga1→lga1 identical', 'users token→token skip', 'contexts lga1→lga1 identical']],
    [
      'fail marks the conflicts',
      download('T-old'),
      'fail',
      undefined,
      ['clusters lga1→lga1 identical', 'users token→token conflict', 'contexts lga1→lga1 identical'],
    ],
    [
      'a prefix names everything apart',
      download('T-old'),
      'rename',
      'cw-',
      ['clusters lga1→cw-lga1 add', 'users token→cw-token add', 'contexts lga1→cw-lga1 add'],
    ],
  ])('%s', (_, target, policy, prefix, expected) => {
    expect(summary(plan(target, policy, prefix))).toEqual(expected);
  });
});

test('a renamed user is what the imported context refers to', () => {
  const p = plan(download('T-old'), 'rename');
  const context = p.decisions.find((d) => d.section === 'contexts');
  expect(context).toMatchObject({ action: 'add', value: { cluster: 'lga1', user: 'lga1-token' } });
  expect(p.currentContexts).toEqual(['lga1-lga1']);
});

test('relative paths of an incoming file are made absolute against its directory', () => {
  const config = read(kubeconfig().cluster('c', { server: 'https://c', 'certificate-authority': 'ca.crt' }).user('u', { tokenFile: 'tok' }));
  const p = planImport(definitionsOf([]), [{ source: 'x', path: '/downloads/x', config }], { policy: 'rename' });
  expect(p.decisions.map((d) => ('value' in d ? d.value : undefined))).toEqual([
    { server: 'https://c', 'certificate-authority': '/downloads/ca.crt' },
    { tokenFile: '/downloads/tok' },
  ]);
});

test('two downloads in one import do not shadow each other', () => {
  const other = read(kubeconfig().cw('ord1', 'T-ord').current('ord1'));
  const p = planImport(
    definitionsOf([]),
    [
      { source: 'a', path: '/d/a', config: download('T-lga') },
      { source: 'b', path: '/d/b', config: other },
    ],
    { policy: 'rename' },
  );
  expect(summary(p)).toEqual([
    'clusters lga1→lga1 add',
    'users token→token add',
    'contexts lga1→lga1 add',
    'clusters ord1→ord1 add',
    'users token→ord1-token add',
    'contexts ord1→ord1 add',
  ]);
});
