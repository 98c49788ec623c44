import { describe, expect, it } from 'vitest';
import { parseNetworkXml } from './parseNetworkXml.ts';
import { networkAddressing } from './networkAddressing.ts';
import { allNetworkXmlFixtures, readFixture } from '../../test/testkit/libvirtFixtures.ts';
import { SEED_XML } from './seedNetwork.testkit.ts';


describe('parseNetworkXml', () => {
  it('reads the seed network into the model', () => {
    const parsed = parseNetworkXml(SEED_XML);
    expect(parsed.problems).toEqual([]);
    expect(parsed.network).toEqual({
      name: 'deb',
      uuid: '8a344aae-20c0-436b-b2a6-daf4d1d10e90',
      bridge: { name: 'virbr3', stp: true, delay: 0 },
      mac: '52:54:00:bf:4f:73',
      domain: { name: 'kali' },
      ips: [{ family: 'ipv4', address: '192.168.10.1', netmask: '255.255.255.0', dhcp: { ranges: [{ start: '192.168.10.10', end: '192.168.50.254' }], hosts: [] } }],
      routes: [],
      portgroups: [],
    });
  });

  it('reads every part of issue 2 §2 (forward/nat/dns/route/mtu/portgroup/virtualport/bandwidth)', () => {
    const parsed = parseNetworkXml(`<network ipv6='yes'>
  <name>full</name>
  <forward mode='nat' dev='eth0'>
    <nat ipv6='yes'><address start='198.51.100.10' end='198.51.100.20'/><port start='10000' end='20000'/></nat>
    <interface dev='eth0'/>
  </forward>
  <bridge name='virbr7' stp='off' delay='3' macTableManager='libvirt' zone='trusted'/>
  <mtu size='9000'/>
  <domain name='lab.example' localOnly='yes'/>
  <dns enable='yes' forwardPlainNames='no'>
    <forwarder addr='8.8.8.8'/><forwarder domain='corp' addr='10.0.0.53'/>
    <txt name='t' value='v'/>
    <srv service='ldap' protocol='tcp' target='dc' port='389' priority='1' weight='5'/>
    <host ip='192.168.7.2'><hostname>a</hostname><hostname>b</hostname></host>
  </dns>
  <bandwidth><inbound average='1000' peak='2000' burst='512' floor='100'/><outbound average='500'/></bandwidth>
  <ip address='192.168.7.1' prefix='24' localPtr='yes'>
    <tftp root='/srv/tftp'/>
    <dhcp>
      <range start='192.168.7.100' end='192.168.7.200'/>
      <host mac='52:54:00:00:00:01' name='vm1' ip='192.168.7.10'/>
      <bootp file='pxelinux.0' server='192.168.7.1'/>
    </dhcp>
  </ip>
  <ip family='ipv6' address='fd00:7::1' prefix='64'/>
  <route address='10.9.0.0' prefix='16' gateway='192.168.7.254' metric='2'/>
  <virtualport type='openvswitch'/>
  <portgroup name='pg' default='yes'><vlan><tag id='42'/></vlan></portgroup>
</network>`);
    expect(parsed.problems).toEqual([]);
    const n = parsed.network!;
    expect(n.ipv6Enabled).toBe(true);
    expect(n.forward).toEqual({ mode: 'nat', dev: 'eth0', nat: { ipv6: true, address: { start: '198.51.100.10', end: '198.51.100.20' }, port: { start: 10000, end: 20000 } }, interfaces: ['eth0'] });
    expect(n.bridge).toEqual({ name: 'virbr7', stp: false, delay: 3, macTableManager: 'libvirt', zone: 'trusted' });
    expect(n.mtu).toBe(9000);
    expect(n.domain).toEqual({ name: 'lab.example', localOnly: true });
    expect(n.dns).toEqual({
      enable: true,
      forwardPlainNames: false,
      forwarders: [{ addr: '8.8.8.8' }, { addr: '10.0.0.53', domain: 'corp' }],
      txts: [{ name: 't', value: 'v' }],
      srvs: [{ service: 'ldap', protocol: 'tcp', target: 'dc', port: 389, priority: 1, weight: 5 }],
      hosts: [{ ip: '192.168.7.2', hostnames: ['a', 'b'] }],
    });
    expect(n.bandwidth).toEqual({ inbound: { average: 1000, peak: 2000, burst: 512, floor: 100 }, outbound: { average: 500 } });
    expect(n.ips[0]).toEqual({
      family: 'ipv4', address: '192.168.7.1', prefix: 24, localPtr: true, tftpRoot: '/srv/tftp',
      dhcp: { ranges: [{ start: '192.168.7.100', end: '192.168.7.200' }], hosts: [{ mac: '52:54:00:00:00:01', name: 'vm1', ip: '192.168.7.10' }], bootp: { file: 'pxelinux.0', server: '192.168.7.1' } },
    });
    expect(n.ips[1]).toEqual({ family: 'ipv6', familyExplicit: true, address: 'fd00:7::1', prefix: 64 });
    expect(n.routes).toEqual([{ address: '10.9.0.0', prefix: 16, gateway: '192.168.7.254', metric: 2 }]);
    expect(n.virtualportType).toBe('openvswitch');
    expect(n.portgroups).toEqual([{ name: 'pg', isDefault: true, vlanTags: [42] }]);
  });

  it('reads <forward/> without mode as nat (libvirt.md §6)', () => {
    expect(parseNetworkXml(readFixture('dumpxml', 'nat-dhcp', 'network.xml')).network!.forward).toEqual({ mode: 'nat' });
  });

  it('gives a malformed file one error with line and column and no model', () => {
    const parsed = parseNetworkXml(readFixture('validation', 'not-well-formed', 'network.xml'));
    expect(parsed.network).toBeNull();
    expect(parsed.problems).toEqual([
      { severity: 'error', message: 'XML is not well-formed: Opening and ending tag mismatch: bridge line 3 and network', line: 4, column: 1, when: 'define' },
    ]);
  });

  it('places a value the model cannot hold at its attribute, with libvirt wording', () => {
    const parsed = parseNetworkXml("<network>\n  <name>val10</name>\n  <forward mode='foo'/>\n  <ip address='192.168.10.1' prefix='x24'/>\n</network>");
    expect(parsed.network).not.toBeNull();
    expect(parsed.problems).toEqual([
      { severity: 'error', message: "unknown forwarding type 'foo'", line: 3, column: 12, path: 'forward', network: 'val10', when: 'define' },
      { severity: 'error', message: "Invalid value for attribute 'prefix' in element 'ip': 'x24'. Expected non-negative integer value", line: 4, column: 30, path: 'ip', network: 'val10', when: 'define' },
    ]);
  });

  it('refuses a document whose root is not <network>', () => {
    const parsed = parseNetworkXml('<domain><name>vm</name></domain>');
    expect(parsed.network).toBeNull();
    expect(parsed.problems[0]).toMatchObject({ severity: 'error', message: 'unexpected root element <domain>, expecting <network>', line: 1, column: 1 });
  });

  it('parses every network definition of the captures (except the not-well-formed one)', () => {
    const files = allNetworkXmlFixtures();
    expect(files.length).toBeGreaterThan(200);
    for (const file of files) {
      const parsed = parseNetworkXml(readFixture(file));
      if (file.includes('not-well-formed')) continue;
      expect(parsed.network, file).not.toBeNull();
      if (!/empty-name|missing-name/.test(file)) expect(parsed.network!.name, file).not.toBe('');
    }
  });
});

describe('networkAddressing', () => {
  it('gives bridge, subnet CIDR, netmask and DHCP ranges of the seed network', () => {
    const a = networkAddressing(parseNetworkXml(SEED_XML).network!);
    expect(a.bridgeName).toBe('virbr3');
    expect(a.forwardMode).toBe('none');
    expect(a.ipv4).toMatchObject({
      family: 'ipv4', address: '192.168.10.1', prefix: 24, netmask: '255.255.255.0', subnet: '192.168.10.0/24',
      networkAddress: '192.168.10.0', broadcast: '192.168.10.255', dhcpRanges: [{ start: '192.168.10.10', end: '192.168.50.254' }],
    });
    expect(a.ipv6).toBeUndefined();
  });

  it('converts prefix to netmask, handles IPv6, and uses libvirt defaults when neither is given', () => {
    const a = networkAddressing(parseNetworkXml(readFixture('dumpxml', 'prefix-ipv6', 'network.xml')).network!);
    expect(a.ipv4).toMatchObject({ prefix: 24, netmask: '255.255.255.0', subnet: '192.168.10.0/24' });
    expect(a.ipv6).toMatchObject({ family: 'ipv6', address: 'fd00:10::1', prefix: 64, subnet: 'fd00:10::/64', netmask: undefined, broadcast: undefined });
    expect(a.bridgeName).toBeUndefined();
    const classB = networkAddressing(parseNetworkXml("<network><name>b</name><ip address='172.16.5.1'/></network>").network!);
    expect(classB.ipv4?.subnet).toBe('172.16.0.0/16');
  });

  it('skips an <ip> whose netmask is not contiguous (libvirt: bad prefix -1)', () => {
    const a = networkAddressing(parseNetworkXml(readFixture('validation', 'netmask-noncontiguous', 'network.xml')).network!);
    expect(a.ips).toEqual([]);
  });
});
