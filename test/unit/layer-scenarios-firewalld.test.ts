// firewall-layers.md §2 (e): F1–F7 on T0 with eth1 in zone public. firewalld's
// nft table (`inet firewalld`, priority filter + 10) runs after iptables'
// filter table (priority 0), so a libvirt ACCEPT there only ends that table:
// firewalld still has to accept. The deciding rule is the one that gave the
// final verdict; for an accepted packet, the last base chain's accept.

import { describe, expect, it } from 'vitest';
import type { Lab } from '../../shared/lab/labModel.ts';
import { foldScenario } from './layerScenarioHost.ts';
import { dhcpToHost, forwardDecision, guestPacket, hookDecision, inboundPacket } from './layerScenarioEval.ts';
import { firewalldLayer, layerEvent, scenarioLab, type Mode, type ScenarioOptions } from './layerScenarioLabs.ts';

const ADMIN_PROHIBITED = { kind: 'reject', with: { kind: 'icmp', family: 'ipv4', code: 13 } };

function firewalldLab(o: { mode: Mode; firewalld: string; libvirt: string; bridgeZone?: string; files?: Record<string, string>; extra?: ScenarioOptions['events'] }): Lab {
  return scenarioLab({
    mode: o.mode,
    libvirtVersion: o.libvirt,
    bridgeExtra: o.bridgeZone ? ` zone='${o.bridgeZone}'` : '',
    layers: [firewalldLayer(o.firewalld, o.files ?? {})],
    events: [layerEvent('fw', 'layer-start', 'fwd', 'boot: firewalld.service'), 'libvirtd-start', 'net-start', ...(o.extra ?? [])],
  });
}

describe('firewalld scenarios (firewall-layers.md §2 e)', () => {
  it('F1 firewalld nft ≥ 1.0, libvirt 9.0 (5.1–10.3), nat: libvirt\'s iptables accept and zone libvirt\'s ACCEPT target both let it through', () => {
    const host = foldScenario(firewalldLab({ mode: 'nat', firewalld: '2.1.0', libvirt: '9.0' }));
    expect(host.failures).toEqual([]);
    for (const peer of ['gateway', 'internet'] as const) {
      const d = forwardDecision(host.state, guestPacket('tcp443', peer));
      expect(d.verdict).toEqual({ kind: 'accept' });
      // Base chains that accepted by a rule (mangle FORWARD accepts by its policy, without a rule).
      const byRule = d.acceptedBy.filter((r) => r.position > 0);
      expect(byRule.map((r) => r.provenance?.layer)).toEqual(['libvirt', 'firewalld']);
      expect(byRule[0].text).toBe('-A LIBVIRT_FWO -s 192.168.10.0/24 -i virbr3 -j ACCEPT');
      expect(d.decidedBy?.provenance?.reason).toBe('zone libvirt target ACCEPT (/usr/lib/firewalld/zones/libvirt.xml line 2)');
    }
  });

  it('F2 as F1 but isolated: libvirt\'s iptables REJECT (port-unreachable) decides before firewalld is consulted', () => {
    const host = foldScenario(firewalldLab({ mode: 'isolated', firewalld: '2.1.0', libvirt: '9.0' }));
    const d = forwardDecision(host.state, guestPacket('ping'));
    expect(d.verdict).toMatchObject({ kind: 'reject', with: { kind: 'icmp', code: 3 } });
    expect(d.decidedBy?.text).toBe('-A LIBVIRT_FWO -i virbr3 -j REJECT --reject-with icmp-port-unreachable');
    expect(d.decidedBy?.provenance?.layer).toBe('libvirt');
  });

  it('F3a firewalld nft 0.9, libvirt 5.0 (no libvirt zone), nat: virbr3 falls into the default zone public; firewalld\'s final admin-prohibited reject decides (the < 1.0 reject type is unconfirmed in the doc), and DHCP to the host is rejected too', () => {
    const host = foldScenario(firewalldLab({ mode: 'nat', firewalld: '0.9.3', libvirt: '5.0' }));
    const d = forwardDecision(host.state, guestPacket('tcp443'));
    expect(d.verdict).toMatchObject(ADMIN_PROHIBITED);
    expect(d.decidedBy).toMatchObject({ table: 'firewalld', chain: 'filter_FORWARD' });
    expect(d.decidedBy?.provenance?.reason).toBe('firewalld final rule of FORWARD: nothing in a zone or policy accepted the packet');
    const dhcp = hookDecision(host.state, 'input', dhcpToHost());
    expect(dhcp.verdict).toMatchObject(ADMIN_PROHIBITED);
  });

  it('F3b firewalld nft ≥ 1.0 with virbr3 forced into public (<bridge zone=\'public\'>), nat: intra-zone forwarding of public\'s <forward/> accepts (derived)', () => {
    const host = foldScenario(firewalldLab({ mode: 'nat', firewalld: '2.1.0', libvirt: '9.0', bridgeZone: 'public' }));
    const d = forwardDecision(host.state, guestPacket('tcp443'));
    expect(d.verdict).toEqual({ kind: 'accept' });
    expect(d.decidedBy?.provenance?.reason).toMatch(/^zone public <forward\/> \(\/usr\/lib\/firewalld\/zones\/public\.xml line \d+\): intra-zone forwarding to eth1$/);
    // DHCP to the host is still refused: public allows ssh and dhcpv6-client only.
    expect(hookDecision(host.state, 'input', dhcpToHost()).verdict).toMatchObject(ADMIN_PROHIBITED);
  });

  it('F4 firewalld nft ≥ 1.0, libvirt ≥ 8.10, route: policy libvirt-routed-out accepts', () => {
    const host = foldScenario(firewalldLab({ mode: 'route', firewalld: '2.1.0', libvirt: '9.0' }));
    const d = forwardDecision(host.state, guestPacket('tcp443'));
    expect(d.verdict).toEqual({ kind: 'accept' });
    expect(d.decidedBy?.provenance?.reason).toBe('policy libvirt-routed-out target ACCEPT (/usr/lib/firewalld/policies/libvirt-routed-out.xml line 2)');
  });

  it('F5 G→V TCP 443 NEW: libvirt ≥ 8.10 lets it in via policy libvirt-routed-in; libvirt < 8.10 with firewalld ≥ 1.0: zone public\'s target rejects (admin-prohibited)', () => {
    const routed = forwardDecision(foldScenario(firewalldLab({ mode: 'route', firewalld: '2.1.0', libvirt: '9.0' })).state, inboundPacket());
    expect(routed.verdict).toEqual({ kind: 'accept' });
    expect(routed.decidedBy?.provenance?.reason).toBe('policy libvirt-routed-in target ACCEPT (/usr/lib/firewalld/policies/libvirt-routed-in.xml line 2)');
    const old = forwardDecision(foldScenario(firewalldLab({ mode: 'route', firewalld: '2.1.0', libvirt: '8.0' })).state, inboundPacket());
    expect(old.verdict).toMatchObject(ADMIN_PROHIBITED);
    expect(old.decidedBy?.provenance?.reason).toMatch(/^zone public target default \(\/usr\/lib\/firewalld\/zones\/public\.xml line \d+\)$/);
  });

  it('F6 <bridge zone=\'drop\'>, nat: zone drop\'s DROP target decides', () => {
    const host = foldScenario(firewalldLab({ mode: 'nat', firewalld: '2.1.0', libvirt: '9.0', bridgeZone: 'drop' }));
    for (const probe of ['ping', 'tcp443'] as const) {
      const d = forwardDecision(host.state, guestPacket(probe));
      expect(d.verdict).toEqual({ kind: 'drop' });
      expect(d.decidedBy?.provenance?.reason).toMatch(/^zone drop target DROP \(\/usr\/lib\/firewalld\/zones\/drop\.xml line \d+\)$/);
    }
  });

  it('F7 firewalld 0.9 iptables backend reloaded while libvirt does not re-add (libvirtd not running): libvirt\'s rules are flushed, public decides — REJECT icmp-host-prohibited (the doc derives admin-prohibited; firewalld\'s iptables backend uses DEFAULT_REJECT_TYPE icmp-host-prohibited, ipXtables.py)', () => {
    const lab = firewalldLab({ mode: 'nat', firewalld: '0.9.3', libvirt: '4.10', files: { '/etc/firewalld/firewalld.conf': 'FirewallBackend=iptables\n' }, extra: ['libvirtd-stop', layerEvent('reload', 'layer-reload', 'fwd', 'later: firewall-cmd --reload')] });
    const host = foldScenario(lab);
    const d = forwardDecision(host.state, guestPacket('tcp443'));
    expect(d.verdict).toMatchObject({ kind: 'reject', with: { kind: 'icmp', code: 10 } });
    expect(d.decidedBy?.text).toBe('-A FORWARD -j REJECT --reject-with icmp-host-prohibited');
    expect(d.decidedBy?.provenance).toMatchObject({ layer: 'firewalld', event: 'later: firewall-cmd --reload' });
    // Before the reload libvirt's accept (inserted on top after firewalld's start) decided.
    const before = forwardDecision(foldScenario(firewalldLab({ mode: 'nat', firewalld: '0.9.3', libvirt: '4.10', files: { '/etc/firewalld/firewalld.conf': 'FirewallBackend=iptables\n' } })).state, guestPacket('tcp443'));
    expect(before.verdict).toEqual({ kind: 'accept' });
    // The filter table's accept is libvirt's rule; the security table firewalld's iptables backend
    // creates (FORWARD → FORWARD_direct, policy ACCEPT) passes the packet last, but only by its policy:
    // the verdict names libvirt's rule.
    expect(before.acceptedBy.filter((r) => r.position > 0 && r.table === 'filter').map((r) => `${r.provenance?.layer}: ${r.text}`)).toEqual(['libvirt: -A FORWARD -s 192.168.10.0/24 -i virbr3 -j ACCEPT']);
    expect(before.acceptedBy.at(-1)).toMatchObject({ table: 'security', chain: 'FORWARD', position: 0 });
    expect(before.decidedBy).toMatchObject({ table: 'filter', chain: 'FORWARD', text: '-A FORWARD -s 192.168.10.0/24 -i virbr3 -j ACCEPT', provenance: { layer: 'libvirt' } });
  });
});
