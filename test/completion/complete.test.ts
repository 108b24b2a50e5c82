/** cobra's __complete protocol, as a table: the words typed so far → the candidates and the directive. */
import { COMMANDS } from '../../src/cli/commands';
import { complete, DIRECTIVE, formatCompletion } from '../../src/completion/complete';
import { kubeconfig } from '../support/builder';
import { useTempDir } from '../support/tmp';

const tmp = useTempDir();
const env = () => ({ KUBECONFIG: tmp.file('config', kubeconfig().cw('west', 'T-w', 'token').cw('east', 'T-e', 'ci').current('east').yaml()) });

test.each<[string[], string[], keyof typeof DIRECTIVE]>([
  [
    [''],
    [
      'get',
      'contexts',
      'doctor',
      'use',
      'set',
      'rotate',
      'import',
      'undo',
      'verify',
      'clusters',
      'status',
      'store',
      'unstore',
      'exec-credential',
      'completion',
      'help',
      'version',
    ],
    'noFileComp',
  ],
  [['ge'], ['get'], 'noFileComp'],
  [['get', '--he'], ['--header'], 'noFileComp'],
  [['get', '--context', ''], ['east', 'west'], 'noFileComp'],
  [['get', '--context', 'e'], ['east'], 'noFileComp'],
  [['get', '--user', ''], ['ci', 'token'], 'noFileComp'],
  [['get', '-o', ''], ['json', 'yaml'], 'noFileComp'],
  [['contexts', '-o', 'n'], ['name'], 'noFileComp'],
  [['use', ''], ['east', 'west'], 'noFileComp'],
  [['inject', '--user', 'c'], ['ci'], 'noFileComp'],
  [['import', ''], [], 'default'], // file names: the shell's own completion
  [['get', '--kubeconfig', ''], [], 'default'],
  [['doctor', ''], [], 'noFileComp'],
])('%j', async (words, candidates, directive) => {
  // The names only: each candidate's description (`name<TAB>description`) is test/completion/descriptions.test.ts's.
  const { candidates: got, directive: gotDirective } = await complete(COMMANDS, words, env());
  expect({ candidates: got.map((c) => c.split('\t')[0]), directive: gotDirective }).toEqual({ candidates, directive: DIRECTIVE[directive] });
});

test('a broken kubeconfig completes to nothing rather than failing', async () => {
  const broken = { KUBECONFIG: tmp.file('broken', 'users: [') };
  expect(await complete(COMMANDS, ['use', ''], broken)).toEqual({ candidates: [], directive: DIRECTIVE.noFileComp });
});

test('the output is one candidate per line, then :directive', () => {
  expect(formatCompletion({ candidates: ['a', 'b'], directive: 4 })).toBe('a\nb\n:4\n');
});
