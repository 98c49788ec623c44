// routes/GATEWAY.txt: what the upstream gateway's admin must do, in words.
// A routed (or open) libvirt network is reachable from the LAN only if the
// gateway routes its subnet back via the KVM host (libvirt's formatnetwork
// docs for mode='route': "the LAN admin has configured routing for this
// subnet"); NAT networks need nothing, the host masquerades. Guests reach the
// internet only if the gateway also masquerades their subnet. The text states
// what the simulation assumed about each, from the lab's gateway settings.

import type { Lab } from '../lab/labModel.ts';
import { inSubnet, parseCidr, parseIp, subnetsOverlap } from '../libvirt/ipMath.ts';
import type { BundleFile } from './bundleTypes.ts';
import type { ExportedNetwork } from './bundleNetworks.ts';
import { commentText } from './shellQuote.ts';

/** The host's address on the gateway's subnet (the next hop the gateway must use). */
export function hostAddressTowardsGateway(lab: Lab): string | undefined {
  const gw = parseIp(lab.gateway.address);
  if (!gw) return undefined;
  for (const iface of lab.host.interfaces) {
    for (const cidr of iface.addresses) {
      const subnet = parseCidr(cidr);
      if (subnet && subnet.family === (gw.kind() === 'ipv6' ? 'ipv6' : 'ipv4') && inSubnet(gw, subnet)) return cidr.split('/')[0];
    }
  }
  return undefined;
}

function covers(outer: string, inner: string): boolean {
  const a = parseCidr(outer === 'default' ? '0.0.0.0/0' : outer);
  const b = parseCidr(inner);
  return !!a && !!b && a.family === b.family && a.prefix <= b.prefix && subnetsOverlap(a, b);
}

export interface ReturnRouteNeed {
  network: string;
  subnet: string;
  via: string | undefined;
  /** The lab's gateway has it (the simulation assumed it exists). */
  assumed: boolean;
}

export function returnRouteNeeds(lab: Lab, networks: readonly ExportedNetwork[]): ReturnRouteNeed[] {
  const via = hostAddressTowardsGateway(lab);
  return networks
    .filter((n) => n.forwardMode === 'route' || n.forwardMode === 'open')
    .flatMap((n) =>
      n.subnets.map((s) => ({
        network: n.name,
        subnet: s.subnet,
        via,
        assumed: lab.gateway.routes.some((r) => covers(r.destination, s.subnet) && (via === undefined || r.via === via)),
      })),
    );
}

export function gatewayFile(lab: Lab, networks: readonly ExportedNetwork[], variantName: string): BundleFile {
  const via = hostAddressTowardsGateway(lab);
  const lines = [
    `For the admin of the upstream gateway ${lab.gateway.address} — virtwall variant ${commentText(variantName)}`,
    '',
  ];
  const needs = returnRouteNeeds(lab, networks);
  if (needs.length === 0) {
    lines.push('No return route is needed: no network of this variant is routed (NAT networks hide behind the', "host's address; isolated networks do not leave the host).");
  } else {
    lines.push('Routed libvirt networks are reachable only if the gateway sends their traffic back via the KVM host:', '');
    for (const n of needs) {
      lines.push(`  network ${commentText(n.network)}: ${n.subnet} via ${n.via ?? "(the host's address on the gateway's LAN — the lab has none)"}`);
      lines.push(`    Linux:  ip route add ${n.subnet} via ${n.via ?? 'HOST_ADDRESS'}`);
      lines.push(`    other routers: a static route to ${n.subnet} with next hop ${n.via ?? 'HOST_ADDRESS'}`);
      lines.push(
        n.assumed
          ? '    The simulation ASSUMED this route exists (the lab\'s gateway has it). Without it, replies to the guests are lost.'
          : '    The simulation assumed this route does NOT exist (the lab\'s gateway lacks it): guests\' packets leave but no reply returns.',
      );
      lines.push('');
    }
  }
  const masq = lab.gateway.masquerade;
  const guestSubnets = networks.filter((n) => n.forwardMode !== 'nat').flatMap((n) => n.subnets.map((s) => s.subnet));
  const masqueraded = guestSubnets.filter((s) => masq.some((m) => covers(m, s)));
  lines.push('', 'Internet access:');
  if (guestSubnets.length === 0) lines.push('  nothing to do on the gateway for guest subnets (NAT networks leave the host with its address).');
  for (const s of guestSubnets) {
    lines.push(
      masqueraded.includes(s)
        ? `  the simulation assumed the gateway masquerades ${s} towards the internet (lab: masquerade ${masq.join(', ')}).`
        : `  the simulation assumed the gateway does NOT masquerade ${s}: guests reach the LAN but not the internet.`,
    );
  }
  if (via === undefined) lines.push('', `Note: no host interface has an address in the gateway's subnet (${lab.gateway.address}).`);
  return { path: 'routes/GATEWAY.txt', text: `${lines.join('\n')}\n`, description: "instructions for the gateway's admin: the return route(s) and NAT the simulation assumed" };
}
