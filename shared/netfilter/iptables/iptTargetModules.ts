// Target extensions with their options in save order and the defaults their
// save functions print (extensions/libxt_*.c, libipt_*.c, libip6t_*.c;
// checked with iptables-save 1.8.9: `-j REJECT` → `--reject-with
// icmp-port-unreachable`, `--set-mark 5` → `--set-xmark 0x5/0xffffffff`,
// `CONNMARK --save-mark` → `--save-mark --nfmask 0xffffffff --ctmask 0xffffffff`).

import {
  canonicalUint, hex, optionError, parseUint32, requireNonEmpty, type ModuleContext, type ModuleSpec, type OptionSpec,
} from './iptOptionSpec.ts';
import type { Family } from '../model.ts';

const one = (names: string[], normalize?: OptionSpec['normalize']): OptionSpec => ({ names, arity: 1, normalize });
const flag = (names: string[]): OptionSpec => ({ names, arity: 0 });

/** --reject-with names and aliases (libipt_REJECT.c reject_table, libip6t_REJECT.c). */
const REJECT_V4: Record<string, string> = {
  'icmp-net-unreachable': 'icmp-net-unreachable', 'net-unreach': 'icmp-net-unreachable',
  'icmp-host-unreachable': 'icmp-host-unreachable', 'host-unreach': 'icmp-host-unreachable',
  'icmp-port-unreachable': 'icmp-port-unreachable', 'port-unreach': 'icmp-port-unreachable',
  'icmp-proto-unreachable': 'icmp-proto-unreachable', 'proto-unreach': 'icmp-proto-unreachable',
  'icmp-net-prohibited': 'icmp-net-prohibited', 'net-prohib': 'icmp-net-prohibited',
  'icmp-host-prohibited': 'icmp-host-prohibited', 'host-prohib': 'icmp-host-prohibited',
  'icmp-admin-prohibited': 'icmp-admin-prohibited', 'admin-prohib': 'icmp-admin-prohibited',
  'tcp-reset': 'tcp-reset',
};
const REJECT_V6: Record<string, string> = {
  'icmp6-no-route': 'icmp6-no-route', 'no-route': 'icmp6-no-route',
  'icmp6-adm-prohibited': 'icmp6-adm-prohibited', 'adm-prohibited': 'icmp6-adm-prohibited',
  'icmp6-addr-unreachable': 'icmp6-addr-unreachable', 'addr-unreach': 'icmp6-addr-unreachable',
  'icmp6-port-unreachable': 'icmp6-port-unreachable', 'port-unreach': 'icmp6-port-unreachable',
  'icmp6-policy-fail': 'icmp6-policy-fail', 'policy-fail': 'icmp6-policy-fail',
  'icmp6-reject-route': 'icmp6-reject-route', 'reject-route': 'icmp6-reject-route',
  'tcp-reset': 'tcp-reset',
};

export function defaultRejectWith(family: Family): string {
  return family === 'ipv4' ? 'icmp-port-unreachable' : 'icmp6-port-unreachable';
}

const LOG_LEVELS: Record<string, number> = { emerg: 0, alert: 1, crit: 2, error: 3, err: 3, warning: 4, warn: 4, notice: 5, info: 6, debug: 7 };

function natPortRange(option: string, text: string): string {
  const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(text);
  if (!m || Number(m[1]) > 65535 || (m[2] !== undefined && Number(m[2]) > 65535)) throw optionError(option, text, 'is not PORT[-PORT]');
  if (m[2] !== undefined && Number(m[2]) < Number(m[1])) throw optionError(option, text, 'is a range whose start is above its end');
  return m[2] === undefined || m[2] === m[1] ? String(Number(m[1])) : `${Number(m[1])}-${Number(m[2])}`;
}

/** `ADDR[-ADDR][:PORT[-PORT]]` (IPv6 in brackets when a port follows). Checked for shape; kept as written. */
function natAddress(option: string) {
  return (v: string[], ctx: ModuleContext): string[] => {
    const text = v[0];
    const ok =
      ctx.family === 'ipv4'
        ? /^(?:\d{1,3}(?:\.\d{1,3}){3}(?:-\d{1,3}(?:\.\d{1,3}){3})?)?(?::\d{1,5}(?:-\d{1,5})?)?$/.test(text)
        : /^(?:\[[0-9a-fA-F:.]+(?:-[0-9a-fA-F:.]+)?\](?::\d{1,5}(?:-\d{1,5})?)?|[0-9a-fA-F:.]+(?:-[0-9a-fA-F:.]+)?)$/.test(text);
    if (!ok || text === '') throw optionError(option, text, 'is not ADDRESS[-ADDRESS][:PORT[-PORT]]');
    return v;
  };
}

function xmark(text: string, option: string): [number, number] {
  const [v, m, extra] = text.split('/');
  if (extra !== undefined) throw optionError(option, text, 'is not value[/mask]');
  return [parseUint32(v, option), m === undefined ? 0xffffffff : parseUint32(m, option)];
}

/** libxt_MARK revision 2 stores everything as (mark, mask) and prints `--set-xmark 0xV/0xM`. */
function markAsXmark(option: string) {
  return (v: string[]): { name: string; values: string[] } => {
    let [mark, mask] = xmark(v[0], option);
    if (option === 'and-mark') [mark, mask] = [0, (~mark) >>> 0];
    else if (option === 'or-mark') mask = mark;
    else if (option === 'xor-mark') mask = 0;
    else if (option === 'set-mark') mask = v[0].includes('/') ? mask : 0xffffffff;
    return { name: 'set-xmark', values: [`${hex(mark)}/${hex(mask)}`] };
  };
}

export const TARGET_MODULES: readonly ModuleSpec[] = [
  { name: 'ACCEPT', options: [] },
  { name: 'DROP', options: [] },
  { name: 'RETURN', options: [] },
  { name: 'QUEUE', options: [] },
  {
    name: 'REJECT',
    options: [
      one(['reject-with'], (v, ctx) => {
        const table = ctx.family === 'ipv4' ? REJECT_V4 : REJECT_V6;
        const canonical = table[v[0]];
        if (!canonical) throw optionError('reject-with', v[0], `is not a reject type for ${ctx.family === 'ipv4' ? 'iptables' : 'ip6tables'} (${[...new Set(Object.values(table))].join(', ')})`);
        return [canonical];
      }),
    ],
    finalize: (options, ctx) => {
      if (!options.some((o) => o.name === 'reject-with')) options.push({ name: 'reject-with', values: [defaultRejectWith(ctx.family)], negated: false });
      const withValue = options.find((o) => o.name === 'reject-with')?.values[0];
      if (withValue === 'tcp-reset' && ctx.protocol !== 'tcp') throw new Error('--reject-with tcp-reset needs "-p tcp" in the same rule');
    },
  },
  {
    name: 'LOG',
    options: [
      one(['log-prefix'], (v) => [requireNonEmpty(v[0], 'log-prefix', 29)]),
      one(['log-level'], (v) => {
        const level = LOG_LEVELS[v[0].toLowerCase()] ?? (/^[0-7]$/.test(v[0]) ? Number(v[0]) : undefined);
        if (level === undefined) throw optionError('log-level', v[0], 'is not a syslog level (0-7 or emerg..debug)');
        return level === 4 ? null : [String(level)];
      }),
      flag(['log-tcp-sequence']),
      flag(['log-tcp-options']),
      flag(['log-ip-options']),
      flag(['log-uid']),
      flag(['log-macdecode']),
    ],
  },
  {
    name: 'NFLOG',
    options: [
      one(['nflog-prefix'], (v) => [requireNonEmpty(v[0], 'nflog-prefix', 63)]),
      one(['nflog-group'], (v) => (canonicalUint(v[0], 'nflog-group', 65535) === '0' ? null : [canonicalUint(v[0], 'nflog-group', 65535)])),
      one(['nflog-range'], (v) => [canonicalUint(v[0], 'nflog-range', 0xffffffff)]),
      one(['nflog-size'], (v) => [canonicalUint(v[0], 'nflog-size', 0xffffffff)]),
      one(['nflog-threshold'], (v) => (canonicalUint(v[0], 'nflog-threshold', 65535) === '1' ? null : [canonicalUint(v[0], 'nflog-threshold', 65535)])),
    ],
  },
  {
    name: 'TCPMSS',
    options: [one(['set-mss'], (v) => [canonicalUint(v[0], 'set-mss', 65535)]), flag(['clamp-mss-to-pmtu'])],
    finalize: (options) => {
      if (options.length !== 1) throw new Error('-j TCPMSS needs exactly one of --set-mss, --clamp-mss-to-pmtu');
    },
  },
  { name: 'CHECKSUM', options: [flag(['checksum-fill'])] },
  {
    name: 'MARK',
    options: [
      one(['set-xmark'], markAsXmark('set-xmark')),
      one(['set-mark'], markAsXmark('set-mark')),
      one(['and-mark'], markAsXmark('and-mark')),
      one(['or-mark'], markAsXmark('or-mark')),
      one(['xor-mark'], markAsXmark('xor-mark')),
    ],
    finalize: (options) => {
      if (options.length !== 1) throw new Error('-j MARK needs exactly one of --set-xmark, --set-mark, --and-mark, --or-mark, --xor-mark');
    },
  },
  {
    name: 'CONNMARK',
    options: [
      one(['set-xmark'], markAsXmark('set-xmark')),
      one(['set-mark'], markAsXmark('set-mark')),
      one(['and-mark'], markAsXmark('and-mark')),
      one(['or-mark'], markAsXmark('or-mark')),
      one(['xor-mark'], markAsXmark('xor-mark')),
      flag(['save-mark']),
      flag(['restore-mark']),
      one(['nfmask'], (v) => [hex(parseUint32(v[0], 'nfmask'))]),
      one(['ctmask'], (v) => [hex(parseUint32(v[0], 'ctmask'))]),
      one(['mask'], (v) => [hex(parseUint32(v[0], 'mask'))]),
    ],
    finalize: (options) => {
      const action = options.filter((o) => o.name === 'set-xmark' || o.name === 'save-mark' || o.name === 'restore-mark');
      if (action.length !== 1) throw new Error('-j CONNMARK needs exactly one of --set-mark, --save-mark, --restore-mark');
      if (action[0].name === 'set-xmark') {
        if (options.length !== 1) throw new Error('-j CONNMARK --set-mark takes no --mask/--nfmask/--ctmask');
        return;
      }
      // --mask M sets both masks (libxt_CONNMARK.c); the save prints both, all-ones by default.
      const mask = options.find((o) => o.name === 'mask')?.values[0];
      const nf = options.find((o) => o.name === 'nfmask')?.values[0] ?? mask ?? '0xffffffff';
      const ct = options.find((o) => o.name === 'ctmask')?.values[0] ?? mask ?? '0xffffffff';
      options.splice(0, options.length, action[0], { name: 'nfmask', values: [nf], negated: false }, { name: 'ctmask', values: [ct], negated: false });
    },
  },
  {
    name: 'CT',
    options: [
      flag(['notrack']),
      one(['helper'], (v) => [requireNonEmpty(v[0], 'helper', 15)]),
      one(['ctevents']),
      one(['expevents']),
      one(['zone-orig'], (v) => [canonicalUint(v[0], 'zone-orig', 65535)]),
      one(['zone-reply'], (v) => [canonicalUint(v[0], 'zone-reply', 65535)]),
      one(['zone'], (v) => [canonicalUint(v[0], 'zone', 65535)]),
      one(['timeout']),
    ],
  },
  { name: 'NOTRACK', options: [] },
  {
    name: 'MASQUERADE',
    options: [one(['to-ports'], (v) => [natPortRange('to-ports', v[0])]), flag(['random']), flag(['random-fully'])],
  },
  { name: 'SNAT', options: [one(['to-source'], natAddress('to-source')), flag(['random']), flag(['random-fully']), flag(['persistent'])] },
  { name: 'DNAT', options: [one(['to-destination', 'to'], natAddress('to-destination')), flag(['random']), flag(['persistent'])] },
  { name: 'REDIRECT', options: [one(['to-ports'], (v) => [natPortRange('to-ports', v[0])]), flag(['random'])] },
];

const BY_NAME = new Map(TARGET_MODULES.map((m) => [m.name, m]));

export function targetModule(name: string): ModuleSpec | undefined {
  return BY_NAME.get(name);
}
