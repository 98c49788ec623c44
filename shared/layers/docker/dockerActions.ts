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

export function dockerStartActions(config: DockerDaemonConfig, env: DockerEnvironment): LayerAction[] {
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
  dockerFilterRules(out, 'ipv4', v, config, env.chains.ipv4);
  dockerNatRules(out, 'ipv4', v, config, env.chains.ipv4);
  if (ip6tables && config.ipv6) {
    dockerFilterRules(out, 'ipv6', v, config, env.chains.ipv6);
    if (config.fixedCidrV6) dockerNatRules(out, 'ipv6', v, config, env.chains.ipv6);
    else out.note('warning', 'daemon.json "ipv6": true without "fixed-cidr-v6": docker0 gets no IPv6 subnet, so Docker adds no IPv6 nat rules for it');
  }
  return out.actions;
}

/** dockerd stop: the rules and the policy stay (Docker does not clean up on shutdown). */
export function dockerStopActions(version: string): LayerAction[] {
  const out = new ActionList({ layer: 'docker', layerLabel: `Docker ${version}`.trim() });
  out.note('info', 'dockerd stopped: its iptables rules and the FORWARD policy stay until something flushes them.');
  return out.actions;
}
