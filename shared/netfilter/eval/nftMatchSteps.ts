// nft match statements (`LEFT [op] RIGHT`) → Steps. Protocol expressions carry
// nft's implicit dependencies (`tcp dport` needs `meta l4proto tcp`, `ip saddr`
// needs an IPv4 packet in inet tables): a packet that fails the dependency does
// not match, whatever the operator (nft(8) "PAYLOAD EXPRESSION"; the
// dependency is a separate expression in the kernel rule, so `!=` fails too).

import type { Family, NftExpr, NftMatchOp, NftSet, NftValue } from '../model.ts';
import { AddressSyntaxError } from './addressNumbers.ts';
import { NO, UNKNOWN, YES, type Step, type Tri } from './compiledForm.ts';
import { markValue, portRange, type CompileContext } from './compileContext.ts';
import { CT_STATUS_BITS, type CompiledPacket } from './compiledPacket.ts';
import { ctTupleAddrStep, ctTuplePortStep } from './ctTupleSteps.ts';
import { addressType, ADDRTYPE_BITS } from './hostAddresses.ts';
import { addrStep, ctStateStep, ifaceStep, markStep, numericFieldStep, pktTypeStep, protoStep, tcpFlagsStep, unknownStep, type IfacePattern } from './matchSteps.ts';
import { hasPorts, icmpTypeSpec, protocolName, protocolNumber, tcpFlagMask } from './protocolNumbers.ts';
import { addressElements } from './setMembership.ts';

const tri = (b: boolean): Tri => (b ? YES : NO);

export interface NftMatchScope {
  /** Families the table applies to (ip → ipv4, ip6 → ipv6, inet/bridge → both). */
  tableFamilies: Family[];
  tableName: string;
  sets: NftSet[];
  ctx: CompileContext;
}

class Unsupported extends Error {}

function unquote(t: string): string {
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1) : t;
}

/** Flatten a value into element strings (sets and `@set` references resolved); null: contents unknown. */
function elements(v: NftValue, scope: NftMatchScope): string[] | null {
  switch (v.kind) {
    case 'literal': return [unquote(v.text)];
    case 'prefix': return [`${v.address}/${v.length}`];
    case 'range': return [`${v.from}-${v.to}`];
    case 'flags': return v.items;
    case 'set': {
      const out: string[] = [];
      for (const e of v.elements) {
        const sub = elements(e, scope);
        if (!sub) return null;
        out.push(...sub);
      }
      return out;
    }
    case 'setref': {
      const named = scope.sets.find((s) => s.name === v.name);
      if (named?.isMap) throw new Unsupported(`@${v.name} is a map`);
      if (named && named.elements) return named.elements.map(unquote);
      return scope.ctx.sets[`${scope.tableName}/${v.name}`] ?? scope.ctx.sets[v.name] ?? null;
    }
    case 'variable': return null;
  }
}

function numberRanges(items: string[], names?: (s: string) => number | null): [number, number][] {
  return items.map((e) => {
    const n = names?.(e);
    if (n !== undefined && n !== null) return [n, n] as [number, number];
    const r = portRange(e) ?? (/^0x[0-9a-f]+$/i.test(e) ? [Number(e), Number(e)] as [number, number] : null);
    if (!r) throw new Unsupported(`unreadable value ${e}`);
    return r;
  });
}

/** `< 1024` etc. as a range test on a single number. */
function compareRanges(op: NftMatchOp, items: string[]): [number, number][] {
  const n = Number(items[0]);
  if (items.length !== 1 || !Number.isFinite(n)) throw new Unsupported(`comparison with ${items.join(',')}`);
  switch (op) {
    case '<': return [[-Infinity, n - 1]];
    case '<=': return [[-Infinity, n]];
    case '>': return [[n + 1, Infinity]];
    case '>=': return [[n, Infinity]];
    default: return [[n, n]];
  }
}

function inRanges(x: number, r: [number, number][]): boolean {
  for (const [a, b] of r) if (x >= a && x <= b) return true;
  return false;
}

const PORT_PROTOS: Record<string, number> = { tcp: 6, udp: 17, udplite: 136, sctp: 132, dccp: 33 };
const CT_STATE_NAMES: Record<string, number> = { new: 1, established: 2, related: 4, invalid: 8, untracked: 16 };
const PKTTYPE: Record<string, number> = { host: 0, unicast: 0, broadcast: 1, multicast: 2 };

export function nftMatchStep(left: NftExpr, op: NftMatchOp, right: NftValue, text: string, scope: NftMatchScope): Step {
  try {
    const items = elements(right, scope);
    if (items === null) {
      const why = right.kind === 'setref' ? `contents of set @${right.name} not known` : 'value not known (unsubstituted variable)';
      return unknownStep(text, why);
    }
    return buildStep(left, op, items, text, scope);
  } catch (err) {
    if (err instanceof Unsupported || err instanceof AddressSyntaxError) {
      scope.ctx.notes.add(`${text}: ${err.message}; treated as unknown`);
      return unknownStep(text, err.message);
    }
    throw err;
  }
}

function buildStep(left: NftExpr, op: NftMatchOp, items: string[], text: string, scope: NftMatchScope): Step {
  const neg = op === '!=';
  const eqLike = op === '==' || op === '!=' || op === 'implicit';
  if (left.kind === 'payload') return payloadStep(left.protocol, left.field, op, neg, eqLike, items, text);
  if (left.kind === 'meta') {
    const key = left.key;
    if (!eqLike && !['mark', 'length', 'skuid', 'skgid', 'l4proto'].includes(key)) throw new Unsupported(`operator ${op} on meta ${key}`);
    switch (key) {
      case 'iifname': case 'oifname': case 'iif': case 'oif': {
        const patterns: IfacePattern[] = items.map((n) => (n.endsWith('*') ? { id: -3, prefix: n.slice(0, -1), name: n } : { id: scope.ctx.intern(n), prefix: null, name: n }));
        return ifaceStep(key.startsWith('i') ? 'in' : 'out', patterns, neg, text, 'no-match');
      }
      case 'l4proto': {
        const protos = items.map((i) => protocolNumber(i));
        if (protos.some((p) => p === null)) throw new Unsupported(`unknown protocol in ${items.join(',')}`);
        return protoStep(protos as number[], neg, text);
      }
      case 'nfproto': case 'protocol': {
        const fams = items.map((i) => (i === 'ipv4' || i === 'ip' ? false : i === 'ipv6' || i === 'ip6' ? true : null));
        if (fams.some((f) => f === null)) throw new Unsupported(`unknown family ${items.join(',')}`);
        return { text, run: (p) => tri(fams.includes(p.v6) !== neg), why: (p) => `packet is ${p.family}` };
      }
      case 'pkttype': {
        const t = items.map((i) => PKTTYPE[i]);
        if (t.some((x) => x === undefined)) throw new Unsupported(`unknown packet type ${items.join(',')}`);
        return pktTypeStep(t, neg, text);
      }
      case 'mark': {
        if (eqLike && items.length === 1) {
          const mv = markValue(items[0]);
          if (!mv) throw new Unsupported(`unreadable mark ${items[0]}`);
          return markStep('mark', mv[0], 0xffffffff, neg, text);
        }
        const r = eqLike ? numberRanges(items) : compareRanges(op, items);
        return { text, run: (p) => tri(inRanges(p.mark, r) !== neg), why: (p) => `packet mark is 0x${p.mark.toString(16)}` };
      }
      case 'length': case 'skuid': case 'skgid': {
        const r = eqLike ? numberRanges(items) : compareRanges(op, items);
        const get = key === 'length' ? (p: CompiledPacket) => p.length : key === 'skuid' ? (p: CompiledPacket) => p.uid : (p: CompiledPacket) => p.gid;
        const what = key === 'length' ? 'packet length' : 'socket owner';
        return numericFieldStep(get, (x) => inRanges(x, r), neg, text, (x) => `${what} is ${x}`, `${what} not known`);
      }
      default:
        return unknownStep(text, `meta ${key} not modelled`);
    }
  }
  if (left.kind === 'ct') {
    if (left.direction) return ctTupleStep(left.direction, left.key, op, eqLike, neg, items, text);
    if (left.key === 'state') {
      let mask = 0;
      for (const i of items) {
        const b = CT_STATE_NAMES[i];
        if (b === undefined) throw new Unsupported(`unknown ct state ${i}`);
        mask |= b;
      }
      // nft_ct.c: without a conntrack entry the state reads as invalid (or untracked) — same as xt_conntrack.
      return ctStateStep(mask, neg, text);
    }
    if (left.key === 'status') {
      let mask = 0;
      for (const i of items) {
        const b = CT_STATUS_BITS[i.toUpperCase().replace('-', '_') as keyof typeof CT_STATUS_BITS];
        if (b === undefined) throw new Unsupported(`unknown ct status ${i}`);
        mask |= b;
      }
      return {
        text,
        // nft_ct.c: no conntrack entry → NFT_BREAK, the rule does not match.
        run: (p) => (!p.hasCt ? NO : p.ctStatus < 0 ? UNKNOWN : tri(((p.ctStatus & mask) !== 0) !== neg)),
        why: (p) => (!p.hasCt ? 'no conntrack entry' : p.ctStatus < 0 ? 'conntrack status not given' : `conntrack status 0x${p.ctStatus.toString(16)}`),
        unknownReason: 'conntrack status not given',
      };
    }
    if (left.key === 'mark' && items.length === 1) {
      const mv = markValue(items[0]);
      if (!mv) throw new Unsupported(`unreadable mark ${items[0]}`);
      return markStep('connmark', mv[0], 0xffffffff, neg, text);
    }
    if (left.key === 'direction') {
      const want = items[0] === 'reply' ? 1 : 0;
      return {
        text,
        run: (p) => (!p.hasCt ? NO : p.ctDir < 0 ? UNKNOWN : tri((p.ctDir === want) !== neg)),
        why: (p) => (p.ctDir < 0 ? 'direction not given' : `packet is in the ${p.ctDir ? 'reply' : 'original'} direction`),
        unknownReason: 'direction within the connection not given',
      };
    }
    return unknownStep(text, `ct ${left.key} not modelled`);
  }
  if (left.kind === 'fib') return fibStep(left.flags, left.result, neg, items, text, scope);
  return unknownStep(text, 'expression not understood');
}

// nft_ct.c: without a conntrack entry every ct key but `state` breaks the rule.
const NFT_WITHOUT_ENTRY = (): Tri => NO;

/** `ct original|reply [ip|ip6] saddr|daddr`, `ct original|reply proto-src|proto-dst` (ctTupleSteps.ts). */
function ctTupleStep(direction: 'original' | 'reply', key: string, op: NftMatchOp, eqLike: boolean, neg: boolean, items: string[], text: string): Step {
  const dir = direction === 'reply' ? 1 : 0;
  const addr = /^(?:(ip6?) )?([sd]addr)$/.exec(key);
  if (addr) {
    if (!eqLike) throw new Unsupported(`operator ${op} on addresses`);
    const els = addressElements(items);
    if (!els || els.length === 0) throw new Unsupported(`unreadable address in ${items.join(',')}`);
    // `ip saddr` names the family (NFT_CT_SRC_IP checks the entry's l3num); bare `saddr` takes the
    // table's (ip/ip6) or an earlier `meta nfproto` — nft refuses it otherwise — so the values tell.
    const family = addr[1] === 'ip6' ? 'ipv6' : addr[1] === 'ip' ? 'ipv4' : els[0].v.family;
    if (els.some((e) => e.v.family !== family)) throw new Unsupported(`address of the other family in ${items.join(',')}`);
    return ctTupleAddrStep(dir, addr[2] === 'saddr' ? 'src' : 'dst', family, els, neg, text, NFT_WITHOUT_ENTRY);
  }
  if (key === 'proto-src' || key === 'proto-dst') {
    const r = eqLike ? numberRanges(items) : compareRanges(op, items);
    return ctTuplePortStep(dir, key === 'proto-src' ? 'sport' : 'dport', r, neg, text, NFT_WITHOUT_ENTRY);
  }
  return unknownStep(text, `ct ${direction} ${key} not modelled`);
}

function familyOf(protocol: string): boolean | null {
  if (protocol === 'ip' || protocol === 'icmp') return false;
  if (protocol === 'ip6' || protocol === 'icmpv6') return true;
  return null;
}

function payloadStep(protocol: string, field: string, op: NftMatchOp, neg: boolean, eqLike: boolean, items: string[], text: string): Step {
  const v6 = familyOf(protocol);
  if ((protocol === 'ip' || protocol === 'ip6') && (field === 'saddr' || field === 'daddr')) {
    if (!eqLike) throw new Unsupported(`operator ${op} on addresses`);
    const els = addressElements(items);
    if (!els) throw new Unsupported(`unreadable address in ${items.join(',')}`);
    return addrStep(field === 'saddr' ? 'src' : 'dst', v6 ? 'ipv6' : 'ipv4', els, neg, text);
  }
  if ((protocol === 'ip' && field === 'protocol') || (protocol === 'ip6' && field === 'nexthdr')) {
    const protos = items.map((i) => protocolNumber(i));
    if (protos.some((p) => p === null)) throw new Unsupported(`unknown protocol in ${items.join(',')}`);
    const inner = protoStep(protos as number[], neg, text);
    return { ...inner, run: (p) => (p.v6 !== v6 ? NO : inner.run(p)) };
  }
  if ((protocol in PORT_PROTOS || protocol === 'th') && (field === 'sport' || field === 'dport')) {
    const r = eqLike ? numberRanges(items) : compareRanges(op, items);
    const need = PORT_PROTOS[protocol] ?? -1;
    const sport = field === 'sport';
    return {
      text,
      run: (p) => {
        if (need >= 0 && p.proto !== need) return NO;
        // `th dport` reads bytes 2-3 of any transport header; for ICMP that is the checksum — undecidable here.
        if (!hasPorts(p.proto)) return UNKNOWN;
        return tri(inRanges(sport ? p.sport : p.dport, r) !== neg);
      },
      why: (p) => (need >= 0 && p.proto !== need ? `protocol is ${protocolName(p.proto)}` : !hasPorts(p.proto) ? `${protocolName(p.proto)} has no ports` : sport ? `source port is ${p.sport}` : `destination port is ${p.dport}`),
      unknownReason: 'transport header bytes of a protocol without ports',
    };
  }
  if (protocol === 'tcp' && field === 'flags') {
    let mask = 0;
    for (const i of items) {
      const b = tcpFlagMask(i);
      if (b === null) throw new Unsupported(`unknown TCP flag ${i}`);
      mask |= b;
    }
    // implicit on a bitmask type: any of the flags set; `==`: exactly these flags.
    if (op === 'implicit') return { text, run: (p) => (p.proto !== 6 ? NO : tri((p.tcpFlags & mask) !== 0)), why: (p) => `TCP flags are 0x${p.tcpFlags.toString(16)}` };
    return tcpFlagsStep(0xff, mask, neg, text);
  }
  if ((protocol === 'icmp' || protocol === 'icmpv6') && (field === 'type' || field === 'code')) {
    const proto = v6 ? 58 : 1;
    const values = items.map((i) => (field === 'type' ? (icmpTypeSpec(i, v6 === true)?.[0] ?? null) : /^\d+$/.test(i) ? Number(i) : null));
    if (values.some((x) => x === null)) throw new Unsupported(`unknown ICMP ${field} in ${items.join(',')}`);
    return {
      text,
      run: (p) => (p.proto !== proto ? NO : tri(values.includes(field === 'type' ? p.icmpType : p.icmpCode) !== neg)),
      why: (p) => (p.proto !== proto ? `protocol is ${protocolName(p.proto)}` : `ICMP type/code is ${p.icmpType}/${p.icmpCode}`),
    };
  }
  if (protocol === 'ether' && field === 'saddr') {
    const macs = items.map((i) => i.toLowerCase());
    return { text, run: (p) => (p.srcMac === null ? UNKNOWN : tri(macs.includes(p.srcMac) !== neg)), why: (p) => (p.srcMac === null ? 'source MAC not known' : `source MAC is ${p.srcMac}`), unknownReason: 'source MAC of the sender not known' };
  }
  return unknownStep(text, `${protocol} ${field} not modelled`);
}

/** `fib daddr type local`, `fib daddr . iif type local` (nft_fib.c, result type = address type). */
function fibStep(flags: string[], result: string, neg: boolean, items: string[], text: string, scope: NftMatchScope): Step {
  if (result !== 'type') return unknownStep(text, 'fib lookup in the routing table not modelled');
  const addr = flags.includes('daddr') ? 'dst' : flags.includes('saddr') ? 'src' : null;
  if (!addr) return unknownStep(text, 'fib lookup keys not understood');
  let mask = 0;
  for (const i of items) {
    const b = ADDRTYPE_BITS[i.toUpperCase()];
    if (b === undefined) return unknownStep(text, `fib type ${i} depends on routes`);
    mask |= b;
  }
  const byIif = flags.includes('iif');
  const byOif = flags.includes('oif');
  const info = scope.ctx.addresses;
  const typeOf = (p: CompiledPacket): number => {
    const only = byIif ? p.hIifName : byOif ? p.hOifName : null;
    return addr === 'dst' ? addressType(info, p.v6, p.d0, p.d1, p.d2, p.d3, only) : addressType(info, p.v6, p.s0, p.s1, p.s2, p.s3, only);
  };
  return {
    text,
    run: (p) => {
      const t = typeOf(p);
      return t < 0 ? UNKNOWN : tri(((t & mask) !== 0) !== neg);
    },
    why: (p) => (typeOf(p) < 0 ? "host's interface addresses not given" : `address type is ${Object.keys(ADDRTYPE_BITS).find((k) => ADDRTYPE_BITS[k] === typeOf(p))}`),
    unknownReason: "host's interface addresses not given",
  };
}
