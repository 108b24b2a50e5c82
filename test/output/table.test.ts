import { renderTable } from '../../src/output/table';

describe('renderTable', () => {
  const rows = [
    { cells: ['*', 'lga1', 'x'], style: 'highlight' as const },
    { cells: ['', 'ord1-long', ''], style: 'warning' as const },
  ];

  test('aligns columns three spaces apart and trims trailing blanks, like kubectl', () => {
    expect(renderTable(['CURRENT', 'NAME', 'NOTE'], rows, false)).toBe('CURRENT   NAME        NOTE\n*         lga1        x\n          ord1-long\n');
  });

  test('colour wraps whole rows only when allowed', () => {
    const coloured = renderTable(['CURRENT', 'NAME', 'NOTE'], rows, true).split('\n');
    expect(coloured[0]).not.toContain('\u001b[');
    expect(coloured[1]).toBe('\u001b[1m*         lga1        x\u001b[0m');
    expect(coloured[2]).toBe('\u001b[33m          ord1-long\u001b[0m');
  });
});
