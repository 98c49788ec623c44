// notrack in the evaluator: which rule untracked the packet (HookLeaf.untrackedBy,
// for the simulator's path), on both the traced and the verdict-only walk, and
// no effect once conntrack attached an entry (after priority -200, later hooks).

import { describe, expect, it } from 'vitest';
import { parseNft } from '../nft/parseNft.ts';
import { compileHost } from './compileHost.ts';
import { evaluateHook } from './evaluateHook.ts';
import { ipt, pkt } from './evalTestkit.testkit.ts';
import type { HookLeaf } from './hookResult.ts';
import type { Hook, Packet } from './packet.ts';
import type { Ruleset } from '../model.ts';

function leaf(rulesets: Ruleset[], hook: Hook, packet: Packet, trace = false): HookLeaf {
  const o = evaluateHook(compileHost(rulesets), hook, packet, { trace }).outcome;
  if (o.kind !== 'final') throw new Error(o.kind);
  return o;
}

const raw = ipt('*raw\n:PREROUTING ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n-A PREROUTING -p tcp -j ACCEPT\n-A PREROUTING -p udp -j NOTRACK\n-A OUTPUT -p udp -j CT --notrack\nCOMMIT\n');

describe('notrack: which rule untracked the packet', () => {
  for (const trace of [false, true]) {
    it(`names the raw rule (${trace ? 'traced' : 'verdict path'})`, () => {
      const pre = leaf([raw], 'prerouting', pkt({ proto: 'udp', dport: 53 }), trace);
      expect([pre.untracked, pre.untrackedBy?.table, pre.untrackedBy?.chain, pre.untrackedBy?.position]).toEqual([true, 'raw', 'PREROUTING', 2]);
      const out = leaf([raw], 'output', pkt({ proto: 'udp', dport: 53, iif: undefined, oif: 'eth1' }), trace);
      expect(out.untrackedBy?.text).toBe('-A OUTPUT -p udp -j CT --notrack');
      const tcp = leaf([raw], 'prerouting', pkt(), trace);
      expect([tcp.untracked, tcp.untrackedBy]).toEqual([false, null]);
    });
  }

  it('a packet that comes in untracked is not untracked again by a later rule', () => {
    const l = leaf([raw], 'prerouting', pkt({ proto: 'udp', dport: 53, ctState: 'UNTRACKED' }));
    // Before conntrack the packet reads INVALID here (no entry yet), so the raw rule does untrack it.
    expect(l.untrackedBy?.position).toBe(2);
    const fwd = leaf([ipt('*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n-A FORWARD -m conntrack --ctstate UNTRACKED -j ACCEPT\nCOMMIT\n')], 'forward', pkt({ proto: 'udp', dport: 53, ctState: 'UNTRACKED' }));
    expect([fwd.verdict.kind, fwd.decidedBy?.position, fwd.untrackedBy]).toEqual(['accept', 1, null]);
  });
});

describe('notrack after conntrack does nothing (nft_notrack_eval: a packet with an entry is ignored)', () => {
  const nft = (priority: string, hook: Hook) => parseNft(`table ip t {\n\tchain c {\n\t\ttype filter hook ${hook} priority ${priority}; policy accept;\n\t\tnotrack\n\t\tct state untracked drop\n\t}\n}\n`).ruleset;

  it('prerouting at priority raw (-300): untracked, dropped by ct state untracked', () => {
    const l = leaf([nft('raw', 'prerouting')], 'prerouting', pkt());
    expect([l.verdict.kind, l.untrackedBy?.position]).toEqual(['drop', 1]);
  });

  it('prerouting at priority filter (0) and forward: the packet keeps its entry', () => {
    for (const hook of ['prerouting', 'forward'] as const) {
      const l = leaf([nft('filter', hook)], hook, pkt({ oif: 'eth1' }));
      expect([hook, l.verdict.kind, l.untracked, l.untrackedBy]).toEqual([hook, 'accept', false, null]);
    }
  });

  it('a packet conntrack refused (INVALID, no entry) is untracked even after conntrack', () => {
    const l = leaf([nft('filter', 'forward')], 'forward', pkt({ ctState: 'INVALID', oif: 'eth1' }));
    expect([l.verdict.kind, l.untracked]).toEqual(['drop', true]);
  });
});
