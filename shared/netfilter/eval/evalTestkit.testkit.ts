// Helpers for the evaluator's tests: rulesets from readable iptables-save text,
// packets with T0 defaults (firewall-layers.md: guest 192.168.10.50 behind
// virbr3, gateway 192.168.90.1 on eth1).

import type { Family, IptRuleset, NftBaseChainSpec, NftChain, NftRule, NftRuleset, NftStatement, NftTable } from '../model.ts';
import { parseIptablesSave } from '../iptables/parseIptablesSave.ts';
import type { Packet } from './packet.ts';

export function ipt(text: string, options: { family?: Family; backend?: 'legacy' | 'nft' } = {}): IptRuleset {
  const body = text.replace(/^\n/, '').split('\n').map((l) => l.trim()).join('\n');
  return parseIptablesSave(body, { family: options.family ?? 'ipv4', backend: options.backend ?? 'nft' }).ruleset;
}

/** A forwarded guest → gateway packet (T0), overridable. */
export function pkt(over: Partial<Packet> = {}): Packet {
  return {
    family: 'ipv4', iif: 'virbr3', oif: 'eth1', src: '192.168.10.50', dst: '192.168.90.1',
    proto: 'tcp', sport: 40000, dport: 443, ctState: 'NEW', ...over,
  };
}

export const m = {
  iif: (name: string, op: '==' | '!=' = '=='): NftStatement => ({ kind: 'match', left: { kind: 'meta', key: 'iifname' }, op, right: { kind: 'literal', text: `"${name}"` } }),
  oif: (name: string): NftStatement => ({ kind: 'match', left: { kind: 'meta', key: 'oifname' }, op: '==', right: { kind: 'literal', text: `"${name}"` } }),
  saddr: (cidr: string, op: '==' | '!=' = '=='): NftStatement => {
    const [a, l] = cidr.split('/');
    return { kind: 'match', left: { kind: 'payload', protocol: 'ip', field: 'saddr' }, op, right: l ? { kind: 'prefix', address: a, length: Number(l) } : { kind: 'literal', text: a } };
  },
  dport: (proto: string, ports: number[]): NftStatement => ({
    kind: 'match', left: { kind: 'payload', protocol: proto, field: 'dport' }, op: '==',
    right: ports.length === 1 ? { kind: 'literal', text: String(ports[0]) } : { kind: 'set', elements: ports.map((p) => ({ kind: 'literal', text: String(p) })) },
  }),
  ctstate: (...states: string[]): NftStatement => ({ kind: 'match', left: { kind: 'ct', key: 'state' }, op: 'implicit', right: { kind: 'flags', items: states } }),
  accept: { kind: 'verdict', verdict: 'accept' } as NftStatement,
  drop: { kind: 'verdict', verdict: 'drop' } as NftStatement,
  ret: { kind: 'verdict', verdict: 'return' } as NftStatement,
  jump: (chain: string): NftStatement => ({ kind: 'verdict', verdict: 'jump', chain }),
  reject: (withType?: 'icmp' | 'icmpv6' | 'icmpx' | 'tcp reset', code?: string): NftStatement => ({ kind: 'reject', ...(withType ? { withType } : {}), ...(code ? { code } : {}) }),
  counter: { kind: 'counter' } as NftStatement,
};

export function base(hook: NftBaseChainSpec['hook'], priority: number, policy: 'accept' | 'drop' = 'accept', type: NftBaseChainSpec['type'] = 'filter'): NftBaseChainSpec {
  return { type, hook, priority, priorityText: String(priority), policy };
}

export function chain(name: string, rules: NftStatement[][], spec?: NftBaseChainSpec): NftChain {
  return { name, ...(spec ? { base: spec } : {}), rules: rules.map((statements): NftRule => ({ statements })) };
}

export function nftTable(family: NftTable['family'], name: string, chains: NftChain[]): NftTable {
  return { family, name, chains, sets: [] };
}

export function nft(...tables: NftTable[]): NftRuleset {
  return { kind: 'nft', tables };
}
