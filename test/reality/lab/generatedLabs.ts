// Generated labs for the kernel comparison (fixed seeds): 1–3 libvirt networks
// in random forward modes, 1–3 guests (static or DHCP), the host's rules as
// libvirt would place them (built-in chains as before 5.1, or the LIBVIRT_*
// chains of 5.1+) plus random "admin" rules and policies, random sysctls
// (ip_forward, rp_filter, br_netfilter), gateway return routes and masquerading,
// sometimes a native nft table that drops or rejects, and sometimes mark rules
// (markExtras.ts: MARK/CONNMARK set at one hook, matched at a later one).

import { defaultLab } from '../../../shared/lab/defaultLab.ts';
import { sequentialIds } from '../../../shared/lab/labIds.ts';
import type { Lab } from '../../../shared/lab/labModel.ts';
import { parseIptablesSave } from '../../../shared/netfilter/iptables/parseIptablesSave.ts';
import type { Ruleset } from '../../../shared/netfilter/model.ts';
import { parseNft } from '../../../shared/netfilter/nft/parseNft.ts';
import type { HostRuntime } from '../../../shared/simulator/hostRuntime.ts';
import { markExtras } from './markExtras.ts';

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Mode = 'isolated' | 'route' | 'nat' | 'open';

export interface GeneratedLab {
  seed: number;
  lab: Lab;
  rulesets: Ruleset[];
  runtime: HostRuntime;
  description: string;
}

function networkXml(name: string, bridge: string, third: number, mode: Mode): string {
  const fwd = mode === 'isolated' ? '' : `<forward mode='${mode}'/>`;
  return `<network><name>${name}</name>${fwd}<bridge name='${bridge}'/><ip address='192.168.${third}.1' netmask='255.255.255.0'><dhcp><range start='192.168.${third}.100' end='192.168.${third}.200'/></dhcp></ip></network>`;
}

export function generateLab(seed: number): GeneratedLab {
  const rnd = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const chance = (p: number): boolean => rnd() < p;
  const lab = defaultLab(sequentialIds(), { returnRoutes: [] });
  const count = 1 + Math.floor(rnd() * 3);
  const nets: { id: string; bridge: string; subnet: string; mode: Mode; third: number }[] = [];
  for (let i = 0; i < count; i++) {
    const third = 10 + i * 10;
    const n = { id: `net${i}`, bridge: `virbr${i + 1}`, subnet: `192.168.${third}.0/24`, mode: pick<Mode>(['isolated', 'route', 'nat', 'nat', 'route', 'open']), third };
    nets.push(n);
    lab.networks.push({ id: n.id, xml: networkXml(`n${i}`, n.bridge, third, n.mode), autostart: true });
  }
  const guests = 1 + Math.floor(rnd() * Math.min(3, count + 1));
  for (let g = 0; g < guests; g++) {
    const n = nets[g % nets.length];
    lab.guests.push({
      id: `g${g}`, name: `guest${g}`, networkId: n.id,
      ...(chance(0.15) ? {} : { address: `192.168.${n.third}.${20 + g}` }),
      listens: ['tcp/22', 'tcp/443', 'udp/53'].filter(() => chance(0.5)),
    });
  }
  lab.host.listens = ['tcp/22', 'tcp/443'].filter(() => chance(0.6));
  lab.gateway.routes = nets.filter(() => chance(0.7)).map((n) => ({ destination: n.subnet, via: '192.168.90.10' }));
  lab.gateway.masquerade = ['192.168.90.0/24', ...nets.filter(() => chance(0.5)).map((n) => n.subnet)];
  if (chance(0.2)) lab.gateway.listens = lab.gateway.listens.filter((s) => s !== 'icmp');
  const backend = chance(0.5) ? 'legacy' : 'nft';
  lab.host.iptablesBackend = backend;

  // libvirt's rules: built-in chains (< 5.1) or LIBVIRT_* chains (5.1+); the last started network on top.
  const chains = chance(0.6);
  const inp: string[] = [], fwo: string[] = [], fwi: string[] = [], fwx: string[] = [], out: string[] = [], prt: string[] = [];
  for (const n of [...nets].reverse()) {
    if (n.mode === 'open') continue;
    const br = n.bridge;
    inp.push(...['udp', 'tcp'].flatMap((p) => [`-i ${br} -p ${p} -m ${p} --dport 53 -j ACCEPT`, `-i ${br} -p ${p} -m ${p} --dport 67 -j ACCEPT`]));
    out.push(`-o ${br} -p udp -m udp --dport 68 -j ACCEPT`, `-o ${br} -p udp -m udp --dport 53 -j ACCEPT`);
    if (n.mode === 'route') fwi.push(`-d ${n.subnet} -o ${br} -j ACCEPT`);
    if (n.mode === 'nat') fwi.push(`-d ${n.subnet} -o ${br} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`);
    fwi.push(`-o ${br} -j REJECT --reject-with icmp-port-unreachable`);
    if (n.mode !== 'isolated') fwo.push(`-s ${n.subnet} -i ${br} -j ACCEPT`);
    fwo.push(`-i ${br} -j REJECT --reject-with icmp-port-unreachable`);
    fwx.push(`-i ${br} -o ${br} -j ACCEPT`);
    if (n.mode === 'nat') prt.push(`-s ${n.subnet} -d 224.0.0.0/24 -j RETURN`, `-s ${n.subnet} ! -d ${n.subnet} -p tcp -j MASQUERADE --to-ports 1024-65535`, `-s ${n.subnet} ! -d ${n.subnet} -j MASQUERADE`);
  }
  const filter: Record<string, string[]> = { INPUT: [], FORWARD: [], OUTPUT: [] };
  const user: string[] = [];
  if (chains) {
    user.push('LIBVIRT_INP', 'LIBVIRT_OUT', 'LIBVIRT_FWX', 'LIBVIRT_FWI', 'LIBVIRT_FWO');
    filter.INPUT.push('-A INPUT -j LIBVIRT_INP');
    filter.OUTPUT.push('-A OUTPUT -j LIBVIRT_OUT');
    filter.FORWARD.push('-A FORWARD -j LIBVIRT_FWX', '-A FORWARD -j LIBVIRT_FWI', '-A FORWARD -j LIBVIRT_FWO');
  }
  const libvirtLines = chains
    ? [...inp.map((r) => `-A LIBVIRT_INP ${r}`), ...out.map((r) => `-A LIBVIRT_OUT ${r}`), ...fwx.map((r) => `-A LIBVIRT_FWX ${r}`), ...fwi.map((r) => `-A LIBVIRT_FWI ${r}`), ...fwo.map((r) => `-A LIBVIRT_FWO ${r}`)]
    : [...inp.map((r) => `-A INPUT ${r}`), ...out.map((r) => `-A OUTPUT ${r}`), ...[...fwi, ...fwo, ...fwx].map((r) => `-A FORWARD ${r}`)];
  // Random admin rules, some above libvirt's (inserted later), some below (appended).
  const gw = '192.168.90.1';
  const extras = [
    '-A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
    '-A FORWARD -p tcp -m tcp --dport 443 -j REJECT --reject-with tcp-reset',
    '-A FORWARD -p udp -m udp --dport 53 -j DROP',
    `-A FORWARD -d ${gw}/32 -p icmp -j REJECT --reject-with icmp-host-prohibited`,
    '-A FORWARD -p tcp -m tcp --dport 22 -j REJECT --reject-with icmp-net-prohibited',
    `-A FORWARD -i ${nets[0].bridge} -j ACCEPT`,
    `-A FORWARD -o ${nets[0].bridge} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`,
    '-A INPUT -p tcp -m tcp --dport 22 -j REJECT --reject-with icmp-admin-prohibited',
    `-A INPUT -i ${pick(nets).bridge} -p icmp -j DROP`,
    '-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
    '-A FORWARD -p icmp -j ACCEPT',
  ].filter(() => chance(0.25));
  const above = extras.filter(() => chance(0.4));
  const below = extras.filter((e) => !above.includes(e));
  for (const chain of ['INPUT', 'FORWARD', 'OUTPUT']) {
    const mine = (xs: string[]) => xs.filter((x) => x.startsWith(`-A ${chain} `));
    filter[chain] = chains ? [...mine(above), ...filter[chain], ...mine(below)] : [...mine(above), ...mine(libvirtLines), ...mine(below)];
  }
  // Sometimes a mark set at one hook and matched at a later one (own random stream: the rest is unchanged per seed).
  const marks = markExtras(seed, nets.map((n) => n.bridge));
  if (marks) for (const chain of ['INPUT', 'FORWARD', 'OUTPUT'] as const) filter[chain].unshift(...marks.filterTop[chain].map((r) => `-A ${chain} ${r}`));
  const policies = { INPUT: chance(0.3) ? 'DROP' : 'ACCEPT', FORWARD: chance(0.4) ? 'DROP' : 'ACCEPT', OUTPUT: chance(0.08) ? 'DROP' : 'ACCEPT' };
  const lines = ['*filter', ...['INPUT', 'FORWARD', 'OUTPUT'].map((c) => `:${c} ${policies[c as keyof typeof policies]} [0:0]`), ...user.map((c) => `:${c} - [0:0]`)];
  lines.push(...filter.INPUT, ...filter.FORWARD, ...filter.OUTPUT);
  if (chains) lines.push(...libvirtLines.filter((l) => l.startsWith('-A LIBVIRT_')));
  lines.push('COMMIT');
  if (marks) lines.push('*mangle', ...['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'].map((c) => `:${c} ACCEPT [0:0]`), ...marks.mangle, 'COMMIT');
  if (prt.length) {
    lines.push('*nat', ':PREROUTING ACCEPT [0:0]', ':INPUT ACCEPT [0:0]', ':OUTPUT ACCEPT [0:0]', ':POSTROUTING ACCEPT [0:0]');
    if (chains) lines.push(':LIBVIRT_PRT - [0:0]', '-A POSTROUTING -j LIBVIRT_PRT', ...prt.map((r) => `-A LIBVIRT_PRT ${r}`));
    else lines.push(...prt.map((r) => `-A POSTROUTING ${r}`));
    lines.push('COMMIT');
  }
  const rulesets: Ruleset[] = [parseIptablesSave(lines.join('\n') + '\n', { family: 'ipv4', backend }).ruleset];
  let nftNote = '';
  if (chance(0.2)) {
    const stmt = pick(['tcp dport 443 drop', 'udp dport 53 reject', 'icmp type echo-request reject with icmpx type admin-prohibited', `ip daddr ${gw} tcp dport 22 reject with tcp reset`]);
    rulesets.push(parseNft(`table inet extra {\n\tchain fw {\n\t\ttype filter hook forward priority 10; policy accept;\n\t\t${stmt}\n\t}\n}\n`).ruleset);
    nftNote = ` + nft "${stmt}"`;
  }
  if (chance(0.2)) {
    lab.gateway.ruleset = ['*filter', `:INPUT ACCEPT [0:0]`, `:FORWARD ${chance(0.5) ? 'DROP' : 'ACCEPT'} [0:0]`, ':OUTPUT ACCEPT [0:0]',
      '-A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT', '-A FORWARD -p icmp -j ACCEPT',
      `-A INPUT -p tcp -m tcp --dport ${pick([22, 443])} -j REJECT --reject-with ${pick(['icmp-port-unreachable', 'tcp-reset', 'icmp-host-prohibited'])}`, 'COMMIT', ''].join('\n');
  }
  const rp = pick([0, 0, 0, 1, 2] as const);
  const runtime: HostRuntime = {
    netfilter: rulesets,
    sysctls: { ipForward: chance(0.85), interfaceForwarding: {}, rpFilter: { all: rp, default: 0, interfaces: {} }, bridgeNfCallIptables: chance(0.5), setBy: {} },
    runningNetworkIds: nets.map((n) => n.id),
    notes: [],
  };
  const description = `seed ${seed}: ${nets.map((n) => `${n.bridge} ${n.mode}`).join(', ')}; ${guests} guest(s); ${backend}${chains ? ' LIBVIRT_* chains' : ''}; policies ${policies.INPUT}/${policies.FORWARD}/${policies.OUTPUT}; ${extras.length} extra rule(s)${nftNote}${lab.gateway.ruleset ? ' + gateway firewall' : ''}${marks ? `; ${marks.description}` : ''}; ip_forward ${runtime.sysctls.ipForward ? 1 : 0}, rp_filter ${rp}, br_nf ${runtime.sysctls.bridgeNfCallIptables ? 1 : 0}`;
  return { seed, lab, rulesets, runtime, description };
}
