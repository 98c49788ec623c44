// iptables targets → the compiled action, plus effect steps for the
// non-terminating targets that change what later rules see (MARK, CONNMARK,
// CT --notrack). Terminating/non-terminating per iptables(8) and the extension
// man pages (firewall-layers.md §5 facts 6, 10, 12).

import type { Family, IptOption, IptTarget } from '../model.ts';
import {
  A_ACCEPT, A_CONTINUE, A_DROP, A_GOTO, A_JUMP, A_NAT, A_QUEUE, A_REJECT, A_RETURN, A_UNDETERMINED,
  type NatSpec, type RejectWith, type Step,
} from './compiledForm.ts';
import { markValue, splitNatTo } from './compileContext.ts';
import type { CompiledPacket } from './compiledPacket.ts';
import { untrack } from './untrack.ts';
import { effectStep } from './matchSteps.ts';
import { iptRejectWith } from './rejectKinds.ts';

export interface TargetPlan {
  action: number;
  /** Jump/goto target chain name (resolved by the caller). */
  chainName: string | null;
  reject: RejectWith | null;
  nat: NatSpec | null;
  /** Effects to run when the rule matches (before the action). */
  effects: Step[];
  actionText: string;
  undeterminedReason: string | null;
}

/** Targets that only observe or tweak the packet; traversal continues (iptables(8), libxt_*.man). */
const CONTINUING = new Set([
  'LOG', 'NFLOG', 'ULOG', 'TCPMSS', 'CHECKSUM', 'TRACE', 'CLASSIFY', 'DSCP', 'TOS', 'TTL', 'HL', 'SET', 'SECMARK',
  'CONNSECMARK', 'AUDIT', 'IDLETIMER', 'LED', 'ECN', 'TCPOPTSTRIP', 'RATEEST', 'TEE',
]);

export function targetText(t: IptTarget | null): string {
  if (!t) return '(no target: counts only)';
  const opts = t.options.map((o) => `${o.negated ? '! ' : ''}--${o.name}${o.values.map((v) => ` ${v}`).join('')}`).join(' ');
  return `${t.goto ? '-g' : '-j'} ${t.name}${opts ? ` ${opts}` : ''}`;
}

function option(t: IptTarget, name: string): IptOption | undefined {
  return t.options.find((o) => o.name === name);
}

function markEffect(t: IptTarget, text: string, which: 'mark' | 'connmark'): Step | string {
  const apply = (p: CompiledPacket, f: (x: number) => number): void => {
    if (which === 'mark') p.mark = f(p.mark) >>> 0;
    else if (p.hasCt) p.connmark = f(p.connmark) >>> 0;
  };
  const get = (n: string): [number, number] | null => {
    const o = option(t, n);
    return o ? markValue(o.values[0] ?? '') : null;
  };
  const xm = get('set-xmark');
  if (xm) return effectStep(text, (p) => apply(p, (x) => (x & ~xm[1]) ^ xm[0]));
  const sm = get('set-mark');
  if (sm) return effectStep(text, (p) => apply(p, (x) => (x & ~sm[1]) | sm[0]));
  const am = get('and-mark');
  if (am) return effectStep(text, (p) => apply(p, (x) => x & am[0]));
  const om = get('or-mark');
  if (om) return effectStep(text, (p) => apply(p, (x) => x | om[0]));
  const xo = get('xor-mark');
  if (xo) return effectStep(text, (p) => apply(p, (x) => x ^ xo[0]));
  if (which === 'connmark' && (option(t, 'save-mark') || option(t, 'restore-mark'))) {
    // libxt_CONNMARK.man: --save-mark: ctmark = (ctmark & ~ctmask) ^ (nfmark & nfmask); --restore-mark: the reverse.
    const mask = get('mask');
    const nfmask = get('nfmask')?.[0] ?? mask?.[0] ?? 0xffffffff;
    const ctmask = get('ctmask')?.[0] ?? mask?.[0] ?? 0xffffffff;
    if (option(t, 'save-mark')) return effectStep(text, (p) => { if (p.hasCt) p.connmark = ((p.connmark & ~ctmask) ^ (p.mark & nfmask)) >>> 0; });
    return effectStep(text, (p) => { if (p.hasCt) p.mark = ((p.mark & ~nfmask) ^ (p.connmark & ctmask)) >>> 0; });
  }
  return `${t.name} options not understood`;
}

function natSpec(t: IptTarget): NatSpec {
  const to = option(t, 'to-source') ?? option(t, 'to-destination') ?? option(t, 'to');
  const ports = option(t, 'to-ports');
  const type = t.name === 'MASQUERADE' ? 'masquerade' : t.name === 'SNAT' ? 'snat' : t.name === 'DNAT' ? 'dnat' : 'redirect';
  const spec: NatSpec = { type };
  if (to) Object.assign(spec, splitNatTo(to.values[0] ?? ''));
  if (ports) spec.toPorts = ports.values[0];
  return spec;
}

/** The compiled action of an iptables target; `isChain` says whether a name is a chain of the table. */
export function iptTargetPlan(t: IptTarget | null, family: Family, isChain: (name: string) => boolean): TargetPlan {
  const actionText = targetText(t);
  const plan: TargetPlan = { action: A_CONTINUE, chainName: null, reject: null, nat: null, effects: [], actionText, undeterminedReason: null };
  if (!t) return plan;
  const undetermined = (why: string): TargetPlan => ({ ...plan, action: A_UNDETERMINED, undeterminedReason: why });
  switch (t.name) {
    case 'ACCEPT': return { ...plan, action: A_ACCEPT };
    case 'DROP': return { ...plan, action: A_DROP };
    case 'RETURN': return { ...plan, action: A_RETURN };
    case 'REJECT': {
      const w = option(t, 'reject-with')?.values[0];
      const reject = iptRejectWith(family, w);
      if (!reject) return undetermined(`unknown --reject-with ${w}`);
      return { ...plan, action: A_REJECT, reject };
    }
    case 'MASQUERADE': case 'SNAT': case 'DNAT': case 'REDIRECT':
      return { ...plan, action: A_NAT, nat: natSpec(t) };
    case 'NETMAP':
      return undetermined('NETMAP address mapping not modelled');
    case 'MARK': case 'CONNMARK': {
      const e = markEffect(t, actionText, t.name === 'MARK' ? 'mark' : 'connmark');
      if (typeof e === 'string') return undetermined(e);
      return { ...plan, effects: [e] };
    }
    case 'CT': case 'NOTRACK':
      if (t.name === 'NOTRACK' || option(t, 'notrack')) {
        return { ...plan, effects: [effectStep(actionText, untrack)] };
      }
      return plan; // zone/helper/timeout templates: no verdict effect
    case 'QUEUE': case 'NFQUEUE':
      return { ...plan, action: A_QUEUE, undeterminedReason: 'a userspace program (NFQUEUE) decides the verdict' };
    case 'TPROXY': case 'SYNPROXY': case 'CLUSTERIP': case 'HMARK':
      return undetermined(`${t.name} not modelled`);
    default:
      if (CONTINUING.has(t.name)) return plan;
      if (isChain(t.name)) return { ...plan, action: t.goto ? A_GOTO : A_JUMP, chainName: t.name };
      return undetermined(`target ${t.name} is neither a known extension nor a chain of this table`);
  }
}
