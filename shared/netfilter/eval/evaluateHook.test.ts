import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseIptablesSave } from '../iptables/parseIptablesSave.ts';
import { compileHost } from './compileHost.ts';
import { compilePacket } from './compiledPacket.ts';
import { evaluateHook, hookVerdict, R_ACCEPT, R_DROP, R_NEED, R_REJECT } from './evaluateHook.ts';
import { base, chain, ipt, m, nft, nftTable, pkt } from './evalTestkit.testkit.ts';
import { outcomeLeaves, type HookLeaf, type HookOutcome } from './hookResult.ts';
import { LIBVIRT_FIXTURES } from '../../../test/fixtures/fixturePaths.ts';

function leafOf(o: HookOutcome): HookLeaf {
  if (o.kind !== 'final') throw new Error(`expected a final outcome, got ${o.kind}`);
  return o;
}

describe('iptables chain semantics', () => {
  it('a user chain that ends without a verdict returns, and the built-in policy decides (I7)', () => {
    const host = compileHost([ipt(`
      *filter
      :INPUT ACCEPT [0:0]
      :FORWARD DROP [0:0]
      :OUTPUT ACCEPT [0:0]
      :X - [0:0]
      -A FORWARD -j X
      -A X -s 10.0.0.0/8 -j ACCEPT
      COMMIT`)]);
    const r = evaluateHook(host, 'forward', pkt());
    const leaf = leafOf(r.outcome);
    expect(leaf.verdict).toEqual({ kind: 'drop' });
    expect(leaf.decidedBy?.position).toBe(0);
    expect(r.summary).toBe('dropped by filter FORWARD policy :FORWARD DROP');
  });

  it('RETURN resumes after the jump; goto returns to the chain that jumped, not to the goto', () => {
    const host = compileHost([ipt(`
      *filter
      :FORWARD ACCEPT [0:0]
      :A - [0:0]
      :B - [0:0]
      :C - [0:0]
      -A FORWARD -j A
      -A FORWARD -j REJECT --reject-with icmp-host-prohibited
      -A A -g B
      -A A -j DROP
      -A B -j C
      -A B -j RETURN
      -A B -j DROP
      -A C -j RETURN
      COMMIT`)]);
    // FORWARD → A → goto B → C returns to B → RETURN leaves B: back to FORWARD (A's DROP is skipped) → REJECT.
    const leaf = leafOf(evaluateHook(host, 'forward', pkt()).outcome);
    expect(leaf.verdict).toMatchObject({ kind: 'reject', with: { kind: 'icmp', code: 10 } });
    expect(leaf.decidedBy?.chain).toBe('FORWARD');
    expect(leaf.decidedBy?.position).toBe(2);
  });

  it('LOG does not stop traversal (I3) and MARK sets a value later rules see', () => {
    const host = compileHost([ipt(`
      *mangle
      :PREROUTING ACCEPT [0:0]
      :INPUT ACCEPT [0:0]
      :FORWARD ACCEPT [0:0]
      :OUTPUT ACCEPT [0:0]
      :POSTROUTING ACCEPT [0:0]
      -A FORWARD -i virbr3 -j MARK --set-xmark 0x10/0xffffffff
      COMMIT
      *filter
      :FORWARD DROP [0:0]
      -A FORWARD -j LOG --log-prefix "fwd "
      -A FORWARD -m mark --mark 0x10 -j ACCEPT
      COMMIT`)]);
    const leaf = leafOf(evaluateHook(host, 'forward', pkt()).outcome);
    expect(leaf.verdict.kind).toBe('accept');
    expect(leaf.mark).toBe(0x10);
    expect(leaf.decidedBy?.text).toBe('-A FORWARD -m mark --mark 0x10 -j ACCEPT');
    // From another interface the mark is not set: policy DROP.
    expect(leafOf(evaluateHook(host, 'forward', pkt({ iif: 'eth0' })).outcome).verdict.kind).toBe('drop');
  });

  it('conntrack: replies pass only with an ESTABLISHED rule (I1/I2)', () => {
    const i1 = compileHost([ipt(`
      *filter
      :FORWARD DROP [0:0]
      -A FORWARD -i virbr3 -o eth1 -j ACCEPT
      COMMIT`)]);
    const reply = pkt({ iif: 'eth1', oif: 'virbr3', src: '192.168.90.1', dst: '192.168.10.50', sport: 443, dport: 40000, ctState: 'ESTABLISHED' });
    expect(leafOf(evaluateHook(i1, 'forward', reply).outcome).verdict.kind).toBe('drop');
    const i2 = compileHost([ipt(`
      *filter
      :FORWARD DROP [0:0]
      -A FORWARD -i virbr3 -o eth1 -j ACCEPT
      -A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
      COMMIT`)]);
    expect(leafOf(evaluateHook(i2, 'forward', reply).outcome).verdict.kind).toBe('accept');
  });
});

describe('several rulesets on one hook', () => {
  it('an accept in one ruleset does not save the packet from a drop in another (I6)', () => {
    const legacy = ipt(`
      *filter
      :FORWARD ACCEPT [0:0]
      -A FORWARD -i virbr3 -j ACCEPT
      COMMIT`, { backend: 'legacy' });
    const iptNft = ipt(`
      *filter
      :FORWARD DROP [0:0]
      COMMIT`, { backend: 'nft' });
    const r = evaluateHook(compileHost([legacy, iptNft]), 'forward', pkt(), { trace: true });
    const leaf = leafOf(r.outcome);
    expect(leaf.verdict.kind).toBe('drop');
    expect(leaf.decidedBy).toMatchObject({ backend: 'nft', chain: 'FORWARD', position: 0 });
    // Equal priority 0: the note says the order is the kernel's "last registered first".
    expect(r.notes.some((n) => n.includes('share priority 0'))).toBe(true);
  });

  it('nft base chains run by priority, and a reject at a lower priority wins over a later accept', () => {
    const rs = nft(
      nftTable('inet', 'late', [chain('f', [[m.accept]], base('forward', 10))]),
      nftTable('ip', 'early', [chain('f', [[m.iif('virbr3'), m.reject('icmpx', 'admin-prohibited')]], base('forward', -10))]),
    );
    const leaf = leafOf(evaluateHook(compileHost([rs]), 'forward', pkt()).outcome);
    expect(leaf.verdict).toMatchObject({ kind: 'reject', with: { kind: 'icmp', family: 'ipv4', code: 13 } });
    expect(leaf.decidedBy).toMatchObject({ table: 'early', chain: 'f', position: 1 });
  });

  it('equal priorities: the chain registered last runs first (net/netfilter/core.c, checked in test/reality)', () => {
    const rs = nft(
      nftTable('ip', 'a', [chain('f', [[m.reject('icmp', 'host-prohibited')]], base('forward', 0))]),
      nftTable('ip', 'b', [chain('f', [[m.reject('icmp', 'port-unreachable')]], base('forward', 0))]),
    );
    const leaf = leafOf(evaluateHook(compileHost([rs]), 'forward', pkt()).outcome);
    expect(leaf.decidedBy?.table).toBe('b');
  });

  it('iptables-nft tables in an nft dump are not evaluated twice when the iptables dump is given', () => {
    const iptNft = ipt(`
      *filter
      :FORWARD ACCEPT [0:0]
      COMMIT`);
    const dump = nft({ ...nftTable('ip', 'filter', [chain('FORWARD', [[m.drop]], base('forward', 0))]), managedBy: 'iptables-nft' });
    const host = compileHost([iptNft, dump]);
    expect(leafOf(evaluateHook(host, 'forward', pkt()).outcome).verdict.kind).toBe('accept');
    expect(host.notes.some((n) => n.includes('managed by iptables-nft'))).toBe(true);
  });
});

describe('nat', () => {
  const natRules = ipt(`
    *nat
    :PREROUTING ACCEPT [0:0]
    :INPUT ACCEPT [0:0]
    :OUTPUT ACCEPT [0:0]
    :POSTROUTING ACCEPT [0:0]
    :LIBVIRT_PRT - [0:0]
    -A POSTROUTING -j LIBVIRT_PRT
    -A LIBVIRT_PRT -s 192.168.10.0/24 -d 224.0.0.0/24 -j RETURN
    -A LIBVIRT_PRT -s 192.168.10.0/24 ! -d 192.168.10.0/24 -p tcp -j MASQUERADE --to-ports 1024-65535
    COMMIT`);
  const context = { interfaces: [{ name: 'eth1', addresses: ['192.168.90.10/24'] }, { name: 'virbr3', addresses: ['192.168.10.1/24'] }] };

  it('the first packet gets a NAT decision with the chosen address', () => {
    const leaf = leafOf(evaluateHook(compileHost([natRules], { context }), 'postrouting', pkt()).outcome);
    expect(leaf.verdict.kind).toBe('accept');
    expect(leaf.nat).toMatchObject({ type: 'masquerade', address: '192.168.90.10', ports: '1024-65535' });
    expect(leaf.nat?.decidedBy.position).toBe(2);
  });

  it('later packets of the connection skip the nat chains (translated from conntrack)', () => {
    const r = evaluateHook(compileHost([natRules], { context }), 'postrouting', pkt({ ctState: 'ESTABLISHED' }), { trace: true });
    const leaf = leafOf(r.outcome);
    expect(leaf.nat).toBeNull();
    expect(leaf.trace?.some((e) => e.kind === 'skip' && e.reason.includes('first packet'))).toBe(true);
  });

  it('a DROP policy in a filter chain of the same hook still drops a NATed packet', () => {
    const filter = nft(nftTable('ip', 'f', [chain('post', [], base('postrouting', 200, 'drop'))]));
    const leaf = leafOf(evaluateHook(compileHost([natRules, filter], { context }), 'postrouting', pkt()).outcome);
    expect(leaf.verdict.kind).toBe('drop');
  });
});

describe('which rule an accept names', () => {
  const filterAndSecurity = ipt(`
    *filter
    :FORWARD DROP [0:0]
    -A FORWARD -s 192.168.10.0/24 -i virbr3 -j ACCEPT
    COMMIT
    *security
    :FORWARD ACCEPT [0:0]
    :FORWARD_direct - [0:0]
    -A FORWARD -j FORWARD_direct
    COMMIT`);

  it("the filter rule that accepted, not the policy of an empty security chain that runs after it", () => {
    const leaf = leafOf(evaluateHook(compileHost([filterAndSecurity]), 'forward', pkt()).outcome);
    expect(leaf.acceptedBy.map((r) => `${r.table} ${r.position}`)).toEqual(['filter 1', 'security 0']);
    expect(leaf.decidedBy).toMatchObject({ table: 'filter', chain: 'FORWARD', position: 1 });
    expect(evaluateHook(compileHost([filterAndSecurity]), 'forward', pkt()).summary).toBe('accepted by filter FORWARD rule 1: -A FORWARD -s 192.168.10.0/24 -i virbr3 -j ACCEPT');
  });

  it('a DNAT rule rather than the mangle policy; a filter policy rather than a nat policy', () => {
    const rules = ipt(`
      *mangle
      :PREROUTING ACCEPT [0:0]
      :INPUT ACCEPT [0:0]
      COMMIT
      *nat
      :PREROUTING ACCEPT [0:0]
      :INPUT ACCEPT [0:0]
      -A PREROUTING -p tcp --dport 2222 -j DNAT --to-destination 192.168.10.50:22
      COMMIT
      *filter
      :INPUT ACCEPT [0:0]
      COMMIT`);
    const host = compileHost([rules]);
    const pre = leafOf(evaluateHook(host, 'prerouting', pkt({ iif: 'eth1', src: '192.168.90.7', dst: '192.168.90.10', dport: 2222 })).outcome);
    expect(pre.decidedBy).toMatchObject({ table: 'nat', chain: 'PREROUTING', position: 1 });
    // INPUT: mangle, filter, then nat INPUT (srcnat at 100) — its policy only means "no translation".
    const input = leafOf(evaluateHook(host, 'input', pkt({ iif: 'eth1', oif: undefined, src: '192.168.90.7', dst: '192.168.90.10', dport: 22 })).outcome);
    expect(input.acceptedBy.at(-1)).toMatchObject({ table: 'nat', position: 0 });
    expect(input.decidedBy).toMatchObject({ table: 'filter', chain: 'INPUT', position: 0 });
  });
});

describe('unknowns are never guessed', () => {
  const limited = ipt(`
    *filter
    :INPUT DROP [0:0]
    -A INPUT -p tcp -m tcp --dport 22 -m limit --limit 3/min -j ACCEPT
    -A INPUT -j REJECT --reject-with icmp-port-unreachable
    COMMIT`);

  it('a limit match gives both outcomes: accepted if it matches, rejected otherwise', () => {
    const host = compileHost([limited]);
    const r = evaluateHook(host, 'input', pkt({ oif: undefined, dst: '192.168.10.1', dport: 22 }));
    expect(r.outcome.kind).toBe('conditional');
    expect(r.summary).toBe('accepted if filter INPUT rule 1 (-m limit --limit 3/min) matches, rejected (icmp-port-unreachable) otherwise');
    expect(hookVerdict(host, 'input', compilePacket(host, pkt({ oif: undefined, dst: '192.168.10.1', dport: 22 })))).toBe(R_NEED);
  });

  it('an unknown match in a rule whose known matches already fail does not branch', () => {
    const host = compileHost([limited]);
    const r = evaluateHook(host, 'input', pkt({ oif: undefined, dst: '192.168.10.1', dport: 80 }));
    expect(leafOf(r.outcome).verdict.kind).toBe('reject');
    expect(hookVerdict(host, 'input', compilePacket(host, pkt({ oif: undefined, dport: 80 })))).toBe(R_REJECT);
  });

  it('a LOG with limit changes nothing either way, so the outcome collapses', () => {
    const host = compileHost([ipt(`
      *filter
      :FORWARD ACCEPT [0:0]
      -A FORWARD -m limit --limit 5/min -j LOG --log-prefix "x "
      COMMIT`)]);
    expect(evaluateHook(host, 'forward', pkt()).outcome.kind).toBe('final');
  });

  it('an ipset without known contents is an unknown; with contents it decides', () => {
    const rs = ipt(`
      *filter
      :FORWARD ACCEPT [0:0]
      -A FORWARD -m set --match-set blocked dst -j DROP
      COMMIT`);
    expect(evaluateHook(compileHost([rs]), 'forward', pkt()).outcome.kind).toBe('conditional');
    const known = compileHost([rs], { context: { sets: { blocked: ['192.168.90.0/24'] } } });
    expect(leafOf(evaluateHook(known, 'forward', pkt()).outcome).verdict.kind).toBe('drop');
  });

  it('caps the fan-out with a clear note', () => {
    const lines = Array.from({ length: 8 }, (_, i) => `-A FORWARD -m statistic --mode random --probability 0.5 -j MARK --set-xmark 0x${i + 1}/0xffffffff`);
    const host = compileHost([ipt(`*filter\n:FORWARD ACCEPT [0:0]\n${lines.join('\n')}\nCOMMIT`)]);
    const r = evaluateHook(host, 'forward', pkt(), { maxLeaves: 8 });
    const leaves = outcomeLeaves(r.outcome);
    expect(leaves.length).toBe(8);
    expect(leaves.some((l) => l.kind === 'capped' && l.reason.startsWith('more than 8 outcomes'))).toBe(true);
  });
});

describe('trace', () => {
  it('lists every visited rule with the first failing match and why', () => {
    const host = compileHost([parseIptablesSave(readFileSync(`${LIBVIRT_FIXTURES}/v9-iptables/isolated-single/ruleset.txt`, 'utf8')).ruleset]);
    const r = evaluateHook(host, 'forward', pkt({ iif: 'virbr3', oif: 'eth1' }), { trace: true });
    const leaf = leafOf(r.outcome);
    expect(leaf.verdict).toMatchObject({ kind: 'reject', with: { kind: 'icmp', code: 3 } });
    expect(leaf.decidedBy?.text).toBe('-A LIBVIRT_FWO -i virbr3 -j REJECT --reject-with icmp-port-unreachable');
    const rules = leaf.trace!.filter((e) => e.kind === 'rule');
    const cross = rules.find((e) => e.kind === 'rule' && e.ref.chain === 'LIBVIRT_FWX');
    expect(cross).toMatchObject({ result: 'no-match', failed: { match: '-o virbr3', why: 'packet goes out on eth1' } });
    // From another interface the input-side REJECT does not match: "-i virbr3: packet came in on eth1".
    const back = evaluateHook(host, 'forward', pkt({ iif: 'eth1', oif: 'eth0' }), { trace: true });
    const fwo = leafOf(back.outcome).trace!.find((e) => e.kind === 'rule' && e.ref.chain === 'LIBVIRT_FWO');
    expect(fwo).toMatchObject({ failed: { match: '-i virbr3', why: 'packet came in on eth1' } });
  });
});

describe('fast verdicts', () => {
  it('hookVerdict agrees with evaluateHook', () => {
    const host = compileHost([parseIptablesSave(readFileSync(`${LIBVIRT_FIXTURES}/v9-iptables/nat-single/ruleset.txt`, 'utf8')).ruleset]);
    const out = pkt({ dport: 443 });
    const back = pkt({ iif: 'eth1', oif: 'virbr3', src: '192.168.90.1', dst: '192.168.10.50', sport: 443, dport: 40000, ctState: 'ESTABLISHED' });
    const unsolicited = { ...back, ctState: 'NEW' as const };
    expect(hookVerdict(host, 'forward', compilePacket(host, out))).toBe(R_ACCEPT);
    expect(hookVerdict(host, 'forward', compilePacket(host, back))).toBe(R_ACCEPT);
    expect(hookVerdict(host, 'forward', compilePacket(host, unsolicited))).toBe(R_REJECT);
    expect(leafOf(evaluateHook(host, 'forward', unsolicited).outcome).decidedBy?.chain).toBe('LIBVIRT_FWI');
    expect(R_DROP).not.toBe(R_REJECT);
  });
});
