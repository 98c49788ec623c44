import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cloneJson } from '../json/cloneJson.ts';
import { allNetworkXmlFixtures, readFixture } from '../../test/testkit/libvirtFixtures.ts';
import type { Network } from './networkModel.ts';
import { parseNetworkXml } from './parseNetworkXml.ts';
import { SEED_XML } from './seedNetwork.testkit.ts';
import { writeNetworkXml } from './writeNetworkXml.ts';

function edit(text: string, change: (n: Network) => void): string {
  const parsed = parseNetworkXml(text);
  const network = cloneJson(parsed.network!);
  change(network);
  return writeNetworkXml(network, parsed.document);
}

const UNKNOWN_XML = `<?xml version="1.0" encoding="UTF-8"?>
<!-- lab network, edited by hand -->
<network xmlns:dnsmasq='http://libvirt.org/schemas/network/dnsmasq/1.0' trustGuestRxFilters="no">
  <name>lab</name>
  <title>Lab net</title>
  <metadata><app:info xmlns:app="urn:app">keep &amp; me</app:info></metadata>
  <forward mode="nat"/>
  <bridge name="virbr3" colour="blue"   stp='on'/>
  <frobnicate level='11'/>
  <ip address="192.168.10.1" netmask="255.255.255.0">
    <!-- leases for the lab -->
    <dhcp>
      <range start="192.168.10.100" end="192.168.10.200"><lease expiry='1' unit='hours'/></range>
      <host mac="52:54:00:00:00:01" name="vm1" ip="192.168.10.10"/>
    </dhcp>
  </ip>
  <dnsmasq:options><dnsmasq:option value='dhcp-authoritative'/></dnsmasq:options>
</network>
`;

describe('writeNetworkXml with the original document', () => {
  it('gives back every fixture network.xml byte for byte when nothing was edited', () => {
    for (const file of allNetworkXmlFixtures()) {
      const text = readFixture(file);
      const parsed = parseNetworkXml(text);
      if (!parsed.network) continue; // not-well-formed
      expect(writeNetworkXml(cloneJson(parsed.network), parsed.document), file).toBe(text);
    }
  });

  it('keeps unknown elements, attributes, namespaces, comments and quotes on a round trip', () => {
    expect(edit(UNKNOWN_XML, () => {})).toBe(UNKNOWN_XML);
  });

  it('changes only the edited attribute value (the seed DHCP range end)', () => {
    const out = edit(SEED_XML, (n) => (n.ips[0].dhcp!.ranges[0].end = '192.168.10.254'));
    expect(out).toBe(SEED_XML.replace("end='192.168.50.254'", "end='192.168.10.254'"));
  });

  it('keeps unknown attributes, spacing and the quote style of an edited element', () => {
    const out = edit(UNKNOWN_XML, (n) => (n.bridge!.name = 'virbr9'));
    expect(out).toBe(UNKNOWN_XML.replace('<bridge name="virbr3"', '<bridge name="virbr9"'));
  });

  it('adds a new element at libvirt\'s position with the file\'s indentation and quotes', () => {
    const isolated = SEED_XML;
    const out = edit(isolated, (n) => (n.forward = { mode: 'route' }));
    expect(out).toBe(isolated.replace("  <bridge name='virbr3'", "  <forward mode='route'/>\n  <bridge name='virbr3'"));
    const dq = edit(UNKNOWN_XML, (n) => (n.mtu = 9000));
    expect(dq).toBe(UNKNOWN_XML.replace('  <frobnicate', '  <mtu size="9000"/>\n  <frobnicate'));
  });

  it('removes an element with its own line only', () => {
    const out = edit(UNKNOWN_XML, (n) => (n.ips[0].dhcp!.hosts = []));
    expect(out).toBe(UNKNOWN_XML.replace('\n      <host mac="52:54:00:00:00:01" name="vm1" ip="192.168.10.10"/>', ''));
  });

  it('removes the first of three ranges without touching the other two', () => {
    const three = SEED_XML.replace(
      "<range start='192.168.10.10' end='192.168.50.254'/>",
      "<range start='192.168.10.10' end='192.168.10.19'/>\n      <range start='192.168.10.20' end='192.168.10.29' x='1'/>\n      <range start='192.168.10.30' end='192.168.10.39'/>",
    );
    const out = edit(three, (n) => n.ips[0].dhcp!.ranges.shift());
    expect(out).toBe(three.replace("\n      <range start='192.168.10.10' end='192.168.10.19'/>", ''));
  });

  it('adds the first DHCP host after the range and a <dhcp> to an <ip> that had none', () => {
    const out = edit(SEED_XML, (n) => n.ips[0].dhcp!.hosts.push({ mac: '52:54:00:00:00:02', ip: '192.168.10.20' }));
    expect(out).toBe(SEED_XML.replace("end='192.168.50.254'/>", "end='192.168.50.254'/>\n      <host mac='52:54:00:00:00:02' ip='192.168.10.20'/>"));
    const minip = readFixture('dumpxml', 'minimal-ip', 'network.xml');
    const withDhcp = edit(minip, (n) => (n.ips[0].dhcp = { ranges: [{ start: '192.168.10.100', end: '192.168.10.200' }], hosts: [] }));
    expect(withDhcp).toBe(
      "<network>\n  <name>minip</name>\n  <ip address='192.168.10.1' netmask='255.255.255.0'>\n    <dhcp>\n      <range start='192.168.10.100' end='192.168.10.200'/>\n    </dhcp>\n  </ip>\n</network>\n",
    );
  });

  it('keeps CRLF line breaks when adding a line', () => {
    const crlf = SEED_XML.replace(/\n/g, '\r\n');
    const out = edit(crlf, (n) => (n.domain = undefined));
    expect(out).toBe(crlf.replace("  <domain name='kali'/>\r\n", ''));
    const added = edit(crlf, (n) => (n.mtu = 1400));
    expect(added).toBe(crlf.replace("  <mac address", "  <mtu size='1400'/>\r\n  <mac address"));
  });

  it('writes what the model says: any sequence of edits reads back as the edited model', () => {
    const modes = ['none', 'nat', 'route', 'open'] as const;
    const octet = fc.integer({ min: 1, max: 254 });
    const editArb = fc.record({
      mode: fc.constantFrom(...modes),
      bridge: fc.option(fc.stringMatching(/^virbr[0-9]{1,2}$/), { nil: undefined }),
      stp: fc.option(fc.boolean(), { nil: undefined }),
      ranges: fc.array(fc.tuple(octet, octet), { maxLength: 3 }),
      hosts: fc.array(fc.tuple(octet, fc.option(fc.stringMatching(/^[a-z][a-z0-9]{0,5}$/), { nil: undefined })), { maxLength: 3 }),
      domain: fc.option(fc.stringMatching(/^[a-z]{1,8}$/), { nil: undefined }),
      dnsTxt: fc.array(fc.tuple(fc.stringMatching(/^[a-z]{1,5}$/), fc.string({ maxLength: 6 })), { maxLength: 2 }),
      ipv6: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.constantFrom(SEED_XML, UNKNOWN_XML), editArb, (text, e) => {
        const parsed = parseNetworkXml(text);
        const n = cloneJson(parsed.network!);
        n.forward = e.mode === 'none' ? undefined : { mode: e.mode };
        n.bridge = { ...n.bridge, name: e.bridge, stp: e.stp };
        n.domain = e.domain === undefined ? undefined : { name: e.domain };
        n.ips[0].dhcp = {
          ranges: e.ranges.map(([a, b]) => ({ start: `192.168.10.${a}`, end: `192.168.10.${b}` })),
          hosts: e.hosts.map(([a, name]) => ({ mac: `52:54:00:00:00:${a.toString(16).padStart(2, '0')}`, name, ip: `192.168.10.${a}` })),
        };
        n.dns = e.dnsTxt.length ? { forwarders: [], hosts: [], srvs: [], txts: e.dnsTxt.map(([name, value]) => ({ name, value })) } : undefined;
        n.ips = e.ipv6 ? [n.ips[0], { family: 'ipv6', familyExplicit: true, address: 'fd00:10::1', prefix: 64 }] : [n.ips[0]];
        const out = writeNetworkXml(n, parsed.document);
        const back = parseNetworkXml(out);
        expect(back.problems).toEqual([]);
        expect(back.network).toEqual(JSON.parse(JSON.stringify(n)));
        // Untouched content survives whatever was edited.
        if (text === UNKNOWN_XML) {
          expect(out).toContain('<metadata><app:info xmlns:app="urn:app">keep &amp; me</app:info></metadata>');
          expect(out).toContain("<frobnicate level='11'/>");
          expect(out).toContain('colour="blue"');
          expect(out).toContain("<dnsmasq:options><dnsmasq:option value='dhcp-authoritative'/></dnsmasq:options>");
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('writeNetworkXml without an original', () => {
  it('prints a fresh document in libvirt\'s element order and format', () => {
    const network: Network = {
      name: 'deb',
      ips: [{ family: 'ipv4', address: '192.168.10.1', netmask: '255.255.255.0', dhcp: { ranges: [{ start: '192.168.10.10', end: '192.168.10.254' }], hosts: [] } }],
      bridge: { name: 'virbr3', stp: true, delay: 0 },
      forward: { mode: 'route' },
      domain: { name: 'kali' },
      routes: [],
      portgroups: [],
    };
    expect(writeNetworkXml(network)).toBe(`<network>
  <name>deb</name>
  <forward mode='route'/>
  <bridge name='virbr3' stp='on' delay='0'/>
  <domain name='kali'/>
  <ip address='192.168.10.1' netmask='255.255.255.0'>
    <dhcp>
      <range start='192.168.10.10' end='192.168.10.254'/>
    </dhcp>
  </ip>
</network>
`);
    expect(parseNetworkXml(writeNetworkXml(network)).network).toEqual(network);
  });
});
