import { describe, expect, it } from 'vitest';
import { defaultLab, T0 } from './defaultLab.ts';
import { sequentialIds } from './labIds.ts';
import { LAB_SCHEMA_VERSION } from './labModel.ts';

describe('defaultLab', () => {
  it('is topology T0 of firewall-layers.md: uplink, default route, gateway with return route and NAT, internet host', () => {
    const lab = defaultLab(sequentialIds());
    expect(lab.schemaVersion).toBe(LAB_SCHEMA_VERSION);
    expect(lab.host.interfaces.find((i) => i.name === 'eth1')?.addresses).toEqual(['192.168.90.10/24']);
    expect(lab.host.routes).toEqual([{ destination: 'default', via: '192.168.90.1', dev: 'eth1' }]);
    expect(lab.gateway).toMatchObject({ address: '192.168.90.1', masquerade: ['192.168.90.0/24'] });
    expect(lab.gateway.routes).toEqual([{ destination: T0.returnRouteSubnet, via: '192.168.90.10' }]);
    expect([...lab.gateway.listens].sort()).toEqual(['icmp', 'tcp/22', 'tcp/443', 'udp/53']);
    expect(lab.internet).toEqual({ address: '203.0.113.10', listens: ['tcp/443', 'tcp/80', 'icmp'] });
    expect(lab.networks).toEqual([]);
    expect(lab.guests).toEqual([]);
  });

  it("has the story's sysctls: ip_forward on (the admin's doing), rp_filter 0, bridge-nf-call-iptables off", () => {
    const { sysctls } = defaultLab(sequentialIds()).host;
    expect(sysctls.ipForward).toBe(true);
    expect(sysctls.rpFilter).toEqual({ all: 0, default: 0, interfaces: {} });
    expect(sysctls.bridgeNfCallIptables).toBe(false);
  });

  it('picks the iptables flavour and libvirt version per parameter (nft + 9.0 by default)', () => {
    expect(defaultLab(sequentialIds()).host).toMatchObject({ iptablesBackend: 'nft', libvirt: { version: '9.0', backend: 'iptables' } });
    const leap = defaultLab(sequentialIds(), { iptablesBackend: 'legacy', libvirtVersion: '3.3' }).host;
    expect(leap).toMatchObject({ iptablesBackend: 'legacy', libvirt: { version: '3.3', backend: 'iptables' } });
  });

  it('takes its ids from the injected source, so two labs from fresh sources are equal', () => {
    expect(defaultLab(sequentialIds())).toEqual(defaultLab(sequentialIds()));
    const lab = defaultLab((kind) => `x-${kind}`);
    expect(lab.events.map((e) => e.id)).toEqual(['x-event']);
    expect(lab.events[0]).toMatchObject({ kind: 'libvirtd-start', phase: 'boot' });
  });

  it('returns independent objects (editing one lab does not change the next)', () => {
    const a = defaultLab(sequentialIds());
    a.host.interfaces[1].addresses.push('10.0.0.1/8');
    a.gateway.listens.pop();
    const b = defaultLab(sequentialIds());
    expect(b.host.interfaces[1].addresses).toEqual(['192.168.90.10/24']);
    expect(b.gateway.listens).toHaveLength(4);
  });
});
