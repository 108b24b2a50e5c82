import * as path from 'node:path';
import { merge } from '../../src/kubeconfig/merge';
import { authKinds, bearerToken, firstUser, selectTarget } from '../../src/kubeconfig/resolve';
import { suggest } from '../../src/text/suggest';
import { resolveRelative } from '../../src/kubeconfig/paths';
import { byteOrder } from '../../src/text/byte-order';
import { CwError } from '../../src/errors';
import { KubeconfigFile, RawConfig, User } from '../../src/kubeconfig/model';
import { kubeconfig } from '../support/builder';
import { useTempDir } from '../support/tmp';

const file = (p: string, config: RawConfig): KubeconfigFile => ({ path: p, exists: true, text: '', config });

function thrown(fn: () => unknown): CwError {
  try {
    fn();
  } catch (e) {
    if (e instanceof CwError) return e;
    throw e;
  }
  throw new Error('expected a CwError');
}

describe('selecting the user kubectl authenticates as', () => {
  const config = merge([file('/a', kubeconfig().cw('prod', 'P').tokenUser('ci', 'C').context('dev', { cluster: 'prod', user: 'ci' }).current('prod').build())]);

  test('by default, the user of the current context', () => {
    expect(selectTarget(config, {}).user.name).toBe('token');
  });

  test('--context selects that context and its user', () => {
    const target = selectTarget(config, { context: 'dev' });
    expect([target.context?.name, target.user.name]).toEqual(['dev', 'ci']);
  });

  test('--user overrides the context user', () => {
    expect(selectTarget(config, { context: 'prod', user: 'ci' }).user.name).toBe('ci');
  });

  test('an unknown context is not found, with close names suggested', () => {
    const e = thrown(() => selectTarget(config, { context: 'prd' }));
    expect(e.kind).toBe('not-found');
    expect(e.message).toBe('context "prd" does not exist; did you mean "prod"?');
  });

  test('no current context is an error that says how to pick one', () => {
    const e = thrown(() => selectTarget(merge([file('/a', kubeconfig().cw('x', 'T').build())]), {}));
    expect(e.message).toMatch(/no current context/);
    expect(e.message).toMatch(/--context/);
  });

  test('a current-context that names no context says which file set it', () => {
    const e = thrown(() => selectTarget(merge([file('/a', kubeconfig().current('ghost').build())]), {}));
    expect(e.message).toMatch(/current-context "ghost" \(set in \/a\) does not exist/);
  });

  test('a context whose user is not defined is not found', () => {
    const e = thrown(() => selectTarget(merge([file('/a', kubeconfig().context('c', { user: 'nobody' }).current('c').build())]), {}));
    expect(e.message).toMatch(/user "nobody" \(the user of context "c"\) does not exist/);
  });
});

describe('the bearer token kubectl sends', () => {
  const tmp = useTempDir();
  const entry = (user: User, origin = path.join(tmp.dir, 'config')) => ({ name: 'u', value: user, origin: { file: origin, index: 0 }, shadows: [] });

  test('the inline token', () => {
    expect(bearerToken(entry({ token: 'INLINE' }))).toEqual({ token: 'INLINE', source: 'token' });
  });

  test('tokenFile wins over token when readable, with surrounding whitespace trimmed', () => {
    const tf = tmp.file('tf', '  FROM-FILE\n\n');
    expect(bearerToken(entry({ token: 'INLINE', tokenFile: tf }))).toEqual({ token: 'FROM-FILE', source: 'tokenFile', path: tf });
  });

  test('a relative tokenFile resolves against the directory of the defining kubeconfig', () => {
    tmp.file('sub/tf', 'REL');
    expect(bearerToken(entry({ tokenFile: 'tf' }, path.join(tmp.dir, 'sub', 'config'))).token).toBe('REL');
  });

  test('an unreadable tokenFile falls back to the inline token, with a warning', () => {
    const result = bearerToken(entry({ token: 'INLINE', tokenFile: path.join(tmp.dir, 'missing') }));
    expect(result.token).toBe('INLINE');
    expect(result.source === 'token' && result.warning).toMatch(/cannot be read \(ENOENT\); kubectl falls back to the inline token/);
  });

  test('an empty tokenFile without an inline token is an error', () => {
    const e = thrown(() => bearerToken(entry({ tokenFile: tmp.file('tf', ' \n') })));
    expect([e.kind, e.message]).toEqual(['no-token', expect.stringMatching(/tokenFile ".*tf" of user "u" .* is empty/)]);
    expect(e.hint).toEqual({ key: 'set-token', user: 'u' });
  });

  test.each([
    [{ exec: { command: 'gke-gcloud-auth-plugin' } }, 'exec'],
    [{ 'auth-provider': { name: 'oidc' } }, 'auth-provider'],
    [{ 'client-certificate-data': 'QQ==', 'client-key-data': 'QQ==' }, 'client-certificate'],
    [{ username: 'admin', password: 'hunter2' }, 'basic-auth'],
  ] as Array<[User, string]>)('a user without a token says how it authenticates (%j)', (user, kind) => {
    const e = thrown(() => bearerToken(entry(user)));
    // Not `set`: a user that authenticates otherwise works as it is; --replace-auth is the deliberate way only.
    expect(e).toMatchObject({ kind: 'no-token', hint: { key: 'replace-auth', user: 'u' } });
    expect(e.message).toContain(`authenticates with ${kind}`);
    expect(e.message).not.toContain('hunter2');
  });

  test('a token together with basic auth is refused, as client-go refuses two authentication methods', () => {
    const e = thrown(() => bearerToken(entry({ token: 'T', username: 'bob', password: 'hunter2' })));
    expect(e.message).toMatch(/both a bearer token and basic auth/);
    expect(e.message).not.toContain('hunter2');
  });

  test("a tokenFile is trimmed like Go's strings.TrimSpace: NEL goes, a byte-order mark stays", () => {
    expect(bearerToken(entry({ tokenFile: tmp.file('tf', '\ufeffT\u0085\u3000\n') })).token).toBe('\ufeffT');
  });

  test('a user with nothing has no credentials', () => {
    expect(thrown(() => bearerToken(entry({}))).message).toMatch(/has no credentials/);
  });
});

describe('helpers', () => {
  test('relative paths resolve against the origin directory; absolute ones stay', () => {
    expect(resolveRelative('ca.crt', { file: '/k/config', index: 0 })).toBe('/k/ca.crt');
    expect(resolveRelative('/abs/ca.crt', { file: '/k/config', index: 0 })).toBe('/abs/ca.crt');
  });

  test('auth kinds list every way a user could authenticate', () => {
    expect(authKinds({ token: 't', tokenFile: 'f', exec: {} })).toEqual(['token', 'tokenFile', 'exec']);
  });

  test('the first user is the alphabetically first by byte order, not the first defined', () => {
    const config = merge([file('/a', kubeconfig().tokenUser('token', 'T').tokenUser('admin', 'A').tokenUser('Zed', 'Z').build())]);
    expect(firstUser(config)?.name).toBe('Zed');
  });

  test('byte order puts upper case before lower case and shorter prefixes first', () => {
    expect(['b', 'a', 'B', 'ab', 'é'].sort(byteOrder)).toEqual(['B', 'a', 'ab', 'b', 'é']);
  });

  test('suggestions are empty when nothing is close', () => {
    expect(suggest('zzzzzz', ['prod', 'dev'])).toBe('');
  });
});
