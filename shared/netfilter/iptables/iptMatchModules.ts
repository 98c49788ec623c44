// The match modules iptables rules use in labs, with their options in the order
// each extension's save function prints them (iptables extensions/libxt_*.c,
// libipt_*.c, libip6t_*.c; orders checked against iptables-save 1.8.9 in a
// namespace). A module not listed here is still read (generically: its
// options and their values as written) and evaluated as unknown; an option a
// listed module does not have is an error.

import { canonicalAddressMask, canonicalConntrackAddress, canonicalHost } from './iptAddresses.ts';
import {
  canonicalFlagList, canonicalLimitRate, canonicalMarkMask, canonicalPortRange, canonicalUint, canonicalUintRange,
  optionError, parsePort, requireNonEmpty, type ModuleSpec, type Normalized, type OptionSpec,
} from './iptOptionSpec.ts';
import { canonicalIcmpType, canonicalIcmpv6Type, canonicalProtocol } from './iptProtocols.ts';
import type { Family } from '../model.ts';

const one = (names: string[], normalize?: OptionSpec['normalize'], negatable = true): OptionSpec => ({ names, arity: 1, negatable, normalize });
const flag = (names: string[], negatable = false): OptionSpec => ({ names, arity: 0, negatable });

const TCP_FLAGS = ['FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG'] as const;
const RECENT_ORDER = ['rcheck', 'set', 'update', 'remove', 'seconds', 'reap', 'hitcount', 'rttl', 'name', 'mask', 'rsource', 'rdest'];

function tcpFlagList(text: string): string {
  if (text.toUpperCase() === 'NONE') return 'NONE';
  if (text.toUpperCase() === 'ALL') return TCP_FLAGS.join(',');
  const list = canonicalFlagList(text, 'tcp-flags', [...TCP_FLAGS, 'ALL', 'NONE']);
  if (list.includes('ALL')) return TCP_FLAGS.join(',');
  const flags = list.split(',').filter((f) => f !== 'NONE');
  return flags.length ? flags.join(',') : 'NONE';
}

const ports = (name: string) => (v: string[]): Normalized => [canonicalPortRange(v[0], name)];

function multiportList(values: string[], option: string): Normalized {
  const items = values[0].split(',');
  let count = 0;
  const out = items.map((item) => {
    const range = canonicalPortRange(item, option);
    count += range.includes(':') ? 2 : 1;
    return range;
  });
  if (count > 15) throw optionError(option, values[0], 'has more than 15 ports (a range counts as two)');
  return [out.join(',')];
}

const CT_STATES = ['INVALID', 'NEW', 'RELATED', 'ESTABLISHED', 'UNTRACKED', 'SNAT', 'DNAT'] as const;
const CT_STATUS = ['NONE', 'EXPECTED', 'SEEN_REPLY', 'ASSURED', 'CONFIRMED'] as const;
const ADDR_TYPES = ['UNSPEC', 'UNICAST', 'LOCAL', 'BROADCAST', 'ANYCAST', 'MULTICAST', 'BLACKHOLE', 'UNREACHABLE', 'PROHIBIT', 'THROW', 'NAT', 'XRESOLVE'] as const;
const PKT_TYPES: Record<string, string> = { unicast: 'unicast', host: 'unicast', broadcast: 'broadcast', multicast: 'multicast', otherhost: 'otherhost' };

function needsProtocol(module: string, allowed: string[]) {
  return (_o: unknown, ctx: { protocol: string | undefined }): void => {
    if (ctx.protocol === undefined || !allowed.includes(ctx.protocol)) {
      throw new Error(`-m ${module} needs ${allowed.map((p) => `"-p ${p}"`).join(' or ')} in the same rule`);
    }
  };
}

const address = (option: string) => (v: string[], ctx: { family: Family }): Normalized => {
  try {
    return [canonicalAddressMask(v[0], ctx.family)];
  } catch (e) {
    throw new Error(`--${option}: ${(e as Error).message}`);
  }
};

/** --ctorigsrc … --ctrepldst: printed unmasked, without a full mask (canonicalConntrackAddress). */
const conntrackAddress = (option: string) => (v: string[], ctx: { family: Family }): Normalized => {
  try {
    return [canonicalConntrackAddress(v[0], ctx.family)];
  } catch (e) {
    throw new Error(`--${option}: ${(e as Error).message}`);
  }
};

function ipRange(option: string) {
  return (v: string[], ctx: { family: Family }): Normalized => {
    const parts = v[0].split('-');
    if (parts.length > 2) throw optionError(option, v[0], 'is not FROM[-TO]');
    try {
      return [parts.map((p) => canonicalHost(p, ctx.family)).join('-')];
    } catch (e) {
      throw new Error(`--${option}: ${(e as Error).message}`);
    }
  };
}

function ifaceName(option: string) {
  return (v: string[]): Normalized => {
    if (v[0].length === 0 || v[0].length > 15) throw optionError(option, v[0], 'is not an interface name (1-15 characters)');
    return v;
  };
}

export const MATCH_MODULES: readonly ModuleSpec[] = [
  {
    name: 'tcp',
    options: [
      one(['sport', 'source-port'], ports('sport')),
      one(['dport', 'destination-port'], ports('dport')),
      one(['tcp-option'], (v) => [canonicalUint(v[0], 'tcp-option', 255)]),
      {
        names: ['tcp-flags'],
        arity: 2,
        negatable: true,
        normalize: (v) => [tcpFlagList(v[0]), tcpFlagList(v[1])],
      },
      { names: ['syn'], arity: 0, negatable: true, normalize: () => ({ name: 'tcp-flags', values: ['FIN,SYN,RST,ACK', 'SYN'] }) },
    ],
    finalize: needsProtocol('tcp', ['tcp']),
  },
  {
    name: 'udp',
    options: [one(['sport', 'source-port'], ports('sport')), one(['dport', 'destination-port'], ports('dport'))],
    finalize: needsProtocol('udp', ['udp']),
  },
  {
    name: 'multiport',
    options: [
      one(['sports', 'source-ports'], (v) => multiportList(v, 'sports')),
      one(['dports', 'destination-ports'], (v) => multiportList(v, 'dports')),
      one(['ports'], (v) => multiportList(v, 'ports')),
    ],
    finalize: (options, ctx) => {
      if (options.length !== 1) throw new Error('-m multiport takes exactly one of --sports, --dports, --ports');
      needsProtocol('multiport', ['tcp', 'udp', 'udplite', 'sctp', 'dccp'])(options, ctx);
    },
  },
  { name: 'icmp', family: 'ipv4', options: [one(['icmp-type'], (v) => [canonicalIcmpType(v[0])])], finalize: needsProtocol('icmp', ['icmp']) },
  { name: 'icmp6', family: 'ipv6', options: [one(['icmpv6-type'], (v) => [canonicalIcmpv6Type(v[0])])], finalize: needsProtocol('icmp6', ['ipv6-icmp']) },
  {
    name: 'conntrack',
    options: [
      one(['ctstate'], (v) => [canonicalFlagList(v[0], 'ctstate', CT_STATES)]),
      one(['ctproto'], (v) => [canonicalProtocol(v[0]) || '0']),
      one(['ctorigsrc'], conntrackAddress('ctorigsrc')),
      one(['ctorigdst'], conntrackAddress('ctorigdst')),
      one(['ctreplsrc'], conntrackAddress('ctreplsrc')),
      one(['ctrepldst'], conntrackAddress('ctrepldst')),
      one(['ctorigsrcport'], (v) => [canonicalPortRange(v[0], 'ctorigsrcport')]),
      one(['ctorigdstport'], (v) => [canonicalPortRange(v[0], 'ctorigdstport')]),
      one(['ctreplsrcport'], (v) => [canonicalPortRange(v[0], 'ctreplsrcport')]),
      one(['ctrepldstport'], (v) => [canonicalPortRange(v[0], 'ctrepldstport')]),
      one(['ctstatus'], (v) => [canonicalFlagList(v[0], 'ctstatus', CT_STATUS)]),
      one(['ctexpire'], (v) => [canonicalUintRange(v[0], 'ctexpire', 0xffffffff)]),
      one(['ctdir'], (v) => {
        const d = v[0].toUpperCase();
        if (d !== 'ORIGINAL' && d !== 'REPLY') throw optionError('ctdir', v[0], 'is not ORIGINAL or REPLY');
        return [d];
      }, false),
    ],
  },
  { name: 'state', options: [one(['state'], (v) => [canonicalFlagList(v[0], 'state', CT_STATES.slice(0, 5))])] },
  { name: 'comment', options: [one(['comment'], (v) => [requireNonEmpty(v[0], 'comment', 255)], false)] },
  {
    name: 'limit',
    options: [
      one(['limit'], (v) => [canonicalLimitRate(v[0], 'limit')], false),
      // libxt_limit prints the burst only when it differs from the default 5.
      one(['limit-burst'], (v) => (canonicalUint(v[0], 'limit-burst', 10000) === '5' ? null : [canonicalUint(v[0], 'limit-burst', 10000)]), false),
    ],
  },
  {
    // libxt_recent saves the check, its timing options, then the list: the
    // name (default DEFAULT), the mask (all ones) and the side (--rsource by
    // default) always appear (checked with iptables 1.8.9 and real ufw's limit rules).
    name: 'recent',
    options: [
      flag(['rcheck'], true),
      flag(['set'], true),
      flag(['update'], true),
      flag(['remove'], true),
      one(['seconds'], (v) => [canonicalUint(v[0], 'seconds', 0xffffffff)], false),
      flag(['reap']),
      one(['hitcount'], (v) => [canonicalUint(v[0], 'hitcount', 0xffffffff)], false),
      flag(['rttl']),
      one(['name'], (v) => [requireNonEmpty(v[0], 'name', 200)], false),
      one(['mask'], (v, ctx) => [canonicalHost(v[0], ctx.family)], false),
      flag(['rsource']),
      flag(['rdest']),
    ],
    finalize: (options, ctx) => {
      const checks = options.filter((o) => ['rcheck', 'set', 'update', 'remove'].includes(o.name));
      if (checks.length !== 1) throw new Error('-m recent takes exactly one of --set, --rcheck, --update, --remove');
      const at = (name: string): number => RECENT_ORDER.indexOf(name);
      const add = (name: string, values: string[]): void => {
        if (options.some((o) => o.name === name)) return;
        const i = options.findIndex((o) => at(o.name) > at(name));
        options.splice(i < 0 ? options.length : i, 0, { name, values, negated: false });
      };
      add('name', ['DEFAULT']);
      add('mask', [ctx.family === 'ipv6' ? 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff' : '255.255.255.255']);
      if (!options.some((o) => o.name === 'rdest')) add('rsource', []);
    },
  },
  {
    name: 'pkttype',
    options: [
      one(['pkt-type'], (v) => {
        const t = PKT_TYPES[v[0].toLowerCase()];
        if (!t) throw optionError('pkt-type', v[0], 'is not unicast, broadcast, multicast or otherhost');
        return [t];
      }),
    ],
  },
  {
    name: 'physdev',
    options: [
      one(['physdev-in'], ifaceName('physdev-in')),
      one(['physdev-out'], ifaceName('physdev-out')),
      flag(['physdev-is-in'], true),
      flag(['physdev-is-out'], true),
      flag(['physdev-is-bridged'], true),
    ],
  },
  { name: 'iprange', options: [one(['src-range'], ipRange('src-range')), one(['dst-range'], ipRange('dst-range'))] },
  {
    name: 'addrtype',
    options: [
      one(['src-type'], (v) => [canonicalFlagList(v[0], 'src-type', ADDR_TYPES)]),
      one(['dst-type'], (v) => [canonicalFlagList(v[0], 'dst-type', ADDR_TYPES)]),
      flag(['limit-iface-in']),
      flag(['limit-iface-out']),
    ],
  },
  {
    name: 'mac',
    options: [
      one(['mac-source'], (v) => {
        if (!/^[0-9a-fA-F]{2}(?::[0-9a-fA-F]{2}){5}$/.test(v[0])) throw optionError('mac-source', v[0], 'is not a MAC address XX:XX:XX:XX:XX:XX');
        return [v[0].toLowerCase()];
      }),
    ],
  },
  { name: 'mark', options: [one(['mark'], (v) => [canonicalMarkMask(v[0], 'mark')])] },
  { name: 'connmark', options: [one(['mark'], (v) => [canonicalMarkMask(v[0], 'mark')])] },
  {
    name: 'set',
    options: [
      {
        names: ['match-set'],
        arity: 2,
        negatable: true,
        normalize: (v) => {
          if (!/^[\w.:-]{1,31}$/.test(v[0])) throw optionError('match-set', v[0], 'is not an ipset name');
          const dirs = v[1].split(',');
          if (dirs.length > 6 || dirs.some((d) => d !== 'src' && d !== 'dst')) throw optionError('match-set', v[1], 'is not a list of src/dst');
          return v;
        },
      },
      flag(['return-nomatch']),
      flag(['update-counters'], true),
      flag(['update-subcounters'], true),
    ],
  },
  {
    name: 'owner',
    options: [
      one(['uid-owner'], (v) => [/^\d+(?:-\d+)?$/.test(v[0]) || /^[a-z_][\w.-]*\$?$/i.test(v[0]) ? v[0] : (() => { throw optionError('uid-owner', v[0], 'is not a user name, id or id range'); })()]),
      one(['gid-owner'], (v) => [/^\d+(?:-\d+)?$/.test(v[0]) || /^[a-z_][\w.-]*$/i.test(v[0]) ? v[0] : (() => { throw optionError('gid-owner', v[0], 'is not a group name, id or id range'); })()]),
      flag(['suppl-groups']),
      flag(['socket-exists'], true),
    ],
  },
  { name: 'length', options: [one(['length'], (v) => [canonicalUintRange(v[0], 'length', 65535)])] },
];

const BY_NAME = new Map(MATCH_MODULES.map((m) => [m.name, m]));

export function matchModule(name: string): ModuleSpec | undefined {
  return BY_NAME.get(name);
}

/** The module iptables loads implicitly for an option after `-p PROTO` (libxtables load_proto). */
export function implicitProtocolModule(protocol: string | undefined, family: Family): string | undefined {
  if (protocol === 'tcp' || protocol === 'udp') return protocol;
  if (protocol === 'icmp' && family === 'ipv4') return 'icmp';
  if (protocol === 'ipv6-icmp' && family === 'ipv6') return 'icmp6';
  return undefined;
}

/** The built-in matches, module '' (stored with long names, printed as -s -d -i -o -p -f). */
export const BUILTIN_OPTIONS: readonly { name: string; short: string; arity: number }[] = [
  { name: 'source', short: 's', arity: 1 },
  { name: 'destination', short: 'd', arity: 1 },
  { name: 'in-interface', short: 'i', arity: 1 },
  { name: 'out-interface', short: 'o', arity: 1 },
  { name: 'protocol', short: 'p', arity: 1 },
  { name: 'fragment', short: 'f', arity: 0 },
];

export const normalizeBuiltin: Record<string, (v: string[], family: Family) => string[]> = {
  source: (v, family) => address('source')(v, { family }) as string[],
  destination: (v, family) => address('destination')(v, { family }) as string[],
  'in-interface': (v) => ifaceName('in-interface')(v) as string[],
  'out-interface': (v) => ifaceName('out-interface')(v) as string[],
  protocol: (v) => [canonicalProtocol(v[0])],
  fragment: (v) => v,
};

export { parsePort };
