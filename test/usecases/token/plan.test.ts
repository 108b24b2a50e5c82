/** Where set and rotate put a new token, as tables: the chain, the selection, and the entries that change. */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { loadConfig } from '../../../src/kubeconfig/config';
import { applyEdits } from '../../../src/kubeconfig/edit/apply';
import { CwError } from '../../../src/errors';
import type { User } from '../../../src/kubeconfig/model';
import { planRotation, planSetToken, SetOptions } from '../../../src/usecases/token/plan';
import { kubeconfig } from '../../support/builder';
import { useTempDir } from '../../support/tmp';

const OLD = 'CW-SECRET-old-0000000000000000000000000000';
const NEW = 'CW-SECRET-new-1111111111111111111111111111';
const OTHER = 'CW-SECRET-other-22222222222222222222222222';

const tmp = useTempDir();

/** Writes each file of the chain (name → users) and loads it as kubectl would, in that order. */
async function chain(files: Record<string, Record<string, User>>) {
  const paths = Object.entries(files).map(([name, users]) => {
    const b = kubeconfig();
    for (const [user, body] of Object.entries(users)) b.user(user, body);
    return tmp.file(name, b.yaml());
  });
  return (await loadConfig({ env: { KUBECONFIG: paths.join(path.delimiter) } })).config;
}

const usersOf = async (file: string) => (await loadConfig({ kubeconfig: path.join(tmp.dir, file) })).config.users;

describe('rotate: every entry holding the old token, and only those', () => {
  test.each<[string, Record<string, Record<string, User>>, string | undefined, string[]]>([
    ['one user in each of two files', { a: { u1: { token: OLD } }, b: { u2: { token: OLD } } }, undefined, ['a:u1:token', 'b:u2:token']],
    [
      'a shadowed entry too (kubectl ignores it today, but not after a reorder)',
      { a: { token: { token: OLD } }, b: { token: { token: OLD } } },
      undefined,
      ['a:token:token', 'b:token:token'],
    ],
    ['not a user holding another token', { a: { u1: { token: OLD }, u2: { token: OTHER } } }, undefined, ['a:u1:token']],
    ['a tokenFile holding it', { a: { u1: { tokenFile: 'tok' } } }, undefined, ['a:u1:tokenFile']],
    ['--only: the selected entry alone', { a: { u1: { token: OLD }, u2: { token: OLD } } }, 'u2', ['a:u2:token']],
  ])('%s', async (_, files, only, expected) => {
    tmp.file('tok', `${OLD}\n`);
    const config = await chain(files);
    const { changes, planned } = planRotation(config, OLD, NEW, only === undefined ? undefined : config.users.get(only));
    await applyEdits(changes);
    expect(planned.map((c) => `${path.basename(c.file)}:${c.user}:${c.field}`).sort()).toEqual(expected);
    for (const [file, users] of Object.entries(files)) {
      for (const [name, body] of Object.entries(users)) {
        const changed = expected.some((e) => e.startsWith(`${file}:${name}:`));
        if (body.token) expect((await usersOf(file)).get(name)?.value.token).toBe(changed ? NEW : body.token);
      }
    }
    if (expected.some((e) => e.endsWith(':tokenFile'))) expect(readFileSync(path.join(tmp.dir, 'tok'), 'utf8')).toBe(`${NEW}\n`);
  });
});

describe('set: one user, in the file that defines it', () => {
  const plain: SetOptions = { inline: false, replaceAuth: false };

  test.each<[string, User, SetOptions, { field: 'token' | 'tokenFile'; user: User; tokenFile?: string }]>([
    ['an inline token is replaced', { token: OLD }, plain, { field: 'token', user: { token: NEW } }],
    ['a tokenFile user gets the file rewritten', { tokenFile: 'tok' }, plain, { field: 'tokenFile', user: { tokenFile: 'tok' }, tokenFile: `${NEW}\n` }],
    [
      'tokenFile and a fallback inline token are kept in step',
      { tokenFile: 'tok', token: OLD },
      plain,
      { field: 'tokenFile', user: { tokenFile: 'tok', token: NEW }, tokenFile: `${NEW}\n` },
    ],
    [
      '--inline drops tokenFile and sets token',
      { tokenFile: 'tok' },
      { inline: true, replaceAuth: false },
      { field: 'token', user: { token: NEW }, tokenFile: `${OLD}\n` },
    ],
    ['--replace-auth removes exec', { exec: { command: 'cw-login' } }, { inline: false, replaceAuth: true }, { field: 'token', user: { token: NEW } }],
  ])('%s', async (_, body, options, expected) => {
    tmp.file('tok', `${OLD}\n`);
    const config = await chain({ a: { u: body } });
    const { changes, record } = planSetToken(config.users.get('u'), 'u', path.join(tmp.dir, 'a'), NEW, options);
    await applyEdits(changes);
    expect(record.field).toBe(expected.field);
    expect((await usersOf('a')).get('u')?.value).toEqual(expected.user);
    if (expected.tokenFile) expect(readFileSync(path.join(tmp.dir, 'tok'), 'utf8')).toBe(expected.tokenFile);
  });

  test('a user that does not exist is created in the file given', async () => {
    const config = await chain({ a: { other: { token: OTHER } } });
    const { changes, record } = planSetToken(undefined, 'u', path.join(tmp.dir, 'a'), NEW, plain);
    await applyEdits(changes);
    expect(record).toMatchObject({ created: true, field: 'token' });
    expect([...(await usersOf('a')).keys()]).toEqual(['other', 'u']);
    expect(config.users.has('u')).toBe(false);
  });

  test.each<[string, User]>([
    ['exec', { exec: { command: 'cw-login' } }],
    ['client certificates', { 'client-certificate-data': 'Y2VydA==', 'client-key-data': 'a2V5' }],
    ['basic auth', { username: 'u', password: 'p' }],
  ])('a user authenticating with %s is refused without --replace-auth', async (_, body) => {
    const config = await chain({ a: { u: body } });
    const attempt = () => planSetToken(config.users.get('u'), 'u', path.join(tmp.dir, 'a'), NEW, plain);
    expect(attempt).toThrow(CwError);
    expect(() => attempt()).toThrow(expect.objectContaining({ kind: 'no-token' }));
  });
});
