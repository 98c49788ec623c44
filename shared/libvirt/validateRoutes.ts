// libvirt's define-time checks of static <route> elements
// (virNetDevIPRouteCreate, src/conf/networkcommon_conf.c, and the gateway
// reachability check in virNetworkDefParseXML), messages word for word.

import { effectivePrefix } from './networkAddressing.ts';
import { familyOf, inSubnet, parseIp, prefixFromNetmask, sameIp, subnetOf } from './ipMath.ts';
import type { Network, RouteConfig } from './networkModel.ts';
import type { ElementStep } from './networkXmlLocator.ts';
import type { ProblemSink } from './problemSink.ts';

export function validateRoutes(network: Network, sink: ProblemSink): void {
  for (const [i, route] of network.routes.entries()) {
    if (!validateRoute(network, route, [['route', i]], sink)) return;
  }
}

function validateRoute(network: Network, r: RouteConfig, at: ElementStep[], sink: ProblemSink): boolean {
  const n = network.name;
  const fail = (message: string, attribute?: string) => (sink.define(`${n}: ${message}`, at, attribute), false);
  if (r.address === '') return fail('Missing required address attribute in route definition');
  if (r.gateway === '') return fail('Missing required gateway attribute in route definition');
  const address = parseIp(r.address);
  if (!address) return fail(`Bad network address '${r.address}' in route definition`, 'address');
  const gateway = parseIp(r.gateway);
  if (!gateway) return fail(`Bad gateway address '${r.gateway}' in route definition`, 'gateway');
  let prefix = r.prefix ?? 0;
  if (r.family !== 'ipv6') {
    if (familyOf(address) !== 'ipv4') return fail(`${r.family ? 'IPv4' : 'No'} family specified for non-IPv4 address '${r.address}' in route definition`, 'address');
    if (familyOf(gateway) !== 'ipv4') return fail(`${r.family ? 'IPv4' : 'No'} family specified for non-IPv4 gateway '${r.address}' in route definition`, 'gateway');
    if (r.netmask !== undefined) {
      const mask = parseIp(r.netmask);
      if (!mask) return fail(`Bad netmask address '${r.netmask}' in route definition`, 'netmask');
      if (familyOf(mask) !== 'ipv4') return fail(`Invalid netmask '${r.netmask}' for address '${r.address}' (both must be IPv4)`, 'netmask');
      if (r.prefix !== undefined) return fail('Route definition cannot have both a prefix and a netmask', 'prefix');
      prefix = prefixFromNetmask(mask);
    }
    if (prefix > 32) return fail(`Invalid prefix ${prefix} specified in route definition, must be 0 - 32`, 'prefix');
  } else {
    if (familyOf(address) !== 'ipv6') return fail(`ipv6 family specified for non-IPv6 address '${r.address}' in route definition`, 'address');
    if (r.netmask !== undefined) return fail(`Specifying netmask invalid for IPv6 address '${r.address}' in route definition`, 'netmask');
    if (familyOf(gateway) !== 'ipv6') return fail(`ipv6 specified for non-IPv6 gateway address '${r.gateway}' in route definition`, 'gateway');
    if (prefix > 128) return fail(`Invalid prefix ${prefix} specified in route definition, must be 0 - 128`, 'prefix');
  }
  if (prefix >= 0 && !sameIp(subnetOf(address, prefix).network, address)) return fail(`Address '${r.address}' in route definition is not a network address`, 'address');

  // The gateway must be directly reachable through one of the network's own addresses.
  const reachable = network.ips.some((ip) => {
    const own = parseIp(ip.address);
    if (!own || familyOf(own) !== familyOf(gateway)) return false;
    const p = effectivePrefix(ip, own);
    return p >= 0 && inSubnet(gateway, subnetOf(own, p));
  });
  if (!reachable) {
    sink.define(`unreachable static route gateway '${r.gateway}' specified for network '${n}'`, at, 'gateway');
    return false;
  }
  return true;
}
