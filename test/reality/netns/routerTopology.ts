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
  const listeners = [await startListeners(lab, server, services.server), await startListeners(lab, router, services.router)];
  const prober = await Prober.start(lab, client, ifaces.client);
  return { lab, client, router, server, ifaces, prober, listeners };
}
