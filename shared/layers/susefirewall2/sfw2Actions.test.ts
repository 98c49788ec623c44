import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { STORY_SEED } from '../../../test/fixtures/fixturePaths.ts';
import type { LayerAction } from '../layerActions.ts';
import { parseSfw2Config } from './sfw2Config.ts';
import { sfw2InitActions, sfw2StartActions, sfw2StopActions, type Sfw2Environment } from './sfw2Actions.ts';

// The story's host (story.md, seed 000_851bfce64e42312d.txt): eth1 on the LAN
// 192.168.90.0/24, an internal NIC, the libvirt bridge virbr3 with libvirt's
// dummy virbr3-nic and the guest's vnet0, all present when SuSEfirewall2 ran.
const STORY_CONFIG = `# /etc/sysconfig/SuSEfirewall2 (excerpt)
FW_DEV_EXT="eth1"
FW_DEV_INT="eth0"
FW_ROUTE="yes"
FW_FORWARD="192.168.90.0/24,192.168.10.0/24 192.168.10.0/24,192.168.90.0/24"
FW_TRUSTED_NETS="192.168.10.0/24"
FW_ALLOW_FW_BROADCAST_EXT="5353"
FW_LOG_ACCEPT_CRIT="yes"
`;

const env = (over: Partial<Sfw2Environment> = {}): Sfw2Environment => ({
  version: '3.6.312',
  interfaces: ['eth0', 'eth1', 'lo', 'virbr3', 'virbr3-nic', 'vnet0'],
  bridges: ['virbr3'],
  tables: { ipv4: ['filter', 'nat'], ipv6: ['filter'] },
  libvirtdActive: true,
  ...over,
});

const ipv4Lines = (actions: LayerAction[]): string[] =>
  actions.flatMap((a) => (a.kind === 'iptables' && a.family === 'ipv4' && !a.args.startsWith('-t ') ? [a.args] : []));

/** The SuSEfirewall2 rules of the seed's `iptables -S` dump of the routed case (libvirt's rules and `...` lines left out). */
function seedSfw2Rules(): string[] {
  const seed = readFileSync(STORY_SEED, 'utf8');
  const dump = seed.slice(seed.indexOf('rux:/etc/sysconfig # iptables -S'));
  const lines = dump.split('\n').slice(1, dump.split('\n').findIndex((l) => l.startsWith('-A reject_func -j REJECT')) + 1);
  const libvirt = /virbr3 -p (udp|tcp) -m (udp|tcp) --dport (53|67|68)|-o virbr3 -j ACCEPT|-i virbr3 -j ACCEPT|-i virbr3 -o virbr3|REJECT --reject-with icmp-port-unreachable$/;
  return lines.filter((l) => l.startsWith('-A ') && !(libvirt.test(l) && !l.startsWith('-A reject_func'))).filter((l) => !l.includes('192.168.0.0/24'));
}

describe('SuSEfirewall2 start', () => {
  const parsed = parseSfw2Config(STORY_CONFIG);
  const actions = sfw2StartActions(parsed.config, env());
  const lines = ipv4Lines(actions);

  it('reads the story config without problems', () => {
    expect(parsed.problems).toEqual([]);
    expect(parsed.config.forward.map((f) => f.entry.text)).toEqual(['192.168.90.0/24,192.168.10.0/24', '192.168.10.0/24,192.168.90.0/24']);
  });

  it('produces every SuSEfirewall2 rule of the seed dump, in the same order within each chain', () => {
    const expected = seedSfw2Rules();
    expect(expected.length).toBeGreaterThan(40);
    // Apply -A/-I in order, as the kernel would: TCPMSS is inserted at the top of FORWARD last.
    const chains = new Map<string, string[]>();
    for (const l of lines) {
      const [op, chain] = l.split(' ');
      const list = chains.get(chain) ?? [];
      if (op === '-A') list.push(l);
      if (op === '-I') list.unshift(l.replace(/^-I /, '-A '));
      chains.set(chain, list);
    }
    const produced = [...chains.values()].flat();
    const chainOf = (l: string) => l.split(' ')[1];
    for (const chain of new Set(expected.map(chainOf))) {
      const want = expected.filter((l) => chainOf(l) === chain);
      const got = produced.filter((l) => chainOf(l) === chain);
      // Subsequence: the dump elides lines with `...`, so only order and presence are compared.
      let i = 0;
      for (const g of got) if (g === want[i]) i++;
      expect({ chain, missing: want.slice(i) }).toEqual({ chain, missing: [] });
    }
  });

  it('flushes and deletes every loaded table first, then sets DROP policies', () => {
    const first = actions.filter((a) => a.kind === 'iptables' && a.family === 'ipv4').slice(0, 7).map((a) => (a.kind === 'iptables' ? a.args : ''));
    expect(first).toEqual(['-P INPUT DROP', '-P OUTPUT ACCEPT', '-P FORWARD DROP', '-t filter -F', '-t filter -X', '-t nat -F', '-t nat -X']);
  });

  it('names the variable and entry in the provenance of FW_FORWARD rules', () => {
    const a = actions.find((x) => x.kind === 'iptables' && x.args.startsWith('-A forward_ext -s 192.168.10.0/24 -d 192.168.90.0/24 -m conntrack --ctstate NEW'));
    expect(a?.kind === 'iptables' && a.provenance.reason).toBe('FW_FORWARD entry 2: 192.168.10.0/24,192.168.90.0/24');
  });

  it('autodetects the bridge into ext and mangles virbr3-nic into virbr3_nic like the real script', () => {
    expect(lines).toContain('-A FORWARD -i virbr3 -j forward_ext');
    expect(lines).toContain('-A FORWARD -i virbr3_nic -j forward_ext');
    expect(actions.some((a) => a.kind === 'note' && a.text.includes("virbr3-nic is used as 'virbr3_nic'"))).toBe(true);
  });

  it('gives a bridge created after the start no FORWARD jump (scenario S5)', () => {
    const later = ipv4Lines(sfw2StartActions(parsed.config, env({ interfaces: ['eth0', 'eth1', 'lo'], bridges: [] })));
    expect(later.some((l) => l.includes('virbr3'))).toBe(false);
    expect(later).not.toContain('-A FORWARD -m physdev --physdev-is-bridged -j ACCEPT');
    expect(later).toContain('-A FORWARD -i eth1 -j forward_ext');
    expect(later).toContain('-A FORWARD -j DROP');
  });

  it('HUPs libvirtd from 3.6.346 on (and in the Leap 42.3 3.6.312 line), only when libvirtd is active', () => {
    const hup = (v: string, active: boolean, override?: boolean) => sfw2StartActions(parsed.config, env({ version: v, libvirtdActive: active, ...(override === undefined ? {} : { libvirtHup: override }) })).some((a) => a.kind === 'signal-libvirtd');
    expect(hup('3.6.256', true)).toBe(false);
    expect(hup('3.6.312.333', true)).toBe(true);
    expect(hup('3.6.346', true)).toBe(true);
    expect(hup('3.6.378', false)).toBe(false);
    expect(hup('3.6.312', true, false)).toBe(false);
  });

  it('writes rp_filter=1 and log_martians=1 on every interface and forces ip_forward on', () => {
    const sysctls = actions.flatMap((a) => (a.kind === 'sysctl' ? [`${a.key}=${a.value}`] : []));
    expect(sysctls).toContain('net.ipv4.ip_forward=1');
    expect(sysctls).toContain('net.ipv4.conf.all.rp_filter=1');
    expect(sysctls).toContain('net.ipv4.conf.virbr3.rp_filter=1');
    expect(sysctls).toContain('net.ipv4.conf.eth1.log_martians=1');
  });

  it('reports set variables it does not model instead of ignoring them', () => {
    const a = sfw2StartActions(parseSfw2Config(`${STORY_CONFIG}FW_HTB_TUNE_DEV="dsl0,125"\nFW_SERVICES_EXT_RPC="mountd"\nFW_IPSEC_TRUST="no"\n`).config, env());
    const notes = a.flatMap((x) => (x.kind === 'note' ? [x.text] : []));
    expect(notes).toContain('FW_HTB_TUNE_DEV="dsl0,125" is not modelled by virtwall; the rules it would add are missing from this simulation');
    expect(notes).toContain('FW_SERVICES_EXT_RPC="mountd" is not modelled by virtwall; the rules it would add are missing from this simulation');
    expect(notes.some((n) => n.startsWith('FW_IPSEC_TRUST'))).toBe(false);
  });

  it('masquerades with FW_MASQUERADE: NAT rule and forward accepts from the other zones', () => {
    const masq = parseSfw2Config(`${STORY_CONFIG}FW_MASQUERADE="yes"\nFW_MASQ_NETS="192.168.10.0/24"\n`);
    const l = sfw2StartActions(masq.config, env()).flatMap((a) => (a.kind === 'iptables' && a.family === 'ipv4' ? [a.args] : []));
    expect(l).toContain('-t nat -A POSTROUTING -s 192.168.10.0/24 -o eth1 -j MASQUERADE');
    expect(l).toContain('-A forward_int -s 192.168.10.0/24 -i eth0 -o eth1 -m conntrack --ctstate NEW,RELATED,ESTABLISHED -j ACCEPT');
    expect(l).toContain('-A forward_ext -d 192.168.10.0/24 -i eth1 -o eth0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT');
  });
});

describe('SuSEfirewall2 stop and init', () => {
  const parsed = parseSfw2Config(STORY_CONFIG);
  it('stop: ip_forward 0, ACCEPT policies, every table flushed', () => {
    const a = sfw2StopActions(parsed.config, env());
    expect(a[0]).toMatchObject({ kind: 'sysctl', key: 'net.ipv4.ip_forward', value: '0' });
    expect(ipv4Lines(a)).toEqual(['-P INPUT ACCEPT', '-P OUTPUT ACCEPT', '-P FORWARD ACCEPT']);
  });
  it('stop keeps forwarding with FW_STOP_KEEP_ROUTING_STATE=yes', () => {
    const keep = parseSfw2Config(`${STORY_CONFIG}FW_STOP_KEEP_ROUTING_STATE="yes"\n`);
    expect(sfw2StopActions(keep.config, env()).some((a) => a.kind === 'sysctl')).toBe(false);
  });
  it('init (close): basic DROP rules and ip_forward 0, no zones', () => {
    const a = sfw2InitActions(parsed.config, env());
    expect(ipv4Lines(a)).toContain('-A INPUT -i lo -j ACCEPT');
    expect(ipv4Lines(a).some((l) => l.includes('forward_ext'))).toBe(false);
    expect(a.at(-1)).toMatchObject({ kind: 'sysctl', key: 'net.ipv4.ip_forward', value: '0' });
  });
});
