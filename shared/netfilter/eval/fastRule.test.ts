// The verdict path (candidate lists, inline prefilters, address columns) must
// give exactly the traced path's verdict and deciding rule, for any ruleset and
// packet. Rulesets come from the kernel suite's generator (every feature it
// loads into the kernel), packets from a seeded random mix.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseIptablesSave } from '../iptables/parseIptablesSave.ts';
import type { Ruleset } from '../model.ts';
import { generateCase } from '../../../test/reality/netfilter-kernel-generate.ts';
import { compileHost } from './compileHost.ts';
import { compilePacket } from './compiledPacket.ts';
import { evaluateHook, hookVerdict, R_ACCEPT, R_DROP, R_NEED, R_REJECT, R_UNDETERMINED } from './evaluateHook.ts';
import { HOOKS, type Packet } from './packet.ts';

const NAMES = { rc: 'vwr0', rs: 'vwr1' };
const V4 = ['10.9.1.2', '10.9.2.2', '10.9.1.1', '10.9.2.1', '192.0.2.7', '10.9.1.9', '10.9.2.3', '10.9.2.200', '10.9.1.10'];
const V6 = ['fd09:1::2', 'fd09:2::2', 'fd09:1::1', 'fd09:2::1', '2001:db8::1'];

const packetArb = fc.record({
  v6: fc.boolean(),
  src: fc.nat(20), dst: fc.nat(20),
  iif: fc.constantFrom('vwr0', 'vwr1', 'lo', 'eth0'),
  oif: fc.constantFrom('vwr0', 'vwr1', 'eth3'),
  proto: fc.constantFrom('tcp', 'udp', 'icmp'),
  sport: fc.constantFrom(22, 80, 1000, 40000),
  dport: fc.constantFrom(22, 23, 53, 54, 80, 81, 443, 5353),
  state: fc.constantFrom('NEW', 'ESTABLISHED', 'RELATED', 'INVALID', 'UNTRACKED'),
  mark: fc.constantFrom(0, 1, 2),
  hook: fc.constantFrom(...HOOKS),
});

function rulesetsOf(seed: number): Ruleset[] {
  const c = generateCase(seed, NAMES);
  const out: Ruleset[] = [];
  if (c.legacy4) out.push(parseIptablesSave(c.legacy4, { family: 'ipv4', backend: 'legacy' }).ruleset);
  if (c.legacy6) out.push(parseIptablesSave(c.legacy6, { family: 'ipv6', backend: 'legacy' }).ruleset);
  if (c.iptNft4) out.push(parseIptablesSave(c.iptNft4, { family: 'ipv4', backend: 'nft' }).ruleset);
  if (c.iptNft6) out.push(parseIptablesSave(c.iptNft6, { family: 'ipv6', backend: 'nft' }).ruleset);
  if (c.nft) out.push(c.nft);
  return out;
}

describe('verdict path = traced path', () => {
  it('same verdict and deciding rule on generated rulesets and random packets', () => {
    for (let seed = 0; seed < 96; seed++) {
      const host = compileHost(rulesetsOf(seed), { context: { interfaces: [{ name: 'vwr0', addresses: ['10.9.1.1/24', 'fd09:1::1/64'] }, { name: 'vwr1', addresses: ['10.9.2.1/24', 'fd09:2::1/64'] }] } });
      fc.assert(
        fc.property(packetArb, (x) => {
          const addrs = x.v6 ? V6 : V4;
          const proto = x.proto === 'icmp' && x.v6 ? 'ipv6-icmp' : x.proto;
          const packet: Packet = {
            family: x.v6 ? 'ipv6' : 'ipv4', iif: x.iif, oif: x.oif, src: addrs[x.src % addrs.length], dst: addrs[x.dst % addrs.length], proto,
            ...(x.proto === 'icmp' ? {} : { sport: x.sport, dport: x.dport }), ctState: x.state as Packet['ctState'], mark: x.mark, pktType: 'unicast',
          };
          const fast = hookVerdict(host, x.hook, compilePacket(host, packet));
          const decided = host.scratch.decidingRule?.ref ?? host.scratch.decidingPolicy?.policyRef ?? null;
          const traced = evaluateHook(host, x.hook, packet, { trace: true });
          if (traced.outcome.kind !== 'final') return fast === R_NEED;
          const v = traced.outcome.verdict.kind;
          const code = v === 'accept' ? R_ACCEPT : v === 'drop' ? R_DROP : v === 'reject' ? R_REJECT : R_UNDETERMINED;
          expect([seed, fast]).toEqual([seed, code]);
          if (v !== 'accept') expect(decided).toBe(traced.outcome.decidedBy);
          return true;
        }),
        { seed: seed + 1, numRuns: 300 },
      );
    }
  });
});
