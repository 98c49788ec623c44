// What foldTimeline costs (it runs after every edit in the app): the sample
// project's variants; a host with 4 networks whose SuSEfirewall2 start HUPs
// libvirtd; 20 networks with a libvirtd restart (iptables: other orders
// listed; nftables: a sample of 6 orders replayed, stale handles matter). Median and p95
// of 100 runs after 20 warm-up runs.

import { defaultLab } from '../../shared/lab/defaultLab.ts';
import { sequentialIds } from '../../shared/lab/labIds.ts';
import type { Lab, TimelineEvent } from '../../shared/lab/labModel.ts';
import { sampleProjectVariants } from '../../shared/lab/sampleLab.ts';
import { foldTimeline } from '../../shared/layers/timeline/foldTimeline.ts';

function measure(name: string, lab: Lab): void {
  for (let i = 0; i < 20; i++) foldTimeline(lab);
  const times: number[] = [];
  let rules = 0;
  for (let i = 0; i < 100; i++) {
    const t0 = performance.now();
    const host = foldTimeline(lab);
    times.push(performance.now() - t0);
    rules = host.state.iptables[lab.host.iptablesBackend].ipv4.tables.reduce((n, t) => n + t.chains.reduce((m, c) => m + c.rules.length, 0), 0);
  }
  times.sort((a, b) => a - b);
  const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))].toFixed(2);
  console.log(`${name.padEnd(62)} ${String(lab.events.length).padStart(3)} events ${String(rules).padStart(5)} IPv4 rules  median ${q(0.5)} ms  p95 ${q(0.95)} ms`);
}

function hostWith(networks: number, events: (ids: string[]) => TimelineEvent[]): Lab {
  const lab = defaultLab(sequentialIds(), { libvirtVersion: '9.0', iptablesBackend: 'nft' });
  lab.networks = Array.from({ length: networks }, (_, i) => ({
    id: `n${i}`,
    autostart: false,
    xml: `<network><name>net${i}</name>${i % 3 === 0 ? '' : `<forward mode='${i % 3 === 1 ? 'nat' : 'route'}'/>`}<bridge name='virbr${i + 1}'/><ip address='10.${i}.0.1' prefix='24'><dhcp><range start='10.${i}.0.10' end='10.${i}.0.99'/></dhcp></ip></network>`,
  }));
  lab.layers = [{ id: 'sfw2', kind: 'susefirewall2', label: 'SuSEfirewall2', version: '3.6.378', files: { '/etc/sysconfig/SuSEfirewall2': 'FW_DEV_EXT="eth1"\nFW_ROUTE="yes"\n' }, settings: {} }];
  lab.events = events(lab.networks.map((n) => n.id));
  return lab;
}

const start = (ids: string[]): TimelineEvent[] => [{ id: 'd', kind: 'libvirtd-start', phase: 'boot' }, ...ids.map((id): TimelineEvent => ({ id: `s${id}`, kind: 'network-start', networkId: id, phase: 'boot' }))];

for (const v of sampleProjectVariants()) measure(`sample: ${v.name}`, v.lab);
measure('4 networks, SuSEfirewall2 start HUPs libvirtd', hostWith(4, (ids) => [...start(ids), { id: 'f', kind: 'layer-start', layerId: 'sfw2', phase: 'boot' }]));
measure('20 networks, 9.0 iptables, libvirtd restart', hostWith(20, (ids) => [...start(ids), { id: 'r', kind: 'libvirtd-restart', phase: 'later' }]));
measure('20 networks, no reload', hostWith(20, start));
const nft = hostWith(20, (ids) => [...start(ids), { id: 'r', kind: 'libvirtd-restart', phase: 'later' }]);
nft.host.libvirt = { version: '11.3', backend: 'nftables' };
measure('20 networks, 11.3 nftables, restart (6 orders replayed)', nft);
