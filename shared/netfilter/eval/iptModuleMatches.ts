// iptables match modules whose options interact, so one block compiles as a
// whole: conntrack/state (xt_conntrack.c: without a conntrack entry only
// --ctstate is tested), physdev (xt_physdev.c physdev_mt), addrtype
// (xt_addrtype.c, with --limit-iface-in/out).

import type { IptMatch, IptOption } from '../model.ts';
import { NO, UNKNOWN, YES, type Step, type Tri } from './compiledForm.ts';
import { parseNet } from './addressNumbers.ts';
import { portRange, type CompileContext } from './compileContext.ts';
import { ctTupleAddrStep, ctTuplePortStep, type TupleDirection } from './ctTupleSteps.ts';
import { CT_STATE_BITS, CT_STATUS_BITS, type CompiledPacket } from './compiledPacket.ts';
import { ADDRTYPE_BITS, addressType } from './hostAddresses.ts';
import { iptOptionText } from './iptMatchSteps.ts';
import { ctStateStep, unknownStep } from './matchSteps.ts';
import { protocolNumber } from './protocolNumbers.ts';

const tri = (b: boolean): Tri => (b ? YES : NO);

function opt(match: IptMatch, name: string): IptOption | undefined {
  return match.options.find((o) => o.name === name);
}

export function conntrackStep(o: IptOption, text: string, match: IptMatch, bad: (why: string) => Step): Step {
  const v = o.values[0] ?? '';
  const neg = o.negated;
  const hasStateOpt = match.options.some((x) => x.name === 'ctstate' || x.name === 'state');
  if (o.name === 'ctstate' || o.name === 'state') {
    let mask = 0;
    for (const s of v.split(',')) {
      const bit = CT_STATE_BITS[s.trim().toUpperCase()];
      if (bit === undefined) return bad(`unknown conntrack state ${s}`);
      mask |= bit;
    }
    return ctStateStep(mask, neg, text);
  }
  // xt_conntrack.c conntrack_mt: without a conntrack entry only --ctstate is tested; the rule then
  // matches iff it had a --ctstate option (which passed).
  const noCt = (p: CompiledPacket): Tri | null => (p.hasCt ? null : tri(hasStateOpt));
  if (o.name === 'ctstatus') {
    let mask = 0;
    for (const s of v.split(',')) {
      const bit = CT_STATUS_BITS[s.trim().toUpperCase() as keyof typeof CT_STATUS_BITS];
      if (bit === undefined && s.trim().toUpperCase() !== 'NONE') return bad(`unknown conntrack status ${s}`);
      mask |= bit ?? 0;
    }
    return {
      text,
      run: (p) => noCt(p) ?? (p.ctStatus < 0 ? UNKNOWN : tri(((p.ctStatus & mask) !== 0) !== neg)),
      why: (p) => (!p.hasCt ? 'no conntrack entry' : p.ctStatus < 0 ? 'conntrack status not given' : `conntrack status bits 0x${p.ctStatus.toString(16)}`),
      unknownReason: 'conntrack status not given',
    };
  }
  if (o.name === 'ctproto') {
    const n = protocolNumber(v);
    if (n === null) return bad(`unknown protocol ${v}`);
    return { text, run: (p) => noCt(p) ?? tri((p.proto === n) !== neg), why: (p) => (p.hasCt ? `protocol is ${p.proto}` : 'no conntrack entry') };
  }
  if (o.name === 'ctdir') {
    const want = v.toUpperCase() === 'REPLY' ? 1 : 0;
    return {
      text,
      run: (p) => noCt(p) ?? (p.ctDir < 0 ? UNKNOWN : tri((p.ctDir === want) !== neg)),
      why: (p) => (p.ctDir < 0 ? 'direction within the connection not given' : `packet is in the ${p.ctDir ? 'reply' : 'original'} direction`),
      unknownReason: 'direction within the connection not given',
    };
  }
  const tuple = CT_TUPLE_OPTIONS[o.name];
  if (tuple) {
    const [dir, field] = tuple;
    const withoutEntry = (): Tri => tri(hasStateOpt);
    if (field === 'src' || field === 'dst') {
      const net = parseNet(v);
      return ctTupleAddrStep(dir, field, net.family, [{ kind: 'net', v: net }], neg, text, withoutEntry);
    }
    const r = portRange(v);
    if (!r) return bad(`unreadable port ${v}`);
    return ctTuplePortStep(dir, field, [r], neg, text, withoutEntry);
  }
  return unknownStep(text, `conntrack --${o.name} (expiry of the connection) not modelled`);
}

/** libxt_conntrack.man: --ctorigsrc [!] address[/mask] … --ctrepldstport [!] port[:port]. */
const CT_TUPLE_OPTIONS: Record<string, [TupleDirection, 'src' | 'dst' | 'sport' | 'dport']> = {
  ctorigsrc: [0, 'src'], ctorigdst: [0, 'dst'], ctreplsrc: [1, 'src'], ctrepldst: [1, 'dst'],
  ctorigsrcport: [0, 'sport'], ctorigdstport: [0, 'dport'], ctreplsrcport: [1, 'sport'], ctrepldstport: [1, 'dport'],
};

/** xt_physdev.c physdev_mt, all options of the block at once (they interact). */
export function physdevModuleStep(match: IptMatch, first: boolean): Step | null {
  if (!first) return null;
  const get = (n: string): IptOption | undefined => opt(match, n);
  const inO = get('physdev-in');
  const outO = get('physdev-out');
  const isIn = get('physdev-is-in');
  const isOut = get('physdev-is-out');
  const bridged = get('physdev-is-bridged');
  const all = match.options.map((o) => iptOptionText('physdev', o).replace(/^-m physdev /, '')).join(' ');
  const nameHit = (port: string, pattern: string): boolean => (pattern.endsWith('+') ? port.startsWith(pattern.slice(0, -1)) : port === pattern);
  const run = (p: CompiledPacket): Tri => {
    if (p.hPhysIn === null && p.hPhysOut === null) {
      // No bridge info: match only if every used option is inverted.
      for (const o of [inO, outO, isIn, isOut, bridged]) if (o && !o.negated) return NO;
      return YES;
    }
    const outdev = p.hPhysOut;
    const indev = p.hPhysIn;
    if (bridged && (outdev !== null) === bridged.negated) return NO;
    if (isIn && (indev === null) !== isIn.negated) return NO;
    if (isOut && (outdev === null) !== isOut.negated) return NO;
    if (inO && indev !== null && nameHit(indev, inO.values[0]) === inO.negated) return NO;
    if (!outO) return YES;
    if (outdev === null) return tri(!outO.negated);
    return tri(nameHit(outdev, outO.values[0]) !== outO.negated);
  };
  return {
    text: `-m physdev ${all}`,
    run,
    why: (p) => (p.hPhysIn === null && p.hPhysOut === null ? 'packet did not come through a bridge port' : `bridge ports in=${p.hPhysIn ?? '-'} out=${p.hPhysOut ?? '-'} (${p.bridged ? 'bridged' : 'routed'})`),
  };
}

export function addrtypeStep(o: IptOption, text: string, match: IptMatch, ctx: CompileContext, v6: boolean, bad: (why: string) => Step): Step | null {
  if (o.name === 'limit-iface-in' || o.name === 'limit-iface-out') return null;
  const which = o.name === 'src-type' ? 'src' : o.name === 'dst-type' ? 'dst' : null;
  if (!which) return bad(`unknown addrtype option --${o.name}`);
  let mask = 0;
  for (const t of (o.values[0] ?? '').split(',')) {
    const bit = ADDRTYPE_BITS[t.trim().toUpperCase()];
    if (bit === undefined) return unknownStep(text, `address type ${t} depends on routes`);
    mask |= bit;
  }
  const limitIn = match.options.some((x) => x.name === 'limit-iface-in');
  const limitOut = match.options.some((x) => x.name === 'limit-iface-out');
  const info = ctx.addresses;
  const neg = o.negated;
  const typeOf = (p: CompiledPacket): number => {
    const only = limitIn ? p.hIifName : limitOut ? p.hOifName : null;
    return which === 'src' ? addressType(info, v6, p.s0, p.s1, p.s2, p.s3, only) : addressType(info, v6, p.d0, p.d1, p.d2, p.d3, only);
  };
  return {
    text,
    run: (p) => {
      const t = typeOf(p);
      return t < 0 ? UNKNOWN : tri(((t & mask) !== 0) !== neg);
    },
    why: (p) => {
      const t = typeOf(p);
      return t < 0 ? "host's interface addresses not given" : `${which === 'src' ? 'source' : 'destination'} is ${Object.keys(ADDRTYPE_BITS).find((k) => ADDRTYPE_BITS[k] === t)}`;
    },
    unknownReason: "host's interface addresses not given",
  };
}

