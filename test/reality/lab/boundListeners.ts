// Listeners for a namespace lab node: TCP ports that accept and UDP ports that
// answer, each on every address or only on given addresses (the way libvirt's
// dnsmasq binds DNS/DHCP to the bridge's own address).

import type { ChildProcess } from 'node:child_process';
import type { NetnsLab } from '../netns/netnsLab.ts';

const SCRIPT = `
const net = require('node:net');
const dgram = require('node:dgram');
const specs = JSON.parse(process.argv[1]);
let pending = specs.length;
const done = () => { if (--pending === 0) console.log('listeners ready'); };
for (const [proto, port, host] of specs) {
  if (proto === 'tcp') {
    const s = net.createServer((c) => { c.on('error', () => {}); c.end(); });
    s.listen({ port, host: host ?? '0.0.0.0' }, done);
  } else {
    const s = dgram.createSocket('udp4');
    s.on('message', (m, r) => s.send('reply:' + m, r.port, r.address));
    s.bind(port, host ?? '0.0.0.0', done);
  }
}
if (pending === 0) console.log('listeners ready');
`;

/** [proto, port, address or null for all]. */
export type ListenSpec = ['tcp' | 'udp', number, string | null];

export function startBoundListeners(lab: NetnsLab, ns: string, specs: ListenSpec[]): Promise<ChildProcess> {
  return lab.spawnBackground(ns, [process.execPath, '-e', SCRIPT, JSON.stringify(specs)], /listeners ready/);
}
