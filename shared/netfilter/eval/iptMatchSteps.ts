// iptables matches (the built-in -s/-d/-i/-o/-p/-f and each `-m MODULE` block)
// → Steps. Semantics per the iptables extension man pages (libxt_*.man) and the
// kernel match code named at each module. A module or option not modelled here
// becomes an UNKNOWN step: the result is then conditional, never guessed.

import type { Family, IptMatch, IptOption } from '../model.ts';
import { AddressSyntaxError, parseNet, parseRange } from './addressNumbers.ts';
import { NO, UNKNOWN, YES, type Step, type Tri } from './compiledForm.ts';
import { markValue, portRange, type CompileContext } from './compileContext.ts';
import { PKTTYPE_NUMBERS } from './compiledPacket.ts';
import { addrStep, icmpStep, ifaceStep, markStep, numericFieldStep, pktTypeStep, portStep, protoStep, tcpFlagsStep, unknownStep, type IfacePattern } from './matchSteps.ts';
import { icmpTypeSpec, protocolNumber, tcpFlagMask, PROTO_DCCP, PROTO_SCTP, PROTO_TCP, PROTO_UDP, PROTO_UDPLITE } from './protocolNumbers.ts';
import { setMembershipStep } from './setMembership.ts';
import { addrtypeStep, conntrackStep, physdevModuleStep } from './iptModuleMatches.ts';

const BUILTIN_FLAG: Record<string, string> = {
  s: '-s', source: '-s', src: '-s', d: '-d', destination: '-d', dst: '-d', i: '-i', 'in-interface': '-i',
  o: '-o', 'out-interface': '-o', p: '-p', protocol: '-p', f: '-f', fragment: '-f',
};

function quote(v: string): string {
  return /^[^\s"'\\]+$/.test(v) ? v : JSON.stringify(v);
}

export function iptOptionText(module: string, o: IptOption): string {
  const neg = o.negated ? '! ' : '';
  if (module === '') return `${neg}${BUILTIN_FLAG[o.name] ?? `--${o.name}`}${o.values.map((v) => ` ${quote(v)}`).join('')}`;
  return `-m ${module} ${neg}--${o.name}${o.values.map((v) => ` ${quote(v)}`).join('')}`;
}

const tri = (b: boolean): Tri => (b ? YES : NO);

function ifacePattern(ctx: CompileContext, name: string): IfacePattern {
  // iptables(8): "If the interface name ends in a '+', then any interface which begins with this name will match."
  if (name.endsWith('+')) return { id: -3, prefix: name.slice(0, -1), name };
  return { id: ctx.intern(name), prefix: null, name };
}

function portRanges(values: string[]): [number, number][] | null {
  const out: [number, number][] = [];
  for (const v of values.join(',').split(',')) {
    const r = portRange(v);
    if (!r) return null;
    out.push(r);
  }
  return out;
}

const PORT_PROTOS: Record<string, number[]> = {
  tcp: [PROTO_TCP], udp: [PROTO_UDP], udplite: [PROTO_UDPLITE], sctp: [PROTO_SCTP], dccp: [PROTO_DCCP],
  multiport: [PROTO_TCP, PROTO_UDP, PROTO_UDPLITE, PROTO_SCTP, PROTO_DCCP],
};

/** Modules whose outcome depends on traffic, time, sockets or tables the evaluator does not see. */
const UNKNOWN_MODULES: Record<string, string> = {
  limit: 'rate limit: matches only while traffic stays under the rate',
  hashlimit: 'per-flow rate limit: depends on traffic',
  connlimit: 'connection count limit: depends on other connections',
  recent: 'recent list: depends on earlier packets',
  statistic: 'statistic: random or every-nth sampling',
  time: 'time of day/date',
  quota: 'byte quota: depends on traffic so far',
  connbytes: 'connection byte/packet counts',
  string: 'packet payload content',
  u32: 'raw packet bytes',
  bpf: 'BPF program',
  helper: 'conntrack helper of the connection',
  rpfilter: 'reverse-path lookup in the routing table',
  socket: 'local socket lookup',
  policy: 'IPsec policy',
  cgroup: 'socket cgroup',
  cpu: 'CPU handling the packet',
  devgroup: 'interface group',
  realm: 'routing realm',
  nfacct: 'accounting object',
  rateest: 'rate estimator',
  tos: 'TOS field not modelled', dscp: 'DSCP field not modelled', ttl: 'TTL not modelled', hl: 'hop limit not modelled',
  ecn: 'ECN bits not modelled', ah: 'IPsec AH header', esp: 'IPsec ESP header', frag: 'IPv6 fragment header',
  hbh: 'IPv6 hop-by-hop header', rt: 'IPv6 routing header', ipv6header: 'IPv6 extension headers', mh: 'mobility header',
  osf: 'OS fingerprint', ipvs: 'IPVS', cluster: 'cluster hash', conntrackzone: 'conntrack zone', l2tp: 'L2TP header',
};

/** Steps for one match block. `family` is the ruleset's. */
export function iptMatchSteps(match: IptMatch, family: Family, ctx: CompileContext, ruleProto: number): Step[] {
  const steps: Step[] = [];
  const m = match.module;
  const v6 = family === 'ipv6';
  for (const o of match.options) {
    const text = iptOptionText(m, o);
    const bad = (why: string): Step => {
      ctx.notes.add(`${text}: ${why}; treated as unknown`);
      return unknownStep(text, why);
    };
    try {
      const step = optionStep(m, o, text, match, family, v6, ctx, ruleProto, bad);
      if (step) steps.push(step);
    } catch (err) {
      if (err instanceof AddressSyntaxError) steps.push(bad(err.message));
      else throw err;
    }
  }
  return steps;
}

function optionStep(
  m: string, o: IptOption, text: string, match: IptMatch, family: Family, v6: boolean, ctx: CompileContext, ruleProto: number,
  bad: (why: string) => Step,
): Step | null {
  const v = o.values[0] ?? '';
  const neg = o.negated;
  switch (m) {
    case '': {
      const flag = BUILTIN_FLAG[o.name];
      if (flag === '-s' || flag === '-d') return addrStep(flag === '-s' ? 'src' : 'dst', family, [{ kind: 'net', v: parseNet(v) }], neg, text);
      if (flag === '-i' || flag === '-o') return ifaceStep(flag === '-i' ? 'in' : 'out', [ifacePattern(ctx, v)], neg, text, 'empty-name');
      if (flag === '-p') {
        const n = protocolNumber(v);
        if (n === null) return bad(`unknown protocol ${v}`);
        return n === 0 ? (neg ? { text, run: () => NO, why: () => '! -p all never matches' } : null) : protoStep([n], neg, text);
      }
      // -f: nf_defrag reassembles before any table sees the packet once conntrack is loaded, so no fragment reaches the rules.
      if (flag === '-f') return { text, run: () => tri(neg), why: () => 'packet is not a fragment (reassembled by conntrack)' };
      return bad(`unknown built-in option ${o.name}`);
    }
    case 'tcp': case 'udp': case 'udplite': case 'sctp': case 'dccp': {
      const protos = PORT_PROTOS[m];
      if (o.name === 'sport' || o.name === 'source-port' || o.name === 'dport' || o.name === 'destination-port') {
        const r = portRanges(o.values);
        if (!r) return bad(`unreadable port ${v}`);
        return portStep(o.name.startsWith('s') ? 'sport' : 'dport', r, neg, text, protos);
      }
      if (m === 'tcp' && o.name === 'syn') return tcpFlagsStep(0x17, 0x02, neg, text); // libxt_tcp.c: --syn = --tcp-flags SYN,RST,ACK,FIN SYN
      if (m === 'tcp' && o.name === 'tcp-flags') {
        const mask = tcpFlagMask(o.values[0] ?? '');
        const comp = tcpFlagMask(o.values[1] ?? '');
        if (mask === null || comp === null) return bad(`unreadable TCP flags ${o.values.join(' ')}`);
        return tcpFlagsStep(mask, comp, neg, text);
      }
      return unknownStep(text, `${m} option --${o.name} not modelled`);
    }
    case 'multiport': {
      const r = portRanges(o.values);
      if (!r) return bad(`unreadable port list ${v}`);
      const which = o.name === 'sports' || o.name === 'source-ports' ? 'sport' : o.name === 'dports' || o.name === 'destination-ports' ? 'dport' : 'either';
      return portStep(which, r, neg, text, ruleProto > 0 ? [ruleProto] : PORT_PROTOS.multiport);
    }
    case 'icmp': case 'icmp6': case 'icmpv6': {
      const spec = icmpTypeSpec(v, v6);
      if (!spec) return bad(`unknown ICMP type ${v}`);
      return icmpStep(v6, spec[0], spec[1], neg, text);
    }
    case 'conntrack': case 'state':
      return conntrackStep(o, text, match, bad);
    case 'comment':
      return null;
    case 'pkttype': {
      const t = PKTTYPE_NUMBERS[v.toLowerCase() as keyof typeof PKTTYPE_NUMBERS];
      if (t === undefined) return bad(`unknown packet type ${v}`);
      return pktTypeStep([t], neg, text);
    }
    case 'physdev':
      return physdevModuleStep(match, o === match.options[0]);
    case 'iprange': {
      const [a, b] = v.split('-');
      if (b === undefined) return bad(`not a range ${v}`);
      return addrStep(o.name === 'src-range' ? 'src' : 'dst', family, [{ kind: 'range', v: parseRange(a, b) }], neg, text);
    }
    case 'addrtype':
      return addrtypeStep(o, text, match, ctx, v6, bad);
    case 'mac': {
      const mac = v.toLowerCase();
      return { text, run: (p) => (p.srcMac === null ? UNKNOWN : tri((p.srcMac === mac) !== neg)), why: (p) => (p.srcMac === null ? 'source MAC of the sender not known' : `source MAC is ${p.srcMac}`), unknownReason: 'source MAC of the sender not known' };
    }
    case 'mark': case 'connmark': {
      const mv = markValue(v);
      if (!mv) return bad(`unreadable mark ${v}`);
      return markStep(m === 'mark' ? 'mark' : 'connmark', mv[0], mv[1], neg, text);
    }
    case 'set':
      if (o.name !== 'match-set') return null; // --return-nomatch, counters options: no effect on a plain membership test
      return setMembershipStep(o.values[0] ?? '', o.values[1] ?? 'src', neg, text, ctx, family);
    case 'owner': {
      const field = o.name === 'uid-owner' ? 'uid' : o.name === 'gid-owner' ? 'gid' : null;
      const r = field ? /^(\d+)(?:-(\d+))?$/.exec(v) : null;
      if (!field || !r) return unknownStep(text, 'socket owner not modelled');
      const lo = Number(r[1]);
      const hi = r[2] === undefined ? lo : Number(r[2]);
      return numericFieldStep((p) => (field === 'uid' ? p.uid : p.gid), (x) => x >= lo && x <= hi, neg, text, (x) => `socket ${field} is ${x}`, 'socket owner not known (only locally generated packets have one)');
    }
    case 'length': {
      const r = portRange(v);
      if (!r) return bad(`unreadable length ${v}`);
      return numericFieldStep((p) => p.length, (x) => x >= r[0] && x <= r[1], neg, text, (x) => `length is ${x}`, 'packet length not given');
    }
    default:
      if (!(m in UNKNOWN_MODULES)) ctx.notes.add(`module ${m} is not modelled; its matches are treated as unknown`);
      return unknownStep(text, UNKNOWN_MODULES[m] ?? `module ${m} not modelled`);
  }
}
