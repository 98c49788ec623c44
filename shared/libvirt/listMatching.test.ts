import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchLists, sameJson } from './listMatching.ts';

describe('matchLists', () => {
  it('keeps unchanged entries on their old elements when one is deleted, inserted or edited', () => {
    expect(matchLists(['a', 'b', 'c'], ['b', 'c'])).toEqual([1, 2]);
    expect(matchLists(['a', 'c'], ['a', 'b', 'c'])).toEqual([0, -1, 1]);
    expect(matchLists(['a', 'b', 'c'], ['a', 'B', 'c'])).toEqual([0, 1, 2]);
    expect(matchLists([], ['x'])).toEqual([-1]);
    expect(matchLists(['x'], [])).toEqual([]);
  });

  it('always gives an increasing, one-to-one mapping that keeps every common entry', () => {
    const list = fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 12 });
    fc.assert(
      fc.property(list, list, (before, after) => {
        const match = matchLists(before, after);
        expect(match).toHaveLength(after.length);
        const used = match.filter((i) => i !== -1);
        for (let k = 1; k < used.length; k++) expect(used[k]).toBeGreaterThan(used[k - 1]);
        for (const i of used) expect(i).toBeLessThan(before.length);
        // Unchanged lists map to themselves.
        if (sameJson(before, after)) expect(match).toEqual(after.map((_, j) => j));
        // At least as many exact matches as a longest common subsequence has.
        const exact = match.filter((i, j) => i !== -1 && before[i] === after[j]).length;
        expect(exact).toBe(lcsLength(before, after));
      }),
      { numRuns: 500 },
    );
  });
});

function lcsLength(a: number[], b: number[]): number {
  const t = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) for (let j = b.length - 1; j >= 0; j--) t[i][j] = a[i] === b[j] ? t[i + 1][j + 1] + 1 : Math.max(t[i + 1][j], t[i][j + 1]);
  return t[0][0];
}
