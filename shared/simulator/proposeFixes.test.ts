import { describe, expect, it } from 'vitest';
import { applyPatch } from '../lab/jsonPatch.ts';
import { cloneJson } from '../json/cloneJson.ts';
import { SAMPLE_VARIANT_NAMES, sampleProjectVariants } from '../lab/sampleLab.ts';
import { proposeFixes } from './proposeFixes.ts';
import { simulateFlow } from './simulateFlow.ts';

const variant = (name: string) => sampleProjectVariants().find((v) => v.name === name)!.lab;
const ping = { from: '192.168.10.20', to: '192.168.90.1', service: 'icmp' };

describe('proven fixes', () => {
  it('isolated + SuSEfirewall2: switching to route or nat, or a libvirt hook ACCEPT — each re-simulated to a reply', () => {
    const lab = variant(SAMPLE_VARIANT_NAMES.isolatedSuSEfirewall2);
    const fixes = proposeFixes(lab, ping);
    expect(fixes.map((f) => f.label)).toEqual([
      'Switch network deb to forward mode route',
      'Switch network deb to forward mode nat',
      'Accept 192.168.10.0/24 on virbr3 in a libvirt network hook',
    ]);
    for (const f of fixes) {
      expect(f.result.guestSees).toBe('reply');
      // The patch really is what makes it work: applied to the lab, the flow succeeds.
      expect(simulateFlow(applyPatch(lab, f.patch).doc, ping).cause).toBe('ok');
    }
    expect(fixes[0].patch[0]).toMatchObject({ op: 'replace', path: '/networks/0/xml' });
    expect(String((fixes[0].patch[0] as { value: string }).value)).toContain("<forward mode='route'/>");
  });

  it('routed without a return route: the return route or NAT, never a useless ACCEPT', () => {
    const lab = cloneJson(variant(SAMPLE_VARIANT_NAMES.routedSuSEfirewall2));
    lab.gateway.routes = [];
    const fixes = proposeFixes(lab, ping);
    expect(fixes.map((f) => f.label)).toEqual(['Switch network deb to forward mode nat', "Add the gateway's return route 192.168.10.0/24 via 192.168.90.10"]);
  });

  it('ip_forward off: enable it, or let libvirt do it by switching the mode', () => {
    const lab = cloneJson(variant(SAMPLE_VARIANT_NAMES.isolatedOwnScript));
    lab.host.sysctls.ipForward = false;
    const v = simulateFlow(lab, ping, { uptoEventId: 'event-boot-fw-sh' });
    expect(v.cause).toBe('forwarding-off');
    const fixes = proposeFixes(lab, ping);
    expect(fixes.every((f) => f.result.cause === 'ok')).toBe(true);
  });

  it('a working flow has no fixes', () => {
    expect(proposeFixes(variant(SAMPLE_VARIANT_NAMES.nat), ping)).toEqual([]);
  });
});
