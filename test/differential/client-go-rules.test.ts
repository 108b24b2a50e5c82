/**
 * client-go's rules outside the YAML reader (issue 9), each judged against the real kubectl 1.32 binary with the
 * same files: what it sends to a local HTTPS API server, what it prints, which file it writes. Each test also
 * states what kubectl did when this was written, so a kubectl that changes shows here first.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ApiServer, startApiServer, versionRequestAuthorization } from '../support/apiserver';
import { runCli } from '../support/run-cli';
import { describeWithKubectl, realKubectl, Run } from '../support/kubectl';
import { kubeconfig } from '../support/builder';
import { useTempDir } from '../support/tmp';
import type { User } from '../../src/kubeconfig/model';

let server: ApiServer;
beforeAll(async () => {
  server = await startApiServer({ acceptedToken: 'accepted', username: 'tester' });
});
afterAll(() => server.close());

describeWithKubectl('client-go rules, judged by what kubectl 1.32 does', () => {
  const tmp = useTempDir();
  const env = () => ({ HOME: tmp.dir, XDG_STATE_HOME: path.join(tmp.dir, 'state') });

  /** A kubeconfig whose current context uses `user` against the test server. */
  const config = (user: User, name = 'config') => tmp.file(name, kubeconfig().local(server, 'me', user).yaml());

  /** The Authorization header kubectl sends for `args`, or undefined when it sends no request. */
  function kubectlSends(args: string[]): string | undefined {
    return versionRequestAuthorization(server, () => realKubectl(['get', '--raw', '/version', ...args], env()));
  }

  /** What kubectl sends and what `get` prints (as a header), for the same file. */
  async function both(file: string) {
    const sent = kubectlSends(['--kubeconfig', file]);
    const ours = await runCli(['get', '--kubeconfig', file], { env: env() });
    return { sent, printed: ours.code === 0 ? `Bearer ${ours.stdout.replace(/\n$/, '')}` : undefined };
  }

  describe('users kubectl refuses to build a client for, though they hold a token', () => {
    test.each([
      [
        'an exec plugin of apiVersion v1alpha1 (defaulted, then unknown to the exec transport)',
        { exec: { command: 'cw', apiVersion: 'client.authentication.k8s.io/v1alpha1' } },
      ],
      ['an exec plugin of an unknown apiVersion and no interactiveMode', { exec: { command: 'cw', apiVersion: 'example.com/v1' } }],
      ['an exec plugin of an unknown apiVersion with interactiveMode', { exec: { command: 'cw', apiVersion: 'example.com/v1', interactiveMode: 'Never' } }],
      ['an auth-provider kubectl does not know', { 'auth-provider': { name: 'no-such-provider' } }],
      ['an auth-provider without a name', { 'auth-provider': { config: { a: 'b' } } }],
      ['client-certificate-data and client-key-data that are not PEM', { 'client-certificate-data': 'QUJD', 'client-key-data': 'QUJD' }],
    ] as Array<[string, User]>)('a token next to %s: kubectl sends nothing, and get fails', async (_, extra) => {
      const { sent, printed } = await both(config({ token: 'T-REFUSED', ...extra }));
      expect(sent).toBeUndefined();
      expect(printed).toBe(sent);
    });

    test.each([
      [
        'an exec plugin of v1beta1 without interactiveMode (defaulted to IfAvailable)',
        { exec: { command: 'cw', apiVersion: 'client.authentication.k8s.io/v1beta1' } },
      ],
      [
        'an oidc auth-provider with an issuer and a client id',
        { 'auth-provider': { name: 'oidc', config: { 'idp-issuer-url': 'https://idp.example', 'client-id': 'cw' } } },
      ],
    ] as Array<[string, User]>)('a token next to %s: kubectl sends the token, and get prints it', async (_, extra) => {
      const { sent, printed } = await both(config({ token: 'T-SENT', ...extra }));
      expect(sent).toBe('Bearer T-SENT');
      expect(printed).toBe(sent);
    });

    describe('client certificates: data is checked as a TLS key pair up front, two files only when used', () => {
      /** A self-signed certificate and its key, and a second key that does not match, as PEM files in `dir`. */
      function pemFiles(dir: string) {
        const file = (name: string) => path.join(dir, name);
        const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
        execFileSync('openssl', ['req', '-x509', ...ec, '-keyout', file('key.pem'), '-out', file('cert.pem'), '-days', '1', '-subj', '/CN=me'], {
          stdio: 'pipe',
        });
        execFileSync('openssl', ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', file('other-key.pem')], { stdio: 'pipe' });
        writeFileSync(file('not.pem'), 'not pem\n');
        const data = (name: string) => readFileSync(file(name)).toString('base64');
        return {
          cert: data('cert.pem'),
          key: data('key.pem'),
          otherKey: data('other-key.pem'),
          certFile: file('cert.pem'),
          notPem: file('not.pem'),
        };
      }
      type Pems = ReturnType<typeof pemFiles>;
      // Made once for the five cases (openssl twice), in a directory of their own.
      let pems: Pems;
      let pemDir: string;
      beforeAll(() => {
        pemDir = mkdtempSync(path.join(tmpdir(), 'cwtoken-pems-'));
        pems = pemFiles(pemDir);
      });
      afterAll(() => rmSync(pemDir, { recursive: true, force: true }));

      test.each([
        ['the pair switched (a key where the certificate goes)', (p: Pems) => ({ 'client-certificate-data': p.key, 'client-key-data': p.cert })],
        ['a key that does not match the certificate', (p: Pems) => ({ 'client-certificate-data': p.cert, 'client-key-data': p.otherKey })],
        ['certificate data with a key file that is not PEM', (p: Pems) => ({ 'client-certificate-data': p.cert, 'client-key': p.notPem })],
      ])('%s: kubectl sends nothing, and get fails', async (_, user) => {
        const { sent, printed } = await both(config({ token: 'T-PAIR', ...user(pems) }));
        expect(sent).toBeUndefined();
        expect(printed).toBe(sent);
      });

      test.each([
        ['a matching pair as data', (p: Pems) => ({ 'client-certificate-data': p.cert, 'client-key-data': p.key })],
        ['two files, the key not PEM (the reloader only logs it)', (p: Pems) => ({ 'client-certificate': p.certFile, 'client-key': p.notPem })],
      ])('%s: kubectl sends the token, and get prints it', async (_, user) => {
        const { sent, printed } = await both(config({ token: 'T-PAIR', ...user(pems) }));
        expect(sent).toBe('Bearer T-PAIR');
        expect(printed).toBe(sent);
      });
    });
  });

  describe('what goes on the wire', () => {
    test.each([
      ['trailing blanks and tabs are trimmed', 'T-BLANK \t ', 'Bearer T-BLANK'],
      ['leading blanks are kept', '  T-LEAD', 'Bearer   T-LEAD'],
      ['a trailing no-break space is not a blank to Go', 'T-NBSP\u00a0', `Bearer ${Buffer.from('T-NBSP\u00a0').toString('latin1')}`],
    ])('an inline token: %s, and get prints what kubectl sends', async (_, token, header) => {
      const file = config({ token });
      const sent = kubectlSends(['--kubeconfig', file]);
      expect(sent).toBe(header);
      const ours = await runCli(['get', '--kubeconfig', file], { env: env() });
      expect(`Bearer ${Buffer.from(ours.stdout.replace(/\n$/, '')).toString('latin1')}`).toBe(sent);
    });
  });

  describe('names kubectl refuses to write', () => {
    /** Runs one of kubectl's writers and ours on two copies of the same file; returns both runs and files. */
    async function bothWrite(theirsArgs: string[], oursArgs: string[]) {
      const theirs = config({ token: 'T-OLD' }, 'theirs');
      const ours = config({ token: 'T-OLD' }, 'ours');
      const before = readFileSync(ours, 'utf8');
      const kubectlRun = realKubectl([...theirsArgs, '--kubeconfig', theirs], env());
      const oursRun = await runCli([...oursArgs, '--kubeconfig', ours], { env: env() });
      return { kubectlRun, oursRun, unchanged: readFileSync(ours, 'utf8') === before && readFileSync(theirs, 'utf8') === before };
    }

    test('use "": kubectl refuses an empty context name, and so does use; nothing is written', async () => {
      const { kubectlRun, oursRun, unchanged } = await bothWrite(['config', 'use-context', ''], ['use', '']);
      expect(kubectlRun.code).not.toBe(0);
      expect(oursRun.code).not.toBe(0);
      expect(unchanged).toBe(true);
    });

    test('set --user "": kubectl refuses an empty user name, and so does set (it is not "the context\'s user"); nothing is written', async () => {
      const { kubectlRun, oursRun, unchanged } = await bothWrite(
        ['config', 'set-credentials', '', '--token', 'T-NEW'],
        ['set', '--user', '', '--token', 'T-NEW'],
      );
      expect(kubectlRun.code).not.toBe(0);
      expect(oursRun.code).not.toBe(0);
      expect(unchanged).toBe(true);
    });
  });

  describe('KUBECONFIG with a trailing empty entry (`a:`): the empty entry is the last one kubectl could write to', () => {
    /** Runs kubectl's and our writer of a new user in two directories, each with KUBECONFIG=`entries` relative to it. */
    async function newUser(entries: string[], existing: string[] = []) {
      const run = async (who: 'theirs' | 'ours') => {
        const where = path.join(tmp.dir, who);
        mkdirSync(where, { recursive: true });
        for (const name of existing) tmp.file(path.join(who, name), kubeconfig().tokenUser('old', 'T-OLD').yaml());
        const chain = { ...env(), KUBECONFIG: entries.map((e) => (e ? path.join(where, e) : '')).join(path.delimiter) };
        const result: Run =
          who === 'theirs'
            ? realKubectl(['config', 'set-credentials', 'new', '--token', 'T-NEW'], chain)
            : await runCli(['set', '--user', 'new', '--token', 'T-NEW'], { env: chain });
        return { code: result.code, files: readdirSync(where).sort() };
      };
      return { theirs: await run('theirs'), ours: await run('ours') };
    }

    test('no file exists: kubectl writes nowhere and fails, and so does set', async () => {
      const { theirs, ours } = await newUser(['a', '']);
      expect(theirs).toEqual({ code: 1, files: [] });
      expect(ours.code).not.toBe(0);
      expect(ours.files).toEqual(theirs.files);
    });

    test('the first entry exists: kubectl writes it, and so does set', async () => {
      const { theirs, ours } = await newUser(['a', ''], ['a']);
      expect(theirs.code).toBe(0);
      expect(ours.code).toBe(0);
      expect(ours.files).toEqual(theirs.files);
    });

    test('an empty entry in the middle is not the last: kubectl creates the last file, and so does set', async () => {
      const { theirs, ours } = await newUser(['a', '', 'b']);
      expect(theirs).toEqual({ code: 0, files: ['b'] });
      expect(ours.code).toBe(0);
      expect(ours.files).toEqual(theirs.files);
    });
  });

  describe('a missing --kubeconfig file', () => {
    test('contexts -o name prints an empty list, as kubectl config get-contexts -o name does', async () => {
      const missing = path.join(tmp.dir, 'missing');
      const theirs = realKubectl(['config', 'get-contexts', '-o', 'name', '--kubeconfig', missing], env());
      const ours = await runCli(['contexts', '-o', 'name', '--kubeconfig', missing], { env: env() });
      expect([theirs.code, theirs.stdout]).toEqual([0, '']);
      expect([ours.code, ours.stdout]).toEqual([theirs.code, theirs.stdout]);
      expect(existsSync(missing)).toBe(false);
    });

    test("get --first-user prints nothing, as kubectl's jsonpath does", async () => {
      const missing = path.join(tmp.dir, 'missing');
      const theirs = realKubectl(['config', 'view', '--raw', '-o', 'jsonpath={.users[0].user.token}', '--kubeconfig', missing], env());
      const ours = await runCli(['get', '--first-user', '--kubeconfig', missing], { env: env() });
      expect([theirs.code, theirs.stdout]).toEqual([0, '']);
      expect([ours.code, ours.stdout]).toEqual([theirs.code, theirs.stdout]);
    });
  });

  test('set on a user whose tokenFile is a directory: kubectl then sends the new token (the inline fallback), after ours as after its own', async () => {
    const dir = path.join(tmp.dir, 'token-dir');
    mkdirSync(dir);
    const theirs = config({ tokenFile: dir }, 'theirs');
    const ours = config({ tokenFile: dir }, 'ours');
    expect(kubectlSends(['--kubeconfig', theirs])).toBeUndefined(); // the directory cannot be read, and there is no fallback yet
    expect(realKubectl(['config', 'set-credentials', 'me', '--token', 'T-DIR', '--kubeconfig', theirs], env()).code).toBe(0);
    expect(kubectlSends(['--kubeconfig', theirs])).toBe('Bearer T-DIR');
    expect((await runCli(['set', '--user', 'me', '--token', 'T-DIR', '--kubeconfig', ours], { env: env() })).code).toBe(0);
    expect(kubectlSends(['--kubeconfig', ours])).toBe('Bearer T-DIR');
  });
});
