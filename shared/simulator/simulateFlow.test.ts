import { describe, expect, it } from 'vitest';
import { SAMPLE_VARIANT_NAMES, sampleProjectVariants } from '../lab/sampleLab.ts';
import { labMatrix, simulateFlow } from './simulateFlow.ts';

const variant = (name: string) => sampleProjectVariants().find((v) => v.name === name)!.lab;
const ping = { from: '192.168.10.20', to: '192.168.90.1', service: 'icmp' };

describe('simulateFlow on the sample project (story.md)', () => {
  it('isolated + SuSEfirewall2: libvirt\'s REJECT, re-inserted by the HUP SuSEfirewall2 sends', () => {
    const v = simulateFlow(variant(SAMPLE_VARIANT_NAMES.isolatedSuSEfirewall2), ping);
    expect(v.guestSees).toBe('error:Destination Port Unreachable from 192.168.10.1');
    expect(v.cause).toBe('rule-reject');
    expect(v.decidedBy?.layer).toBe('libvirt');
    expect(v.decidedBy?.rule).toBe('-A FORWARD -i virbr3 -j REJECT --reject-with icmp-port-unreachable');
    expect(v.decidedBy?.event).toMatch(/SIGHUP.*SuSEfirewall2/);
    expect(v.headline).toMatch(/^192\.168\.10\.20 → 192\.168\.90\.1, ping: Destination Port Unreachable from 192\.168\.10\.1 — /);
  });

  it('routed + SuSEfirewall2 works; the assumption names the gateway\'s return route', () => {
    const v = simulateFlow(variant(SAMPLE_VARIANT_NAMES.routedSuSEfirewall2), ping);
    expect(v.guestSees).toBe('reply');
    expect(v.assumptions).toContain('gateway 192.168.90.1 routes 192.168.10.0/24 back via 192.168.90.10');
  });

  it('own script: works after fw.sh, breaks after the later libvirtd reload', () => {
    const lab = variant(SAMPLE_VARIANT_NAMES.isolatedOwnScript);
    expect(simulateFlow(lab, ping, { uptoEventId: 'event-boot-fw-sh' }).guestSees).toBe('reply');
    const after = simulateFlow(lab, ping);
    expect(after.cause).toBe('rule-reject');
    expect(after.decidedBy?.event).toMatch(/reloads libvirtd/);
  });

  it('NAT works and masquerades behind the host', () => {
    const v = simulateFlow(variant(SAMPLE_VARIANT_NAMES.nat), { ...ping, service: 'tcp/443' });
    expect(v.guestSees).toBe('reply');
    expect(v.path.some((s) => s.stage === 'nat' && /192\.168\.90\.10/.test(s.detail))).toBe(true);
  });

  it('an unknown guest is a clear error', () => {
    expect(() => simulateFlow(variant(SAMPLE_VARIANT_NAMES.nat), { ...ping, from: '10.1.1.1' })).toThrow(/no guest of this lab \(guests: kali 192\.168\.10\.20\)/);
  });

  it('the matrix covers gateway, internet, host and the network gateway address × the default services', () => {
    const m = labMatrix(variant(SAMPLE_VARIANT_NAMES.isolatedSuSEfirewall2));
    expect(m.targets.map((t) => t.key)).toEqual(['gateway', 'internet', 'host', 'bridge:virbr3', 'guest:guest-kali']);
    expect(m.cells).toHaveLength(16);
    const dns = m.cells.find((c) => c.target === 'bridge:virbr3' && c.service === 'udp/53')!;
    expect(dns.verdict.guestSees).toBe('reply');
  });
});
