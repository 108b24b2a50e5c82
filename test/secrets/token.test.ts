import { validateToken } from '../../src/secrets/token';

describe('validateToken', () => {
  test.each(['"CW-SECRET-abc123"', "'CW-SECRET-abc123'", '`CW-SECRET-abc123`', '\u201cCW-SECRET-abc123\u201d', '"CW-SECRET-abc123'])(
    'a token with its quotes copied along (%s) is refused, without the value in the message',
    (token) => {
      expect(() => validateToken(token, 'stdin')).toThrow(/^the token from stdin is wrapped in quotes: give the token without them; nothing was written$/);
    },
  );

  // bad-input fuzzing: random token bytes were written as U+FFFD, or as a C1 control the editor cannot put in YAML (exit 1).
  test('a token read from bytes that are not UTF-8 is refused, not written with U+FFFD in their place', () => {
    expect(() => validateToken(Buffer.from([0x43, 0x57, 0xff, 0x41]).toString('utf8'), 'stdin')).toThrow(/^the token from stdin is not valid UTF-8 text/);
  });

  test.each(['ab\u0080cd', 'ab\u009fcd', 'ab\ufffecd', 'ab\uffffcd'])('a token with a C1 control or a non-character (%j) is refused', (token) => {
    expect(() => validateToken(token, 'stdin')).toThrow(/^the token from stdin contains control characters, which no bearer token has; nothing was written$/);
  });

  test('a plain token passes', () => {
    expect(() => validateToken('CW-SECRET-abc123', 'stdin')).not.toThrow();
  });
});
