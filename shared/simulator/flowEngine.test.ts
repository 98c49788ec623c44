import { describe, expect, it } from 'vitest';
import { buildLabWorld, guestNodeId } from './labWorld.ts';
import { simulateInWorld } from './simulateInWorld.ts';
import { iptablesSave, libvirtRules, runtimeFor, storyLab } from './simulatorTestkit.testkit.ts';

function sim(mode: 'isolated' | 'route' | 'nat', to: string, service: string, opts: { save?: string | null; edit?: (l: ReturnType<typeof storyLab>) => void; sys?: Parameters<typeof runtimeFor>[2] } = {}) {
  const lab = storyLab(mode);
  opts.edit?.(lab);
  const r = libvirtRules(mode);
  const save = opts.save === undefined ? iptablesSave(r.filter, r.nat) : opts.save;
  const world = buildLabWorld(lab, runtimeFor(lab, save, opts.sys));
  return simulateInWorld(world, guestNodeId('guest-kali'), { from: '192.168.10.20', to, service });
}

describe('the story, hop by hop', () => {
  it('isolated: ping to the gateway gets Destination Port Unreachable from 192.168.10.1 by libvirt\'s REJECT', () => {
    const v = sim('isolated', '192.168.90.1', 'icmp');
    expect(v.guestSees).toBe('error:Destination Port Unreachable from 192.168.10.1');
    expect(v.cause).toBe('rule-reject');
    expect(v.decidedBy?.rule).toBe('-A FORWARD -i virbr3 -j REJECT --reject-with icmp-port-unreachable');
    expect(v.decidedBy?.position).toBe(3);
    expect(v.hop).toEqual({ node: 'KVM host kvm-host', stage: 'FORWARD', direction: 'request' });
  });

  it('isolated: TCP to the gateway: Connection refused', () => {
    expect(sim('isolated', '192.168.90.1', 'tcp/443').guestSees).toBe('error:Connection refused (Destination Port Unreachable from 192.168.10.1)');
  });

  it('routed: ping and TCP to the gateway and the internet get replies; the assumption names the return route', () => {
    const v = sim('route', '192.168.90.1', 'icmp');
    expect(v.guestSees).toBe('reply');
    expect(v.cause).toBe('ok');
    expect(v.decidedBy?.rule).toBe('-A FORWARD -s 192.168.10.0/24 -i virbr3 -j ACCEPT');
    expect(v.assumptions).toContain('gateway 192.168.90.1 routes 192.168.10.0/24 back via 192.168.90.10');
    expect(sim('route', '203.0.113.10', 'tcp/443').guestSees).toBe('reply');
  });

  it('routed without the return route: timeout, cause no-return-route at the gateway', () => {
    const v = sim('route', '192.168.90.1', 'icmp', { edit: (l) => (l.gateway.routes = []) });
    expect(v.guestSees).toBe('timeout');
    expect(v.cause).toBe('no-return-route');
    expect(v.hop?.node).toBe('gateway 192.168.90.1');
    expect(v.hop?.direction).toBe('reply');
  });

  it('routed, internet without masquerading of the guest subnet: timeout (private source)', () => {
    const v = sim('route', '203.0.113.10', 'tcp/443', { edit: (l) => (l.gateway.masquerade = ['192.168.90.0/24']) });
    expect(v.guestSees).toBe('timeout');
    expect(v.cause).toBe('no-return-route');
  });

  it('NAT: works without the return route, the gateway sees the host address', () => {
    const v = sim('nat', '192.168.90.1', 'tcp/443', { edit: (l) => (l.gateway.routes = []) });
    expect(v.guestSees).toBe('reply');
    expect(v.path.some((s) => s.stage === 'nat' && s.detail.includes('192.168.90.10'))).toBe(true);
  });

  it('ip_forward off: silent drop at routing', () => {
    const v = sim('route', '192.168.90.1', 'icmp', { sys: { ipForward: false } });
    expect(v.guestSees).toBe('timeout');
    expect(v.cause).toBe('forwarding-off');
    expect(v.decidedBy?.rule).toBe('net.ipv4.conf.virbr3.forwarding = 0');
  });

  it('closed ports: TCP RST and UDP port unreachable from the destination', () => {
    expect(sim('route', '192.168.90.1', 'tcp/8080').guestSees).toBe('error:Connection refused (TCP RST from 192.168.90.1)');
    const u = sim('route', '192.168.90.1', 'udp/9999');
    expect(u.guestSees).toBe('error:Destination Port Unreachable from 192.168.90.1');
    expect(u.cause).toBe('not-listening');
  });

  it('the host: DNS on the bridge address answers, on the uplink address the port is closed', () => {
    expect(sim('isolated', '192.168.10.1', 'udp/53').guestSees).toBe('reply');
    expect(sim('isolated', '192.168.90.10', 'udp/53').guestSees).toBe('error:Destination Port Unreachable from 192.168.90.10');
    expect(sim('isolated', '192.168.90.10', 'tcp/22').guestSees).toBe('reply');
  });

  it('no route on the host: Destination Net Unreachable from the bridge address', () => {
    const v = sim('route', '10.9.9.9', 'icmp', { edit: (l) => (l.host.routes = []) });
    expect(v.guestSees).toBe('error:Destination Net Unreachable from 192.168.10.1');
    expect(v.cause).toBe('no-route');
  });

  it('strict rp_filter with an asymmetric path drops silently', () => {
    // Default route via a second uplink: replies from the internet come back through the gateway on eth1.
    // A public guest subnet (the internet routes it back to the gateway), so the only obstacle is rp_filter.
    const lab = storyLab('route');
    lab.networks[0].xml = lab.networks[0].xml.replaceAll('192.168.10.', '198.51.100.');
    lab.guests[0].address = '198.51.100.20';
    lab.host.interfaces.push({ name: 'eth0', kind: 'physical', addresses: ['10.0.0.10/24'], up: true });
    lab.host.routes = [{ destination: 'default', via: '10.0.0.1', dev: 'eth0' }];
    lab.gateway.routes = [{ destination: '198.51.100.0/24', via: '192.168.90.10' }];
    const world = (rp: 0 | 1 | 2) => buildLabWorld(lab, runtimeFor(lab, null, { rpFilter: { all: rp, default: rp, interfaces: {} } }));
    const v = simulateInWorld(world(1), guestNodeId('guest-kali'), { from: '198.51.100.20', to: '203.0.113.10', service: 'icmp' });
    expect(simulateInWorld(world(2), guestNodeId('guest-kali'), { from: '198.51.100.20', to: '203.0.113.10', service: 'icmp' }).guestSees).toBe('reply');
    expect(v.guestSees).toBe('timeout');
    expect(v.cause).toBe('rp-filter');
    expect(v.hop?.direction).toBe('reply');
  });

  it('a FORWARD policy DROP without an ESTABLISHED rule drops the reply', () => {
    const save = iptablesSave(['-A FORWARD -i virbr3 -o eth1 -j ACCEPT'], [], { FORWARD: 'DROP' });
    const v = sim('route', '192.168.90.1', 'icmp', { save });
    expect(v.guestSees).toBe('timeout');
    expect(v.cause).toBe('chain-policy');
    expect(v.hop?.direction).toBe('reply');
  });

  it('the OUTPUT chain drops the REJECT\'s own ICMP error: timeout, still decided by the REJECT', () => {
    const r = libvirtRules('isolated');
    const v = sim('isolated', '192.168.90.1', 'icmp', { save: iptablesSave(r.filter, [], { OUTPUT: 'DROP' }) });
    expect(v.guestSees).toBe('timeout');
    expect(v.cause).toBe('rule-reject');
  });

  it('guest without a lease when the host drops DHCP', () => {
    const save = iptablesSave([], [], { INPUT: 'DROP' });
    const v = sim('route', '192.168.90.1', 'icmp', { save, edit: (l) => delete l.guests[0].address });
    expect(v.cause).toBe('no-dhcp-lease');
    expect(v.decidedBy?.position).toBe(0);
  });
});

describe("the gateway's own firewall", () => {
  it('a REJECT on the gateway answers from its LAN address; its FORWARD DROP stops the internet', () => {
    const reject = sim('route', '192.168.90.1', 'tcp/22', { edit: (l) => (l.gateway.ruleset = '*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -p tcp -m tcp --dport 22 -j REJECT --reject-with icmp-host-prohibited\nCOMMIT\n') });
    expect(reject.guestSees).toBe('error:No route to host (Destination Host Prohibited from 192.168.90.1)');
    expect(reject.hop?.node).toBe('gateway 192.168.90.1');
    const drop = sim('route', '203.0.113.10', 'icmp', { edit: (l) => (l.gateway.ruleset = '*filter\n:INPUT ACCEPT [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n') });
    expect(drop.cause).toBe('chain-policy');
    expect(drop.hop?.node).toBe('gateway 192.168.90.1');
  });
});
