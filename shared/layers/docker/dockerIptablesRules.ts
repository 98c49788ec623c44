// Docker's iptables rules for the default bridge docker0, by version band
// (firewall-layers.md §3 facts 4–5):
//  - < 17.06: no DOCKER-USER; FORWARD holds DOCKER-ISOLATION and the docker0 rules.
//  - 17.06 … 28.0: DOCKER-USER first, DOCKER-ISOLATION-STAGE-1/2, then
//    `-o docker0 ctstate RELATED,ESTABLISHED ACCEPT`, `-o docker0 -j DOCKER`,
//    `-i docker0 ! -o docker0 ACCEPT`, `-i docker0 -o docker0 ACCEPT` (gist jmkim
//    2022 iptables-save; the same shape through 27.x).
//  - ≥ 28.1: FORWARD → DOCKER-USER, DOCKER-FORWARD; DOCKER-FORWARD → DOCKER-CT,
//    DOCKER-INTERNAL, DOCKER-BRIDGE, `-i docker0 -j ACCEPT`; DOCKER drops
//    `! -i docker0 -o docker0` (moby integration/network/bridge/iptablesdoc,
//    new-daemon.md).
// Docker inserts its FORWARD rules at the top ("Re-insert at the top of the
// table"), so whatever was in FORWARD before (libvirt's rules, if libvirt
// started first) ends up below Docker's jumps; the jumps are deleted and
// re-inserted on every daemon start. Chains that exist already (a restart) are
// kept, DOCKER-USER's contents included.

import type { Family } from '../../netfilter/model.ts';
import { versionAtLeast, type ActionList } from '../layerActions.ts';
import type { DockerDaemonConfig } from './dockerDaemonJson.ts';

export interface DockerChainsNow {
  /** User chains that exist in each table when dockerd starts. */
  filter: string[];
  nat: string[];
}

function ensureChain(out: ActionList, family: Family, table: string, chain: string, existing: string[], why: string): boolean {
  if (existing.includes(chain)) return false;
  out.ipt(family, `${table === 'filter' ? '' : `-t ${table} `}-N ${chain}`, why);
  return true;
}

/** Delete-then-insert-at-top, as Docker's EnsureJumpRule does on every start. */
function jumpOnTop(out: ActionList, family: Family, chain: string, rule: string, why: string): void {
  out.ipt(family, `-D ${chain} ${rule}`, `${why} (old jump removed before re-inserting)`, undefined, { mayFail: true });
  out.ipt(family, `-I ${chain} ${rule}`, why);
}

/**
 * Run after Docker's chains are created or flushed on start and before docker0's rules
 * (dockerd restores its user-defined networks before it sets up the default bridge).
 */
export type AfterChainsReady = () => void;

export function dockerFilterRules(out: ActionList, family: Family, version: string, config: DockerDaemonConfig, chains: DockerChainsNow, afterChainsReady?: AfterChainsReady): void {
  const br = 'docker0';
  // ip6tables got DOCKER-USER later than iptables: absent in real 20.10.24, present in
  // 26.1.5 (moby 23.0 added it, by its changelog; the releases between are not checked).
  const staged = versionAtLeast(version, '17.06');
  const hasUser = staged && (family === 'ipv4' || versionAtLeast(version, '23.0'));
  if (versionAtLeast(version, '28.1')) {
    for (const c of ['DOCKER', 'DOCKER-BRIDGE', 'DOCKER-CT', 'DOCKER-FORWARD', 'DOCKER-INTERNAL', 'DOCKER-USER']) {
      const created = ensureChain(out, family, 'filter', c, chains.filter, `Docker ${version}: chain ${c}`);
      if (!created && c !== 'DOCKER-USER') out.ipt(family, `-F ${c}`, `Docker ${version}: chain ${c} rebuilt on start`);
    }
    out.ipt(family, `-A DOCKER ! -i ${br} -o ${br} -j DROP`, `Docker ${version}: only published ports may reach containers on ${br}`);
    out.ipt(family, `-A DOCKER-BRIDGE -o ${br} -j DOCKER`, `Docker ${version}: traffic into bridge ${br}`);
    out.ipt(family, `-A DOCKER-CT -o ${br} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`, `Docker ${version}: replies into ${br}`);
    out.ipt(family, '-A DOCKER-FORWARD -j DOCKER-CT', `Docker ${version}: DOCKER-FORWARD layout`);
    out.ipt(family, '-A DOCKER-FORWARD -j DOCKER-INTERNAL', `Docker ${version}: DOCKER-FORWARD layout`);
    out.ipt(family, '-A DOCKER-FORWARD -j DOCKER-BRIDGE', `Docker ${version}: DOCKER-FORWARD layout`);
    out.ipt(family, `-A DOCKER-FORWARD -i ${br} -j ${config.icc ? 'ACCEPT' : 'DROP'}`, config.icc ? `Docker ${version}: containers on ${br} may send anywhere` : `Docker ${version}: icc=false`);
    jumpOnTop(out, family, 'FORWARD', '-j DOCKER-FORWARD', `Docker ${version}: FORWARD jump to DOCKER-FORWARD`);
    jumpOnTop(out, family, 'FORWARD', '-j DOCKER-USER', `Docker ${version}: DOCKER-USER is evaluated first`);
    return;
  }
  const iso1 = staged ? 'DOCKER-ISOLATION-STAGE-1' : 'DOCKER-ISOLATION';
  const own = staged ? ['DOCKER', 'DOCKER-ISOLATION-STAGE-1', 'DOCKER-ISOLATION-STAGE-2', ...(hasUser ? ['DOCKER-USER'] : [])] : ['DOCKER', 'DOCKER-ISOLATION'];
  for (const c of own) {
    const created = ensureChain(out, family, 'filter', c, chains.filter, `Docker ${version}: chain ${c}`);
    if (!created && c.startsWith('DOCKER-ISOLATION')) out.ipt(family, `-F ${c}`, `Docker ${version}: chain ${c} rebuilt on start`);
  }
  afterChainsReady?.();
  // The per-bridge rules are inserted at the top; inserting in reverse keeps Docker's order.
  const bridgeRules = [
    `-o ${br} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`,
    `-o ${br} -j DOCKER`,
    `-i ${br} ! -o ${br} -j ACCEPT`,
    `-i ${br} -o ${br} -j ${config.icc ? 'ACCEPT' : 'DROP'}`,
  ];
  for (const r of [...bridgeRules].reverse()) {
    out.ipt(family, `-D FORWARD ${r}`, `Docker ${version}: bridge ${br} rule (old copy removed)`, undefined, { mayFail: true });
    out.ipt(family, `-I FORWARD ${r}`, `Docker ${version}: bridge ${br}${r.endsWith('DROP') ? ' (icc=false)' : ''}`);
  }
  if (staged) {
    // Inserted on top: on a restart the restored user networks' rules are in the
    // flushed chains already, and docker0's come above them (real 20.10.24 / 26.1.5).
    out.ipt(family, `-I DOCKER-ISOLATION-STAGE-1 -i ${br} ! -o ${br} -j DOCKER-ISOLATION-STAGE-2`, `Docker ${version}: network isolation`);
    out.ipt(family, '-A DOCKER-ISOLATION-STAGE-1 -j RETURN', `Docker ${version}: network isolation`);
    out.ipt(family, `-I DOCKER-ISOLATION-STAGE-2 -o ${br} -j DROP`, `Docker ${version}: other Docker networks may not reach ${br}`);
    out.ipt(family, '-A DOCKER-ISOLATION-STAGE-2 -j RETURN', `Docker ${version}: network isolation`);
  } else {
    out.ipt(family, '-A DOCKER-ISOLATION -j RETURN', `Docker ${version}: network isolation`);
  }
  jumpOnTop(out, family, 'FORWARD', `-j ${iso1}`, `Docker ${version}: FORWARD jump to ${iso1}`);
  if (hasUser) {
    if (!chains.filter.includes('DOCKER-USER')) out.ipt(family, '-A DOCKER-USER -j RETURN', `Docker ${version}: DOCKER-USER (Docker adds nothing else to it)`);
    jumpOnTop(out, family, 'FORWARD', '-j DOCKER-USER', `Docker ${version}: DOCKER-USER is evaluated first`);
  }
}

/** nat rules for docker0: IPv4 by bip, IPv6 (ip6tables on) by fixed-cidr-v6. */
export function dockerNatRules(out: ActionList, family: Family, version: string, config: DockerDaemonConfig, chains: DockerChainsNow, afterChainsReady?: AfterChainsReady): void {
  const br = 'docker0';
  const subnet = family === 'ipv4' ? config.subnet : config.fixedCidrV6;
  if (!subnet) return;
  const loopback = family === 'ipv4' ? '127.0.0.0/8' : '::1/128';
  if (!ensureChain(out, family, 'nat', 'DOCKER', chains.nat, `Docker ${version}: nat chain DOCKER`)) out.ipt(family, '-t nat -F DOCKER', `Docker ${version}: nat chain DOCKER rebuilt`);
  afterChainsReady?.();
  out.ipt(family, '-t nat -D PREROUTING -m addrtype --dst-type LOCAL -j DOCKER', `Docker ${version}: published ports`, undefined, { mayFail: true });
  out.ipt(family, '-t nat -A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER', `Docker ${version}: published ports (DNAT)`);
  const output = config.userlandProxy ? `! -d ${loopback} -m addrtype --dst-type LOCAL -j DOCKER` : '-m addrtype --dst-type LOCAL -j DOCKER';
  out.ipt(family, `-t nat -D OUTPUT ${output}`, `Docker ${version}: published ports from the host`, undefined, { mayFail: true });
  out.ipt(family, `-t nat -A OUTPUT ${output}`, `Docker ${version}: published ports from the host`);
  out.ipt(family, `-t nat -D POSTROUTING -s ${subnet} ! -o ${br} -j MASQUERADE`, `Docker ${version}: masquerade ${subnet}`, undefined, { mayFail: true });
  out.ipt(family, `-t nat -I POSTROUTING -s ${subnet} ! -o ${br} -j MASQUERADE`, family === 'ipv4' ? `Docker ${version}: masquerade ${subnet} (bip ${config.bip})` : `Docker ${version}: masquerade ${subnet} (fixed-cidr-v6)`);
  if (config.userlandProxy) {
    out.ipt(family, `-t nat -I DOCKER -i ${br} -j RETURN`, `Docker ${version}: no DNAT for traffic from ${br} itself`);
    return;
  }
  // userland-proxy=false is libnetwork's hairpin mode: containers reach published
  // ports of their own bridge through DNAT (no RETURN for the bridge in nat DOCKER),
  // and what the host sends into the bridge from a local address is masqueraded
  // (checked against real 20.10.24 and 26.1.5).
  const hairpin = `-o ${br} -m addrtype --src-type LOCAL -j MASQUERADE`;
  out.ipt(family, `-t nat -D POSTROUTING ${hairpin}`, `Docker ${version}: userland-proxy=false (hairpin NAT)`, undefined, { mayFail: true });
  out.ipt(family, `-t nat -I POSTROUTING ${hairpin}`, `Docker ${version}: userland-proxy=false — host-originated traffic into ${br} is masqueraded (hairpin NAT)`);
}
