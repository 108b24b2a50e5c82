/** What may be shown of a token, and which typed words are treated as tokens. */
import { looksLikeToken, redact, redactTokenShapes, redactWords } from '../../src/secrets/redact';

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

describe('redactTokenShapes: what the output streams redact in every line but the token asked for', () => {
  const cw = 'CW-SECRET-0123456789abcdef0123';
  const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
  test.each<[string, string, string]>([
    ['a CoreWeave token quoted as a name', `user "${cw}" is not defined`, `user "${redact(cw)}" is not defined`],
    ['a CoreWeave token inside a path', `tokenFile /nonexistent/${cw} cannot be read`, `tokenFile /nonexistent/${redact(cw)} cannot be read`],
    ['a CoreWeave token with a suffix glued on (import --prefix)', `as "${cw}las1"`, `as "${redact(`${cw}las1`)}"`],
    ['a JWT in a JSON string', `{"user": "${jwt}"}`, `{"user": "${redact(jwt)}"}`],
  ])('%s is redacted', (_what, text, shown) => {
    expect(redactTokenShapes(text)).toBe(shown);
  });

  test.each([
    ['a temp path with mixed case and digits', '/tmp/cwtoken-import-aB3dE9xYz/config'],
    ['a context named like the prefix, as kubectl prints it', 'cw-secret-lab'],
    ['a folder named with the prefix, shorter than any token', '--kubeconfig CW-SECRET-backup/config'],
    ['a long mixed-case name', 'context Mixed0Case1Long2Enough3Word on https://Api0.example.test'],
    ['an already redacted token', `token ${redact(cw)} → ${redact(jwt)}`],
    ['the bare prefix named in a notice', 'the new token does not start with CW-SECRET-, as CoreWeave API access tokens do'],
  ])('%s is left as it is', (_what, text) => {
    expect(redactTokenShapes(text)).toBe(text);
  });
});
