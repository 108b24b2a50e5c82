import { kubeconfig } from '../support/builder';
import { runCli } from '../support/run-cli';
import { useTempDir } from '../support/tmp';

/** cobra's answer: `name<TAB>description` lines, then `:<directive>`. */
const lines = async (words: string[]) => (await runCli(['__complete', ...words])).stdout.split('\n').filter((l) => l && !l.startsWith(':'));

describe('__complete', () => {
  const tmp = useTempDir();

  test('`completion <TAB>` offers the shells, install and uninstall', async () => {
    expect(await lines(['completion', ''])).toEqual(['bash', 'zsh', 'fish', 'powershell', 'install', 'uninstall']);
  });

  test('commands carry their description', async () => {
    expect(await lines(['ge'])).toEqual([expect.stringMatching(/^get\tPrint the bearer token/)]);
  });

  test('`help <TAB>` offers the commands', async () => {
    expect((await lines(['help', 'co'])).map((l) => l.split('\t')[0])).toEqual(['contexts', 'completion']);
  });

  test('a context is described by its cluster, a user by how it authenticates', async () => {
    const file = tmp.file(
      'config',
      kubeconfig()
        .cw('east', 'T-e')
        .user('gke', { exec: { command: 'gke-gcloud-auth-plugin', apiVersion: 'client.authentication.k8s.io/v1beta1' } })
        .yaml(),
    );
    expect(await lines(['--kubeconfig', file, 'get', '--context', ''])).toEqual(['east\tcluster east']);
    expect(await lines(['--kubeconfig', file, 'get', '--user', ''])).toEqual(['gke\texec', 'token\ttoken']);
  });
});
