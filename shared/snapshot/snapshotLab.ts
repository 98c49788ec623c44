// A host snapshot as a lab variant "as found": interfaces, routes and sysctls
// from the dumps, libvirt networks from networks/*.xml, no layers and no
// timeline — the host's effective rules are the dumps themselves (kept in
// lab.snapshot.files and evaluated as they are, never regenerated).

import { defaultLab } from '../lab/defaultLab.ts';
import { sequentialIds } from '../lab/labIds.ts';
import type { HostInterface, Lab, LabRoute, RpFilterMode } from '../lab/labModel.ts';
import type { HostRuntime } from '../simulator/hostRuntime.ts';
import { confValue, readSnapshot } from './snapshotFiles.ts';
import { snapshotRulesets } from './snapshotRulesets.ts';

function rp(v: string | undefined): RpFilterMode {
  const n = Number(v);
  return n === 1 || n === 2 ? n : 0;
}

export function snapshotToLab(files: Record<string, string>, takenAt?: string): Lab {
  const data = readSnapshot(files);
  const lab = defaultLab(sequentialIds());
  lab.host.name = 'host as found';
  lab.host.interfaces = data.links.map((l): HostInterface => ({
    name: l.name,
    kind: l.name === 'lo' ? 'loopback' : l.kind === 'bridge' ? 'bridge' : l.kind === 'veth' ? 'veth' : l.kind === 'vlan' ? 'vlan' : l.kind === 'bond' ? 'bond' : l.kind ? 'other' : 'physical',
    addresses: l.addresses.map((a) => `${a.address}/${a.prefix}`),
    up: l.up,
    ...(l.kind === 'bridge' ? { ports: data.links.filter((p) => p.master === l.name).map((p) => p.name) } : {}),
  }));
  // Routes the kernel adds for addresses (proto kernel) follow from the interfaces.
  lab.host.routes = data.routes
    .filter((r) => r.type === 'unicast' && !/proto kernel/.test(r.text))
    .map((r): LabRoute => ({ destination: r.dst, ...(r.gateway ? { via: r.gateway } : {}), ...(r.dev ? { dev: r.dev } : {}), ...(r.metric ? { metric: r.metric } : {}) }));
  const s = data.sysctl;
  lab.host.sysctls = {
    ipForward: s.get('net.ipv4.ip_forward') === '1',
    ipv6Forwarding: s.get('net.ipv6.conf.all.forwarding') === '1',
    interfaceForwarding: Object.fromEntries(data.links.flatMap((l) => { const v = confValue(s, l.name, 'forwarding'); return v === undefined ? [] : [[l.name, v === '1']]; })),
    rpFilter: { all: rp(s.get('net.ipv4.conf.all.rp_filter')), default: rp(s.get('net.ipv4.conf.default.rp_filter')), interfaces: Object.fromEntries(data.links.flatMap((l) => { const v = confValue(s, l.name, 'rp_filter'); return v === undefined ? [] : [[l.name, rp(v)]]; })) },
    bridgeNfCallIptables: s.get('net.bridge.bridge-nf-call-iptables') === '1',
  };
  const iptV = data.versions.get('iptables') ?? '';
  lab.host.iptablesBackend = /legacy/.test(iptV) ? 'legacy' : 'nft';
  const libvirtV = /(\d+\.\d+)/.exec(data.versions.get('libvirtd') ?? '');
  if (libvirtV) lab.host.libvirt.version = libvirtV[1];
  lab.networks = Object.keys(files).filter((f) => /^networks\/.+\.xml$/.test(f)).sort().map((f, i) => ({ id: `net-${i}`, xml: files[f], autostart: true }));
  lab.events = [];
  const gw = data.routes.find((r) => r.dst === 'default' && r.gateway);
  if (gw?.gateway) {
    lab.gateway.address = gw.gateway;
    lab.gateway.routes = [];
  }
  lab.snapshot = { files, missing: data.missing, ...(takenAt ? { takenAt } : {}) };
  lab.notes = `Imported from a host snapshot${takenAt ? ` taken ${takenAt}` : ''}. The rules are the dumps as found.`;
  return lab;
}

/** The runtime of a snapshot variant: the dumps' rulesets, the lab's sysctls (read from sysctl.txt), active networks. */
export function snapshotRuntime(lab: Lab): HostRuntime {
  const files = lab.snapshot?.files ?? {};
  const data = readSnapshot(files);
  const { rulesets, problems } = snapshotRulesets(files, data.versions);
  const s = lab.host.sysctls;
  const active = (files['networks/active.txt'] ?? '').split('\n').map((x) => x.trim()).filter(Boolean);
  const running = lab.networks.filter((n) => {
    const name = /<name>([^<]+)<\/name>/.exec(n.xml)?.[1];
    return active.length === 0 || (name !== undefined && active.includes(name));
  });
  return {
    netfilter: rulesets,
    sysctls: { ipForward: s.ipForward, interfaceForwarding: { ...s.interfaceForwarding }, rpFilter: { ...s.rpFilter, interfaces: { ...s.rpFilter.interfaces } }, bridgeNfCallIptables: s.bridgeNfCallIptables, setBy: {} },
    runningNetworkIds: running.map((n) => n.id),
    notes: [...data.missing.map((m) => `snapshot: ${m}`), ...problems.map((p) => `snapshot: ${p}`)],
  };
}
