import { parseExpires } from '../../../src/usecases/lifecycle/record-edit';
import { expiryWarning, shortDuration, tokenRecord, withoutTokenRecord } from '../../../src/usecases/lifecycle/token-record';

const NOW = new Date('2026-12-01T12:00:00Z');

describe('parseExpires', () => {
  test.each([
    ['90d', '2027-03-01T12:00:00Z'],
    ['720h', '2026-12-31T12:00:00Z'],
    ['1w2d', '2026-12-10T12:00:00Z'],
    ['1y', '2027-12-01T12:00:00Z'],
    ['1.5h', '2026-12-01T13:30:00Z'],
    ['2027-01-01T00:00:00Z', '2027-01-01T00:00:00Z'],
    ['2027-01-01T02:00:00+02:00', '2027-01-01T00:00:00Z'],
  ])('%s is %s', (text, expected) => {
    expect(parseExpires(text, NOW)).toBe(expected);
  });

  test.each(['', '90', 'd', '90 days', '2027-01-01', '2026-12-01T11:00:00Z', '0s', '2027-13-01T00:00:00Z'])('"%s" is refused', (text) => {
    expect(() => parseExpires(text, NOW)).toThrow(expect.objectContaining({ kind: 'invalid-input' }));
  });
});

describe('shortDuration (kubectl HumanDuration)', () => {
  test.each([
    [59_000, '59s'],
    [5 * 60_000 + 3000, '5m3s'],
    [2 * 3_600_000, '120m'],
    [5 * 3_600_000 + 60_000 * 7, '5h7m'],
    [30 * 3_600_000, '30h'],
    [3 * 86_400_000 + 3_600_000, '3d1h'],
    [90 * 86_400_000, '90d'],
    [800 * 86_400_000, '2y70d'],
  ])('%d ms is %s', (ms, text) => {
    expect(shortDuration(ms)).toBe(text);
  });
});

describe('the record in extensions', () => {
  const user = {
    token: 't',
    extensions: [
      { name: 'other', extension: { a: 1 } },
      { name: 'kubectl-cwtoken', extension: { expiresAt: '2026-12-05T12:00:00Z', note: 'n' } },
    ],
  };

  test('is read from the user entry, ignoring other extensions', () => {
    expect(tokenRecord(user)).toEqual({ expiresAt: '2026-12-05T12:00:00Z', note: 'n' });
    expect(tokenRecord({ extensions: [{ name: 'kubectl-cwtoken', extension: 'nonsense' }] })).toBeUndefined();
  });

  test('is left out when import compares entries, keeping other extensions', () => {
    expect(withoutTokenRecord(user)).toEqual({ token: 't', extensions: [{ name: 'other', extension: { a: 1 } }] });
    expect(withoutTokenRecord({ token: 't', extensions: [user.extensions[1]] })).toEqual({ token: 't' });
  });

  test('warns within 7 days of the expiry and after it, not before', () => {
    expect(expiryWarning('u', { expiresAt: '2026-12-05T12:00:00Z' }, NOW)).toMatch(/expires in 4d/);
    expect(expiryWarning('u', { expiresAt: '2026-11-30T12:00:00Z' }, NOW)).toMatch(/expired 24h ago/);
    expect(expiryWarning('u', { expiresAt: '2026-12-09T12:00:01Z' }, NOW)).toBeUndefined();
    expect(expiryWarning('u', {}, NOW)).toBeUndefined();
  });
});
