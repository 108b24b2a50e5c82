/**
 * Why the kubeconfig is read by this project's own core, and @kubernetes/client-node is only the API client: on
 * the chains CoreWeave users have, client-node 1.4.0's loader fails where kubectl (client-go) reads them fine.
 * If a client-node upgrade ever agrees with kubectl here, these tests say so, and the README's claim must change.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { kubeconfig } from '../support/builder';
import { cwtoken } from '../support/cli';
import { cleanEnv, describeWithKubectl, kubectl } from '../support/kubectl';
import { useTempDir } from '../support/tmp';

const TOKEN_A = 'CW-SECRET-aaaaaaaaaaaaaaaaaaaaaaaaaaaa1111';
const TOKEN_B = 'CW-SECRET-bbbbbbbbbbbbbbbbbbbbbbbbbbbb2222';
const ROOT = path.resolve(__dirname, '../..');

type Loaded = { token?: string; context?: string } | { error: string };

/** client-node itself, as ESM in its own Node process (jest cannot load it): loadFromFile(file) or loadFromDefault(). */
function clientNode(env: Record<string, string>, file?: string): Loaded {
  const script = `
    import { KubeConfig } from '@kubernetes/client-node';
    const kc = new KubeConfig();
    try {
      process.argv[1] ? kc.loadFromFile(process.argv[1]) : kc.loadFromDefault();
      console.log(JSON.stringify({ context: kc.getCurrentContext(), token: kc.getCurrentUser()?.token }));
    } catch (e) {
      console.log(JSON.stringify({ error: e.message }));
    }`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script, ...(file ? [file] : [])], {
    cwd: ROOT,
    encoding: 'utf8',
    env: cleanEnv(env),
  });
  return JSON.parse(run.stdout) as Loaded;
}

/** The token kubectl sends for the current context. */
const kubectlToken = (env: Record<string, string>) => kubectl(['config', 'view', '--raw', '--minify', '-o', 'jsonpath={.users[0].user.token}'], env).stdout;

describeWithKubectl('client-node 1.4.0 loads kubeconfigs differently from kubectl', () => {
  const tmp = useTempDir();
  const downloads = () => [
    tmp.file('CWKubeconfig_lga1', kubeconfig().cw('lga1', TOKEN_A).current('lga1').yaml()),
    tmp.file('CWKubeconfig_ord1', kubeconfig().cw('ord1', TOKEN_B).current('ord1').yaml()),
  ];

  test('one download: all three agree', () => {
    const [a] = downloads();
    expect(clientNode({}, a)).toEqual({ context: 'lga1', token: TOKEN_A });
    expect(kubectlToken({ KUBECONFIG: a })).toBe(TOKEN_A);
    expect(cwtoken(['get', '--kubeconfig', a]).stdout).toBe(`${TOKEN_A}\n`);
  });

  test('the CoreWeave chain of two downloads: client-node throws "Duplicate user: token"; kubectl and cwtoken read it', () => {
    const env = { KUBECONFIG: downloads().join(path.delimiter) };
    expect(clientNode(env)).toEqual({ error: 'Duplicate user: token' });
    // client-go: the first file's definition of a name wins, and the first current-context.
    expect(kubectlToken(env)).toBe(TOKEN_A);
    expect(cwtoken(['get'], { env }).stdout).toBe(`${TOKEN_A}\n`);
  });

  test('a KUBECONFIG entry that does not exist: client-node throws ENOENT; kubectl and cwtoken skip it', () => {
    const [a] = downloads();
    const env = { KUBECONFIG: [path.join(tmp.dir, 'missing'), a].join(path.delimiter) };
    expect(clientNode(env)).toEqual({ error: expect.stringContaining('ENOENT') });
    expect(kubectlToken(env)).toBe(TOKEN_A);
    expect(cwtoken(['get'], { env }).stdout).toBe(`${TOKEN_A}\n`);
  });
});
