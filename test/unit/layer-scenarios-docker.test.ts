// firewall-layers.md §3 (e): D1–D7 on T0. Docker sets the iptables FORWARD
// policy to DROP only when dockerd itself switches ip_forward from 0 to 1;
// with libvirt's iptables backend libvirt's own ACCEPTs (inserted on top later)
// still decide, with its nftables backend (≥ 10.4) the `ip filter` policy DROP
// applies after libvirt's table accepted (an accept ends one base chain only).

import { describe, expect, it } from 'vitest';
import type { Lab } from '../../shared/lab/labModel.ts';
import type { NetfilterState } from '../../shared/netfilter/netfilterState.ts';
import { foldScenario } from './layerScenarioHost.ts';
import { bridgedPacket, forwardDecision, guestPacket } from './layerScenarioEval.ts';
import { dockerLayer, layerEvent, scenarioLab, scriptLayer, type ScenarioOptions } from './layerScenarioLabs.ts';

function dockerLab(o: { libvirt: '9.0' | '11.3'; ipForward: boolean; version?: string; daemonJson?: string; extraLayers?: Lab['layers']; before?: ScenarioOptions['events']; after?: ScenarioOptions['events']; mode?: 'nat' }): Lab {
  return scenarioLab({
    mode: o.mode ?? 'nat',
    libvirtVersion: o.libvirt,
    libvirtBackend: o.libvirt === '11.3' ? 'nftables' : 'iptables',
    ipForward: o.ipForward,
    layers: [dockerLayer(o.version ?? '28.5.2', o.daemonJson), ...(o.extraLayers ?? [])],
    events: [...(o.before ?? []), layerEvent('docker', 'layer-start', 'docker', 'boot: docker.service'), 'libvirtd-start', 'net-start', ...(o.after ?? [])],
  });
}

const forwardPolicy = (state: NetfilterState) => state.iptables.nft.ipv4.tables.find((t) => t.name === 'filter')?.chains.find((c) => c.name === 'FORWARD');

describe('Docker scenarios (firewall-layers.md §3 e)', () => {
  it('D1 dockerd first with ip_forward=0 sets FORWARD DROP; libvirt 9.x iptables nat still accepts via LIBVIRT_FWO (derived)', () => {
    const host = foldScenario(dockerLab({ libvirt: '9.0', ipForward: false }));
    expect(host.failures).toEqual([]);
    expect(forwardPolicy(host.state)).toMatchObject({ policy: 'DROP', policyProvenance: { layer: 'docker', event: 'boot: docker.service' } });
    for (const peer of ['gateway', 'internet'] as const) {
      const d = forwardDecision(host.state, guestPacket('tcp443', peer));
      expect(d.verdict).toEqual({ kind: 'accept' });
      expect(d.decidedBy?.text).toBe('-A LIBVIRT_FWO -s 192.168.10.0/24 -i virbr3 -j ACCEPT');
    }
  });

  it('D2 as D1 with libvirt ≥ 10.4 nftables: libvirt\'s table accepts, the `ip filter` FORWARD policy DROP Docker set decides', () => {
    const host = foldScenario(dockerLab({ libvirt: '11.3', ipForward: false }));
    for (const probe of ['ping', 'tcp443'] as const) {
      const d = forwardDecision(host.state, guestPacket(probe));
      expect(d.verdict).toEqual({ kind: 'drop' });
      expect(d.decidedBy).toMatchObject({ table: 'filter', chain: 'FORWARD', position: 0 });
      // The trace ending on the policy names who set it and when.
      expect(d.decidedBy?.provenance).toMatchObject({ layer: 'docker', event: 'boot: docker.service' });
    }
    expect(forwardPolicy(host.state)?.policyProvenance?.reason).toBe('Docker 28.5.2: set the FORWARD policy to DROP because dockerd itself switched ip_forward from 0 to 1 (setup_ip_forwarding.go)');
  });

  it('D3 D2 + DOCKER-USER accepts for virbr3: the admin\'s DOCKER-USER rule decides', () => {
    const fix = 'iptables -I DOCKER-USER -i virbr3 -j ACCEPT\niptables -I DOCKER-USER -o virbr3 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n';
    const host = foldScenario(dockerLab({ libvirt: '11.3', ipForward: false, extraLayers: [scriptLayer('docker-user', fix)], after: [layerEvent('fix', 'layer-start', 'docker-user', 'admin adds DOCKER-USER rules')] }));
    const d = forwardDecision(host.state, guestPacket('tcp443', 'internet'));
    expect(d.verdict).toEqual({ kind: 'accept' });
    const byRule = d.acceptedBy.filter((r) => r.position > 0 && r.source === 'iptables');
    expect(byRule[0]).toMatchObject({ chain: 'DOCKER-USER', text: '-A DOCKER-USER -i virbr3 -j ACCEPT', provenance: { layer: 'own-script', line: 1 } });
  });

  it('D4 D2 but ip_forward=1 before dockerd: the policy stays ACCEPT and the guest gets through', () => {
    const host = foldScenario(dockerLab({ libvirt: '11.3', ipForward: false, before: [{ id: 'sysctl', kind: 'sysctl-set', params: { key: 'net.ipv4.ip_forward', value: '1' }, phase: 'boot', label: 'boot: sysctl.d sets ip_forward=1' }] }));
    expect(forwardPolicy(host.state)?.policy).toBe('ACCEPT');
    expect(forwardDecision(host.state, guestPacket('tcp443')).verdict).toEqual({ kind: 'accept' });
  });

  it('D5 guest on host bridge br0 with br_netfilter on (Docker icc=false loads it) and FORWARD DROP: bridged frames meet the policy', () => {
    const host = foldScenario(dockerLab({ libvirt: '9.0', ipForward: false, daemonJson: '{"icc": false}' }));
    expect(host.sysctls.get('net.bridge.bridge-nf-call-iptables')).toMatchObject({ value: '1', provenance: { layer: 'docker' } });
    const d = forwardDecision(host.state, bridgedPacket(), { brNetfilter: true });
    expect(d.verdict).toEqual({ kind: 'drop' });
    expect(d.decidedBy).toMatchObject({ chain: 'FORWARD', position: 0 });
  });

  it('D6 D5 with bridge-nf-call-iptables=0: bridged frames never reach iptables', () => {
    const host = foldScenario(dockerLab({ libvirt: '9.0', ipForward: false, daemonJson: '{"icc": false}', after: [{ id: 'nf', kind: 'sysctl-set', params: { key: 'net.bridge.bridge-nf-call-iptables', value: '0' }, phase: 'later', label: 'admin: sysctl bridge-nf-call-iptables=0' }] }));
    expect(host.sysctls.get('net.bridge.bridge-nf-call-iptables')?.value).toBe('0');
    const d = forwardDecision(host.state, bridgedPacket(), { brNetfilter: false });
    expect(d.verdict).toEqual({ kind: 'accept' });
    expect(d.decidedBy).toBeNull();
  });

  it('D7 Docker 29 with firewall-backend=nftables + libvirt nft: no drop policy anywhere, accepted', () => {
    const host = foldScenario(dockerLab({ libvirt: '11.3', ipForward: true, version: '29.1.0', daemonJson: '{"firewall-backend": "nftables"}' }));
    expect(host.failures).toEqual([]);
    expect(host.state.nft.tables.map((t) => `${t.family} ${t.name}`)).toEqual(['ip docker-bridges', 'ip libvirt_network', 'ip6 libvirt_network']);
    const d = forwardDecision(host.state, guestPacket('tcp443', 'internet'));
    expect(d.verdict).toEqual({ kind: 'accept' });
    expect(d.acceptedBy.some((r) => r.provenance?.layer === 'libvirt')).toBe(true);
  });
});
