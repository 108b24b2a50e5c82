import * as path from 'node:path';
import { diagnose, Finding } from '../../../src/usecases/doctor/diagnose';
import { kubeconfig } from '../../support/builder';
import { describeWithKubectl, kubectl } from '../../support/kubectl';
import { useTempDir } from '../../support/tmp';

const TOKEN_A = 'CW-SECRET-aaaaaaaaaaaaaaaaaaaaaaaaaaaa1111';
const TOKEN_B = 'CW-SECRET-bbbbbbbbbbbbbbbbbbbbbbbbbbbb2222';

const chainOf = (...paths: string[]) => ({ explicit: false, paths });
const kinds = (findings: Finding[]) => findings.map((f) => f.kind);

describe('diagnose', () => {
  const tmp = useTempDir();

  test('a clean chain has no findings', async () => {
    const a = tmp.file('a', kubeconfig().cw('lga1', TOKEN_A).yaml());
    const b = tmp.file('b', kubeconfig().cw('ord1', TOKEN_B, 'ord1-token').yaml());
    expect((await diagnose(chainOf(a, b))).findings).toEqual([]);
  });

  test('the CoreWeave clash: the later `token` user is reported in its own file and line, with the rename that fixes it', async () => {
    const a = tmp.file('a', kubeconfig().cw('lga1', TOKEN_A).yaml());
    const b = tmp.file('b', kubeconfig().cw('ord1', TOKEN_B).yaml());
    const [finding, ...rest] = (await diagnose(chainOf(a, b))).findings;
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      kind: 'shadowed',
      severity: 'problem',
      file: b,
      repair: { kind: 'rename', file: b, section: 'users', from: 'token', to: 'ord1-token' },
    });
    expect(finding.hints).toEqual([{ key: 'doctor-fix' }, { key: 'import-file', file: b }]);
    expect(finding.line).toBe(kubeconfig().cw('ord1', TOKEN_B).yaml().split('\n').indexOf('  - name: token') + 1);
    expect(finding.message).toContain(`hidden by the different one in ${a}`);
    expect(finding.message).toContain('context "ord1"');
  });

  test('an identical definition in two files is not a finding', async () => {
    const a = tmp.file('a', kubeconfig().cw('lga1', TOKEN_A).yaml());
    const b = tmp.file('b', kubeconfig().cw('lga1', TOKEN_A).yaml());
    expect(kinds((await diagnose(chainOf(a, b))).findings)).toEqual([]);
  });

  test('a context that refers to a missing user or cluster is reported with the closest names', async () => {
    const a = tmp.file('a', kubeconfig().cw('lga1', TOKEN_A).context('typo', { cluster: 'lga2', user: 'tokn' }).yaml());
    const findings = (await diagnose(chainOf(a))).findings;
    expect(findings.map((f) => [f.kind, f.message])).toEqual([
      ['missing-reference', 'context "typo" refers to cluster "lga2", which no kubeconfig file defines; did you mean "lga1"?'],
      ['missing-reference', 'context "typo" refers to user "tokn", which no kubeconfig file defines; did you mean "token"?'],
    ]);
  });

  test('token and tokenFile both set says the file wins', async () => {
    const tokenFile = tmp.file('tok', TOKEN_B);
    const a = tmp.file('a', kubeconfig().user('u', { token: TOKEN_A, tokenFile }).yaml());
    const [finding] = (await diagnose(chainOf(a))).findings;
    expect(finding.kind).toBe('token-and-tokenfile');
    expect(finding.message).toContain(`kubectl sends the content of ${tokenFile} and ignores the inline token`);
  });

  test('an empty or unreadable tokenFile is reported, resolved against the kubeconfig directory', async () => {
    tmp.file('empty-token', '  \n');
    const a = tmp.file('a', kubeconfig().user('empty', { tokenFile: 'empty-token' }).user('gone', { tokenFile: 'no-such-file' }).yaml());
    const findings = (await diagnose(chainOf(a))).findings.filter((f) => f.kind !== 'unused-entry');
    expect(findings.map((f) => [f.kind, f.message])).toEqual([
      ['tokenfile-unusable', `tokenFile ${path.join(tmp.dir, 'empty-token')} of user "empty" is empty`],
      ['tokenfile-unusable', `tokenFile ${path.join(tmp.dir, 'no-such-file')} of user "gone" cannot be read (ENOENT)`],
    ]);
  });

  test('a kubeconfig readable by group or others is reported with chmod 600', async () => {
    const a = tmp.file('a', kubeconfig().cw('lga1', TOKEN_A).yaml(), 0o644);
    const [finding] = (await diagnose(chainOf(a))).findings;
    expect(finding).toMatchObject({ kind: 'permissions', fix: `chmod 600 ${a}`, repair: { kind: 'chmod', file: a, mode: 0o600 } });
    expect(finding.message).toBe('mode 0644 gives group and others access to the credentials in it');
  });

  test('a held <file>.lock is reported with how to remove it, since it blocks kubectl too', async () => {
    const a = tmp.file('a', kubeconfig().cw('lga1', TOKEN_A).yaml());
    tmp.file('a.lock', '');
    const [finding] = (await diagnose(chainOf(a))).findings;
    expect(finding).toMatchObject({ kind: 'lock-held', file: a, fix: `if no kubectl or cwtoken is running, remove it: rm ${a}.lock` });
  });

  test('a temp file left by a killed writer is reported; one of a running writer is not', async () => {
    const a = tmp.file('a', kubeconfig().cw('lga1', TOKEN_A).yaml());
    const dead = tmp.file(`.a.cwtoken-${2 ** 22 + 12345}-0a1b2c3d.tmp`, TOKEN_A);
    tmp.file(`.a.cwtoken-${process.pid}-0a1b2c3d.tmp`, TOKEN_A);
    const findings = (await diagnose(chainOf(a))).findings;
    expect(findings.map((f) => [f.kind, f.fix])).toEqual([['leftover-temp', `rm ${dead}`]]);
  });

  test('a temp file left beside a token file by a dead writer is reported, like one beside a kubeconfig', async () => {
    tmp.file('token', `${TOKEN_A}\n`, 0o600);
    const dead = tmp.file(`.token.cwtoken-${2 ** 22 + 12345}-0a1b2c3d.tmp`, TOKEN_A);
    const a = tmp.file('a', kubeconfig().cluster('c').user('u', { tokenFile: 'token' }).context('x', { cluster: 'c', user: 'u' }).yaml());
    const findings = (await diagnose(chainOf(a))).findings;
    expect(findings.map((f) => [f.kind, f.fix])).toEqual([['leftover-temp', `rm ${dead}`]]);
  });

  test('a token file readable by others is reported with chmod 600, like a kubeconfig', async () => {
    const tokenFile = tmp.file('token', `${TOKEN_A}\n`, 0o644);
    const a = tmp.file('a', kubeconfig().cluster('c').user('u', { tokenFile: 'token' }).context('x', { cluster: 'c', user: 'u' }).yaml());
    const findings = (await diagnose(chainOf(a))).findings;
    expect(findings.map((f) => [f.kind, f.file, f.fix])).toEqual([['permissions', tokenFile, `chmod 600 ${tokenFile}`]]);
  });

  test('a user kubectl refuses to use is reported with why', async () => {
    const a = tmp.file(
      'a',
      kubeconfig()
        .cluster('c')
        .user('u', { token: TOKEN_A, exec: { command: 'cw-auth' } })
        .context('x', { cluster: 'c', user: 'u' })
        .yaml(),
    );
    const [finding] = (await diagnose(chainOf(a))).findings;
    expect(finding).toMatchObject({ kind: 'refused-user', file: a, message: 'kubectl refuses user "u": its exec plugin has no apiVersion' });
  });

  test('tokens shared by several users are information, not a problem', async () => {
    const a = tmp.file('a', kubeconfig().tokenUser('one', TOKEN_A).tokenUser('two', TOKEN_A).yaml());
    const [finding] = (await diagnose(chainOf(a))).findings;
    expect(finding).toMatchObject({ kind: 'shared-token', severity: 'info' });
    expect(finding.message).toBe(`users "one" (${a}), "two" (${a}) send the same token`);
  });

  test('no finding contains a token', async () => {
    const a = tmp.file('a', kubeconfig().cw('lga1', TOKEN_A).tokenUser('same', TOKEN_A).user('both', { token: TOKEN_B, tokenFile: 'x' }).yaml(), 0o644);
    const b = tmp.file('b', kubeconfig().cw('ord1', TOKEN_B).yaml());
    const text = JSON.stringify((await diagnose(chainOf(a, b))).findings);
    expect(text).not.toContain(TOKEN_A);
    expect(text).not.toContain(TOKEN_B);
  });
});

describeWithKubectl('diagnose: files kubectl refuses to load', () => {
  const tmp = useTempDir();
  const refusedByKubectl = (file: string) => expect(kubectl(['config', 'view', '--kubeconfig', file]).code).not.toBe(0);

  test('a duplicate name inside one file is reported, and the other files are still analysed', async () => {
    const dup = tmp.file('dup', kubeconfig().cw('lga1', TOKEN_A).tokenUser('token', TOKEN_B).yaml());
    refusedByKubectl(dup);
    const a = tmp.file('a', kubeconfig().context('ctx', { cluster: 'nowhere' }).yaml());
    const findings = (await diagnose(chainOf(dup, a))).findings;
    expect(findings.map((f) => [f.kind, f.file, f.line])).toEqual([
      ['duplicate-name', dup, kubeconfig().cw('lga1', TOKEN_A).tokenUser('token', TOKEN_B).yaml().split('\n').lastIndexOf('  - name: token') + 1],
      ['missing-reference', a, 8],
    ]);
  });

  test.each(['12345', 'yes', 'on', '1e3', '0x1F'])('an unquoted token %s is reported with its line', async (token) => {
    const file = tmp.file('bad', `apiVersion: v1\nkind: Config\nusers:\n- name: u\n  user:\n    token: ${token}\n`);
    refusedByKubectl(file);
    const findings = (await diagnose(chainOf(file))).findings;
    expect(findings.map((f) => [f.kind, f.line])).toEqual([['unquoted-token', 6]]);
    expect(findings[0].message).not.toContain(token);
  });

  test('any other unloadable file is reported with the load error', async () => {
    const file = tmp.file('bad', 'clusters: {}\n');
    refusedByKubectl(file);
    const findings = (await diagnose(chainOf(file))).findings;
    expect(findings.map((f) => [f.kind, f.message])).toEqual([
      ['unloadable', `error loading config file "${file}": line 1: clusters must be a list, but is a mapping`],
    ]);
  });
});
