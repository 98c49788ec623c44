// dockerd start as layer actions: IP forwarding and the FORWARD DROP policy,
// br_netfilter, then the iptables rules (or, Docker ≥ 29 with
// firewall-backend=nftables, its own nft tables).
//  - Since 1.13.0 Docker sets the filter FORWARD policy to DROP only when it
//    itself switched net.ipv4.ip_forward from 0 to 1 (setup_ip_forwarding.go;
//    moby/libnetwork PR #1526); 28.0 added ip-forward-no-drop. IPv6: before
//    28.0 the ip6tables FORWARD policy became DROP whenever ip6tables was on;
//    from 28.0 only when Docker changed IPv6 forwarding (firewall-layers.md §3
//    facts 1–3). ip6tables is on by default from 27.0.
//  - br_netfilter + bridge-nf-call-iptables=1 with icc=false, and from 28.0 also
//    with userland-proxy=false (bridge_linux.go enableBrNfCallIptables): every
//    Linux bridge's frames then traverse FORWARD (scenario D5).
//  - nftables backend (29): no forwarding change, no drop policy; with
//    ip_forward=0 bridge setup fails ("IPv4 forwarding is disabled …").

import type { Family } from '../../netfilter/model.ts';
import { ActionList, versionAtLeast, type LayerAction } from '../layerActions.ts';
import type { DockerDaemonConfig } from './dockerDaemonJson.ts';
import { dockerFilterRules, dockerNatRules, type DockerChainsNow } from './dockerIptablesRules.ts';
import { dockerNftCommands } from './dockerNftRules.ts';
import type { DockerPlan } from './dockerNetworkPlan.ts';
import { dockerContainerRules, dockerContainerStopRules, dockerNetworkRules, type DockerRuleExists } from './dockerNetworkRules.ts';

/** The commands file's networks and containers (dockerNetworkPlan.ts), where it is, and the rule check of a restart. */
export interface DockerWorkload {
  plan: DockerPlan;
  file: string;
  exists: DockerRuleExists;
}

export interface DockerEnvironment {
  /** Docker Engine version, e.g. '27.5.1'. */
  version: string;
  /** net.ipv4.ip_forward when dockerd starts (the start-order question of scenario D4). */
  ipForward: boolean;
  ipv6Forwarding: boolean;
  chains: Record<Family, DockerChainsNow>;
  /** Whether `ip docker-bridges` exists already (restart with the nftables backend). */
  nftTablesPresent: boolean;
}

export function dockerStartActions(config: DockerDaemonConfig, env: DockerEnvironment, workload?: DockerWorkload): LayerAction[] {
  const v = env.version;
  const out = new ActionList({ layer: 'docker', layerLabel: `Docker ${v}`.trim() });

  if (config.firewallBackend === 'nftables') {
    if (!versionAtLeast(v, '29')) {
      out.note('error', `daemon.json firewall-backend=nftables needs Docker 29 or later (this is ${v}); dockerd refuses to start`);
      return out.actions;
    }
    if (!env.ipForward) {
      out.note('error', 'Docker (nftables backend): IPv4 forwarding is disabled: check your host\'s firewalling and set sysctl net.ipv4.ip_forward=1, or disable this check using daemon option --ip-forward=false — bridge networks are not created');
      return out.actions;
    }
    if (workload && (workload.plan.networks.length > 0 || workload.plan.containers.length > 0)) {
      out.note('warning', `${workload.file}: user-defined networks and published ports are not modelled with the nftables backend; only docker0's rules are added`);
    }
    for (const cmd of dockerNftCommands(config, env.nftTablesPresent)) out.nft(cmd.command, `Docker ${v} nftables backend: ${cmd.reason}`);
    out.note('info', 'Docker with the nftables backend sets no FORWARD drop policy and does not change IP forwarding (docs.docker.com firewall-nftables).');
    return out.actions;
  }

  if (config.ipForward && !env.ipForward) {
    out.sysctl('net.ipv4.ip_forward', '1', `Docker ${v} enables IPv4 forwarding (it was 0 when dockerd started)`);
    if (config.iptables && versionAtLeast(v, '1.13') && !config.ipForwardNoDrop) {
      out.ipt('ipv4', '-P FORWARD DROP', `Docker ${v}: set the FORWARD policy to DROP because dockerd itself switched ip_forward from 0 to 1 (setup_ip_forwarding.go)`);
    } else if (config.ipForwardNoDrop) {
      out.note('info', 'daemon.json ip-forward-no-drop: Docker enabled forwarding but left the FORWARD policy alone.');
    }
  } else if (config.ipForward && config.iptables) {
    out.note('info', `Docker ${v}: net.ipv4.ip_forward was already 1 when dockerd started, so the FORWARD policy is left as it is.`);
  }

  const ip6tables = config.iptables && (config.ip6tables ?? versionAtLeast(v, '27'));
  if (ip6tables) {
    const flips = config.ipv6 && config.ipForward && !env.ipv6Forwarding;
    if (flips) out.sysctl('net.ipv6.conf.all.forwarding', '1', `Docker ${v} enables IPv6 forwarding for an IPv6 network`);
    if (!versionAtLeast(v, '28')) out.ipt('ipv6', '-P FORWARD DROP', `Docker ${v} (< 28.0): ip6tables FORWARD policy DROP whenever ip6tables is enabled`);
    else if (flips && !config.ipForwardNoDrop) out.ipt('ipv6', '-P FORWARD DROP', `Docker ${v}: ip6tables FORWARD policy DROP because dockerd switched IPv6 forwarding on`);
  }

  const brNf = !config.icc || (versionAtLeast(v, '28') && !config.userlandProxy);
  if (brNf && config.iptables) {
    const why = !config.icc ? 'icc=false' : 'userland-proxy=false';
    out.sysctl('net.bridge.bridge-nf-call-iptables', '1', `Docker ${v} loads br_netfilter (${why}): bridged frames on every bridge now pass iptables FORWARD`);
    if (ip6tables) out.sysctl('net.bridge.bridge-nf-call-ip6tables', '1', `Docker ${v} loads br_netfilter (${why})`);
  }

  if (!config.iptables) {
    out.note('info', 'daemon.json "iptables": false — Docker adds no iptables rules and sets no FORWARD policy.');
    return out.actions;
  }
  // A restart (Docker's chains exist: dockerd ran before) restores the networks
  // before docker0 (< 28.1, checked against real 20.10.24); a first start, and
  // the ≥ 28.1 band (its chains are rebuilt whole), adds them after docker0.
  const networks = workload?.plan.networks ?? [];
  const restart = env.chains.ipv4.filter.includes('DOCKER') && !versionAtLeast(v, '28.1');
  const netOptions = workload ? { version: v, config, file: workload.file, exists: workload.exists } : null;
  const restore = (part: 'filter' | 'nat') => () => {
    if (restart && netOptions) for (const net of networks) dockerNetworkRules(out, net, { ...netOptions, restore: true, part });
  };
  dockerFilterRules(out, 'ipv4', v, config, env.chains.ipv4, restore('filter'));
  dockerNatRules(out, 'ipv4', v, config, env.chains.ipv4, restore('nat'));
  if (workload) addCommandRules(out, config, v, workload, restart ? 'containers' : 'all');
  if (ip6tables && config.ipv6) {
    dockerFilterRules(out, 'ipv6', v, config, env.chains.ipv6);
    if (config.fixedCidrV6) dockerNatRules(out, 'ipv6', v, config, env.chains.ipv6);
    else out.note('warning', 'daemon.json "ipv6": true without "fixed-cidr-v6": docker0 gets no IPv6 subnet, so Docker adds no IPv6 nat rules for it');
  }
  return out.actions;
}

/** The rules of the file's commands in file order: every command, or (a restart, networks restored already) the containers only. */
function addCommandRules(out: ActionList, config: DockerDaemonConfig, version: string, workload: DockerWorkload, which: 'all' | 'containers', line?: number): void {
  const lines = [...workload.plan.networks.map((n) => n.command?.line ?? 0), ...workload.plan.containers.map((c) => c.command.line)].sort((a, b) => a - b);
  for (const l of lines) {
    if (line !== undefined && l !== line) continue;
    const net = which === 'all' ? workload.plan.networks.find((n) => n.command?.line === l) : undefined;
    if (net) dockerNetworkRules(out, net, { version, config, file: workload.file, exists: workload.exists, restore: false });
    const c = workload.plan.containers.find((x) => x.command.line === l);
    if (c) dockerContainerRules(out, c, version, config, workload.file);
  }
}

/**
 * One line of the commands file run while dockerd is up: what that `docker network
 * create` or `docker run` adds (a layer-start runs every line the same way, after
 * docker0's rules).
 */
export function dockerCommandActions(config: DockerDaemonConfig, version: string, workload: DockerWorkload, line: number): LayerAction[] {
  const out = new ActionList({ layer: 'docker', layerLabel: `Docker ${version}`.trim() });
  if (config.iptables && config.firewallBackend === 'iptables') addCommandRules(out, config, version, workload, 'all', line);
  return out.actions;
}

/**
 * dockerd stop: the rules and the policy stay (Docker does not clean up on shutdown) —
 * except the published ports' rules, which go with the containers dockerd stops
 * (checked against real 20.10.24 and 26.1.5).
 */
export function dockerStopActions(version: string, config?: DockerDaemonConfig, workload?: DockerWorkload): LayerAction[] {
  const out = new ActionList({ layer: 'docker', layerLabel: `Docker ${version}`.trim() });
  if (config?.iptables && config.firewallBackend === 'iptables' && workload) for (const c of workload.plan.containers) dockerContainerStopRules(out, c, version, config, workload.file);
  out.note('info', 'dockerd stopped: its iptables rules and the FORWARD policy stay until something flushes them (containers stop, so their published ports\' rules go).');
  return out.actions;
}
