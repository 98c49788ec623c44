// One test per SuSEfirewall2 variable whose effect firewall-layers.md §1
// (items 5–16, from the SuSEfirewall2 script) states and the story's config
// does not exercise: each compares a start with and without the variable.

import { describe, expect, it } from 'vitest';
import type { LayerAction } from '../layerActions.ts';
import { parseSfw2Config } from './sfw2Config.ts';
import { sfw2StartActions, type Sfw2Environment } from './sfw2Actions.ts';

const BASE = 'FW_DEV_EXT="eth1"\nFW_DEV_INT="eth0"\nFW_ROUTE="yes"\nFW_FORWARD="192.168.10.0/24,192.168.90.0/24"\n';
const env = (over: Partial<Sfw2Environment> = {}): Sfw2Environment => ({
  version: '3.6.378',
  interfaces: ['eth0', 'eth1', 'lo', 'virbr3'],
  bridges: ['virbr3'],
  tables: { ipv4: ['filter', 'nat', 'raw'], ipv6: ['filter'] },
  libvirtdActive: false,
  ...over,
});

/** IPv4 iptables arguments and sysctl writes of a start, in order. */
function start(extra: string, e = env()): string[] {
  const actions: LayerAction[] = sfw2StartActions(parseSfw2Config(BASE + extra).config, e);
  return actions.flatMap((a) => (a.kind === 'iptables' && a.family === 'ipv4' ? [a.args] : a.kind === 'sysctl' ? [`sysctl ${a.key}=${a.value}`] : []));
}

const BRIDGED = '-A FORWARD -m physdev --physdev-is-bridged -j ACCEPT';

describe('SuSEfirewall2 variables (firewall-layers.md §1)', () => {
  it('FW_FORWARD_ALLOW_BRIDGING: yes always, no never, empty only when a bridge exists', () => {
    expect(start('FW_FORWARD_ALLOW_BRIDGING="yes"\n', env({ bridges: [] }))).toContain(BRIDGED);
    expect(start('FW_FORWARD_ALLOW_BRIDGING="no"\n')).not.toContain(BRIDGED);
    expect(start('')).toContain(BRIDGED);
    expect(start('', env({ bridges: [], interfaces: ['eth0', 'eth1', 'lo'] }))).not.toContain(BRIDGED);
  });

  it('FW_KERNEL_SECURITY=no leaves rp_filter and log_martians alone (ip_forward is still forced on)', () => {
    const secure = start('');
    expect(secure).toContain('sysctl net.ipv4.conf.virbr3.rp_filter=1');
    const off = start('FW_KERNEL_SECURITY="no"\n');
    expect(off.filter((l) => /rp_filter|log_martians/.test(l))).toEqual([]);
    expect(off).toContain('sysctl net.ipv4.ip_forward=1');
  });

  it('FW_ZONE_DEFAULT=no: an autodetected interface gets no zone and INPUT has no catch-all', () => {
    expect(start('')).toEqual(expect.arrayContaining(['-A FORWARD -i virbr3 -j forward_ext', '-A INPUT -j input_ext']));
    const none = start('FW_ZONE_DEFAULT="no"\n');
    expect(none.filter((l) => l.includes('virbr3') && l.includes('-j '))).toEqual([]);
    expect(none).not.toContain('-A INPUT -j input_ext');
  });

  it('FW_AUTODETECT_INTERFACES=no: only the FW_DEV_* interfaces are dispatched', () => {
    const manual = start('FW_AUTODETECT_INTERFACES="no"\n');
    expect(manual).toContain('-A FORWARD -i eth1 -j forward_ext');
    expect(manual).not.toContain('-A FORWARD -i virbr3 -j forward_ext');
  });

  it('FW_ALLOW_PING_EXT=yes: NEW echo-requests out of the ext devices from the other zones, echo-replies back', () => {
    const ping = start('FW_ALLOW_PING_EXT="yes"\n');
    expect(ping).toEqual(
      expect.arrayContaining([
        '-A forward_int -o eth1 -p icmp -m conntrack --ctstate NEW -m icmp --icmp-type 8 -j ACCEPT',
        '-A forward_int -o virbr3 -p icmp -m conntrack --ctstate NEW -m icmp --icmp-type 8 -j ACCEPT',
        '-A forward_ext -p icmp -m conntrack --ctstate ESTABLISHED -m icmp --icmp-type 0 -j ACCEPT',
      ]),
    );
    expect(start('').some((l) => l.includes('--icmp-type 8'))).toBe(false);
  });

  it('FW_FORWARD_DROP and FW_FORWARD_REJECT use FW_FORWARD\'s syntax and come before it in each forward chain (DROP, REJECT, ACCEPT)', () => {
    const l = start('FW_FORWARD_REJECT="192.168.10.0/24,192.168.90.5"\nFW_FORWARD_DROP="192.168.10.0/24,192.168.90.6"\n');
    const at = (rule: string) => l.indexOf(rule);
    const drop = at('-A forward_ext -s 192.168.10.0/24 -d 192.168.90.6 -m conntrack --ctstate NEW,RELATED,ESTABLISHED -j DROP');
    const reject = at('-A forward_ext -s 192.168.10.0/24 -d 192.168.90.5 -m conntrack --ctstate NEW,RELATED,ESTABLISHED -j REJECT --reject-with icmp-port-unreachable');
    const accept = at('-A forward_ext -s 192.168.10.0/24 -d 192.168.90.0/24 -m conntrack --ctstate NEW,RELATED,ESTABLISHED -j ACCEPT');
    expect(drop).toBeGreaterThan(-1);
    expect(reject).toBeGreaterThan(drop);
    expect(accept).toBeGreaterThan(reject);
  });

  it('FW_NOMASQ_NETS: nat POSTROUTING ACCEPT exemptions before the MASQUERADE of each masquerading device', () => {
    const l = start('FW_MASQUERADE="yes"\nFW_NOMASQ_NETS="192.168.10.0/24,192.168.90.0/24"\n');
    const exempt = l.indexOf('-t nat -A POSTROUTING -s 192.168.10.0/24 -d 192.168.90.0/24 -o eth1 -j ACCEPT');
    const masq = l.indexOf('-t nat -A POSTROUTING -o eth1 -j MASQUERADE');
    expect(exempt).toBeGreaterThan(-1);
    expect(masq).toBeGreaterThan(exempt);
  });

  it('FW_PROTECT_FROM_INT: no → input_int accepts everything; yes → input_int is a normal zone; notrack → raw NOTRACK + INPUT/OUTPUT ACCEPT for int devices', () => {
    expect(start('FW_PROTECT_FROM_INT="no"\n')).toContain('-A input_int -j ACCEPT');
    const yes = start('FW_PROTECT_FROM_INT="yes"\n');
    expect(yes).not.toContain('-A input_int -j ACCEPT');
    expect(yes).toContain('-A input_int -j reject_func');
    const notrack = start('FW_PROTECT_FROM_INT="notrack"\n');
    expect(notrack).toEqual(expect.arrayContaining(['-t raw -I PREROUTING -i eth0 -j CT --notrack', '-t raw -I OUTPUT -o eth0 -j CT --notrack', '-I INPUT -i eth0 -j ACCEPT', '-I OUTPUT -o eth0 -j ACCEPT']));
  });
});
