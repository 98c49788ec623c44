// FW_SERVICES_ACCEPT_/DROP_/REJECT_/ACCEPT_RELATED_<ZONE>, FW_LEGACY_ACCEPT_FIRST
// and FW_CONFIGURATIONS_<ZONE>: config reading (errors at the entry's field)
// and the input_<zone> rules compared with what the script's accept_services,
// reject_or_drop_services, allow_related and parse_configurations emit
// (openSUSE/susefirewall2 @ 0033047, rewritten in iptables-save form).

import { describe, expect, it } from 'vitest';
import type { Family } from '../../netfilter/model.ts';
import type { LayerAction } from '../layerActions.ts';
import { parseSfw2Config } from './sfw2Config.ts';
import { serviceFileLookup } from './sfw2Configurations.ts';
import { sfw2StartActions, type Sfw2Environment } from './sfw2Actions.ts';

const BASE = 'FW_DEV_EXT="eth1"\nFW_DEV_INT="eth0"\nFW_PROTECT_FROM_INT="yes"\nFW_ROUTE="yes"\n';
const ENV: Sfw2Environment = { version: '3.6.378', interfaces: ['eth0', 'eth1', 'lo'], bridges: [], tables: { ipv4: ['filter', 'nat'], ipv6: ['filter'] }, libvirtdActive: false };

function start(extra: string, files: Record<string, string> = {}): LayerAction[] {
  return sfw2StartActions(parseSfw2Config(BASE + extra, undefined, { serviceFile: serviceFileLookup(files) }).config, ENV);
}
const lines = (actions: LayerAction[], family: Family = 'ipv4'): string[] => actions.flatMap((a) => (a.kind === 'iptables' && a.family === family ? [a.args] : []));
const chain = (actions: LayerAction[], name: string, family: Family = 'ipv4'): string[] => lines(actions, family).filter((l) => l.startsWith(`-A ${name} `));
const reasonOf = (actions: LayerAction[], args: string): string | undefined => {
  const a = actions.find((x) => x.kind === 'iptables' && x.args === args);
  return a?.kind === 'iptables' ? a.provenance.reason : undefined;
};

describe('FW_SERVICES_ACCEPT_<ZONE> (accept_services)', () => {
  it('the sysconfig example with a rate limit: recent --update DROP, recent --set ACCEPT, then the plain ACCEPT — both families for 0/0', () => {
    const a = start('FW_SERVICES_ACCEPT_EXT="0/0,tcp,22,,hitcount=3,blockseconds=60,recentname=ssh"\n');
    const ext = chain(a, 'input_ext');
    const i = ext.indexOf('-A input_ext -p tcp -m tcp --dport 22 -m conntrack --ctstate NEW -m recent --update --seconds 60 --hitcount 3 --rttl --name ssh --mask 255.255.255.255 --rsource -j DROP');
    expect(i).toBeGreaterThan(-1);
    // FW_LOG_DROP_CRIT defaults to yes: the rcheck LOG comes first; then DROP, remember, accept.
    expect(ext.slice(i - 1, i + 3)).toEqual([
      '-A input_ext -p tcp -m limit --limit 3/min -m tcp --dport 22 -m conntrack --ctstate NEW -m recent --rcheck --seconds 60 --hitcount 3 --name ssh --mask 255.255.255.255 --rsource -j LOG --log-prefix "SFW2-INext-DROPr " --log-tcp-options --log-ip-options',
      '-A input_ext -p tcp -m tcp --dport 22 -m conntrack --ctstate NEW -m recent --update --seconds 60 --hitcount 3 --rttl --name ssh --mask 255.255.255.255 --rsource -j DROP',
      '-A input_ext -p tcp -m tcp --dport 22 -m conntrack --ctstate NEW -m recent --set --name ssh --mask 255.255.255.255 --rsource -j ACCEPT',
      '-A input_ext -p tcp -m tcp --dport 22 -j ACCEPT',
    ]);
    expect(chain(a, 'input_ext', 'ipv6')).toContain('-A input_ext -p tcp -m tcp --dport 22 -m conntrack --ctstate NEW -m recent --update --seconds 60 --hitcount 3 --rttl --name ssh --mask ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff --rsource -j DROP');
    expect(reasonOf(a, '-A input_ext -p tcp -m tcp --dport 22 -j ACCEPT')).toBe('FW_SERVICES_ACCEPT_EXT entry 1: 0/0,tcp,22,,hitcount=3,blockseconds=60,recentname=ssh');
    // Only input_ext: input_int has its own (empty) list.
    expect(chain(a, 'input_int').some((l) => l.includes('--dport 22'))).toBe(false);
  });

  it('an IPv4 source is for iptables only, a source port becomes --sport, FW_REJECT=yes turns the rate-limit DROP into reject_func', () => {
    const a = start('FW_SERVICES_ACCEPT_INT="192.168.10.0/24,udp,53,5353 10.1.2.3,tcp,443,,hitcount=2"\nFW_REJECT="yes"\n');
    expect(chain(a, 'input_int')).toEqual(
      expect.arrayContaining([
        '-A input_int -s 192.168.10.0/24 -p udp -m udp --sport 5353 --dport 53 -j ACCEPT',
        '-A input_int -s 10.1.2.3/32 -p tcp -m tcp --dport 443 -m conntrack --ctstate NEW -m recent --update --hitcount 2 --rttl --name DEFAULT --mask 255.255.255.255 --rsource -j reject_func',
      ]),
    );
    expect(chain(a, 'input_int', 'ipv6').some((l) => l.includes('192.168.10.0'))).toBe(false);
  });

  it('comes after FW_SERVICES_<ZONE>_TCP in the chain (allow_tcp_services runs before accept_services)', () => {
    const ext = chain(start('FW_SERVICES_EXT_TCP="80"\nFW_SERVICES_ACCEPT_EXT="0/0,tcp,22"\n'), 'input_ext');
    expect(ext.indexOf('-A input_ext -p tcp -m tcp --dport 22 -j ACCEPT')).toBeGreaterThan(ext.indexOf('-A input_ext -p tcp -m tcp --dport 80 -j ACCEPT'));
  });

  it('reports a bad entry at its field and skips it like the script', () => {
    const { problems, config } = parseSfw2Config('FW_SERVICES_ACCEPT_EXT="0/0,tcp,22,,hitcount=3,burst=5 0/0,tcp,http 0/0,gre,5 10.0.0.0/33,tcp,1"\n');
    expect(problems.map((p) => `${p.line}:${p.column} ${p.message}`)).toEqual([
      "1:48 FW_SERVICES_ACCEPT_EXT entry 1 (0/0,tcp,22,,hitcount=3,burst=5): unknown parameter 'burst=5' (hitcount=, blockseconds= or recentname=); SuSEfirewall2 skips the entry",
      '1:77 FW_SERVICES_ACCEPT_EXT entry 3 (0/0,gre,5): port is only valid with tcp, udp or icmp',
      "1:79 FW_SERVICES_ACCEPT_EXT entry 4 (10.0.0.0/33,tcp,1): '10.0.0.0/33' is not a network address",
    ]);
    expect(config.serviceRules.ACCEPT.ext.map((r) => [r.entry.index, r.port])).toEqual([[2, '80']]);
  });
});

describe('FW_SERVICES_DROP_/REJECT_<ZONE> (reject_or_drop_services)', () => {
  it('drop and reject NEW packets before every accepting rule of the zone, DROP list first', () => {
    const a = start('FW_SERVICES_EXT_TCP="113 445"\nFW_TRUSTED_NETS="10.0.0.0/8"\nFW_SERVICES_DROP_EXT="0/0,tcp,445"\nFW_SERVICES_REJECT_EXT="0/0,tcp,113"\n');
    const ext = chain(a, 'input_ext');
    const drop = ext.indexOf('-A input_ext -p tcp -m tcp --dport 445 -m conntrack --ctstate NEW -j DROP');
    const reject = ext.indexOf('-A input_ext -p tcp -m tcp --dport 113 -m conntrack --ctstate NEW -j reject_func');
    const trusted = ext.indexOf('-A input_ext -s 10.0.0.0/8 -m conntrack --ctstate NEW,RELATED,ESTABLISHED -j ACCEPT');
    expect(trusted).toBeGreaterThan(-1);
    expect(drop).toBeGreaterThan(trusted); // process_trusted_nets runs first
    expect(reject).toBeGreaterThan(drop);
    expect(ext.indexOf('-A input_ext -p tcp -m tcp --dport 113 -j ACCEPT')).toBeGreaterThan(reject);
    expect(reasonOf(a, '-A input_ext -p tcp -m tcp --dport 113 -m conntrack --ctstate NEW -j reject_func')).toBe('FW_SERVICES_REJECT_EXT entry 1: 0/0,tcp,113 → rejected (reject_func)');
    expect(chain(a, 'input_ext', 'ipv6')).toContain('-A input_ext -p tcp -m tcp --dport 113 -m conntrack --ctstate NEW -j reject_func');
  });

  it('FW_LEGACY_ACCEPT_FIRST=yes moves them after the accepting services', () => {
    const ext = chain(start('FW_SERVICES_EXT_TCP="113"\nFW_SERVICES_REJECT_EXT="0/0,tcp,113"\nFW_LEGACY_ACCEPT_FIRST="yes"\n'), 'input_ext');
    expect(ext.indexOf('-A input_ext -p tcp -m tcp --dport 113 -m conntrack --ctstate NEW -j reject_func')).toBeGreaterThan(ext.indexOf('-A input_ext -p tcp -m tcp --dport 113 -j ACCEPT'));
  });

  it('FW_LOG_DROP_ALL=yes logs each one first; an IPv6 source is for ip6tables only; ICMP types by name', () => {
    const a = start('FW_LOG_DROP_ALL="yes"\nFW_SERVICES_DROP_EXT="2001:db8::/32,udp,4662 192.168.90.0/24,icmp,echo-request"\n');
    expect(chain(a, 'input_ext', 'ipv6').slice(0, 30)).toEqual(
      expect.arrayContaining([
        '-A input_ext -s 2001:db8::/32 -p udp -m udp --dport 4662 -m conntrack --ctstate NEW -m limit --limit 3/min -j LOG --log-prefix "SFW2-INext-DROP " --log-tcp-options --log-ip-options',
        '-A input_ext -s 2001:db8::/32 -p udp -m udp --dport 4662 -m conntrack --ctstate NEW -j DROP',
      ]),
    );
    expect(chain(a, 'input_ext').some((l) => l.includes('2001:db8'))).toBe(false);
    expect(chain(a, 'input_ext')).toContain('-A input_ext -s 192.168.90.0/24 -p icmp -m icmp --icmp-type 8 -m conntrack --ctstate NEW -j DROP');
  });

  it('_rpc_ entries are reported as not modelled, not silently dropped', () => {
    const { problems, config } = parseSfw2Config('FW_SERVICES_DROP_EXT="0/0,_rpc_,mountd"\n');
    expect(config.serviceRules.DROP.ext).toEqual([]);
    expect(problems[0]).toMatchObject({ severity: 'warning', line: 1, column: 23 });
    expect(problems[0].message).toContain('_rpc_ services need the portmapper');
  });
});

describe('FW_SERVICES_ACCEPT_RELATED_<ZONE> (allow_related)', () => {
  it('accepts RELATED packets from the peer port (its port is --sport), before the zone\'s plain services', () => {
    const a = start('FW_SERVICES_EXT_TCP="80"\nFW_SERVICES_ACCEPT_RELATED_EXT="0/0,tcp,21 192.168.90.0/24,udp,53,5353"\n');
    const ext = chain(a, 'input_ext');
    const rel = ext.indexOf('-A input_ext -p tcp -m tcp --sport 21 -m conntrack --ctstate RELATED -j ACCEPT');
    expect(rel).toBeGreaterThan(-1);
    expect(ext.indexOf('-A input_ext -p tcp -m tcp --dport 80 -j ACCEPT')).toBeGreaterThan(rel);
    expect(ext).toContain('-A input_ext -s 192.168.90.0/24 -p udp -m udp --sport 53 --dport 5353 -m conntrack --ctstate RELATED -j ACCEPT');
    expect(chain(a, 'input_ext', 'ipv6')).toContain('-A input_ext -p tcp -m tcp --sport 21 -m conntrack --ctstate RELATED -j ACCEPT');
  });
});

describe('FW_CONFIGURATIONS_<ZONE> (parse_configurations)', () => {
  it('a shipped service file (sshd) opens its ports in the zone, naming the file in the provenance', () => {
    const a = start('FW_CONFIGURATIONS_EXT="sshd dhcp-server"\n');
    expect(chain(a, 'input_ext')).toEqual(expect.arrayContaining(['-A input_ext -p tcp -m tcp --dport 22 -j ACCEPT', '-A input_ext -p udp -m udp --dport 67 -j ACCEPT', '-A input_ext -p udp -m pkttype --pkt-type broadcast -m udp --dport 67 -j ACCEPT']));
    expect(reasonOf(a, '-A input_ext -p tcp -m tcp --dport 22 -j ACCEPT')).toBe('FW_CONFIGURATIONS_EXT entry 1 (sshd, /usr/share/SuSEfirewall2/services/sshd): TCP entry 1: ssh');
  });

  it('the layer\'s own file wins (/etc/sysconfig/SuSEfirewall2.d/services first), RELATED joins FW_SERVICES_ACCEPT_RELATED, a missing one is reported', () => {
    const files = {
      '/etc/sysconfig/SuSEfirewall2.d/services/sshd': 'TCP="2222"\n',
      '/usr/share/SuSEfirewall2/services/vsftpd': '## Name: vsftpd\nTCP="ftp"\nRELATED="0/0,tcp,21"\n',
    };
    const parsed = parseSfw2Config(`${BASE}FW_CONFIGURATIONS_EXT="sshd vsftpd nonesuch"\n`, undefined, { serviceFile: serviceFileLookup(files) });
    const a = sfw2StartActions(parsed.config, ENV);
    const ext = chain(a, 'input_ext');
    expect(ext).toContain('-A input_ext -p tcp -m tcp --dport 2222 -j ACCEPT');
    expect(ext).not.toContain('-A input_ext -p tcp -m tcp --dport 22 -j ACCEPT');
    expect(ext).toContain('-A input_ext -p tcp -m tcp --dport 21 -j ACCEPT');
    expect(ext).toContain('-A input_ext -p tcp -m tcp --sport 21 -m conntrack --ctstate RELATED -j ACCEPT');
    expect(parsed.problems.map((p) => `${p.severity} ${p.line}:${p.column} ${p.message}`)).toEqual([
      "warning 5:36 FW_CONFIGURATIONS_EXT entry 3: config 'nonesuch' not available (no file /etc/sysconfig/SuSEfirewall2.d/services/nonesuch or /usr/share/SuSEfirewall2/services/nonesuch); SuSEfirewall2 skips it",
    ]);
  });

  it('a bad port in a service file is an error at its line and column in that file', () => {
    const parsed = parseSfw2Config('FW_CONFIGURATIONS_DMZ="web"\n', undefined, { serviceFile: serviceFileLookup({ '/usr/share/SuSEfirewall2/services/web': '# web\nTCP="80 huttp"\n' }) });
    expect(parsed.problems).toEqual([{ severity: 'error', file: '/usr/share/SuSEfirewall2/services/web', line: 2, column: 9, message: "TCP entry 2 (huttp): 'huttp' is not a port, port range or service name" }]);
    expect(parsed.config.services.dmz.tcp.map((e) => e.text)).toEqual(['80']);
  });
});
