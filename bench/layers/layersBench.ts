// How long a layer event costs in the timeline fold: generating the tool's
// commands from its config and replaying them through the netfilter parser into
// a NetfilterState (what the fold does at every layer-start/reload/stop).
// Median and p95 of 200 runs after 30 warm-up runs.

import { defaultLab } from '../../shared/lab/defaultLab.ts';
import { sequentialIds } from '../../shared/lab/labIds.ts';
import type { Layer, TimelineEvent } from '../../shared/lab/labModel.ts';
import { emptyNetfilterState } from '../../shared/netfilter/netfilterState.ts';
import type { DriverContext } from '../../shared/layers/driverContext.ts';
import { replayLayerActions } from '../../shared/layers/layerActionReplay.ts';
import { layerEventActions } from '../../shared/layers/layerDrivers.ts';
import { NetfilterStateTarget } from '../../shared/layers/netfilterStateTarget.ts';

function once(layer: Layer): { ms: number; actions: number } {
  const lab = defaultLab(sequentialIds());
  lab.networks = [1, 2, 3].map((n) => ({ id: `n${n}`, autostart: true, xml: `<network><name>net${n}</name><forward mode='${n === 2 ? 'route' : 'nat'}'/><bridge name='virbr${n}'/><ip address='192.168.${n}.1' prefix='24'/></network>` }));
  const state = emptyNetfilterState();
  const ctx: DriverContext = { lab, state, sysctl: () => undefined, presentInterfaces: () => ['lo', 'eth0', 'eth1', 'virbr1', 'virbr2', 'virbr3'], libvirtdActive: () => true, target: new NetfilterStateTarget(state, 'nft') };
  const event: TimelineEvent = { id: 'e', kind: 'layer-start', phase: 'boot' };
  const t0 = performance.now();
  const actions = layerEventActions(ctx, event, layer);
  replayLayerActions(actions, ctx.target);
  return { ms: performance.now() - t0, actions: actions.length };
}

function measure(name: string, layer: Layer): void {
  for (let i = 0; i < 30; i++) once(layer);
  const times: number[] = [];
  let actions = 0;
  for (let i = 0; i < 200; i++) {
    const r = once(layer);
    times.push(r.ms);
    actions = r.actions;
  }
  times.sort((a, b) => a - b);
  const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))].toFixed(2);
  console.log(`${name.padEnd(58)} ${String(actions).padStart(5)} actions  median ${q(0.5)} ms  p95 ${q(0.95)} ms`);
}

const forward = Array.from({ length: 200 }, (_, i) => `10.${i >> 8}.${i & 255}.0/24,192.168.${i % 250}.0/24,tcp,${1000 + i}`).join(' ');
const layers: [string, Layer][] = [
  ['SuSEfirewall2 start, the story\'s config', { id: 's', kind: 'susefirewall2', label: 's', version: '3.6.378', files: { '/etc/sysconfig/SuSEfirewall2': 'FW_DEV_EXT="eth1"\nFW_ROUTE="yes"\nFW_FORWARD="192.168.90.0/24,192.168.10.0/24 192.168.10.0/24,192.168.90.0/24"\n' }, settings: {} }],
  ['SuSEfirewall2 start, 200 FW_FORWARD entries, 2 zones', { id: 's', kind: 'susefirewall2', label: 's', version: '3.6.378', files: { '/etc/sysconfig/SuSEfirewall2': `FW_DEV_EXT="eth1"\nFW_DEV_INT="eth0"\nFW_ROUTE="yes"\nFW_FORWARD="${forward}"\n` }, settings: {} }],
  ['firewalld 2.1 nftables start, 3 libvirt networks', { id: 'f', kind: 'firewalld', label: 'f', version: '2.1.0', files: {}, settings: { 'interface:eth1': 'public' } }],
  ['firewalld 1.3 iptables backend start, 3 libvirt networks', { id: 'f', kind: 'firewalld', label: 'f', version: '1.3.0', files: { '/etc/firewalld/firewalld.conf': 'FirewallBackend=iptables\n' }, settings: { 'interface:eth1': 'public' } }],
  ['ufw 0.36 start, shipped files', { id: 'u', kind: 'ufw', label: 'u', version: '0.36.1', files: {}, settings: {} }],
  ['Docker 28.5 start', { id: 'd', kind: 'docker', label: 'd', version: '28.5.2', files: {}, settings: {} }],
];
for (const [name, layer] of layers) measure(name, layer);
