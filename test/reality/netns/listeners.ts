// Services a probe can reach: TCP ports that accept connections and UDP ports
// that answer, in one Node process inside a namespace (dual-stack sockets on
// `::`, so IPv4 and IPv6 probes both get answers). Ports not listed are closed:
// the kernel answers TCP with a RST and UDP with ICMP port unreachable.

import type { ChildProcess } from 'node:child_process';
import type { NetnsLab } from './netnsLab.ts';

const SCRIPT = `
const net = require('node:net');
const dgram = require('node:dgram');
const [tcp, udp] = JSON.parse(process.argv[1]);
let pending = tcp.length + udp.length;
const done = () => { if (--pending === 0) console.log('listeners ready'); };
for (const port of tcp) {
  const s = net.createServer((c) => { c.on('error', () => {}); c.end(); });
  s.listen({ port, host: '::', ipv6Only: false }, done);
}
for (const port of udp) {
  const s = dgram.createSocket({ type: 'udp6', ipv6Only: false });
  s.on('message', (m, r) => s.send('reply:' + m, r.port, r.address));
  s.bind(port, '::', done);
}
if (pending === 0) console.log('listeners ready');
`;

export interface Listening {
  tcp: number[];
  udp: number[];
}

export function startListeners(lab: NetnsLab, ns: string, ports: Listening): Promise<ChildProcess> {
  return lab.spawnBackground(ns, [process.execPath, '-e', SCRIPT, JSON.stringify([ports.tcp, ports.udp])], /listeners ready/);
}
