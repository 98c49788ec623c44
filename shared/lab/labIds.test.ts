import { describe, expect, it } from 'vitest';
import { labIdSource, labIdsInUse, sequentialIds } from './labIds.ts';
import { defaultLab } from './defaultLab.ts';
import { sampleProjectVariants } from './sampleLab.ts';

describe('lab ids', () => {
  it('sequentialIds counts per kind', () => {
    const ids = sequentialIds();
    expect([ids('net'), ids('net'), ids('guest'), ids('net')]).toEqual(['net-1', 'net-2', 'guest-1', 'net-3']);
  });

  it('labIdSource continues after the highest id of a kind and never reuses one in use', () => {
    const lab = defaultLab(sequentialIds());
    lab.networks = [
      { id: 'net-2', xml: '', autostart: false },
      { id: 'net-7', xml: '', autostart: false },
    ];
    lab.guests = [{ id: 'guest-1', name: 'a', networkId: 'net-2', listens: [] }];
    const next = labIdSource(lab);
    expect(next('net')).toBe('net-8');
    expect(next('net')).toBe('net-9');
    expect(next('guest')).toBe('guest-2');
    expect(next('layer')).toBe('layer-1');
  });

  it('labIdSource on the sample (readable ids) gives fresh ids', () => {
    const lab = sampleProjectVariants()[0].lab;
    const used = labIdsInUse(lab);
    const next = labIdSource(lab);
    for (let i = 0; i < 5; i++) {
      const id = next('event');
      expect(used.has(id)).toBe(false);
      used.add(id);
    }
  });
});
