// The reachability matrix of a world: every guest × {the gateway, the internet
// host, the KVM host, the other guests, each network's gateway address} ×
// {icmp, tcp/22, tcp/443, udp/53, the lab's extra services}. One verdict per
// cell; the world (and the host's compiled filter in it) is built once.

import { DEFAULT_MATRIX_SERVICES } from '../lab/labModel.ts';
import type { FlowVerdict } from './flowTypes.ts';
import { formatIpv4 } from './ipv4.ts';
import { simulateInWorld } from './simulateInWorld.ts';
import type { World } from './world.ts';

export interface MatrixTarget {
  /** Stable key: `gateway`, `internet`, `host`, `guest:ID`, `bridge:virbr3`. */
  key: string;
  label: string;
  address: string;
}

export interface MatrixCell {
  guest: string;
  target: string;
  service: string;
  verdict: FlowVerdict;
}

export interface Matrix {
  guests: { key: string; label: string; address: string | null }[];
  targets: MatrixTarget[];
  services: string[];
  cells: MatrixCell[];
}

function primary(world: World, nodeId: string): string | null {
  const a = world.nodes.get(nodeId)?.interfaces.find((i) => i.addresses.length)?.addresses[0];
  return a ? formatIpv4(a.address) : null;
}

/** Targets in a stable order: gateway, internet, host, bridge addresses, guests. */
export function matrixTargets(world: World, gatewayId = 'gateway', internetId = 'internet'): MatrixTarget[] {
  const out: MatrixTarget[] = [];
  const gw = world.nodes.get(gatewayId);
  const gwLan = gw?.interfaces.find((i) => i.name === 'lan0')?.addresses[0];
  if (gw && gwLan) out.push({ key: 'gateway', label: gw.label, address: formatIpv4(gwLan.address) });
  const inet = primary(world, internetId);
  if (inet) out.push({ key: 'internet', label: world.nodes.get(internetId)!.label, address: inet });
  const host = world.nodes.get(world.hostId)!;
  // The KVM host as the LAN sees it: its address on the gateway's segment (else its first non-bridge address).
  const gwSeg = gw?.interfaces.find((i) => i.name === 'lan0')?.segment;
  const uplink = host.interfaces.find((i) => i.segment === gwSeg && i.addresses.length) ?? host.interfaces.find((i) => i.name !== 'lo' && i.addresses.length && !world.segments.get(i.segment ?? '')?.bridge);
  if (uplink) out.push({ key: 'host', label: `${host.label} (${uplink.name})`, address: formatIpv4(uplink.addresses[0].address) });
  for (const i of host.interfaces) {
    const seg = i.segment ? world.segments.get(i.segment) : undefined;
    if (seg?.kind !== 'bridge' || !i.addresses.length || i === uplink) continue;
    out.push({ key: `bridge:${i.name}`, label: `${i.name} (network gateway)`, address: formatIpv4(i.addresses[0].address) });
  }
  for (const n of world.nodes.values()) {
    if (n.role !== 'guest' || !n.guest) continue;
    const a = primary(world, n.id);
    if (a) out.push({ key: n.id, label: n.label, address: a });
  }
  return out;
}

export function matrixServices(extra: readonly string[]): string[] {
  const out = [...DEFAULT_MATRIX_SERVICES];
  for (const s of extra) if (!out.includes(s)) out.push(s);
  return out;
}

/** The matrix's rows, columns and services, before any cell is simulated. */
export function matrixLayout(world: World, extraServices: readonly string[] = []): Omit<Matrix, 'cells'> {
  const guests = [...world.nodes.values()].filter((n) => n.role === 'guest' && n.guest).map((n) => ({ key: n.id, label: n.label, address: primary(world, n.id) }));
  return { guests, targets: matrixTargets(world), services: matrixServices(extraServices) };
}

/** Number of cells `matrixCells` yields (a guest is not its own target). */
export function matrixCellCount(layout: Omit<Matrix, 'cells'>): number {
  return layout.guests.reduce((n, g) => n + layout.targets.filter((t) => t.key !== g.key).length * layout.services.length, 0);
}

/** The cells one by one, so a caller can pause between them (the app's worker slices big labs). */
export function* matrixCells(world: World, layout: Omit<Matrix, 'cells'>): Generator<MatrixCell> {
  for (const g of layout.guests) {
    for (const t of layout.targets) {
      if (t.key === g.key) continue;
      for (const service of layout.services) {
        yield { guest: g.key, target: t.key, service, verdict: simulateInWorld(world, g.key, { from: g.address ?? g.label, to: t.address, service }) };
      }
    }
  }
}

export function computeMatrix(world: World, extraServices: readonly string[] = []): Matrix {
  const layout = matrixLayout(world, extraServices);
  return { ...layout, cells: [...matrixCells(world, layout)] };
}
