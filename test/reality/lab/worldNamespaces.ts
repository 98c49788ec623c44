// Builds a simulator World for real: one network namespace per node (host,
// guests, routers, internet, LAN hosts), bridges and veths for its segments,
// the same addresses, routes and sysctls, the host's rulesets loaded with
// iptables-restore / iptables-legacy-restore / nft -f, a router's masquerading
// and the internet's refusal of private sources as iptables rules, and
// listeners for what each node answers. Then the probes of test/reality/netns
// ask the kernel what the simulator predicted.

import type { Ruleset } from '../../../shared/netfilter/model.ts';
import { printIptablesSave } from '../../../shared/netfilter/iptables/printIptablesSave.ts';
import { printNftRuleset } from '../../../shared/netfilter/nft/printNftRuleset.ts';
import { formatIpv4 } from '../../../shared/simulator/ipv4.ts';
import type { SimNode, World } from '../../../shared/simulator/world.ts';
import type { NetnsLab } from '../netns/netnsLab.ts';
import { startBoundListeners, type ListenSpec } from './boundListeners.ts';

export interface RealizedWorld {
  /** Node id → namespace. */
  ns: Map<string, string>;
}

/** Ports probed by the matrix: every node listens (or not) on these; allPorts nodes on all of them. */
export interface RealizeOptions {
  hostRulesets: Ruleset[];
  /** Rulesets of other nodes by id (the lab gateway's own firewall). */
  nodeRulesets?: Record<string, Ruleset[]>;
  probedPorts: { tcp: number[]; udp: number[] };
}

const PRIVATE = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '169.254.0.0/16'];

function roleName(node: SimNode, i: number): string {
  return node.role === 'host' ? 'h' : node.role === 'guest' ? `g${i}` : node.role === 'router' ? `r${i}` : node.role === 'internet' ? 'i' : `l${i}`;
}

async function loadRulesets(lab: NetnsLab, ns: string, rulesets: Ruleset[]): Promise<void> {
  for (const rs of rulesets) {
    if (rs.kind === 'iptables') {
      const tool = rs.backend === 'legacy' ? (rs.family === 'ipv4' ? 'iptables-legacy-restore' : 'ip6tables-legacy-restore') : rs.family === 'ipv4' ? 'iptables-restore' : 'ip6tables-restore';
      await lab.execOk(ns, [tool], printIptablesSave(rs));
    } else {
      await lab.execOk(ns, ['nft', '-f', '-'], printNftRuleset(rs));
    }
  }
}

export async function realizeWorld(lab: NetnsLab, world: World, options: RealizeOptions): Promise<RealizedWorld> {
  const ns = new Map<string, string>();
  let i = 0;
  for (const node of world.nodes.values()) ns.set(node.id, await lab.addNamespace(roleName(node, i++)));
  const nsOf = (id: string): string => ns.get(id)!;
  const ifaceOf = (nodeId: string, name: string) => world.nodes.get(nodeId)!.interfaces.find((x) => x.name === name)!;
  const addrTexts = (nodeId: string, name: string): string[] => ifaceOf(nodeId, name).addresses.map((a) => a.text);

  // Sysctls first: forwarding written to conf/all propagates to interfaces created later via conf/default.
  for (const node of world.nodes.values()) {
    const n = nsOf(node.id);
    await lab.sysctl(n, 'net.ipv4.ip_forward', node.role === 'host' || node.role === 'router' ? 1 : 0);
    await lab.sysctl(n, 'net.ipv4.conf.all.rp_filter', 0);
    await lab.sysctl(n, 'net.ipv4.conf.default.rp_filter', 0);
    // Probe batches need every ICMP error: no per-destination rate limit.
    await lab.sysctl(n, 'net.ipv4.icmp_ratelimit', 0);
    await lab.sysctl(n, 'net.ipv4.icmp_msgs_per_sec', 100000);
  }
  await lab.sysctl(nsOf(world.hostId), 'net.bridge.bridge-nf-call-iptables', world.brNetfilter ? 1 : 0);

  // Segments.
  let sw = 0;
  for (const seg of world.segments.values()) {
    if (seg.kind === 'bridge') {
      const hostMember = seg.members.find((m) => m.node === world.hostId && !m.port);
      const hostNs = nsOf(world.hostId);
      if (hostMember) await lab.addBridge(hostNs, seg.bridge!, addrTexts(world.hostId, hostMember.iface));
      else await lab.addBridge(hostNs, seg.bridge!, []);
      for (const m of seg.members) {
        if (!m.port) continue;
        await lab.addVeth({ ns: nsOf(m.node), name: m.iface, addresses: addrTexts(m.node, m.iface) }, { ns: hostNs, name: m.port });
        await lab.addBridgePort(hostNs, seg.bridge!, m.port);
      }
    } else if (seg.members.length === 2) {
      const [a, b] = seg.members;
      await lab.addVeth({ ns: nsOf(a.node), name: a.iface, addresses: addrTexts(a.node, a.iface) }, { ns: nsOf(b.node), name: b.iface, addresses: addrTexts(b.node, b.iface) });
    } else if (seg.members.length > 2) {
      // A plain switch: a bridge in its own namespace.
      const swNs = await lab.addNamespace(`s${sw++}`);
      await lab.sysctl(swNs, 'net.bridge.bridge-nf-call-iptables', 0);
      await lab.addBridge(swNs, 'sw', []);
      let p = 0;
      for (const m of seg.members) {
        await lab.addVeth({ ns: nsOf(m.node), name: m.iface, addresses: addrTexts(m.node, m.iface) }, { ns: swNs, name: `p${p}` });
        await lab.addBridgePort(swNs, 'sw', `p${p++}`);
      }
    }
  }

  // Per-interface settings, routes, filters, listeners.
  for (const node of world.nodes.values()) {
    const n = nsOf(node.id);
    for (const itf of node.interfaces) {
      if (itf.name === 'lo' || !itf.segment) continue;
      await lab.sysctl(n, `net.ipv4.conf.${itf.name}.forwarding`, itf.forwarding ? 1 : 0);
      await lab.sysctl(n, `net.ipv4.conf.${itf.name}.rp_filter`, itf.rpFilter);
      if (!itf.up) await lab.execOk(n, ['ip', 'link', 'set', itf.name, 'down']);
    }
    for (const r of node.routes) {
      if (r.origin === 'connected') continue;
      const dest = r.prefix === 0 ? 'default' : `${formatIpv4(r.network)}/${r.prefix}`;
      if (r.type === 'unicast') await lab.addRoute(n, [dest, ...(r.via !== undefined ? ['via', formatIpv4(r.via)] : []), 'dev', r.dev, ...(r.metric ? ['metric', String(r.metric)] : [])]);
      else if (r.type !== 'local') await lab.addRoute(n, [r.type, dest]);
    }
    if (node.masquerade) for (const s of node.masquerade.sources) await lab.execOk(n, ['iptables', '-t', 'nat', '-A', 'POSTROUTING', '-o', node.masquerade.dev, '-s', s.text, '-j', 'MASQUERADE']);
    if (node.dropsNonRoutedSources) for (const p of PRIVATE) await lab.execOk(n, ['iptables', '-t', 'raw', '-A', 'PREROUTING', '-s', p, '-j', 'DROP']);
    if (node.role === 'host') await loadRulesets(lab, n, options.hostRulesets);
    else if (options.nodeRulesets?.[node.id]) await loadRulesets(lab, n, options.nodeRulesets[node.id]);
    if (!node.listens.echo) await lab.sysctl(n, 'net.ipv4.icmp_echo_ignore_all', 1);
    const specs: ListenSpec[] = [];
    for (const proto of ['tcp', 'udp'] as const) {
      for (const port of options.probedPorts[proto]) {
        const bound = node.listens.boundTo?.get(`${proto}/${port}`);
        if (bound) for (const a of bound) specs.push([proto, port, formatIpv4(a)]);
        else if (node.listens.allPorts || (proto === 'tcp' ? node.listens.tcp : node.listens.udp).has(port)) specs.push([proto, port, null]);
      }
    }
    if (specs.length) await startBoundListeners(lab, n, specs);
  }
  return { ns };
}
