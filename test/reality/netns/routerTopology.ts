// The classic three-namespace topology: client — router — server, IPv4 and
// IPv6, the router forwarding (ip_forward=1, IPv6 forwarding=1). Services
// listen on the server and on the router; a capture runs on the client.
//
//   client c0 10.9.1.2/24 fd09:1::2/64 ── r0 10.9.1.1 fd09:1::1  [router]  r1 10.9.2.1 fd09:2::1 ── s0 10.9.2.2 fd09:2::2 server

import type { ChildProcess } from 'node:child_process';
import { startListeners, type Listening } from './listeners.ts';
import type { NetnsLab } from './netnsLab.ts';
import { Prober } from './probe.ts';

export const ROUTER_ADDRESSES = {
  client: { v4: '10.9.1.2', v6: 'fd09:1::2' },
  routerClientSide: { v4: '10.9.1.1', v6: 'fd09:1::1' },
  routerServerSide: { v4: '10.9.2.1', v6: 'fd09:2::1' },
  server: { v4: '10.9.2.2', v6: 'fd09:2::2' },
};

export interface RouterTopology {
  lab: NetnsLab;
  client: string;
  router: string;
  server: string;
  /** Interface names: client's, router's towards client, router's towards server, server's. */
  ifaces: { client: string; routerClient: string; routerServer: string; server: string };
  prober: Prober;
  listeners: ChildProcess[];
}

async function macOf(lab: NetnsLab, ns: string, iface: string): Promise<string> {
  const out = JSON.parse(await lab.execOk(ns, ['ip', '-j', 'link', 'show', iface])) as { address: string }[];
  return out[0].address;
}

async function addressesOf(lab: NetnsLab, ns: string, iface: string): Promise<string[]> {
  const out = JSON.parse(await lab.execOk(ns, ['ip', '-j', 'addr', 'show', iface])) as { addr_info: { local: string }[] }[];
  return out[0].addr_info.map((a) => a.local);
}

/** Each end of each link knows the other's MAC for every address (global and link-local) for good. */
async function staticNeighbours(lab: NetnsLab, ...links: [string, string][][]): Promise<void> {
  for (const [[nsA, ifA], [nsB, ifB]] of links) {
    for (const [from, fromIf, to, toIf] of [[nsA, ifA, nsB, ifB], [nsB, ifB, nsA, ifA]]) {
      const mac = await macOf(lab, to, toIf);
      for (const addr of await addressesOf(lab, to, toIf)) {
        await lab.execOk(from, ['ip', 'neigh', 'replace', addr, 'lladdr', mac, 'dev', fromIf, 'nud', 'permanent']);
      }
    }
  }
}

export async function buildRouterTopology(lab: NetnsLab, services: { server: Listening; router: Listening }): Promise<RouterTopology> {
  const a = ROUTER_ADDRESSES;
  const client = await lab.addNamespace('c');
  const router = await lab.addNamespace('r');
  const server = await lab.addNamespace('s');
  const ifaces = { client: lab.name('c0'), routerClient: lab.name('r0'), routerServer: lab.name('r1'), server: lab.name('s0') };
  // No duplicate address detection: link-local addresses are usable at once (neighbour discovery).
  for (const ns of [client, router, server]) await lab.sysctl(ns, 'net.ipv6.conf.default.accept_dad', 0);
  await lab.addVeth({ ns: client, name: ifaces.client, addresses: [`${a.client.v4}/24`, `${a.client.v6}/64`] }, { ns: router, name: ifaces.routerClient, addresses: [`${a.routerClientSide.v4}/24`, `${a.routerClientSide.v6}/64`] });
  await lab.addVeth({ ns: router, name: ifaces.routerServer, addresses: [`${a.routerServerSide.v4}/24`, `${a.routerServerSide.v6}/64`] }, { ns: server, name: ifaces.server, addresses: [`${a.server.v4}/24`, `${a.server.v6}/64`] });
  // After the interfaces exist: all/forwarding propagates to every existing interface.
  await lab.sysctl(router, 'net.ipv4.ip_forward', 1);
  await lab.sysctl(router, 'net.ipv6.conf.all.forwarding', 1);
  await lab.addRoute(client, ['default', 'via', a.routerClientSide.v4]);
  await lab.addRoute(client, ['default', 'via', a.routerClientSide.v6]);
  await lab.addRoute(server, ['default', 'via', a.routerServerSide.v4]);
  await lab.addRoute(server, ['default', 'via', a.routerServerSide.v6]);
  // ICMP error rate limits off: a probe batch makes the router send many errors to one client at once,
  // and icmpv4_xrlim_allow / icmpv6_xrlim_allow would silently swallow some (net/ipv4/icmp.c).
  for (const ns of [router, server]) {
    await lab.sysctl(ns, 'net.ipv4.icmp_ratelimit', 0);
    await lab.sysctl(ns, 'net.ipv6.icmp.ratelimit', 0);
    await lab.sysctl(ns, 'net.ipv4.icmp_msgs_per_sec', 1_000_000);
    await lab.sysctl(ns, 'net.ipv4.icmp_msgs_burst', 1_000_000);
  }
  // Static neighbours: ARP/neighbour discovery must not depend on the firewall under test (an INPUT
  // policy DROP for IPv6 would otherwise also drop neighbour solicitations).
  await staticNeighbours(lab, [[client, ifaces.client], [router, ifaces.routerClient]], [[router, ifaces.routerServer], [server, ifaces.server]]);
  const listeners = [await startListeners(lab, server, services.server), await startListeners(lab, router, services.router)];
  const prober = await Prober.start(lab, client, ifaces.client);
  return { lab, client, router, server, ifaces, prober, listeners };
}
