import { validateToken } from '../../src/secrets/token';

describe('validateToken', () => {
  test.each(['"CW-SECRET-abc123"', "'CW-SECRET-abc123'", '`CW-SECRET-abc123`', '\u201cCW-SECRET-abc123\u201d', '"CW-SECRET-abc123'])(
    'a token with its quotes copied along (%s) is refused, without the value in the message',
    (token) => {
      expect(() => validateToken(token, 'stdin')).toThrow(/^the token from stdin is wrapped in quotes: give the token without them; nothing was written$/);
    },
  );

  test('a plain token passes', () => {
    expect(() => validateToken('CW-SECRET-abc123', 'stdin')).not.toThrow();
  });
});
