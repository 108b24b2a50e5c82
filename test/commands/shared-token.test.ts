/**
 * The shadowed `token` user of two CoreWeave downloads in front of a personal kubeconfig, against three
 * stand-in API servers that accept different tokens: real kubectl says, per context, what works afterwards.
 */
import { readFileSync } from 'node:fs';
import { ApiServer, startApiServer } from '../support/apiserver';
import { kubeconfig } from '../support/builder';
import { cwtoken } from '../support/cli';
import { describeWithKubectl, kubectl } from '../support/kubectl';
import { useTempDir } from '../support/tmp';
import { expectNoToken } from '../support/files';

const ORG = 'CW-SECRET-org00000000000000000';
const NEW_ORG = 'CW-SECRET-neworg1111111111111';
const LEGACY = 'CW-SECRET-legacy222222222222222';
const NEW_LEGACY = 'CW-SECRET-newlegacy3333333333';
const TOKENS = [ORG, NEW_ORG, LEGACY, NEW_LEGACY];
const tmp = useTempDir();

let east: ApiServer;
let west: ApiServer;
let legacy: ApiServer;
beforeAll(async () => {
  [east, west, legacy] = await Promise.all([
    startApiServer({ acceptedToken: ORG, alsoAccepted: [NEW_ORG], username: 'east-user' }),
    startApiServer({ acceptedToken: ORG, alsoAccepted: [NEW_ORG], username: 'west-user' }),
    startApiServer({ acceptedToken: LEGACY, alsoAccepted: [NEW_LEGACY], username: 'legacy-user' }),
  ]);
});
afterAll(() => Promise.all([east, west, legacy].map((s) => s.close())));

const download = (name: string, server: ApiServer) =>
  kubeconfig()
    .cluster(name, { server: server.url, 'certificate-authority-data': server.caData })
    .tokenUser('token', ORG)
    .context(name, { cluster: name, user: 'token', namespace: `tenant-${name}` })
    .current(name)
    .yaml();

/** KUBECONFIG=train-east download : infer-west download : personal config (whose own `token` is shadowed). */
function chain() {
  const downloadA = tmp.file('CWKubeconfig_east', download('train-east', east));
  const downloadB = tmp.file('CWKubeconfig_west', download('infer-west', west));
  const personalText = `# my own clusters
apiVersion: v1
kind: Config
clusters:
- name: cw-legacy
  cluster:
    server: ${legacy.url}
    certificate-authority-data: ${legacy.caData}
contexts:
- name: cw-legacy
  context:
    cluster: cw-legacy
    user: token   # the legacy org's token
users:
- name: token
  user:
    token: ${LEGACY}
`;
  const personal = tmp.file('config', personalText);
  return {
    downloadA,
    downloadB,
    personal,
    texts: { a: readFileSync(downloadA, 'utf8'), b: readFileSync(downloadB, 'utf8'), personal: personalText },
    env: { KUBECONFIG: [downloadA, downloadB, personal].join(':') },
  };
}

/** Who the API server of `context` says kubectl is, and the bearer token kubectl sent it. */
function judge(env: Record<string, string>, context: string, server: ApiServer) {
  const before = server.requests.length;
  const run = kubectl(['auth', 'whoami', '--context', context, '-o', 'jsonpath={.status.userInfo.username}'], env);
  return {
    user: run.code === 0 ? run.stdout : 'Unauthorized',
    sent: server.requests
      .slice(before)
      .at(-1)
      ?.authorization?.replace(/^Bearer /, ''),
  };
}

describeWithKubectl('a user name shadowed across files', () => {
  test('before anything: cw-legacy sends the downloads\' token (kubectl ignores the personal file\'s own "token")', () => {
    const { env } = chain();
    expect(judge(env, 'cw-legacy', legacy)).toEqual({ user: 'Unauthorized', sent: ORG });
    expect(judge(env, 'train-east', east)).toEqual({ user: 'east-user', sent: ORG });
  });

  test('set --context cw-legacy refuses (exit 6), names the other contexts and both files, writes nothing', () => {
    const { env, downloadA, personal, texts } = chain();
    const run = cwtoken(['set', '--context', 'cw-legacy', '--token-env', 'T'], { env: { ...env, T: NEW_LEGACY } });
    expect(run.code).toBe(6);
    expect(run.stderr).toMatch(/^error: [^\n]*train-east \([^)]+\)[^\n]*infer-west[^\n]*--split[^\n]*--all-contexts[^\n]*\n$/);
    expect(run.stderr).toContain(
      `context "cw-legacy" (${personal}) uses user "token" as defined in ${downloadA}, which shadows the "token" entry of ${personal}`,
    );
    expect([readFileSync(downloadA, 'utf8'), readFileSync(personal, 'utf8')]).toEqual([texts.a, texts.personal]);
    expectNoToken(run.stderr, ...TOKENS);
  });

  test('set --split gives cw-legacy its own user in the personal file: it works, the downloads are byte-identical', () => {
    const { env, downloadA, downloadB, personal, texts } = chain();
    const run = cwtoken(['set', '--context', 'cw-legacy', '--split', '--token-env', 'T', '-o', 'json'], { env: { ...env, T: NEW_LEGACY } });
    expect(run.code).toBe(0);
    expect(readFileSync(downloadA, 'utf8')).toBe(texts.a);
    expect(readFileSync(downloadB, 'utf8')).toBe(texts.b);
    expect(judge(env, 'cw-legacy', legacy)).toEqual({ user: 'legacy-user', sent: NEW_LEGACY });
    expect(judge(env, 'train-east', east)).toEqual({ user: 'east-user', sent: ORG });
    expect(judge(env, 'infer-west', west)).toEqual({ user: 'west-user', sent: ORG });
    const after = readFileSync(personal, 'utf8');
    expect(after).toContain('# my own clusters');
    expect(after).toContain("# the legacy org's token");
    expect(after).toContain('user: cw-legacy-token');
    const data = JSON.parse(run.stdout);
    expect(data.changes).toEqual([
      expect.objectContaining({ user: 'cw-legacy-token', file: personal, created: true, splitFrom: { file: downloadA, user: 'token' } }),
    ]);
    expect(data.impact.contexts.map((c: { context: string }) => c.context)).toEqual(['cw-legacy']);
    expect(run.stderr).toMatch(/changes what kubectl sends for context cw-legacy \(https:\/\/127\.0\.0\.1:\d+\)/);
    expectNoToken(run.stdout + run.stderr, ...TOKENS);
  });

  test('set --all-contexts writes the shared entry and says every context it changes', () => {
    const { env, downloadA } = chain();
    const run = cwtoken(['set', '--context', 'cw-legacy', '--all-contexts', '--token-env', 'T', '--dry-run', '-o', 'json'], { env: { ...env, T: NEW_ORG } });
    expect(run.code).toBe(0);
    const data = JSON.parse(run.stdout);
    expect(data.changes).toEqual([expect.objectContaining({ user: 'token', file: downloadA })]);
    expect(data.impact.contexts.map((c: { context: string }) => c.context).sort()).toEqual(['cw-legacy', 'infer-west', 'train-east']);
    expect(data.shadowing).toMatchObject({ context: 'cw-legacy', user: 'token', userFile: downloadA, shadowed: true });
    expect(run.stderr).toMatch(/would change what kubectl sends for contexts /);
  });

  test('rotate --context cw-legacy to a token only its server takes is blocked: train-east and infer-west would break', () => {
    const { env, downloadA, downloadB, personal, texts } = chain();
    const run = cwtoken(['rotate', '--context', 'cw-legacy', '--token-env', 'T'], { env: { ...env, T: NEW_LEGACY } });
    expect(run.code).toBe(9);
    expect(run.stderr).toMatch(/^error: [^\n]*rejected by train-east \([^)]+\)[^\n]*rejected by infer-west[^\n]*\n$/m);
    expect([readFileSync(downloadA, 'utf8'), readFileSync(downloadB, 'utf8'), readFileSync(personal, 'utf8')]).toEqual([texts.a, texts.b, texts.personal]);
    expect(judge(env, 'train-east', east)).toEqual({ user: 'east-user', sent: ORG });
    expectNoToken(run.stderr, ...TOKENS);
  });

  test('rotate of the org token: both download servers accept, the legacy server rejected the old token too, so it goes on', () => {
    const { env, personal, texts } = chain();
    const run = cwtoken(['rotate', '--context', 'train-east', '--token-env', 'T', '-o', 'json'], { env: { ...env, T: NEW_ORG } });
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/authenticated as east-user at train-east/);
    expect(run.stderr).toMatch(/authenticated as west-user at infer-west/);
    expect(run.stderr).toMatch(/rejects the old token too, so the rotation breaks nothing there \(cw-legacy/);
    const data = JSON.parse(run.stdout);
    expect(data.verification.map((c: { outcome: string }) => c.outcome).sort()).toEqual(['accepted', 'accepted', 'rejected-both']);
    expect(judge(env, 'train-east', east)).toEqual({ user: 'east-user', sent: NEW_ORG });
    expect(judge(env, 'infer-west', west)).toEqual({ user: 'west-user', sent: NEW_ORG });
    // The personal file's own (shadowed) token was another token: untouched.
    expect(readFileSync(personal, 'utf8')).toBe(texts.personal);
    expectNoToken(run.stdout + run.stderr, ...TOKENS);
  });

  test('doctor --fix splits the shadowed users the same way: each context gets the entry of its own file, named after it', () => {
    const { env, downloadA, personal, texts } = chain();
    const run = cwtoken(['doctor', '--fix'], { env });
    expect(run.stderr).toContain(`rename user "token" to "cw-legacy-token" in ${personal}`);
    expect(readFileSync(downloadA, 'utf8')).toBe(texts.a);
    expect(judge(env, 'cw-legacy', legacy)).toEqual({ user: 'legacy-user', sent: LEGACY });
    expect(judge(env, 'train-east', east)).toEqual({ user: 'east-user', sent: ORG });
    expect(judge(env, 'infer-west', west)).toEqual({ user: 'west-user', sent: ORG });
    expect(readFileSync(personal, 'utf8')).toContain("# the legacy org's token");
    expectNoToken(run.stdout + run.stderr, ...TOKENS);
  });
});
