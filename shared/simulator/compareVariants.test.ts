import { describe, expect, it } from 'vitest';
import { SAMPLE_VARIANT_NAMES, sampleProjectVariants } from '../lab/sampleLab.ts';
import { compareVariants } from './compareVariants.ts';

const variant = (name: string) => sampleProjectVariants().find((v) => v.name === name)!.lab;

describe('compare variants: isolated vs routed under SuSEfirewall2', () => {
  const cmp = compareVariants(variant(SAMPLE_VARIANT_NAMES.isolatedSuSEfirewall2), variant(SAMPLE_VARIANT_NAMES.routedSuSEfirewall2));

  it('XML: only the forward mode differs', () => {
    expect(cmp.xml).toEqual([{ network: 'deb', field: 'forward.mode', a: 'none (isolated)', b: 'route' }]);
  });

  it("rules: libvirt's two route ACCEPTs are added in FORWARD, with their provenance", () => {
    const added = cmp.rules.filter((r) => r.change === 'added' && r.hooks.includes('forward'));
    expect(added.map((r) => r.rule)).toEqual(['-A FORWARD -d 192.168.10.0/24 -o virbr3 -j ACCEPT', '-A FORWARD -s 192.168.10.0/24 -i virbr3 -j ACCEPT']);
    expect(added[0].provenance?.layer).toBe('libvirt');
  });

  it('matrix: only the cells that differ, with the reason on both sides', () => {
    expect(cmp.matrix.length).toBeGreaterThan(0);
    const ping = cmp.matrix.find((c) => c.target === 'gateway' && c.service === 'icmp')!;
    expect(ping.a.guestSees).toBe('error:Destination Port Unreachable from 192.168.10.1');
    expect(ping.b.guestSees).toBe('reply');
    expect(cmp.matrix.every((c) => c.a.guestSees !== c.b.guestSees || c.a.cause !== c.b.cause)).toBe(true);
  });
});
