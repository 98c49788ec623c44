// Pairs the entries of a list before and after an edit, so the writer touches
// only the XML elements of entries that really changed: unchanged entries are
// matched by value (longest common subsequence, order kept), the remaining ones
// between two matches are paired in order as "edited", the rest are inserted or
// removed. Deleting the first of three DHCP ranges thus removes one element
// instead of rewriting all three.

/** Deep equality of JSON-like values; keys holding undefined count as absent. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((v, i) => sameJson(v, bb[i]));
  }
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(ra), ...Object.keys(rb)]);
  for (const k of keys) if (!sameJson(ra[k], rb[k])) return false;
  return true;
}

/** For each `after` entry: the index of its `before` entry, or -1 when it is new. */
export function matchLists<T>(before: readonly T[], after: readonly T[]): number[] {
  // Equal heads and tails match one to one; only the middle needs the quadratic LCS
  // (one edited host among 250 costs one comparison, not 62 500).
  let head = 0;
  while (head < before.length && head < after.length && sameJson(before[head], after[head])) head++;
  let tail = 0;
  while (tail < before.length - head && tail < after.length - head && sameJson(before[before.length - 1 - tail], after[after.length - 1 - tail])) tail++;
  const middle = matchMiddle(before.slice(head, before.length - tail), after.slice(head, after.length - tail));
  const result: number[] = [];
  for (let j = 0; j < head; j++) result.push(j);
  for (const i of middle) result.push(i === -1 ? -1 : i + head);
  for (let k = 0; k < tail; k++) result.push(before.length - tail + k);
  return result;
}

function matchMiddle<T>(before: readonly T[], after: readonly T[]): number[] {
  const n = before.length;
  const m = after.length;
  // lcs[i][j] = LCS length of before[i..] and after[j..]
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i][j] = sameJson(before[i], after[j]) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const anchors: [number, number][] = [];
  for (let i = 0, j = 0; i < n && j < m; ) {
    if (sameJson(before[i], after[j])) {
      anchors.push([i, j]);
      i++;
      j++;
    } else if (lcs[i + 1][j] >= lcs[i][j + 1]) i++;
    else j++;
  }
  const result = new Array<number>(m).fill(-1);
  let prevI = -1;
  let prevJ = -1;
  for (const [ai, aj] of [...anchors, [n, m] as [number, number]]) {
    // Entries strictly between two anchors: pair them in order as edits.
    const gap = Math.min(ai - prevI - 1, aj - prevJ - 1);
    for (let k = 0; k < gap; k++) result[prevJ + 1 + k] = prevI + 1 + k;
    if (ai < n) result[aj] = ai;
    prevI = ai;
    prevJ = aj;
  }
  return result;
}
