// Validation of one network as libvirt would do it, before libvirt sees it
// (issue 2 §3, libvirt.md §6, fixtures validation/*):
//   - 'define' errors: virsh net-define refuses the file (virNetworkDefParseXML,
//     networkValidate), message = libvirt's text without its category prefix;
//   - 'start' errors: defined, but virsh net-start fails (bridge name the kernel
//     refuses, dnsmasq refusing a DHCPv6 range);
//   - warnings: accepted by libvirt but likely a mistake.
// Checks that need other networks are in validateProject.ts.

import { canonicalUuid } from './networkIdentifiers.ts';
import { isMulticastMac, parseMac } from './macAddress.ts';
import { effectivePrefix, ipAddressing } from './networkAddressing.ts';
import { familyOf, parseIp } from './ipMath.ts';
import { forwardModeOf, type Network } from './networkModel.ts';
import type { NetworkProblem } from './networkProblem.ts';
import { addressWarnings, unknownContentWarnings } from './networkWarnings.ts';
import type { ParsedNetworkXml } from './parseNetworkXml.ts';
import { ProblemSink } from './problemSink.ts';
import { validateDns } from './validateDns.ts';
import { validateForward } from './validateForward.ts';
import { validateDhcpCount, validateIps } from './validateIps.ts';
import { validateRoutes } from './validateRoutes.ts';

/** Modes in which libvirt creates and owns the bridge (networkValidate). */
export function hasLibvirtBridge(network: Network): boolean {
  return ['none', 'nat', 'route', 'open'].includes(forwardModeOf(network));
}

export interface ValidateOptions {
  /**
   * The bridge name libvirt would assign when the XML has none (validateProject knows the
   * project's free names); used in start-failure messages. Default: virbr0, what a host
   * without other networks gives.
   */
  assignedBridge?: string;
}

export function validateNetwork(parsed: ParsedNetworkXml, options: ValidateOptions = {}): NetworkProblem[] {
  const network = parsed.network;
  if (!network) return [...parsed.problems];
  const sink = new ProblemSink(parsed.document, network.name);
  sink.problems.push(...parsed.problems);
  validateIdentity(network, sink);
  validateBandwidth(network, sink);
  validateDns(network, sink);
  validateIps(network, sink);
  validateRoutes(network, sink);
  validateForward(network, sink);
  validateDhcpCount(network, sink);
  validatePortgroups(network, sink);
  validateStart(network, sink, options.assignedBridge);
  addressWarnings(network, sink);
  if (parsed.document) unknownContentWarnings(parsed.document, sink);
  return sink.problems;
}

function validateIdentity(network: Network, sink: ProblemSink): void {
  const name = network.name;
  if (name === '') sink.define('missing name information', [['name', 0]]);
  else if (name.includes('/')) sink.define('invalid char in name: /', [['name', 0]]);
  else if (name.includes('\n')) sink.define('invalid char in name: \\n', [['name', 0]]);
  if (network.uuid !== undefined && canonicalUuid(network.uuid) === null) sink.define('malformed uuid element', [['uuid', 0]]);
  if (network.mac !== undefined) {
    const mac = parseMac(network.mac);
    if (!mac) sink.define(`Invalid bridge mac address '${network.mac}' in network '${name}'`, [['mac', 0]], 'address');
    else if (isMulticastMac(mac)) sink.define(`Invalid multicast bridge mac address '${network.mac}' in network '${name}'`, [['mac', 0]], 'address');
  }
}

/** virNetDevBandwidthParse (src/conf/netdev_bandwidth_conf.c), network-wide: no floor. */
function validateBandwidth(network: Network, sink: ProblemSink): void {
  const bw = network.bandwidth;
  if (!bw) return;
  for (const dir of ['inbound', 'outbound'] as const) {
    const rate = bw[dir] as { average?: number; floor?: number } | undefined;
    if (!rate) continue;
    const at = [['bandwidth', 0], [dir, 0]] as const;
    if (!rate.average && !rate.floor) return sink.define('Missing mandatory average or floor attributes', at);
    if (dir === 'inbound' && rate.floor !== undefined) return sink.define('floor attribute is not supported for this config', at, 'floor');
  }
}

function validatePortgroups(network: Network, sink: ProblemSink): void {
  const name = network.name;
  let defaultGroup: string | undefined;
  network.portgroups.forEach((pg, i) => {
    const at = [['portgroup', i]] as const;
    if (pg.name === '') return sink.define('Missing required name attribute in portgroup', at);
    if (pg.isDefault) {
      if (defaultGroup !== undefined) sink.define(`network '${name}' has multiple default <portgroup> elements (${defaultGroup} and ${pg.name}), but only one default is allowed`, at, 'default');
      else defaultGroup = pg.name;
    }
    if (network.portgroups.findIndex((o) => o.name === pg.name) < i) sink.define(`multiple <portgroup> elements with the same name (${pg.name}) in network '${name}'`, at, 'name');
  });
}

/** UTF-8 length, as the kernel counts interface names (IFNAMSIZ = 16 including the NUL). */
function utf8Length(s: string): number {
  let n = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    n += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return n;
}

/** Why the kernel refuses an interface name (dev_valid_name in net/core/dev.c), or null. */
export function interfaceNameProblem(name: string): 'Numerical result out of range' | 'Invalid argument' | null {
  if (utf8Length(name) > 15) return 'Numerical result out of range';
  if (name === '' || name === '.' || name === '..' || /[/:\s]/.test(name)) return 'Invalid argument';
  return null;
}

function validateStart(network: Network, sink: ProblemSink, assignedBridge = 'virbr0'): void {
  const written = network.bridge?.name;
  const bridge = written && !written.includes('%d') ? written : assignedBridge;
  if (hasLibvirtBridge(network) && written && !written.includes('%d')) {
    const why = interfaceNameProblem(written);
    if (why) sink.start(`error creating bridge interface ${written}: ${why}`, [['bridge', 0]], 'name');
  }
  const mode = forwardModeOf(network);
  network.ips.forEach((ip, i) => {
    const address = parseIp(ip.address);
    if (!address || familyOf(address) !== 'ipv4' || !hasLibvirtBridge(network)) return;
    // No prefix (non-contiguous netmask, class D/E address): without a DHCP range define
    // accepts it, then net-start fails where the prefix is first needed: in the firewall
    // rules of nat/route networks, else when the address is put on the bridge
    // (networkAddRoutingFirewallRules / networkAddAddrToBridge, bridge_driver.c; seen on 9.0).
    if (effectivePrefix(ip, address) >= 0) return;
    const message = mode === 'nat' || mode === 'route' ? `Invalid prefix or netmask for '${bridge}'` : `bridge '${bridge}' has an invalid netmask or IP address`;
    sink.start(message, [['ip', i]], ip.netmask !== undefined ? 'netmask' : 'address');
  });
  network.ips.forEach((ip, i) => {
    const a = ipAddressing(ip, i);
    if (!a || a.family !== 'ipv6' || a.dhcpRanges.length === 0 || a.prefix >= 64) return;
    // dnsmasq exits with "prefix length must be at least 64"; libvirt only reports the exit status.
    sink.start(
      `Child process (VIR_BRIDGE_NAME=${bridge} /usr/sbin/dnsmasq --conf-file=/var/lib/libvirt/dnsmasq/${network.name}.conf --leasefile-ro --dhcp-script=/usr/lib/libvirt/libvirt_leaseshelper) unexpected exit status 1: (dnsmasq refuses a DHCPv6 range on a /${a.prefix} network: prefix length must be at least 64)`,
      [['ip', i], ['dhcp', 0], ['range', 0]],
    );
  });
}
