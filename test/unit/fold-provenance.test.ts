// The timeline fold stamps provenance: layer drivers say which layer and
// config entry produced a command but leave the event to the fold, and libvirt
// says which network. After folding, every rule of every ruleset (and every
// policy a layer set) must name its layer, the event that placed it and why —
// that is what the simulator shows as "which rule of which layer decided".

import { describe, expect, it } from 'vitest';
import type { Lab } from '../../shared/lab/labModel.ts';
import type { Provenance } from '../../shared/netfilter/model.ts';
import { populatedRulesets } from '../../shared/netfilter/netfilterState.ts';
import { foldScenario } from './layerScenarioHost.ts';
import { dockerLayer, firewalldLayer, layerEvent, scenarioLab, scriptLayer, sfw2Layer, ufwLayer } from './layerScenarioLabs.ts';

interface Stamped {
  where: string;
  provenance: Provenance | undefined;
}

/** Every rule and every policy set by someone, with where it is. */
function everything(lab: Lab): { rules: Stamped[]; policies: Stamped[]; eventLabels: Set<string> } {
  const host = foldScenario(lab);
  expect(host.failures).toEqual([]);
  const rules: Stamped[] = [];
  const policies: Stamped[] = [];
  for (const rs of populatedRulesets(host.state)) {
    for (const t of rs.tables) {
      const tableName = rs.kind === 'iptables' ? `${rs.backend} ${rs.family} ${t.name}` : `nft ${(t as { family: string }).family} ${t.name}`;
      for (const c of t.chains) {
        c.rules.forEach((r, i) => rules.push({ where: `${tableName} ${c.name} #${i + 1}`, provenance: r.provenance }));
        if ('policyProvenance' in c && c.policyProvenance) policies.push({ where: `${tableName} ${c.name} policy`, provenance: c.policyProvenance });
      }
    }
  }
  const eventLabels = new Set(host.effective.eventResults.map((r) => r.label));
  return { rules, policies, eventLabels };
}

function expectStamped(items: Stamped[], eventLabels: Set<string>): void {
  expect(items.length).toBeGreaterThan(0);
  for (const { where, provenance: p } of items) {
    expect(p?.layer, where).toBeTruthy();
    expect(p?.event, where).toBeTruthy();
    expect(p?.eventId, where).toBeTruthy();
    // Why: a config entry / generator reason, or the file and line it was read from.
    expect(Boolean(p?.reason) || (Boolean(p?.file) && Boolean(p?.line)), `${where}: ${JSON.stringify(p)}`).toBe(true);
    // The event is one of the timeline's (or libvirt's reaction to one, which names it).
    expect([...eventLabels].some((label) => p!.event!.includes(label)), `${where}: event "${p?.event}"`).toBe(true);
  }
}

const labs: Record<string, () => Lab> = {
  'SuSEfirewall2 3.6.378 + libvirt 3.3 (HUP)': () =>
    scenarioLab({ mode: 'nat', libvirtVersion: '3.3', iptablesBackend: 'legacy', layers: [sfw2Layer()], events: [layerEvent('init', 'layer-start', 'sfw2', 'boot: SuSEfirewall2_init.service', { phase: 'init' }), 'libvirtd-start', 'net-start', layerEvent('sfw2', 'layer-start', 'sfw2', 'boot: SuSEfirewall2.service')] }),
  'firewalld 2.1 nftables + libvirt 9.0': () => scenarioLab({ mode: 'nat', libvirtVersion: '9.0', layers: [firewalldLayer('2.1.0')], events: [layerEvent('fwd', 'layer-start', 'fwd', 'boot: firewalld.service'), 'libvirtd-start', 'net-start'] }),
  'firewalld 0.9 iptables backend + libvirt 4.10, reload': () =>
    scenarioLab({ mode: 'nat', libvirtVersion: '4.10', iptablesBackend: 'legacy', layers: [firewalldLayer('0.9.3', { '/etc/firewalld/firewalld.conf': 'FirewallBackend=iptables\n' })], events: [layerEvent('fwd', 'layer-start', 'fwd', 'boot: firewalld.service'), 'libvirtd-start', 'net-start', layerEvent('r', 'layer-reload', 'fwd', 'later: firewall-cmd --reload')] }),
  'ufw + libvirt 11.3 nftables': () => scenarioLab({ mode: 'nat', libvirtVersion: '11.3', libvirtBackend: 'nftables', layers: [ufwLayer()], events: [layerEvent('ufw', 'layer-start', 'ufw', 'boot: ufw.service'), 'libvirtd-start', 'net-start'] }),
  'Docker 28.5 (FORWARD DROP) + libvirt 9.0': () => scenarioLab({ mode: 'nat', libvirtVersion: '9.0', ipForward: false, layers: [dockerLayer('28.5.2')], events: [layerEvent('docker', 'layer-start', 'docker', 'boot: docker.service'), 'libvirtd-start', 'net-start'] }),
  'Docker 29 nftables + libvirt 11.3 nftables': () =>
    scenarioLab({ mode: 'nat', libvirtVersion: '11.3', libvirtBackend: 'nftables', layers: [dockerLayer('29.1.0', '{"firewall-backend": "nftables"}')], events: [layerEvent('docker', 'layer-start', 'docker', 'boot: docker.service'), 'libvirtd-start', 'net-start'] }),
  'own script (iptables + nft lines) after libvirt 9.0': () =>
    scenarioLab({ mode: 'route', libvirtVersion: '9.0', layers: [scriptLayer('fw', 'iptables -P FORWARD DROP\niptables -I FORWARD -i virbr3 -o eth1 -j ACCEPT\nnft add table inet admin\nnft add chain inet admin forward { type filter hook forward priority 0 \\; policy accept \\; }\nnft add rule inet admin forward iifname "virbr3" counter accept\n')], events: ['libvirtd-start', 'net-start', layerEvent('fw', 'layer-start', 'fw', 'boot: fw.service')] }),
  'raw imported iptables-save dump': () =>
    scenarioLab({ mode: 'isolated', libvirtVersion: '9.0', layers: [{ id: 'raw', kind: 'raw-ruleset', label: 'imported dump', files: { 'host.rules': '*filter\n:INPUT ACCEPT [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n-A FORWARD -i virbr3 -j ACCEPT\nCOMMIT\n' }, settings: {} }], events: [layerEvent('raw', 'layer-start', 'raw', 'import: host.rules')] }),
};

describe('after the fold every rule and every policy a layer set names its layer, event and reason', () => {
  for (const [name, make] of Object.entries(labs)) {
    it(name, () => {
      const { rules, policies, eventLabels } = everything(make());
      expectStamped(rules, eventLabels);
      if (policies.length) expectStamped(policies, eventLabels);
    });
  }

  it('policies set by a layer are among them (Docker\'s FORWARD DROP, the script\'s -P, the nft base chain, the dump\'s)', () => {
    const where = (lab: string) => everything(labs[lab]()).policies.map((p) => `${p.where} by ${p.provenance?.layer} at ${p.provenance?.event}`);
    expect(where('Docker 28.5 (FORWARD DROP) + libvirt 9.0')).toContain('nft ipv4 filter FORWARD policy by docker at boot: docker.service');
    expect(where('own script (iptables + nft lines) after libvirt 9.0')).toEqual(
      expect.arrayContaining(['nft ipv4 filter FORWARD policy by own-script at boot: fw.service', 'nft inet admin forward policy by own-script at boot: fw.service']),
    );
    expect(where('raw imported iptables-save dump')).toContain('nft ipv4 filter FORWARD policy by imported at import: host.rules');
  });
});
