import { describe, expect, it } from 'vitest';
import { parseNft } from '../nft/parseNft.ts';
import type { Ruleset } from '../model.ts';
import { compileHost } from './compileHost.ts';
import { evaluateHook } from './evaluateHook.ts';
import { ipt, pkt } from './evalTestkit.testkit.ts';
import type { EvalContext, Hook, Packet } from './packet.ts';

function filterFwd(rules: string[], policy = 'ACCEPT'): string {
  return `*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ${policy} [0:0]\n:OUTPUT ACCEPT [0:0]\n${rules.join('\n')}\nCOMMIT\n`;
}

function verdict(rulesets: Ruleset[], hook: Hook, packet: Packet, context?: EvalContext): string {
  const o = evaluateHook(compileHost(rulesets, context ? { context } : {}), hook, packet).outcome;
  if (o.kind !== 'final') return o.kind;
  return o.verdict.kind === 'reject' && o.verdict.with.kind === 'icmp' ? `reject ${o.verdict.with.code}` : o.verdict.kind;
}

describe('iptables matches', () => {
  it('multiport (with !), port ranges, --syn and --tcp-flags', () => {
    const rs = [ipt(filterFwd([
      '-A FORWARD -p tcp -m multiport ! --dports 22,80:90 -j DROP',
      '-A FORWARD -p tcp -m tcp --sport 1024:65535 -m tcp --syn -j ACCEPT',
      '-A FORWARD -p tcp -m tcp --tcp-flags SYN,ACK ACK -j REJECT --reject-with icmp-net-prohibited',
    ], 'DROP'))];
    expect(verdict(rs, 'forward', pkt({ dport: 443 }))).toBe('drop');
    expect(verdict(rs, 'forward', pkt({ dport: 85 }))).toBe('accept');
    expect(verdict(rs, 'forward', pkt({ dport: 22, ctState: 'ESTABLISHED' }))).toBe('reject 9');
    expect(verdict(rs, 'forward', pkt({ dport: 22, sport: 80 }))).toBe('drop');
  });

  it('icmp types by name and number; iprange; ! -s', () => {
    const rs = [ipt(filterFwd([
      '-A FORWARD -p icmp -m icmp --icmp-type echo-request -m iprange --src-range 192.168.10.40-192.168.10.60 -j ACCEPT',
      '-A FORWARD -p icmp -m icmp --icmp-type 0 -j ACCEPT',
      '-A FORWARD ! -s 192.168.10.0/24 -j ACCEPT',
    ], 'DROP'))];
    const ping = { proto: 'icmp', sport: undefined, dport: undefined } as const;
    expect(verdict(rs, 'forward', pkt(ping))).toBe('accept');
    expect(verdict(rs, 'forward', pkt({ ...ping, src: '192.168.10.61' }))).toBe('drop');
    expect(verdict(rs, 'forward', pkt({ ...ping, src: '192.168.10.61', icmpType: 0 }))).toBe('accept');
    expect(verdict(rs, 'forward', pkt({ src: '10.0.0.1' }))).toBe('accept');
  });

  it('addrtype uses the host addresses (unknown without them); pkttype is unknown unless given', () => {
    const rs = [ipt(filterFwd(['-A INPUT -m addrtype --dst-type LOCAL -j DROP', '-A INPUT -m pkttype --pkt-type broadcast -j REJECT']))];
    const toHost = pkt({ oif: undefined, dst: '192.168.10.1' });
    expect(verdict(rs, 'input', toHost)).toBe('conditional');
    const context = { interfaces: [{ name: 'virbr3', addresses: ['192.168.10.1/24'] }] };
    expect(verdict(rs, 'input', toHost, context)).toBe('drop');
    expect(verdict(rs, 'input', { ...toHost, dst: '192.168.10.255', pktType: 'broadcast' }, context)).toBe('reject 3');
    expect(verdict(rs, 'input', { ...toHost, dst: '192.168.10.255' }, context)).toBe('conditional');
  });

  it('physdev: --physdev-is-bridged only for bridged packets; without bridge info only negations match', () => {
    const rs = [ipt(filterFwd(['-A FORWARD -m physdev --physdev-is-bridged -j ACCEPT', '-A FORWARD -m physdev ! --physdev-in vnet0 -j REJECT'], 'DROP'))];
    expect(verdict(rs, 'forward', pkt({ bridged: true, oif: 'virbr3', physIn: 'vnet0', physOut: 'vnet1' }))).toBe('accept');
    expect(verdict(rs, 'forward', pkt({ physIn: 'vnet0' }))).toBe('drop');
    expect(verdict(rs, 'forward', pkt({ physIn: 'vnet5' }))).toBe('reject 3');
    expect(verdict(rs, 'forward', pkt())).toBe('reject 3');
  });

  it('CT --notrack in raw: later chains see UNTRACKED, nat is skipped', () => {
    const rs = [ipt(`*raw\n:PREROUTING ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n-A PREROUTING -p udp -j CT --notrack\nCOMMIT\n*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n-A PREROUTING -p udp -j DNAT --to-destination 10.0.0.9\nCOMMIT\n*mangle\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n-A PREROUTING -m conntrack --ctstate UNTRACKED -j MARK --set-xmark 0x5/0xffffffff\nCOMMIT\n`)];
    const o = evaluateHook(compileHost(rs), 'prerouting', pkt({ proto: 'udp', dport: 53 })).outcome;
    expect(o.kind === 'final' && [o.untracked, o.mark, o.nat]).toEqual([true, 5, null]);
    const tcp = evaluateHook(compileHost(rs), 'prerouting', pkt()).outcome;
    expect(tcp.kind === 'final' && [tcp.untracked, tcp.mark]).toEqual([false, 0]);
  });

  it('CONNMARK --save-mark / --restore-mark carry the mark through the connection', () => {
    const rs = [ipt(`*mangle\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n-A PREROUTING -j CONNMARK --restore-mark --nfmask 0xffffffff --ctmask 0xffffffff\n-A PREROUTING -i virbr3 -j MARK --set-xmark 0x3/0xffffffff\n-A PREROUTING -j CONNMARK --save-mark --nfmask 0xffffffff --ctmask 0xffffffff\nCOMMIT\n`)];
    const o = evaluateHook(compileHost(rs), 'prerouting', pkt()).outcome;
    expect(o.kind === 'final' && [o.mark, o.connmark]).toEqual([3, 3]);
    const reply = evaluateHook(compileHost(rs), 'prerouting', pkt({ iif: 'eth1', ctState: 'ESTABLISHED', connmark: 3 })).outcome;
    expect(reply.kind === 'final' && reply.mark).toBe(3);
  });

  it('owner: decided for local packets with a uid, unknown otherwise; unknown modules are unknowns', () => {
    const rs = [ipt(filterFwd(['-A OUTPUT -m owner --uid-owner 1000 -j REJECT', '-A FORWARD -m string --algo bm --string x -j DROP']))];
    const out = pkt({ iif: undefined, src: '192.168.90.10' });
    expect(verdict(rs, 'output', { ...out, uid: 1000 })).toBe('reject 3');
    expect(verdict(rs, 'output', { ...out, uid: 0 })).toBe('accept');
    expect(verdict(rs, 'output', out)).toBe('conditional');
    expect(verdict(rs, 'forward', pkt())).toBe('conditional');
  });

  it('bridged packets: bridge-family chains and (with br_netfilter) the IP hooks; without br_netfilter only the bridge ones', () => {
    const bridge = parseNft('table bridge b {\n\tchain forward {\n\t\ttype filter hook forward priority -200; policy accept;\n\t\tiifname "vnet0" oifname "vnet1" drop\n\t}\n}\n').ruleset;
    const ip = ipt(filterFwd(['-A FORWARD -i virbr3 -o virbr3 -j REJECT']));
    const b = pkt({ bridged: true, oif: 'virbr3', physIn: 'vnet0', physOut: 'vnet1' });
    // The bridge chain sees the ports: vnet0 → vnet1 is dropped there.
    expect(verdict([bridge, ip], 'forward', b)).toBe('drop');
    const other = { ...b, physIn: 'vnet2' };
    expect(verdict([bridge, ip], 'forward', other)).toBe('reject 3');
    expect(verdict([bridge, ip], 'forward', other, { brNetfilter: false })).toBe('accept');
    expect(verdict([bridge, ip], 'forward', pkt())).toBe('accept');
  });
});
