// How long parsing, validating, writing and canonicalising a libvirt network
// takes: the story's network, a big one (1 range + 250 static hosts + DNS
// records), and a project of 50 networks validated together.

import { canonicalNetworkXml } from '../../shared/libvirt/canonicalNetworkXml.ts';
import { parseNetworkXml } from '../../shared/libvirt/parseNetworkXml.ts';
import { validateNetwork } from '../../shared/libvirt/validateNetwork.ts';
import { validateProject } from '../../shared/libvirt/validateProject.ts';
import { writeNetworkXml } from '../../shared/libvirt/writeNetworkXml.ts';
import { cloneJson } from '../../shared/json/cloneJson.ts';

const SEED = `<network>
  <name>deb</name>
  <uuid>8a344aae-20c0-436b-b2a6-daf4d1d10e90</uuid>
  <bridge name='virbr3' stp='on' delay='0'/>
  <mac address='52:54:00:bf:4f:73'/>
  <domain name='kali'/>
  <ip address='192.168.10.1' netmask='255.255.255.0'>
    <dhcp>
      <range start='192.168.10.10' end='192.168.10.254'/>
    </dhcp>
  </ip>
</network>
`;

function bigNetwork(name: string, third: number): string {
  const hosts = Array.from({ length: 250 }, (_, i) => `      <host mac='52:54:00:00:${third.toString(16).padStart(2, '0')}:${i.toString(16).padStart(2, '0')}' name='vm${i}' ip='192.168.${third}.${i + 2}'/>`);
  const dns = Array.from({ length: 50 }, (_, i) => `    <host ip='192.168.${third}.${i + 2}'><hostname>h${i}</hostname></host>`);
  return `<network>\n  <name>${name}</name>\n  <forward mode='nat'/>\n  <bridge name='virbr${third}'/>\n  <dns>\n${dns.join('\n')}\n  </dns>\n  <ip address='192.168.${third}.1' prefix='24'>\n    <dhcp>\n      <range start='192.168.${third}.100' end='192.168.${third}.200'/>\n${hosts.join('\n')}\n    </dhcp>\n  </ip>\n</network>\n`;
}

function measure(label: string, fn: () => void, iterations: number): void {
  for (let i = 0; i < Math.min(50, iterations); i++) fn(); // warm up
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  const p95 = times[Math.floor(times.length * 0.95)];
  console.log(`${label.padEnd(58)} median ${median.toFixed(3)} ms  p95 ${p95.toFixed(3)} ms`);
}

const big = bigNetwork('big', 50);
const opts = { usedBridgeNames: [], newUuid: () => '5cc68519-3b4a-4479-9267-8492a78c826d', newMac: () => '52:54:00:00:00:01' };
const seedParsed = parseNetworkXml(SEED);
const bigParsed = parseNetworkXml(big);
const project = Array.from({ length: 50 }, (_, i) => ({ text: bigNetwork(`n${i}`, i + 1).replace(/\n {6}<host [^\n]*/g, '') }));

console.log(`seed ${SEED.length} B, big ${big.length} B, project 50 networks ${project.reduce((n, p) => n + p.text.length, 0)} B`);
measure('parse seed network', () => parseNetworkXml(SEED), 2000);
measure('parse + validate seed network', () => validateNetwork(parseNetworkXml(SEED)), 2000);
measure('write seed network after one edit (splice)', () => {
  const n = cloneJson(seedParsed.network!);
  n.ips[0].dhcp!.ranges[0].end = '192.168.10.200';
  writeNetworkXml(n, seedParsed.document);
}, 2000);
measure('canonical form of the seed network', () => canonicalNetworkXml(SEED, opts), 2000);
measure('parse big network (250 hosts, 50 DNS hosts)', () => parseNetworkXml(big), 200);
measure('parse + validate big network', () => validateNetwork(parseNetworkXml(big)), 200);
measure('write big network after one edit (splice)', () => {
  const n = cloneJson(bigParsed.network!);
  n.ips[0].dhcp!.hosts[100].name = 'renamed';
  writeNetworkXml(n, bigParsed.document);
}, 200);
measure('validateProject, 50 networks', () => validateProject(project), 50);
