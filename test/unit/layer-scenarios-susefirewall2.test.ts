// firewall-layers.md §1 (e): S1–S8 on T0, libvirt < 5.1 iptables rules (the
// story's Leap 42.3 host had libvirt 3.3), FW_DEV_EXT=eth1, FW_ROUTE=yes and
// the case's FW_FORWARD. Each test folds the lab's boot/later events and
// checks what decides the guest's first packet in FORWARD, and who put that
// rule there (layer, event, config entry).

import { describe, expect, it } from 'vitest';
import { foldScenario } from './layerScenarioHost.ts';
import { forwardDecision, guestPacket } from './layerScenarioEval.ts';
import { layerEvent, scenarioLab, scriptLayer, sfw2Layer, SFW2_CONFIG, type Mode } from './layerScenarioLabs.ts';

const PORT_UNREACH = { kind: 'reject', with: { kind: 'icmp', family: 'ipv4', code: 3 } };

/** Boot: SuSEfirewall2_init, libvirtd, network autostart, SuSEfirewall2 (which HUPs libvirtd). */
function sfw2Boot(mode: Mode, config = SFW2_CONFIG, extra: Parameters<typeof scenarioLab>[0]['events'] = []) {
  return scenarioLab({
    mode,
    libvirtVersion: '3.3',
    iptablesBackend: 'legacy',
    layers: [sfw2Layer(config)],
    events: [layerEvent('init', 'layer-start', 'sfw2', 'boot: SuSEfirewall2_init.service', { phase: 'init' }), 'libvirtd-start', 'net-start', layerEvent('sfw2', 'layer-start', 'sfw2', 'boot: SuSEfirewall2.service'), ...extra],
  });
}

describe('SuSEfirewall2 scenarios (firewall-layers.md §1 e)', () => {
  it('S1 isolated, SuSEfirewall2 3.6.346+ started with libvirtd active: libvirt\'s `-i virbr3 -j REJECT`, re-inserted by the HUP, decides', () => {
    const host = foldScenario(sfw2Boot('isolated'));
    expect(host.failures).toEqual([]);
    for (const probe of ['ping', 'tcp443'] as const) {
      const d = forwardDecision(host.state, guestPacket(probe));
      expect(d.verdict).toMatchObject(PORT_UNREACH);
      expect(d.decidedBy?.text).toBe('-A FORWARD -i virbr3 -j REJECT --reject-with icmp-port-unreachable');
      expect(d.decidedBy?.provenance).toMatchObject({ layer: 'libvirt', layerLabel: 'libvirt 3.3 · network deb (isolated)' });
      expect(d.decidedBy?.provenance?.event).toBe('SIGHUP to libvirtd from SuSEfirewall2 3.6.378 (boot: SuSEfirewall2.service)');
    }
    expect(forwardDecision(host.state, guestPacket('tcp443', 'internet')).decidedBy?.text).toBe('-A FORWARD -i virbr3 -j REJECT --reject-with icmp-port-unreachable');
  });

  it('S2 route: libvirt\'s `-s 192.168.10.0/24 -i virbr3 -j ACCEPT` accepts before any SuSEfirewall2 rule', () => {
    const host = foldScenario(sfw2Boot('route'));
    for (const peer of ['gateway', 'internet'] as const) {
      const d = forwardDecision(host.state, guestPacket('tcp443', peer));
      expect(d.verdict).toEqual({ kind: 'accept' });
      expect(d.decidedBy?.text).toBe('-A FORWARD -s 192.168.10.0/24 -i virbr3 -j ACCEPT');
      expect(d.decidedBy?.provenance?.layer).toBe('libvirt');
    }
  });

  it('S3 isolated + the admin\'s flush script (policies ACCEPT): the script\'s FORWARD accept decides', () => {
    const script = 'iptables -F\niptables -X\niptables -P FORWARD ACCEPT\niptables -A FORWARD -s 192.168.10.0/24 -d 192.168.90.0/24 -j ACCEPT\n';
    const lab = scenarioLab({ mode: 'isolated', libvirtVersion: '3.3', iptablesBackend: 'legacy', layers: [scriptLayer('fw', script)], events: ['libvirtd-start', 'net-start', layerEvent('fw', 'layer-start', 'fw', 'boot: fw.service')] });
    const host = foldScenario(lab);
    const d = forwardDecision(host.state, guestPacket('ping'));
    expect(d.verdict).toEqual({ kind: 'accept' });
    expect(d.decidedBy?.provenance).toMatchObject({ layer: 'own-script', file: '/usr/local/sbin/fw.sh', line: 4, event: 'boot: fw.service' });
    // To the internet nothing matches: the ACCEPT policy the script set lets it through.
    const i = forwardDecision(host.state, guestPacket('tcp443', 'internet'));
    expect(i.verdict).toEqual({ kind: 'accept' });
    expect(i.decidedBy?.position).toBe(0);
    // The policy names who set it: the script's `-P FORWARD ACCEPT` (line 3), run at its event.
    expect(i.decidedBy?.provenance).toMatchObject({ layer: 'own-script', file: '/usr/local/sbin/fw.sh', line: 3, event: 'boot: fw.service' });
  });

  it('S4 isolated, SuSEfirewall2 restarted while libvirtd is stopped, virbr3 autodetected into ext: FW_FORWARD entry 2 accepts, the internet hits forward_ext\'s DROP', () => {
    const lab = sfw2Boot('isolated', SFW2_CONFIG, ['libvirtd-stop', layerEvent('restart', 'layer-reload', 'sfw2', 'later: SuSEfirewall2 restart')]);
    const host = foldScenario(lab);
    const d = forwardDecision(host.state, guestPacket('ping'));
    expect(d.verdict).toEqual({ kind: 'accept' });
    expect(d.decidedBy?.text).toBe('-A forward_ext -s 192.168.10.0/24 -d 192.168.90.0/24 -m conntrack --ctstate NEW,RELATED,ESTABLISHED -j ACCEPT');
    expect(d.decidedBy?.provenance).toMatchObject({ layer: 'susefirewall2', reason: 'FW_FORWARD entry 2: 192.168.10.0/24,192.168.90.0/24', event: 'later: SuSEfirewall2 restart' });
    const i = forwardDecision(host.state, guestPacket('tcp443', 'internet'));
    expect(i.verdict).toEqual({ kind: 'drop' });
    expect(i.decidedBy?.text).toBe('-A forward_ext -j DROP');
    expect(i.decidedBy?.provenance?.reason).toBe('FW_REJECT_EXT is not yes: default for forward_ext is DROP');
  });

  it('S5 ruleset part: virbr3 appeared after SuSEfirewall2 ran (and libvirt\'s REJECTs were deleted by a hook): no forward_* jump, FORWARD\'s final DROP decides', () => {
    const lab = scenarioLab({
      mode: 'isolated',
      libvirtVersion: '3.3',
      iptablesBackend: 'legacy',
      layers: [sfw2Layer(), scriptLayer('hook', 'iptables -D FORWARD -o virbr3 -j REJECT\niptables -D FORWARD -i virbr3 -j REJECT\n')],
      events: [layerEvent('sfw2', 'layer-start', 'sfw2', 'boot: SuSEfirewall2.service'), 'libvirtd-start', 'net-start', layerEvent('hook', 'layer-start', 'hook', 'libvirt network hook deletes the REJECTs')],
    });
    const host = foldScenario(lab);
    expect(host.failures).toEqual([]);
    const d = forwardDecision(host.state, guestPacket('ping'));
    expect(d.verdict).toEqual({ kind: 'drop' });
    expect(d.decidedBy?.text).toBe('-A FORWARD -j DROP');
    expect(d.decidedBy?.provenance).toMatchObject({ layer: 'susefirewall2', reason: 'finish_chains: FW_ROUTE=yes: forwarded packets not accepted by a zone are dropped' });
  });

  it('S6 ruleset part: route mode, then `SuSEfirewall2 stop` — no rules, policy ACCEPT, but ip_forward=0 written by the stop (routing drops it: the simulator\'s part)', () => {
    const host = foldScenario(sfw2Boot('route', SFW2_CONFIG, [layerEvent('stop', 'layer-stop', 'sfw2', 'later: SuSEfirewall2 stop')]));
    const d = forwardDecision(host.state, guestPacket('ping'));
    expect(d.verdict).toEqual({ kind: 'accept' });
    expect(d.decidedBy?.position).toBe(0);
    expect(d.decidedBy?.provenance).toMatchObject({ layer: 'susefirewall2', event: 'later: SuSEfirewall2 stop' });
    expect(host.sysctls.get('net.ipv4.ip_forward')).toMatchObject({ value: '0', provenance: { layer: 'susefirewall2', event: 'later: SuSEfirewall2 stop' } });
  });

  it('a trace ending on the FORWARD policy names SuSEfirewall2, its event and the entry (FW_ROUTE=no, libvirtd stopped, restart)', () => {
    const config = SFW2_CONFIG.replace('FW_ROUTE="yes"', 'FW_ROUTE="no"');
    const host = foldScenario(sfw2Boot('isolated', config, ['libvirtd-stop', layerEvent('restart', 'layer-reload', 'sfw2', 'later: SuSEfirewall2 restart')]));
    const d = forwardDecision(host.state, guestPacket('ping'));
    expect(d.verdict).toEqual({ kind: 'drop' });
    expect(d.decidedBy).toMatchObject({ table: 'filter', chain: 'FORWARD', position: 0, text: ':FORWARD DROP' });
    expect(d.decidedBy?.provenance).toMatchObject({ layer: 'susefirewall2', event: 'later: SuSEfirewall2 restart' });
    expect(d.decidedBy?.provenance?.reason).toMatch(/FORWARD policy DROP$/);
  });

  it('S7 route, FW_ROUTE=no: libvirt accepts first; SuSEfirewall2 ≥ 3.6.346 leaves ip_forward as libvirt set it', () => {
    const host = foldScenario(sfw2Boot('route', SFW2_CONFIG.replace('FW_ROUTE="yes"', 'FW_ROUTE="no"')));
    const d = forwardDecision(host.state, guestPacket('tcp443'));
    expect(d.verdict).toEqual({ kind: 'accept' });
    expect(d.decidedBy?.provenance?.layer).toBe('libvirt');
    expect(host.sysctls.get('net.ipv4.ip_forward')).toMatchObject({ value: '1', provenance: { layer: 'libvirt' } });
  });

  it('S8 nat, SuSEfirewall2 + HUP: libvirt\'s nat accept decides', () => {
    const host = foldScenario(sfw2Boot('nat'));
    const d = forwardDecision(host.state, guestPacket('tcp443', 'internet'));
    expect(d.verdict).toEqual({ kind: 'accept' });
    expect(d.decidedBy?.text).toBe('-A FORWARD -s 192.168.10.0/24 -i virbr3 -j ACCEPT');
    expect(d.decidedBy?.provenance?.event).toContain('SIGHUP to libvirtd from SuSEfirewall2');
  });
});
