/** What may be shown of a token, and which typed words are treated as tokens. */
import { looksLikeToken, redact, redactWords } from '../../src/secrets/redact';

test.each<[string | undefined, string]>([
  [undefined, ''],
  ['', ''],
  ['short-secret', '…'],
  ['CW-SECRET-0123456789abcdef', 'CW-S…cdef'],
])('redact(%j) is %j', (token, shown) => {
  expect(redact(token)).toBe(shown);
});

test.each<[string, boolean]>([
  ['CW-SECRET-abc', true],
  ['cw-secret-lowercase', true],
  ['eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0', true],
  ['0123456789abcdef0123456789abcdef', true],
  ['abc/Def+ghijklmnopQRSTuvwxyz0123==', true],
  ['Mixed0Case1Long2Enough3Word', true],
  ['cw-long-context-name-prod1', false], // no upper case: a name
  ['/nonexistent/dir/Kubeconfig-Of-Cluster-1.yaml', false], // a path
  ['./Some/Relative0Path/Long', false],
  ['ShortMixed1', false],
  ['--kubeconfig', false],
  ['prod', false],
])('looksLikeToken(%j) is %j', (word, expected) => {
  expect(looksLikeToken(word)).toBe(expected);
});

test('redactWords hides every token-like word, longest first, and keeps the rest', () => {
  const long = 'CW-SECRET-0123456789abcdef0123';
  const text = `unknown argument ${long} (${long.slice(0, 20)}) near prod`;
  expect(redactWords(text, ['prod', long, long.slice(0, 20)])).toBe(`unknown argument ${redact(long)} (${redact(long.slice(0, 20))}) near prod`);
});
