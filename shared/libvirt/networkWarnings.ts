// Things libvirt accepts (defines and starts; fixtures validation/host-*,
// ip-equals-*, dhcp-range-includes-gateway, unknown-*) that are still likely
// mistakes: reported as warnings, never as errors.

import { childElements, type XmlDocument, type XmlElement } from '../xml/xmlTree.ts';
import { compareIp, familyOf, inSubnet, parseIp, sameIp, subnetCidr, type ParsedIp } from './ipMath.ts';
import { ipAddressing } from './networkAddressing.ts';
import type { Network } from './networkModel.ts';
import type { ElementStep } from './networkXmlLocator.ts';
import type { ProblemSink } from './problemSink.ts';

function inRange(ip: ParsedIp, start: ParsedIp, end: ParsedIp): boolean {
  return familyOf(ip) === familyOf(start) && compareIp(ip, start) >= 0 && compareIp(ip, end) <= 0;
}

export function addressWarnings(network: Network, sink: ProblemSink): void {
  network.ips.forEach((ip, i) => {
    const a = ipAddressing(ip, i);
    if (!a) return;
    const at: ElementStep[] = [['ip', i]];
    const own = a.parsed.address;
    if (a.family === 'ipv4' && a.prefix <= 30) {
      if (sameIp(own, a.parsed.subnet.network)) sink.warning(`${a.address} is the network address of ${a.subnet}; libvirt gives it to the bridge, but guests cannot use it as their gateway reliably`, at, 'address');
      if (sameIp(own, a.parsed.subnet.last)) sink.warning(`${a.address} is the broadcast address of ${a.subnet}; libvirt gives it to the bridge, but guests cannot use it as their gateway`, at, 'address');
    }
    const ranges = a.dhcpRanges.map((r) => ({ start: parseIp(r.start), end: parseIp(r.end) }));
    ranges.forEach((r, k) => {
      if (r.start && r.end && inRange(own, r.start, r.end)) {
        sink.warning(`DHCP range ${a.dhcpRanges[k].start} - ${a.dhcpRanges[k].end} contains the host's own address ${a.address}`, [...at, ['dhcp', 0], ['range', k]]);
      }
    });
    const seenIp = new Map<string, number>();
    const seenMac = new Map<string, number>();
    a.dhcpHosts.forEach((host, h) => {
      const hAt: ElementStep[] = [...at, ['dhcp', 0], ['host', h]];
      const hostIp = host.ip ? parseIp(host.ip) : null;
      if (hostIp) {
        if (!inSubnet(hostIp, a.parsed.subnet)) sink.warning(`static host ${host.ip} is outside ${subnetCidr(a.parsed.subnet)}; libvirt accepts it but dnsmasq will never hand it out`, hAt, 'ip');
        else if (sameIp(hostIp, own)) sink.warning(`static host ${host.ip} is the host's own address on the bridge`, hAt, 'ip');
        const k = ranges.findIndex((r) => r.start && r.end && inRange(hostIp, r.start, r.end));
        if (k !== -1) sink.warning(`static host ${host.ip} lies inside DHCP range ${a.dhcpRanges[k].start} - ${a.dhcpRanges[k].end}; dnsmasq may also lease it to another guest`, hAt, 'ip');
        const key = hostIp.toNormalizedString();
        if (seenIp.has(key)) sink.warning(`static host IP ${host.ip} is given twice (also host ${seenIp.get(key)! + 1})`, hAt, 'ip');
        else seenIp.set(key, h);
      }
      if (host.mac) {
        const key = host.mac.toLowerCase();
        if (seenMac.has(key)) sink.warning(`static host MAC ${host.mac} is given twice (also host ${seenMac.get(key)! + 1})`, hAt, 'mac');
        else seenMac.set(key, h);
      }
    });
    if (ip.dhcp && ip.dhcp.ranges.length === 0 && ip.dhcp.hosts.length === 0) sink.warning('empty <dhcp>: no addresses are handed out', [...at, ['dhcp', 0]]);
    // dnsmasq checks the directory at start and exits with status 3 if it is missing (seen on 9.0).
    if (ip.tftpRoot !== undefined && a.family === 'ipv4') {
      sink.warning(`tftp root '${ip.tftpRoot}' must exist on the host: otherwise dnsmasq exits with status 3 and net-start fails`, [...at, ['tftp', 0]], 'root');
    }
  });
}

// Elements and attributes of libvirt's network schema (docs/schemas/network.rng) that
// virtwall checks; libvirt ignores anything else, virt-xml-validate rejects it.
const KNOWN_CHILDREN: Record<string, readonly string[]> = {
  network: ['name', 'uuid', 'title', 'description', 'metadata', 'forward', 'bridge', 'mtu', 'mac', 'domain', 'dns', 'vlan', 'bandwidth', 'port', 'ip', 'route', 'virtualport', 'portgroup'],
  ip: ['tftp', 'dhcp'],
  dhcp: ['range', 'host', 'bootp'],
  forward: ['driver', 'nat', 'pf', 'interface', 'address'],
};
const KNOWN_ATTRIBUTES: Record<string, readonly string[]> = {
  network: ['ipv6', 'trustGuestRxFilters', 'connections'],
  bridge: ['name', 'stp', 'delay', 'macTableManager', 'zone'],
  forward: ['mode', 'dev', 'managed'],
  ip: ['family', 'address', 'netmask', 'prefix', 'localPtr'],
  mac: ['address'],
  domain: ['name', 'localOnly', 'register'],
};

export function unknownContentWarnings(doc: XmlDocument, sink: ProblemSink): void {
  const visit = (element: XmlElement, steps: ElementStep[]) => {
    const known = KNOWN_ATTRIBUTES[element.name];
    if (known) {
      for (const a of element.attributes) {
        if (!known.includes(a.name) && !a.name.startsWith('xmlns')) sink.warning(`unknown attribute '${a.name}' on <${element.name}> is ignored by libvirt (virt-xml-validate rejects it)`, steps, a.name);
      }
    }
    const children = KNOWN_CHILDREN[element.name];
    const counts = new Map<string, number>();
    for (const child of childElements(element)) {
      const index = counts.get(child.name) ?? 0;
      counts.set(child.name, index + 1);
      const childSteps: ElementStep[] = [...steps, [child.name, index]];
      if (children && !children.includes(child.name) && !child.name.includes(':')) {
        sink.warning(`unknown element <${child.name}> is ignored by libvirt (virt-xml-validate rejects it)`, childSteps);
      } else if (KNOWN_CHILDREN[child.name] || KNOWN_ATTRIBUTES[child.name]) visit(child, childSteps);
    }
  };
  visit(doc.root, []);
}
