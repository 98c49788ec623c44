// The timeline fold as a user sees it: which rules end up where after a boot
// sequence and later actions, who put them there, and what fails.

import { describe, expect, it } from 'vitest';
import { defaultLab } from '../../lab/defaultLab.ts';
import { sequentialIds } from '../../lab/labIds.ts';
import type { Lab, Layer, TimelineEvent } from '../../lab/labModel.ts';
import { printIptablesSave } from '../../netfilter/iptables/printIptablesSave.ts';
import { foldTimeline } from './foldTimeline.ts';
import { sysctlSetBy } from './effectiveHost.ts';
import { HostTimeline } from './hostTimeline.ts';
import { stepTimeline } from './timelineStep.ts';

const XML = (mode: 'isolated' | 'nat' | 'route', name = 'deb', bridge = 'virbr3', net = '10') =>
  `<network><name>${name}</name>${mode === 'isolated' ? '' : `<forward mode='${mode}'/>`}<bridge name='${bridge}'/><ip address='192.168.${net}.1' netmask='255.255.255.0'><dhcp><range start='192.168.${net}.10' end='192.168.${net}.254'/></dhcp></ip></network>`;

let n = 0;
const ev = (kind: TimelineEvent['kind'], extra: Partial<TimelineEvent> = {}): TimelineEvent => ({ id: `e${++n}`, kind, phase: 'boot', ...extra });

function lab(version: string, mode: 'isolated' | 'nat' | 'route', events: TimelineEvent[], layers: Layer[] = [], flavour: 'legacy' | 'nft' = 'legacy'): Lab {
  const l = defaultLab(sequentialIds(), { libvirtVersion: version, iptablesBackend: flavour });
  l.host.sysctls.ipForward = false;
  l.networks = [{ id: 'net-deb', xml: XML(mode), autostart: true }];
  l.layers = layers;
  l.events = events;
  return l;
}

const save = (l: Lab, host: ReturnType<typeof foldTimeline>, family: 'ipv4' | 'ipv6' = 'ipv4') => printIptablesSave(host.state.iptables[l.host.iptablesBackend][family]);
const forward = (l: Lab, host: ReturnType<typeof foldTimeline>) => save(l, host).split('\n').filter((x) => x.startsWith('-A FORWARD'));

const sfw2 = (version: string): Layer => ({
  id: 'sfw2',
  kind: 'susefirewall2',
  label: 'SuSEfirewall2',
  version,
  files: { '/etc/sysconfig/SuSEfirewall2': 'FW_DEV_EXT="eth1"\nFW_ROUTE="yes"\nFW_FORWARD="192.168.90.0/24,192.168.10.0/24 192.168.10.0/24,192.168.90.0/24"\n' },
  settings: {},
});

describe('libvirt < 5.1: rules straight in the built-in chains (story.md)', () => {
  it('an isolated network gives exactly the 2017 listing, REJECTs on top of FORWARD', () => {
    const l = lab('3.3', 'isolated', [ev('libvirtd-start'), ev('network-start', { networkId: 'net-deb' })]);
    const host = foldTimeline(l);
    const filter = save(l, host).split('\n').filter((x) => x.startsWith('-A'));
    expect(filter).toEqual([
      '-A INPUT -i virbr3 -p udp -m udp --dport 53 -j ACCEPT',
      '-A INPUT -i virbr3 -p tcp -m tcp --dport 53 -j ACCEPT',
      '-A INPUT -i virbr3 -p udp -m udp --dport 67 -j ACCEPT',
      '-A INPUT -i virbr3 -p tcp -m tcp --dport 67 -j ACCEPT',
      '-A FORWARD -i virbr3 -o virbr3 -j ACCEPT',
      '-A FORWARD -o virbr3 -j REJECT --reject-with icmp-port-unreachable',
      '-A FORWARD -i virbr3 -j REJECT --reject-with icmp-port-unreachable',
      '-A OUTPUT -o virbr3 -p udp -m udp --dport 68 -j ACCEPT',
      '-A POSTROUTING -o virbr3 -p udp -m udp --dport 68 -j CHECKSUM --checksum-fill',
    ]);
    const reject = host.state.iptables.legacy.ipv4.tables.find((t) => t.name === 'filter')?.chains.find((c) => c.name === 'FORWARD')?.rules[2];
    expect(reject?.provenance).toMatchObject({ layer: 'libvirt', layerLabel: 'libvirt 3.3 · network deb (isolated)', reason: 'forward mode isolated: reject anything else forwarded out of virbr3' });
    // Isolated networks do not turn on forwarding.
    expect(host.sysctls.find((s) => s.key === 'net.ipv4.ip_forward')?.value).toBe('0');
  });

  it('a routed network adds its ACCEPTs above the REJECTs and turns on ip_forward, saying who did', () => {
    const l = lab('4.10', 'route', [ev('libvirtd-start'), ev('network-start', { networkId: 'net-deb', label: 'boot: network deb' })]);
    const host = foldTimeline(l);
    expect(forward(l, host).slice(0, 2)).toEqual(['-A FORWARD -d 192.168.10.0/24 -o virbr3 -j ACCEPT', '-A FORWARD -s 192.168.10.0/24 -i virbr3 -j ACCEPT']);
    const fwd = host.sysctls.find((s) => s.key === 'net.ipv4.ip_forward');
    expect(fwd?.value).toBe('1');
    expect(sysctlSetBy(fwd!)).toBe('libvirt 4.10 · network deb (route), boot: network deb');
    expect(fwd?.provenance.reason).toBe('forward mode route: libvirt turns on IPv4 forwarding');
  });
});

describe('boot order decides (reordering events is a boot race)', () => {
  const start = () => [ev('libvirtd-start', { label: 'boot: libvirtd' }), ev('network-start', { networkId: 'net-deb', label: 'boot: network deb' })];
  const fw = () => ev('layer-start', { layerId: 'sfw2', label: 'boot: SuSEfirewall2' });

  it('SuSEfirewall2 without the HUP (3.6.300): starting after libvirt flushes libvirt away, starting before leaves libvirt on top', () => {
    const after = lab('3.3', 'isolated', [...start(), fw()], [sfw2('3.6.300')]);
    const before = lab('3.3', 'isolated', [fw(), ...start()], [sfw2('3.6.300')]);
    const a = forward(after, foldTimeline(after));
    const b = forward(before, foldTimeline(before));
    expect(a.some((r) => r.includes('-i virbr3 -j REJECT'))).toBe(false);
    expect(b[0]).toBe('-A FORWARD -i virbr3 -o virbr3 -j ACCEPT');
    expect(b.slice(0, 3).some((r) => r === '-A FORWARD -i virbr3 -j REJECT --reject-with icmp-port-unreachable')).toBe(true);
  });

  it('SuSEfirewall2 3.6.378 HUPs libvirtd: libvirt re-inserts its REJECTs on top, and the rule says so', () => {
    const l = lab('3.3', 'isolated', [...start(), fw()], [sfw2('3.6.378')]);
    const host = foldTimeline(l);
    const rules = host.state.iptables.legacy.ipv4.tables.find((t) => t.name === 'filter')?.chains.find((c) => c.name === 'FORWARD')?.rules ?? [];
    expect(rules[2]?.target?.name).toBe('REJECT');
    expect(rules[2]?.provenance?.event).toMatch(/^SIGHUP to libvirtd from SuSEfirewall2.* \(boot: SuSEfirewall2\)$/);
    expect(rules[2]?.provenance?.eventId).toBe(l.events[2].id);
    expect(host.eventResults.every((r) => r.ok)).toBe(true);
  });
});

describe('libvirt ≥ 5.1 over time', () => {
  it('iptables -F -X of every table makes net-start fail with libvirt 9.0\'s message; a restart repairs', () => {
    const flushAll = ['filter', 'nat', 'mangle'].map((table) => ev('iptables-flush', { params: { table, deleteChains: true } }));
    const l = lab('9.0', 'nat', [ev('libvirtd-start'), ev('network-start', { networkId: 'net-deb' }), ...flushAll, ev('network-destroy', { networkId: 'net-deb' }), ev('network-start', { networkId: 'net-deb' }), ev('libvirtd-restart'), ev('network-start', { networkId: 'net-deb' })], [], 'nft');
    const host = foldTimeline(l);
    const failed = host.eventResults.filter((r) => !r.ok);
    expect(failed.map((r) => r.eventId)).toEqual([l.events[6].id]);
    expect(failed[0].errors).toEqual([
      'internal error: Failed to apply firewall rules /usr/sbin/iptables -w --table filter --insert LIBVIRT_INP --in-interface virbr3 --protocol tcp --destination-port 67 --jump ACCEPT: iptables: No chain/target/match by that name.',
    ]);
    expect(host.runningNetworks.map((r) => r.name)).toEqual(['deb']);
    expect(save(l, host)).toContain('-A FORWARD -j LIBVIRT_FWX');
  });

  it('SIGHUP does not recreate deleted chains (re-adding fails), firewalld\'s reload signal does', () => {
    const deleted = ['filter', 'nat', 'mangle'].map((table) => ev('iptables-flush', { params: { table, deleteChains: true } }));
    const base = [ev('libvirtd-start'), ev('network-start', { networkId: 'net-deb' }), ...deleted];
    const hup = lab('9.0', 'route', [...base, ev('libvirtd-sighup')], [], 'nft');
    const h = foldTimeline(hup);
    expect(h.eventResults[h.eventResults.length - 1]).toMatchObject({ ok: false });
    expect(h.eventResults[h.eventResults.length - 1].errors[0]).toMatch(/libvirt could not re-add the rules of network deb; internal error: Failed to apply firewall rules/);
    expect(save(hup, h)).not.toContain('LIBVIRT_');

    const t = new HostTimeline(hup, {});
    for (const e of base) stepTimeline(t, e);
    t.signal('firewalld-reloaded', { layer: 'firewalld', layerLabel: 'firewalld 1.3.0' });
    const after = printIptablesSave(t.state.iptables.nft.ipv4);
    expect(after).toContain('-A FORWARD -j LIBVIRT_FWX');
    expect(after).toContain('-A LIBVIRT_FWI -d 192.168.10.0/24 -o virbr3 -j ACCEPT');
    expect(t.state.iptables.nft.ipv4.tables.find((x) => x.name === 'filter')?.chains.find((c) => c.name === 'LIBVIRT_FWI')?.rules[0].provenance?.event).toBe("firewalld's Reloaded signal to libvirtd from firewalld 1.3.0");
  });

  it('a foreign rule inside LIBVIRT_FWI stays below libvirt\'s re-added rules after a restart', () => {
    const script: Layer = { id: 'own', kind: 'own-script', label: 'admin', files: { '/root/x.sh': 'iptables -I LIBVIRT_FWI -d 203.0.113.0/24 -j ACCEPT\n' }, settings: {} };
    const l = lab('9.0', 'nat', [ev('libvirtd-start'), ev('network-start', { networkId: 'net-deb' }), ev('layer-start', { layerId: 'own' }), ev('libvirtd-restart')], [script], 'nft');
    const fwi = save(l, foldTimeline(l)).split('\n').filter((x) => x.startsWith('-A LIBVIRT_FWI'));
    expect(fwi).toEqual([
      '-A LIBVIRT_FWI -d 192.168.10.0/24 -o virbr3 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
      '-A LIBVIRT_FWI -o virbr3 -j REJECT --reject-with icmp-port-unreachable',
      '-A LIBVIRT_FWI -d 203.0.113.0/24 -j ACCEPT',
    ]);
  });

  it('refuses what virsh refuses: a second net-start, a destroy of a stopped network, anything while libvirtd is down', () => {
    const l = lab('9.0', 'nat', [ev('network-start', { networkId: 'net-deb' }), ev('libvirtd-start'), ev('network-destroy', { networkId: 'net-deb' }), ev('network-start', { networkId: 'net-deb' }), ev('network-start', { networkId: 'net-deb' })]);
    const results = foldTimeline(l).eventResults;
    expect(results.map((r) => r.ok)).toEqual([false, true, false, true, false]);
    expect(results[0].errors[0]).toMatch(/libvirtd is not running/);
    expect(results[2].errors[0]).toBe("Requested operation is not valid: network 'deb' is not active");
    expect(results[4].errors[0]).toBe("Requested operation is not valid: network 'deb' is already active");
  });

  it('folds only up to the chosen event; bridges appear with their network', () => {
    const l = lab('9.0', 'nat', [ev('libvirtd-start'), ev('network-start', { networkId: 'net-deb' }), ev('network-destroy', { networkId: 'net-deb' })]);
    const mid = foldTimeline(l, { uptoEventId: l.events[1].id });
    expect(mid.interfaces).toEqual(['lo', 'eth1', 'virbr3']);
    expect(mid.runningNetworks).toEqual([{ networkId: 'net-deb', name: 'deb', bridge: 'virbr3', mode: 'nat' }]);
    expect(mid.eventResults).toHaveLength(2);
    const end = foldTimeline(l);
    expect(end.interfaces).toEqual(['lo', 'eth1']);
    expect(save(l, end)).not.toContain('virbr3');
  });

  it('autostart networks without a start event start with libvirtd, once per boot', () => {
    const l = lab('9.0', 'nat', [ev('libvirtd-start'), ev('network-destroy', { networkId: 'net-deb' }), ev('libvirtd-restart')]);
    const booted = foldTimeline(l, { uptoEventId: l.events[0].id });
    expect(booted.runningNetworks.map((r) => r.name)).toEqual(['deb']);
    expect(booted.notes.some((x) => /autostarts network deb/.test(x.text))).toBe(true);
    expect(foldTimeline(l).runningNetworks).toEqual([]);
  });

  it('a network libvirt refuses to define does not start, with libvirt\'s reason and the place in the XML', () => {
    const l = lab('3.3', 'isolated', [ev('libvirtd-start'), ev('network-start', { networkId: 'net-deb' })]);
    l.networks[0].xml = l.networks[0].xml.replace("end='192.168.10.254'", "end='192.168.50.254'");
    const host = foldTimeline(l);
    expect(host.eventResults[1]).toMatchObject({ ok: false });
    expect(host.eventResults[1].errors[0]).toMatch(/^network deb cannot be started: line 1, column \d+: .*range 192\.168\.10\.10 - 192\.168\.50\.254 is not entirely within network 192\.168\.10\.1\/24/);
    expect(host.state.iptables.legacy.ipv4.tables).toEqual([]);
  });

  it('an empty NAT port range (5000-5000) is defined but refused at net-start in libvirt\'s own words; validation says so too', () => {
    const l = lab('9.0', 'nat', [ev('libvirtd-start'), ev('network-start', { networkId: 'net-deb' })]);
    l.networks[0].xml = l.networks[0].xml.replace("<forward mode='nat'/>", "<forward mode='nat'><nat><port start='5000' end='5000'/></nat></forward>");
    expect(l.networks[0].xml).toContain("<port start='5000' end='5000'/>");
    const host = foldTimeline(l);
    expect(host.eventResults[1]).toMatchObject({ ok: false, errors: ["internal error: Invalid port range '5000-5000'."] });
    expect(host.runningNetworks).toEqual([]);
  });

  it('sysctl events: the last writer wins and is named; sysctl --system restores boot values', () => {
    const l = lab('9.0', 'nat', [ev('libvirtd-start'), ev('network-start', { networkId: 'net-deb' }), ev('sysctl-set', { params: { key: 'net.ipv4.ip_forward', value: '0' }, label: 'admin turns forwarding off' }), ev('sysctl-reload')]);
    const mid = foldTimeline(l, { uptoEventId: l.events[2].id });
    expect(mid.sysctls.find((s) => s.key === 'net.ipv4.ip_forward')).toMatchObject({ value: '0', provenance: { layer: 'admin', event: 'admin turns forwarding off' } });
    const end = foldTimeline(l);
    expect(end.sysctls.find((s) => s.key === 'net.ipv4.ip_forward')).toMatchObject({ value: '0', provenance: { layer: 'host', event: 'sysctl --system' } });
  });

  it('nftables backend on 11.3: libvirt_network tables, no INPUT rules; firewalld running: the bridge gets zone libvirt', () => {
    const l = lab('11.3', 'nat', [ev('libvirtd-start'), ev('network-start', { networkId: 'net-deb' })], [], 'nft');
    l.host.libvirt.backend = 'nftables';
    const host = foldTimeline(l);
    expect(host.state.nft.tables.map((t) => `${t.family} ${t.name}`)).toEqual(['ip libvirt_network', 'ip6 libvirt_network']);
    expect(host.state.iptables.nft.ipv4.tables).toEqual([]);
    expect(host.bridgeZones).toEqual([]);
    l.layers = [{ id: 'fwd', kind: 'firewalld', label: 'firewalld', version: '2.1.0', files: {}, settings: {} }];
    l.events.push(ev('layer-start', { layerId: 'fwd' }));
    expect(foldTimeline(l).bridgeZones).toEqual([{ bridge: 'virbr3', zone: 'libvirt', reason: 'libvirt 11.3: network deb (nat): libvirt puts its bridges into zone libvirt' }]);
  });
});
