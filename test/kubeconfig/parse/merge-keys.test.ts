import { applyMerges, MergeKeyError } from '../../../src/kubeconfig/parse/merge-keys';

describe('merge keys, the go-yaml v2 way', () => {
  test('a merge overrides the keys written before it', () => {
    expect(applyMerges({ token: 'D', '<<': { token: 'M', extra: 1 } })).toEqual({ token: 'M', extra: 1 });
  });

  test('keys written after a merge override it', () => {
    expect(applyMerges({ '<<': { token: 'M' }, token: 'D' })).toEqual({ token: 'D' });
  });

  test('in a list of merges the first one wins', () => {
    expect(applyMerges({ '<<': [{ token: 'A' }, { token: 'B', other: 'b' }] })).toEqual({ token: 'A', other: 'b' });
  });

  test('merges nested anywhere are applied, and a shared (aliased) mapping is merged once, the same for all', () => {
    const shared = { '<<': { a: 1 }, b: 2 };
    const result = applyMerges({ x: [shared, { y: shared }] }) as { x: [unknown, { y: unknown }] };
    expect(result.x[0]).toEqual({ a: 1, b: 2 });
    expect(result.x[1].y).toBe(result.x[0]);
  });

  test('a merge of something that is not a mapping is an error', () => {
    expect(() => applyMerges({ '<<': 'scalar' })).toThrow(MergeKeyError);
    expect(() => applyMerges({ '<<': [{ a: 1 }, 2] })).toThrow(MergeKeyError);
  });
});
