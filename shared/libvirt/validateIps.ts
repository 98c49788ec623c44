// libvirt's define-time checks of <ip>, <dhcp> and <tftp> (virNetworkIPDefParseXML,
// virNetworkDHCPDefParseXML and friends in src/conf/network_conf.c), messages
// word for word without the category prefix ("internal error: " …).

import { checkAddressRange } from './addressRangeCheck.ts';
import { effectivePrefix } from './networkAddressing.ts';
import { familyOf, parseIp, type ParsedIp } from './ipMath.ts';
import { isMulticastMac, parseMac } from './macAddress.ts';
import type { IpConfig, Network } from './networkModel.ts';
import type { ElementStep } from './networkXmlLocator.ts';
import type { ProblemSink } from './problemSink.ts';

export function validateIps(network: Network, sink: ProblemSink): void {
  const name = network.name;
  network.ips.forEach((ip, i) => validateIp(ip, [['ip', i]], name, sink));
}

function validateIp(ip: IpConfig, at: ElementStep[], name: string, sink: ProblemSink): void {
  if (ip.address === '') return sink.define(`Missing required address attribute in network '${name}'`, at);
  const address = parseIp(ip.address);
  if (!address) return sink.define(`Invalid address '${ip.address}' in network '${name}'`, at, 'address');
  let netmask: ParsedIp | null = null;
  if (ip.netmask !== undefined) {
    netmask = parseIp(ip.netmask);
    if (!netmask) return sink.define(`Invalid netmask '${ip.netmask}' in network '${name}'`, at, 'netmask');
  }
  const prefix = ip.prefix ?? 0;
  if (!ip.familyExplicit || ip.family === 'ipv4') {
    if (familyOf(address) !== 'ipv4') {
      return sink.define(`${ip.familyExplicit ? 'ipv4' : 'no'} family specified for non-IPv4 address '${ip.address}' in network '${name}'`, at, 'address');
    }
    if (netmask) {
      if (familyOf(netmask) !== 'ipv4') return sink.define(`Invalid netmask '${ip.netmask}' for address '${ip.address}' in network '${name}' (both must be IPv4)`, at, 'netmask');
      if (prefix > 0) return sink.define(`Network '${name}' IP address cannot have both a prefix and a netmask`, at, 'prefix');
    } else if (prefix > 32) return sink.define(`Invalid IPv4 prefix '${prefix}' in network '${name}'`, at, 'prefix');
  } else {
    if (familyOf(address) !== 'ipv6') return sink.define(`Family 'ipv6' specified for non-IPv6 address '${ip.address}' in network '${name}'`, at, 'address');
    if (netmask) return sink.define(`netmask not allowed for IPv6 address '${ip.address}' in network '${name}'`, at, 'netmask');
    if (prefix > 128) return sink.define(`Invalid IPv6 prefix '${prefix}' in network '${name}'`, at, 'prefix');
  }

  const dhcp = ip.dhcp;
  if (dhcp) {
    const dhcpAt: ElementStep[] = [...at, ['dhcp', 0]];
    const rangeNet = { address, prefix: effectivePrefix(ip, address) };
    for (const [r, range] of dhcp.ranges.entries()) {
      const rAt: ElementStep[] = [...dhcpAt, ['range', r]];
      if (range.start === '') return sink.define(`Missing 'start' attribute in dhcp range for network '${name}'`, rAt);
      const start = parseIp(range.start);
      if (!start) return sink.define(`Cannot parse socket address '${range.start}'`, rAt, 'start');
      if (range.end === '') return sink.define(`Missing 'end' attribute in dhcp range for network '${name}'`, rAt);
      const end = parseIp(range.end);
      if (!end) return sink.define(`Cannot parse socket address '${range.end}'`, rAt, 'end');
      const problem = checkAddressRange(start, end, rangeNet);
      if (problem) return sink.define(problem.message, rAt, problem.culprit);
    }
    const v6 = familyOf(address) === 'ipv6';
    for (const [h, host] of dhcp.hosts.entries()) {
      const hAt: ElementStep[] = [...dhcpAt, ['host', h]];
      if (host.mac !== undefined) {
        if (v6) return sink.define(`Invalid to specify MAC address '${host.mac}' in network '${name}' IPv6 static host definition`, hAt, 'mac');
        const mac = parseMac(host.mac);
        if (!mac) return sink.define(`Cannot parse MAC address '${host.mac}' in network '${name}'`, hAt, 'mac');
        if (isMulticastMac(mac)) return sink.define(`expected unicast mac address, found multicast '${host.mac}' in network '${name}'`, hAt, 'mac');
      }
      if (host.id !== undefined) {
        const bad = /[^0-9a-fA-F:]/.exec(host.id);
        if (bad) return sink.define(`Invalid character '${bad[0]}' in id '${host.id}' of network '${name}'`, hAt, 'id');
      }
      if (host.name !== undefined && !/^[A-Za-z0-9]/.test(host.name)) return sink.define(`Cannot use host name '${host.name}' in network '${name}'`, hAt, 'name');
      if (host.ip !== undefined && !parseIp(host.ip)) return sink.define(`Invalid IP address in static host definition for network '${name}'`, hAt, 'ip');
      if (v6 && host.id === undefined && host.name === undefined) return sink.define(`Static host definition in IPv6 network '${name}' must have id or name attribute`, hAt);
      if (!v6 && host.mac === undefined && host.name === undefined) return sink.define(`Static host definition in IPv4 network '${name}' must have mac or name attribute`, hAt);
      if (host.ip === undefined) return sink.define(`Missing IP address in static host definition for network '${name}'`, hAt);
    }
    if (dhcp.bootp && !v6) {
      if (dhcp.bootp.file === '') return sink.define(`Missing required attribute 'file' in element 'bootp'`, [...dhcpAt, ['bootp', 0]]);
      if (dhcp.bootp.server !== undefined && !parseIp(dhcp.bootp.server)) return sink.define(`Cannot parse socket address '${dhcp.bootp.server}'`, [...dhcpAt, ['bootp', 0]], 'server');
    }
  }
  if (ip.tftpRoot !== undefined && familyOf(address) !== 'ipv4') sink.define(`Unsupported <tftp> element in an IPv6 element in network '${name}'`, [...at, ['tftp', 0]]);
}

/** networkValidate (src/network/bridge_driver.c): DHCP on one address per family only. */
export function validateDhcpCount(network: Network, sink: ProblemSink): void {
  const seen = { ipv4: false, ipv6: false };
  network.ips.forEach((ip, i) => {
    const address = parseIp(ip.address);
    if (!address || !ip.dhcp || (ip.dhcp.ranges.length === 0 && ip.dhcp.hosts.length === 0)) return;
    const family = familyOf(address);
    if (seen[family]) {
      const label = family === 'ipv4' ? 'IPv4' : 'IPv6';
      sink.define(`Multiple ${label} dhcp sections found -- dhcp is supported only for a single ${label} address on each network`, [['ip', i], ['dhcp', 0]]);
    }
    seen[family] = true;
  });
}
