// firewall-layers.md §5 (e) I1–I7 (the admin's own iptables/nft rules) and
// §6 (e) R1–R5 (routing and sysctls) on T0, through the whole pipeline: the
// lab's timeline folded by foldTimeline, then the simulator's flow V → G / I
// (request and reply); V → I only where G's NAT of the guest subnet is not
// the question (T0's gateway masquerades only its LAN). Each case checks what the guest sees and what decided,
// with the provenance of the deciding rule or setting (layer, event, line).

import { describe, expect, it } from 'vitest';
import type { Lab } from '../../shared/lab/labModel.ts';
import { simulateFlow } from '../../shared/simulator/simulateFlow.ts';
import { GUEST, layerEvent, networkXml, scenarioLab, scriptLayer } from './layerScenarioLabs.ts';

const G = '192.168.90.1';
const I = '203.0.113.10';
const SCRIPT = { layer: 'own-script', file: '/usr/local/sbin/fw.sh', event: 'boot: fw.service' };

/** forward mode 'open': libvirt adds no firewall rules, so only the admin's rules decide (as in the I table). */
function adminLab(script: string, iptablesBackend: 'legacy' | 'nft' = 'nft'): Lab {
  const lab = scenarioLab({ mode: 'route', libvirtVersion: '9.0', iptablesBackend, layers: [scriptLayer('fw', script)], events: ['libvirtd-start', 'net-start', layerEvent('fw', 'layer-start', 'fw', 'boot: fw.service')] });
  lab.networks[0].xml = networkXml('route').replace("mode='route'", "mode='open'");
  return lab;
}

const flow = (lab: Lab, to: string, service: string) => simulateFlow(lab, { from: GUEST, to, service });

describe('the admin\'s own rules (firewall-layers.md §5 e)', () => {
  const I1 = 'iptables -P FORWARD DROP\niptables -A FORWARD -i virbr3 -o eth1 -j ACCEPT\n';
  const I2 = `${I1}iptables -A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n`;

  it('I1 FORWARD policy DROP and only the outbound ACCEPT: the request passes, the reply meets the policy → timeout', () => {
    const v = flow(adminLab(I1), G, 'icmp');
    expect(v.guestSees).toBe('timeout');
    expect(v.cause).toBe('chain-policy');
    expect(v.hop?.direction).toBe('reply');
    expect(v.decidedBy).toMatchObject({ rule: ':FORWARD DROP', provenance: { ...SCRIPT, line: 1 } });
  });

  it('I2 I1 + an ESTABLISHED,RELATED accept: replies pass', () => {
    const v = flow(adminLab(I2), G, 'icmp');
    expect(v.guestSees).toBe('reply');
    expect(v.decidedBy).toMatchObject({ rule: '-A FORWARD -i virbr3 -o eth1 -j ACCEPT', provenance: { ...SCRIPT, line: 2 } });
  });

  it('I3 I2 + `-I FORWARD -j LOG` first: LOG does not stop the packet', () => {
    const v = flow(adminLab(`${I2}iptables -I FORWARD -j LOG\n`), G, 'tcp/443');
    expect(v.guestSees).toBe('reply');
    expect(v.decidedBy?.provenance).toMatchObject({ ...SCRIPT, line: 2 });
  });

  it('I4 REJECT icmp-host-prohibited first: ping sees Destination Host Prohibited, TCP "No route to host"', () => {
    const lab = adminLab('iptables -A FORWARD -j REJECT --reject-with icmp-host-prohibited\niptables -A FORWARD -j ACCEPT\n');
    expect(flow(lab, G, 'icmp').guestSees).toBe('error:Destination Host Prohibited from 192.168.10.1');
    const tcp = flow(lab, G, 'tcp/443');
    expect(tcp.guestSees).toBe('error:No route to host (Destination Host Prohibited from 192.168.10.1)');
    expect(tcp.decidedBy).toMatchObject({ rule: '-A FORWARD -j REJECT --reject-with icmp-host-prohibited', provenance: { ...SCRIPT, line: 1 } });
  });

  it('I5 REJECT tcp-reset for TCP first, then ACCEPT all: ping works, TCP is refused by a RST', () => {
    const lab = adminLab('iptables -A FORWARD -p tcp -j REJECT --reject-with tcp-reset\niptables -A FORWARD -j ACCEPT\n');
    expect(flow(lab, G, 'icmp').guestSees).toBe('reply');
    const tcp = flow(lab, G, 'tcp/443');
    expect(tcp.guestSees).toMatch(/^error:Connection refused \(TCP RST/);
    expect(tcp.decidedBy?.provenance).toMatchObject({ ...SCRIPT, line: 1 });
  });

  it('I6 iptables-legacy FORWARD ACCEPT + an nft `ip filter` FORWARD chain with policy drop: dropped, by the nft policy', () => {
    const lab = adminLab('iptables-legacy -P FORWARD ACCEPT\nnft add table ip filter\nnft add chain ip filter FORWARD "{ type filter hook forward priority 0; policy drop; }"\n', 'legacy');
    const v = flow(lab, G, 'icmp');
    expect(v.guestSees).toBe('timeout');
    expect(v.cause).toBe('chain-policy');
    expect(v.decidedBy).toMatchObject({ table: 'filter', chain: 'FORWARD', position: 0, provenance: { ...SCRIPT, line: 3 } });
  });

  it('I7 a user chain that ends without a verdict returns; the ACCEPT policy decides', () => {
    const v = flow(adminLab('iptables -N X\niptables -A X -p udp -j DROP\niptables -A FORWARD -j X\niptables -P FORWARD ACCEPT\n'), G, 'icmp');
    expect(v.guestSees).toBe('reply');
    expect(v.decidedBy).toMatchObject({ rule: ':FORWARD ACCEPT', provenance: { ...SCRIPT, line: 4 } });
  });
});

describe('routing and sysctls (firewall-layers.md §6 e, route mode, no host firewall)', () => {
  const routed = (mode: 'route' | 'nat' = 'route', later: Lab['events'] = []): Lab => {
    const lab = scenarioLab({ mode, libvirtVersion: '9.0', layers: [], events: ['libvirtd-start', 'net-start'] });
    lab.events.push(...later);
    return lab;
  };

  it('R1 ip_forward=0 (written after libvirt turned it on): silent drop, naming who wrote it', () => {
    const lab = routed('route', [{ id: 'off', kind: 'sysctl-set', params: { key: 'net.ipv4.ip_forward', value: '0' }, phase: 'later', label: 'admin: sysctl ip_forward=0' }]);
    for (const [to, service] of [[G, 'icmp'], [I, 'tcp/443']]) {
      const v = flow(lab, to, service);
      expect(v.guestSees).toBe('timeout');
      expect(v.cause).toBe('forwarding-off');
      expect(v.decidedBy?.reason).toContain('admin: sysctl ip_forward=0');
    }
  });

  it('R2 ip_forward=1 but conf/virbr3/forwarding=0: silent drop', () => {
    const v = flow(routed('route', [{ id: 'off', kind: 'sysctl-set', params: { key: 'net.ipv4.conf.virbr3.forwarding', value: '0' }, phase: 'later', label: 'admin: virbr3 forwarding=0' }]), G, 'icmp');
    expect(v.guestSees).toBe('timeout');
    expect(v.cause).toBe('forwarding-off');
    expect(v.decidedBy?.rule).toBe('net.ipv4.conf.virbr3.forwarding = 0');
  });

  it('R3 the gateway lacks the return route: the reply has nowhere to go', () => {
    const lab = routed();
    lab.gateway.routes = [];
    for (const service of ['icmp', 'tcp/443']) {
      const v = flow(lab, G, service);
      expect(v.guestSees).toBe('timeout');
      expect(v.cause).toBe('no-return-route');
      expect(v.hop).toMatchObject({ node: `gateway ${G}`, direction: 'reply' });
    }
  });

  it('R4 default route via a second uplink eth0, replies back through G on eth1: strict rp_filter drops them, loose passes', () => {
    const lab = (rp: 1 | 2): Lab => {
      const l = routed();
      // A public guest subnet that G routes back via the host, so rp_filter is the only obstacle.
      l.networks[0].xml = l.networks[0].xml.replaceAll('192.168.10.', '198.51.100.');
      l.guests[0].address = '198.51.100.50';
      l.host.interfaces.push({ name: 'eth0', kind: 'physical', addresses: ['10.0.0.10/24'], up: true });
      l.host.routes = [{ destination: 'default', via: '10.0.0.1', dev: 'eth0' }];
      l.gateway.routes = [{ destination: '198.51.100.0/24', via: '192.168.90.10' }];
      l.host.sysctls.rpFilter = { all: rp, default: rp, interfaces: {} };
      return l;
    };
    const strict = simulateFlow(lab(1), { from: '198.51.100.50', to: I, service: 'tcp/443' });
    expect(strict.guestSees).toBe('timeout');
    expect(strict.cause).toBe('rp-filter');
    expect(strict.hop?.direction).toBe('reply');
    expect(simulateFlow(lab(2), { from: '198.51.100.50', to: I, service: 'tcp/443' }).guestSees).toBe('reply');
  });

  it('R5 nat mode without the return route: both work (masqueraded behind the host)', () => {
    const lab = routed('nat');
    lab.gateway.routes = [];
    expect(flow(lab, G, 'icmp').guestSees).toBe('reply');
    expect(flow(lab, I, 'tcp/443').guestSees).toBe('reply');
  });
});
