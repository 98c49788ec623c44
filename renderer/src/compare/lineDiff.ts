// Line diff of two texts (longest common subsequence), for the side-by-side
// XML comparison. Network XML files are tens of lines, so the O(n·m) table is
// cheap; equal heads and tails are stripped first anyway.

export type DiffRow =
  | { kind: 'same'; left: string; right: string; leftNo: number; rightNo: number }
  | { kind: 'changed'; left: string | null; right: string | null; leftNo: number | null; rightNo: number | null };

export function lineDiff(a: string, b: string): DiffRow[] {
  const left = a.replace(/\n$/, '').split('\n');
  const right = b.replace(/\n$/, '').split('\n');
  let head = 0;
  while (head < left.length && head < right.length && left[head] === right[head]) head++;
  let tail = 0;
  while (tail < left.length - head && tail < right.length - head && left[left.length - 1 - tail] === right[right.length - 1 - tail]) tail++;
  const l = left.slice(head, left.length - tail);
  const r = right.slice(head, right.length - tail);

  // lcs[i][j] = length of the LCS of l[i..] and r[j..].
  const lcs: number[][] = Array.from({ length: l.length + 1 }, () => new Array<number>(r.length + 1).fill(0));
  for (let i = l.length - 1; i >= 0; i--) for (let j = r.length - 1; j >= 0; j--) lcs[i][j] = l[i] === r[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);

  const rows: DiffRow[] = left.slice(0, head).map((line, k) => ({ kind: 'same', left: line, right: line, leftNo: k + 1, rightNo: k + 1 }));
  let i = 0;
  let j = 0;
  const removed: { line: string; no: number }[] = [];
  const added: { line: string; no: number }[] = [];
  const flush = () => {
    // Pair removed and added lines row by row, so a changed line sits beside its new version.
    for (let k = 0; k < Math.max(removed.length, added.length); k++) {
      rows.push({ kind: 'changed', left: removed[k]?.line ?? null, right: added[k]?.line ?? null, leftNo: removed[k]?.no ?? null, rightNo: added[k]?.no ?? null });
    }
    removed.length = 0;
    added.length = 0;
  };
  while (i < l.length || j < r.length) {
    if (i < l.length && j < r.length && l[i] === r[j]) {
      flush();
      rows.push({ kind: 'same', left: l[i], right: r[j], leftNo: head + i + 1, rightNo: head + j + 1 });
      i++;
      j++;
    } else if (j >= r.length || (i < l.length && lcs[i + 1][j] >= lcs[i][j + 1])) {
      removed.push({ line: l[i], no: head + i + 1 });
      i++;
    } else {
      added.push({ line: r[j], no: head + j + 1 });
      j++;
    }
  }
  flush();
  for (let k = 0; k < tail; k++) {
    const li = left.length - tail + k;
    const ri = right.length - tail + k;
    rows.push({ kind: 'same', left: left[li], right: right[ri], leftNo: li + 1, rightNo: ri + 1 });
  }
  return rows;
}
