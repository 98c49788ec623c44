import { describe, expect, it } from 'vitest';
import { sampleProjectVariants } from '../../../shared/lab/sampleLab.ts';
import { fieldDiff } from './fieldDiff.ts';
import { compareLabs } from './labCompare.ts';
import { lineDiff } from './lineDiff.ts';

describe('lineDiff', () => {
  it('pairs an inserted line against a gap and keeps equal lines aligned with their numbers', () => {
    const rows = lineDiff('a\nb\nc\n', 'a\nx\nb\nc\n');
    expect(rows).toEqual([
      { kind: 'same', left: 'a', right: 'a', leftNo: 1, rightNo: 1 },
      { kind: 'changed', left: null, right: 'x', leftNo: null, rightNo: 2 },
      { kind: 'same', left: 'b', right: 'b', leftNo: 2, rightNo: 3 },
      { kind: 'same', left: 'c', right: 'c', leftNo: 3, rightNo: 4 },
    ]);
  });

  it('puts a changed line beside its new version', () => {
    expect(lineDiff('x=1\ny\n', 'x=2\ny\n')[0]).toEqual({ kind: 'changed', left: 'x=1', right: 'x=2', leftNo: 1, rightNo: 1 });
  });
});

describe('fieldDiff', () => {
  it('names every changed leaf by its path', () => {
    expect(fieldDiff({ forward: undefined, ips: [{ a: '1' }] }, { forward: { mode: 'route' }, ips: [{ a: '2' }] })).toEqual([
      { path: 'forward.mode', before: undefined, after: 'route' },
      { path: 'ips[0].a', before: '1', after: '2' },
    ]);
  });
});

describe('compareLabs on the sample', () => {
  const [isolated, routed, ownScript] = sampleProjectVariants();

  it('isolated vs routed SuSEfirewall2: only the forward mode of deb differs', () => {
    const c = compareLabs(isolated.lab, routed.lab);
    expect(c.networks).toHaveLength(1);
    expect(c.networks[0]).toMatchObject({ name: 'deb', status: 'changed', modes: ['none', 'route'], fields: [{ path: 'forward.mode', after: 'route' }] });
    expect(c.layers.every((l) => l.status === 'same')).toBe(true);
    expect(c.events.same).toBe(true);
  });

  it('SuSEfirewall2 vs own script: same network, different layers and timeline', () => {
    const c = compareLabs(isolated.lab, ownScript.lab);
    expect(c.networks[0].status).toBe('same');
    expect(c.layers.map((l) => l.status).sort()).toEqual(['only-left', 'only-right']);
    expect(c.events.same).toBe(false);
  });
});
