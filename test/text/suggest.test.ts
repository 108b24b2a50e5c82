import { closest, suggest } from '../../src/text/suggest';
import { displayWidth, padEnd, wrap } from '../../src/text/width';

describe('closest', () => {
  test('a one-letter typo finds the name', () => {
    expect(closest('gett', ['get', 'set', 'contexts'])).toEqual(['get', 'set']);
  });

  test('nothing close, nothing suggested', () => {
    expect(suggest('zzzzzz', ['prod', 'dev'])).toBe('');
  });

  test('a very long word (a pasted token, a path) costs bounded work and matches nothing', () => {
    // Uncut, this is 200,000 × 10 cells for each of 100,000 names; the length cut keeps it to a moment.
    const long = 'x'.repeat(200_000);
    expect(
      closest(
        long,
        Array.from({ length: 100_000 }, (_, i) => `context-${i}`),
      ),
    ).toEqual([]);
  });
});

describe('display width', () => {
  test('wide characters take two columns, combining marks none', () => {
    expect([displayWidth('abc'), displayWidth('東京'), displayWidth('e\u0301'), displayWidth('한국')]).toEqual([3, 4, 1, 4]);
  });

  test('padEnd pads to columns, not characters', () => {
    expect(padEnd('東京', 6)).toBe('東京  ');
  });

  test('wrap fills lines up to the width and never splits a word', () => {
    expect(wrap('aaa bbb ccc dddddddddd', 7)).toEqual(['aaa bbb', 'ccc', 'dddddddddd']);
  });
});
