import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LIBVIRT_FIXTURES } from '../../../test/fixtures/fixturePaths.ts';
import type { LabNetwork } from '../../lab/labModel.ts';
import type { LayerAction } from '../layerActions.ts';
import { firewalldStartActions, firewalldStopActions } from './firewalldActions.ts';
import { buildFirewalldSetup } from './firewalldSetup.ts';
import { SHIPPED_POLICIES, SHIPPED_ZONES } from './firewalldShippedFiles.ts';
import { editFirewalldXml, parsePolicyXml, parseZoneXml } from './firewalldXml.ts';

const FIXTURES = join(LIBVIRT_FIXTURES, 'firewalld');
const net = (mode: string, zone?: string): LabNetwork => ({
  id: 'n1',
  autostart: true,
  xml: `<network><name>deb</name>${mode === 'isolated' ? '' : `<forward mode='${mode}'/>`}<bridge name='virbr3'${zone ? ` zone='${zone}'` : ''}/><ip address='192.168.10.1' netmask='255.255.255.0'/></network>`,
});
const setup = (over: Partial<Parameters<typeof buildFirewalldSetup>[0]> = {}) =>
  buildFirewalldSetup({ version: '1.3.0', files: {}, settings: { 'interface:eth1': 'public' }, libvirtVersion: '9.0', networks: [net('nat')], ...over });
const nft = (a: LayerAction[]) => a.flatMap((x) => (x.kind === 'nft' ? [x.command] : []));

describe('libvirt zone and policy files', () => {
  it('are the ones libvirt ships (byte-identical to the Debian package fixtures)', () => {
    for (const name of ['libvirt', 'libvirt-routed']) expect(SHIPPED_ZONES[name]).toBe(readFileSync(`${FIXTURES}/zones/${name}.xml`, 'utf8'));
    for (const name of ['libvirt-routed-in', 'libvirt-routed-out', 'libvirt-to-host']) expect(SHIPPED_POLICIES[name]).toBe(readFileSync(`${FIXTURES}/policies/${name}.xml`, 'utf8'));
  });
  it('read as zone ACCEPT with services and a priority-32767 reject, and policies with ANY/HOST', () => {
    const { zone, problems } = parseZoneXml(SHIPPED_ZONES.libvirt, 'libvirt.xml', 'libvirt');
    expect(problems).toEqual([]);
    expect(zone).toMatchObject({ target: 'ACCEPT', services: [{ value: 'dhcp' }, { value: 'dhcpv6' }, { value: 'dns' }, { value: 'ssh' }, { value: 'tftp' }], richRules: [{ priority: 32767, action: { kind: 'reject' }, text: 'rule priority=32767 reject' }] });
    const { policy } = parsePolicyXml(SHIPPED_POLICIES['libvirt-to-host'], 'p.xml', 'libvirt-to-host');
    expect(policy).toMatchObject({ target: 'REJECT', priority: -1, ingress: ['libvirt-routed'], egress: ['HOST'] });
  });
});

describe('zone XML', () => {
  it('reports bad values with their line', () => {
    const { problems } = parseZoneXml('<zone target="MAYBE">\n  <port port="99999" protocol="tcp"/>\n  <rule><source address="10.0.0.0/8"/></rule>\n</zone>', '/etc/firewalld/zones/x.xml', 'x');
    expect(problems.map((p) => `${p.line}:${p.column} ${p.message}`)).toEqual([
      '2:3 port "99999" is not a port or range',
      '3:3 rich rule without an action (accept, drop or reject)',
      '1:1 zone target "MAYBE" is not ACCEPT, DROP, %%REJECT%% or default',
    ]);
  });
  it('edits keep comments and layout', () => {
    const text = '<?xml version="1.0"?>\n<zone>\n  <!-- mine -->\n  <short>Public</short>\n  <service name="ssh"/>\n</zone>\n';
    const added = editFirewalldXml(text, { op: 'add', element: 'interface', attributes: { name: 'eth1' } });
    expect(added).toBe('<?xml version="1.0"?>\n<zone>\n  <!-- mine -->\n  <short>Public</short>\n  <service name="ssh"/>\n  <interface name="eth1"/>\n</zone>\n');
    expect(editFirewalldXml(added, { op: 'remove', element: 'service', attribute: 'name', value: 'ssh' })).toBe('<?xml version="1.0"?>\n<zone>\n  <!-- mine -->\n  <short>Public</short>\n  <interface name="eth1"/>\n</zone>\n');
    expect(editFirewalldXml(text, { op: 'set-target', target: 'DROP' })).toBe('<?xml version="1.0"?>\n<zone target="DROP">\n  <!-- mine -->\n  <short>Public</short>\n  <service name="ssh"/>\n</zone>\n');
  });
});

describe('firewalld setup', () => {
  it('libvirt ≥ 5.1 puts the bridge into zone libvirt; routed networks into libvirt-routed from 8.10', () => {
    expect(setup().bindings.map((b) => `${b.interface}=${b.zone}`)).toEqual(['eth1=public', 'virbr3=libvirt']);
    expect(setup({ networks: [net('route')] }).bindings.map((b) => `${b.interface}=${b.zone}`)).toEqual(['eth1=public', 'virbr3=libvirt-routed']);
    expect(setup({ networks: [net('route')], libvirtVersion: '8.0' }).bindings.map((b) => `${b.interface}=${b.zone}`)).toEqual(['eth1=public', 'virbr3=libvirt']);
    expect(setup({ libvirtVersion: '5.0' }).bindings.map((b) => `${b.interface}=${b.zone}`)).toEqual(['eth1=public']);
    expect(setup({ networks: [net('nat', 'drop')] }).bindings.map((b) => `${b.interface}=${b.zone}`)).toEqual(['eth1=public', 'virbr3=drop']);
  });
  it('drops <forward/> of shipped zones before 1.0 and policies before 0.9', () => {
    const s = setup({ version: '0.8.2' });
    expect(s.zones.get('public')?.forward).toBeNull();
    expect(s.policies.size).toBe(0);
  });
  it('version bands: before 0.6 no nftables backend (iptables, with a warning); 0.6 defaults to nftables; rich rule priorities need 0.7', () => {
    // libvirt 5.0 ships no zone file (its libvirt.xml uses a rich rule priority: needs firewalld 0.7 itself).
    const old = setup({ version: '0.5.5', libvirtVersion: '5.0', files: { '/etc/firewalld/firewalld.conf': 'FirewallBackend=nftables\n' } });
    expect(old.conf.backend).toBe('iptables');
    expect(old.problems).toMatchObject([{ severity: 'warning', message: 'firewalld 0.5.5 has no nftables backend (added in 0.6.0); it uses iptables' }]);
    expect(setup({ version: '0.6.3', libvirtVersion: '5.0' }).conf.backend).toBe('nftables');
    expect(setup({ version: '0.6.3', libvirtVersion: '9.0' }).problems).toMatchObject([{ severity: 'error', file: '/usr/lib/firewalld/zones/libvirt.xml', message: 'rich rule priority needs firewalld 0.7 (this is 0.6.3); firewalld 0.6.3 refuses the zone file' }]);
    const zone = '<?xml version="1.0"?>\n<zone>\n  <rule priority="-10" family="ipv4">\n    <source address="192.168.10.0/24"/>\n    <accept/>\n  </rule>\n</zone>\n';
    const files = { '/etc/firewalld/zones/lab.xml': zone };
    const v06 = setup({ version: '0.6.3', libvirtVersion: '5.0', files });
    expect(v06.problems.filter((p) => p.severity === 'error').map((p) => p.message)).toEqual(['rich rule priority needs firewalld 0.7 (this is 0.6.3); firewalld 0.6.3 refuses the zone file']);
    expect(setup({ version: '0.7.0', libvirtVersion: '5.0', files }).problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(setup({ version: '0.7.0', libvirtVersion: '5.0', files }).zones.get('lab')?.richRules[0]?.priority).toBe(-10);
  });

  it('reads the backend from firewalld.conf and reports a bad one', () => {
    const s = setup({ files: { '/etc/firewalld/firewalld.conf': 'DefaultZone=public\nFirewallBackend=iptable\n' } });
    expect(s.conf.backend).toBe('nftables');
    expect(s.problems).toMatchObject([{ line: 2, column: 17, message: 'FirewallBackend=iptable is not nftables or iptables' }]);
  });
});

describe('firewalld nftables rules', () => {
  const a = firewalldStartActions(setup(), { tablePresent: false, tables: { ipv4: [], ipv6: [] } }, false);
  const cmds = nft(a);

  it('builds filter_FORWARD at priority filter + 10 with the default rules, the RFC3964 reject and the final admin-prohibited reject (1.x: jump to filter_FORWARD_ZONES)', () => {
    expect(cmds).toContain('add chain inet firewalld filter_FORWARD { type filter hook forward priority filter + 10; policy accept; }');
    expect(cmds.filter((c) => c.startsWith('add rule inet firewalld filter_FORWARD '))).toEqual([
      'add rule inet firewalld filter_FORWARD ct state { established, related } accept',
      'add rule inet firewalld filter_FORWARD ct status dnat accept',
      'add rule inet firewalld filter_FORWARD iifname "lo" accept',
      'add rule inet firewalld filter_FORWARD ct state invalid drop',
      'add rule inet firewalld filter_FORWARD ip6 daddr { ::/96, ::ffff:0.0.0.0/96, 2002::/24, 2002:a00::/24, 2002:7f00::/24, 2002:a9fe::/32, 2002:ac10::/28, 2002:c0a8::/32, 2002:e000::/19 } reject with icmpv6 addr-unreachable',
      'add rule inet firewalld filter_FORWARD jump filter_FORWARD_ZONES',
      'add rule inet firewalld filter_FORWARD reject with icmpx admin-prohibited',
    ]);
  });

  it('IPv6_rpfilter=yes (default): IPv6 failing the strict reverse-path check is dropped at prerouting, RA/NS exempt', () => {
    expect(cmds).toContain('add chain inet firewalld filter_PREROUTING { type filter hook prerouting priority filter + 10; policy accept; }');
    expect(cmds.filter((c) => c.startsWith('add rule inet firewalld filter_PREROUTING '))).toEqual([
      'add rule inet firewalld filter_PREROUTING icmpv6 type { nd-router-advert, nd-neighbor-solicit } accept',
      'add rule inet firewalld filter_PREROUTING meta nfproto ipv6 fib saddr . mark . iif oif missing drop',
    ]);
  });

  it('RFC3964_IPv4=yes (default): IPv6 to 6to4 addresses of private IPv4 ranges is rejected, outgoing too', () => {
    expect(cmds.filter((c) => c.startsWith('add rule inet firewalld filter_OUTPUT ') && c.includes('addr-unreachable'))).toHaveLength(1);
  });

  it('1.x: filter_INPUT_ZONES sends virbr3 to zone libvirt (goto), whose ACCEPT target ends its own chain, naming the zone file line', () => {
    expect(cmds).toContain('add rule inet firewalld filter_INPUT_ZONES iifname "virbr3" goto filter_IN_libvirt');
    expect(cmds).toContain('add rule inet firewalld filter_FORWARD_ZONES goto filter_FWD_public');
    const target = a.find((x) => x.kind === 'nft' && x.command === 'add rule inet firewalld filter_FWD_libvirt accept');
    expect(target?.kind === 'nft' && target.provenance.reason).toBe('zone libvirt target ACCEPT (/usr/lib/firewalld/zones/libvirt.xml line 2)');
  });

  it('zone public (target default, ≥ 1.0) accepts ICMP to the host and rejects the rest; intra-zone forwarding via <forward/>', () => {
    expect(cmds.filter((c) => c.startsWith('add rule inet firewalld filter_IN_public '))).toEqual([
      'add rule inet firewalld filter_IN_public jump filter_INPUT_POLICIES_pre',
      'add rule inet firewalld filter_IN_public jump filter_IN_public_pre',
      'add rule inet firewalld filter_IN_public jump filter_IN_public_log',
      'add rule inet firewalld filter_IN_public jump filter_IN_public_deny',
      'add rule inet firewalld filter_IN_public jump filter_IN_public_allow',
      'add rule inet firewalld filter_IN_public jump filter_IN_public_post',
      'add rule inet firewalld filter_IN_public jump filter_INPUT_POLICIES_post',
      'add rule inet firewalld filter_IN_public meta l4proto { icmp, ipv6-icmp } accept',
      'add rule inet firewalld filter_IN_public reject with icmpx admin-prohibited',
    ]);
    expect(cmds).toContain('add rule inet firewalld filter_FWD_public reject with icmpx admin-prohibited');
    expect(cmds).toContain('add rule inet firewalld filter_FWD_public_allow oifname "eth1" accept');
  });

  it('libvirt zone: services to the host, then the priority-32767 <reject/> in _post (port-unreachable, like any untyped rich-rule reject)', () => {
    expect(cmds).toContain('add rule inet firewalld filter_IN_libvirt_allow udp dport 67 accept');
    expect(cmds).toContain('add rule inet firewalld filter_IN_libvirt_post reject');
  });

  it('routed network with libvirt ≥ 8.10, 1.x: policies jump from filter_FORWARD_POLICIES_pre by their zones\' interfaces', () => {
    const r = nft(firewalldStartActions(setup({ networks: [net('route')] }), { tablePresent: false, tables: { ipv4: [], ipv6: [] } }, false));
    expect(r.filter((c) => c.startsWith('add rule inet firewalld filter_FORWARD_POLICIES_pre '))).toEqual([
      'add rule inet firewalld filter_FORWARD_POLICIES_pre oifname "virbr3" jump filter_FWD_policy_libvirt-routed-in',
      'add rule inet firewalld filter_FORWARD_POLICIES_pre iifname "virbr3" jump filter_FWD_policy_libvirt-routed-out',
    ]);
    expect(r).toContain('add rule inet firewalld filter_FWD_policy_libvirt-routed-out accept');
  });

  it('2.x: one filter_FORWARD_POLICIES chain, each ingress × egress pair jumping to its policies, the zone, then the zone target', () => {
    const r = nft(firewalldStartActions(setup({ version: '2.3.1', networks: [net('route')] }), { tablePresent: false, tables: { ipv4: [], ipv6: [] } }, false));
    expect(r[0]).toBe('add table inet firewalld { flags owner,persist; }');
    expect(r.filter((c) => c.startsWith('add rule inet firewalld filter_FORWARD_POLICIES iifname "virbr3" oifname "eth1" '))).toEqual([
      'add rule inet firewalld filter_FORWARD_POLICIES iifname "virbr3" oifname "eth1" jump filter_FWD_policy_libvirt-routed-out',
      'add rule inet firewalld filter_FORWARD_POLICIES iifname "virbr3" oifname "eth1" jump filter_FWD_libvirt-routed',
      'add rule inet firewalld filter_FORWARD_POLICIES iifname "virbr3" oifname "eth1" reject with icmpx admin-prohibited',
    ]);
  });

  it('before 1.0 the default target adds no rule (the base chain reject decides)', () => {
    const r = nft(firewalldStartActions(setup({ version: '0.9.3', libvirtVersion: '5.0' }), { tablePresent: false, tables: { ipv4: [], ipv6: [] } }, false));
    expect(r.filter((c) => c.startsWith('add rule inet firewalld filter_FWD_public ') && !c.includes(' jump '))).toEqual([]);
  });

  it('deletes its old table on reload and tells libvirt', () => {
    const r = firewalldStartActions(setup(), { tablePresent: true, tables: { ipv4: [], ipv6: [] } }, true);
    expect(nft(r)[0]).toBe('delete table inet firewalld');
    expect(r.at(-1)).toMatchObject({ kind: 'signal-libvirtd', signal: 'firewalld-reloaded' });
  });
});

describe('firewalld iptables backend', () => {
  const s = setup({ version: '0.9.3', files: { '/etc/firewalld/firewalld.conf': 'FirewallBackend=iptables\n' }, libvirtVersion: '4.10' });
  const a = firewalldStartActions(s, { tablePresent: false, tables: { ipv4: ['filter', 'nat'], ipv6: ['filter'] } }, true);
  const v4 = a.flatMap((x) => (x.kind === 'iptables' && x.family === 'ipv4' ? [x.args] : []));
  it('flushes every table first (libvirt\'s rules go), then ends FORWARD with REJECT icmp-host-prohibited', () => {
    expect(v4.slice(0, 4)).toEqual(['-t filter -F', '-t filter -X', '-t nat -F', '-t nat -X']);
    expect(v4.filter((l) => l.startsWith('-A FORWARD '))).toEqual([
      '-A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED,DNAT -j ACCEPT',
      '-A FORWARD -i lo -j ACCEPT',
      '-A FORWARD -m conntrack --ctstate INVALID -j DROP',
      '-A FORWARD -j FORWARD_direct',
      '-A FORWARD -j FORWARD_ZONES',
      '-A FORWARD -j REJECT --reject-with icmp-host-prohibited',
    ]);
  });
  it('stop flushes too', () => {
    expect(firewalldStopActions(s, { tablePresent: false, tables: { ipv4: ['filter'], ipv6: [] } }).some((x) => x.kind === 'iptables' && x.args === '-t filter -F')).toBe(true);
  });
});
