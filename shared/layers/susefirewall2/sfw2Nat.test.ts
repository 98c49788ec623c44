// FW_FORWARD_MASQ, FW_REDIRECT, FW_IPSEC_TRUST and FW_ALLOW_INCOMING_HIGHPORTS_*:
// config reading and the commands compared with the script's
// forward_masquerading_rules, redirect_rules, parse_ipsec/allow_ipsec and
// warn_highports (openSUSE/susefirewall2 @ 0033047, in iptables-save form).

import { describe, expect, it } from 'vitest';
import type { LayerAction } from '../layerActions.ts';
import { parseSfw2Config } from './sfw2Config.ts';
import { sfw2StartActions, type Sfw2Environment } from './sfw2Actions.ts';

// The libvirt host: eth1 external, the guest network's bridge virbr0 in int.
const BASE = 'FW_DEV_EXT="eth1"\nFW_DEV_INT="virbr0"\nFW_ROUTE="yes"\nFW_MASQUERADE="yes"\n';
const ENV: Sfw2Environment = { version: '3.6.378', interfaces: ['eth1', 'lo', 'virbr0'], bridges: ['virbr0'], tables: { ipv4: ['filter', 'nat'], ipv6: ['filter'] }, libvirtdActive: false };

const start = (extra: string): LayerAction[] => sfw2StartActions(parseSfw2Config(BASE + extra).config, ENV);
const ipv4 = (a: LayerAction[]): string[] => a.flatMap((x) => (x.kind === 'iptables' && x.family === 'ipv4' ? [x.args] : []));
const ipv6 = (a: LayerAction[]): string[] => a.flatMap((x) => (x.kind === 'iptables' && x.family === 'ipv6' ? [x.args] : []));
const notes = (a: LayerAction[]): string[] => a.flatMap((x) => (x.kind === 'note' ? [x.text] : []));

describe('FW_FORWARD_MASQ (forward_masquerading_rules)', () => {
  it('forwards port 80 of the external interface to the guest: DNAT on each FW_MASQ_DEV device, accepts in every forward chain', () => {
    const a = start('FW_FORWARD_MASQ="0/0,192.168.122.10,tcp,80"\n');
    const l = ipv4(a);
    expect(l).toContain('-t nat -A PREROUTING -i eth1 -p tcp -m tcp --dport 80 -j DNAT --to-destination 192.168.122.10:80');
    for (const z of ['ext', 'int']) {
      const i = l.indexOf(`-A forward_${z} -d 192.168.122.10/32 -p tcp -m tcp --dport 80 -j ACCEPT`);
      expect(i).toBeGreaterThan(-1);
      expect(l[i + 1]).toBe(`-A forward_${z} -s 192.168.122.10/32 -p tcp -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`);
      // After the FW_MASQ_NETS accepts, before drop_all.
      expect(i).toBeLessThan(l.indexOf(`-A forward_${z} -m comment --comment "sfw2.insert.pos" -m pkttype ! --pkt-type unicast -j DROP`));
    }
    // FW_MASQ_NETS is the default 0/0: no extra MASQUERADE.
    expect(l.some((x) => x.includes('-d 192.168.122.10/32 -o'))).toBe(false);
    expect(ipv6(a).some((x) => x.includes('192.168.122.10'))).toBe(false);
    const dnat = a.find((x) => x.kind === 'iptables' && x.args.includes('DNAT'));
    expect(dnat?.kind === 'iptables' && dnat.provenance.reason).toBe('FW_FORWARD_MASQ entry 1: 0/0,192.168.122.10,tcp,80: tcp port 80 arriving on eth1 is forwarded to 192.168.122.10:80');
  });

  it('another port on the guest, only for one local address, and a MASQUERADE back when FW_MASQ_NETS is not 0/0', () => {
    const l = ipv4(start('FW_MASQ_NETS="192.168.122.0/24"\nFW_FORWARD_MASQ="203.0.113.0/24,192.168.122.10,tcp,8080,80,192.168.90.10"\n'));
    expect(l).toContain('-t nat -A PREROUTING -s 203.0.113.0/24 -d 192.168.90.10/32 -i eth1 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 192.168.122.10:80');
    expect(l).toContain('-t nat -A POSTROUTING -s 203.0.113.0/24 -d 192.168.122.10/32 -o eth1 -p tcp -m tcp --dport 80 -j MASQUERADE');
    expect(l).toContain('-A forward_ext -s 203.0.113.0/24 -d 192.168.122.10/32 -p tcp -m tcp --dport 80 -j ACCEPT');
    expect(l).toContain('-A forward_ext -s 192.168.122.10/32 -d 203.0.113.0/24 -p tcp -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT');
  });

  it('a port range keeps `:` for --dport and becomes `-` in --to-destination', () => {
    expect(ipv4(start('FW_FORWARD_MASQ="0/0,192.168.122.10,udp,6000:6010"\n'))).toContain('-t nat -A PREROUTING -i eth1 -p udp -m udp --dport 6000:6010 -j DNAT --to-destination 192.168.122.10:6000-6010');
  });

  it('needs FW_MASQUERADE=yes and FW_ROUTE=yes (verify_parameters), saying so', () => {
    const off = start('FW_MASQUERADE="no"\nFW_FORWARD_MASQ="0/0,192.168.122.10,tcp,80"\n');
    expect(ipv4(off).some((x) => x.includes('DNAT'))).toBe(false);
    expect(notes(off)).toContain('FW_FORWARD_MASQ needs FW_MASQUERADE set to yes to work! (no port forwarding rule generated)');
    const noRoute = start('FW_ROUTE="no"\nFW_FORWARD_MASQ="0/0,192.168.122.10,tcp,80"\n');
    expect(ipv4(noRoute).some((x) => x.includes('DNAT'))).toBe(false);
  });

  it('reports bad entries at their field', () => {
    const { problems, config } = parseSfw2Config('FW_FORWARD_MASQ="0/0,192.168.122.0/24,tcp,80 0/0,192.168.122.10,icmp,8 0/0,192.168.122.10,tcp 0/0,192.168.122.10,tcp,http"\n');
    expect(config.forwardMasq).toEqual([]);
    expect(problems.map((p) => `${p.line}:${p.column} ${p.message}`)).toEqual([
      '1:22 FW_FORWARD_MASQ entry 1 (0/0,192.168.122.0/24,tcp,80): target must be a single host (no network, no empty field)',
      "1:65 FW_FORWARD_MASQ entry 2 (0/0,192.168.122.10,icmp,8): the protocol must be tcp or udp, not 'icmp'",
      '1:95 FW_FORWARD_MASQ entry 3 (0/0,192.168.122.10,tcp): port missing',
      "1:118 FW_FORWARD_MASQ entry 4 (0/0,192.168.122.10,tcp,http): 'http' is not a port number or range",
    ]);
  });
});

describe('FW_REDIRECT (redirect_rules)', () => {
  it('transparent proxy: mark in mangle, REDIRECT in nat, every input zone accepts marked packets', () => {
    const a = start('FW_REDIRECT="192.168.122.0/24,0/0,tcp,80,3128 0/0,!192.168.90.0/24,tcp,443"\n');
    const l = ipv4(a);
    expect(l).toEqual(
      expect.arrayContaining([
        '-t mangle -A PREROUTING -s 192.168.122.0/24 -p tcp -m tcp --dport 80 -j MARK --set-xmark 0x1/0xffffffff',
        '-t nat -A PREROUTING -s 192.168.122.0/24 -p tcp -m tcp --dport 80 -j REDIRECT --to-ports 3128',
        '-t mangle -A PREROUTING ! -d 192.168.90.0/24 -p tcp -m tcp --dport 443 -j MARK --set-xmark 0x1/0xffffffff',
        '-t nat -A PREROUTING ! -d 192.168.90.0/24 -p tcp -m tcp --dport 443 -j REDIRECT',
        '-A input_ext -m conntrack --ctstate NEW,RELATED,ESTABLISHED -m mark --mark 0x1 -j ACCEPT',
      ]),
    );
    // int is FW_PROTECT_FROM_INT=no by default (accepts everything already): no rule there.
    expect(l).not.toContain('-A input_int -m conntrack --ctstate NEW,RELATED,ESTABLISHED -m mark --mark 0x1 -j ACCEPT');
    expect(ipv6(a).some((x) => x.includes('mark'))).toBe(false);
  });

  it('works without FW_ROUTE and reports bad entries', () => {
    expect(ipv4(start('FW_ROUTE="no"\nFW_REDIRECT="10.0.0.0/8,0/0,tcp,80,3128"\n'))).toContain('-t nat -A PREROUTING -s 10.0.0.0/8 -p tcp -m tcp --dport 80 -j REDIRECT --to-ports 3128');
    const { problems } = parseSfw2Config('FW_REDIRECT="10.0.0.0/8,0/0,icmp 10.0.0.0/8,0/0"\n');
    expect(problems.map((p) => `${p.line}:${p.column} ${p.message}`)).toEqual([
      "1:29 FW_REDIRECT entry 1 (10.0.0.0/8,0/0,icmp): FW_REDIRECT supports only tcp and udp, not 'icmp'",
      '1:34 FW_REDIRECT entry 2 (10.0.0.0/8,0/0): missing parameter: <source net>,<destination net>,<tcp|udp> needed',
    ]);
  });
});

describe('FW_IPSEC_TRUST (parse_ipsec, allow_ipsec)', () => {
  it('yes means int: IPsec packets jump to input_int/forward_int before the interface dispatch', () => {
    const l = ipv4(start('FW_IPSEC_TRUST="yes"\n'));
    const i = l.indexOf('-A INPUT -m policy --dir in --pol ipsec --proto esp -j input_int');
    expect(i).toBeGreaterThan(-1);
    expect(l).toContain('-A FORWARD -m policy --dir in --pol ipsec --proto esp -j forward_int');
    expect(l).toContain('-A FORWARD -m policy --dir out --pol ipsec --proto esp -j forward_int');
    expect(l.indexOf('-A INPUT -i virbr0 -j input_int')).toBeGreaterThan(i);
  });

  it('a zone without interfaces is kept for it (remove_unused_zones); an unknown zone is a warning and no rule', () => {
    expect(ipv4(start('FW_IPSEC_TRUST="dmz"\n'))).toEqual(expect.arrayContaining(['-N input_dmz', '-A INPUT -m policy --dir in --pol ipsec --proto esp -j input_dmz', '-A input_dmz -j DROP']));
    const bad = parseSfw2Config(`${BASE}FW_IPSEC_TRUST="vpn"\n`);
    expect(bad.problems.map((p) => p.message)).toEqual(['FW_IPSEC_TRUST: vpn is no valid zone (yes, no or a zone name); IPsec packets stay in the zone of their interface']);
    expect(ipv4(sfw2StartActions(bad.config, ENV)).some((x) => x.includes('policy'))).toBe(false);
  });
});

describe('FW_ALLOW_INCOMING_HIGHPORTS_* (warn_highports)', () => {
  it('is obsolete in 3.x: a warning, no rule', () => {
    const a = start('FW_ALLOW_INCOMING_HIGHPORTS_TCP="yes"\n');
    expect(notes(a)).toContain('SuSEfirewall2: FW_ALLOW_INCOMING_HIGHPORTS_TCP is obsolete, ignored (no rule is generated for "yes")');
    expect(ipv4(a)).toEqual(ipv4(start('')));
  });
});

describe('FW_FORWARD flags virtwall does not generate', () => {
  it('ipsec and zoneout= are reported, not silently dropped', () => {
    const a = start('FW_FORWARD="192.168.90.0/24,192.168.122.0/24,tcp,22,ipsec 192.168.122.0/24,0/0,,,zoneout=ext"\n');
    expect(notes(a)).toEqual(
      expect.arrayContaining([
        'FW_FORWARD entry 1 (192.168.90.0/24,192.168.122.0/24,tcp,22,ipsec): flag ipsec is not modelled by virtwall; the rule is simulated without it (it matches more than the real one)',
        'FW_FORWARD entry 2 (192.168.122.0/24,0/0,,,zoneout=ext): flag zoneout=ext is not modelled by virtwall; the rule is simulated without it (it matches more than the real one)',
      ]),
    );
  });
});
