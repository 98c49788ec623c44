// The verdict path through one base chain: the same walk as runChain.ts
// (jump/goto/return/policy), but over each chain's candidate list for the
// packet's interface pair, with inline prefilters, no trace and no allocation.

import {
  A_ACCEPT, A_CONTINUE, A_DROP, A_GOTO, A_JUMP, A_NAT, A_REJECT, A_RETURN, NO,
  type AddressColumns, type CompiledHost, type CompiledRule, type HookChain,
} from './compiledForm.ts';
import type { CompiledPacket } from './compiledPacket.ts';
import { addressColumns, candidates, prefilterPasses } from './fastRule.ts';
import { matchRule, policy } from './runChain.ts';
import { MAX_DEPTH, R_ACCEPT, R_DROP, R_NAT, R_NEED, R_REJECT, R_UNDETERMINED, noteMarkChange, type RunScratch } from './runScratch.ts';

const YES = 1;

function matchFast(host: CompiledHost, s: RunScratch, rule: CompiledRule, p: CompiledPacket): number {
  const f = rule.fast;
  if (!prefilterPasses(f, p)) return NO;
  // Undecidable-capable rules take the full path (assumptions, peek-ahead); the prefilter passed, so
  // re-running its steps there changes nothing.
  if (f.mayBeUnknown) return matchRule(host, s, rule, p);
  const steps = f.steps;
  for (let i = 0; i < steps.length; i++) if (steps[i].run(p) === NO) return NO;
  return YES;
}

/** The IPv4 prefix and range tests of the prefilter, from the columns. */
function addressesPass(cols: AddressColumns, idx: number, fl: number, p: CompiledPacket): boolean {
  if ((fl & 1) !== 0 && ((p.s0 & cols.srcMask[idx]) === cols.srcNet[idx]) === ((fl & 2) !== 0)) return false;
  if ((fl & 4) !== 0 && ((p.d0 & cols.dstMask[idx]) === cols.dstNet[idx]) === ((fl & 8) !== 0)) return false;
  if ((fl & 16) !== 0) {
    const a = p.s0 >>> 0;
    if ((a >= cols.srcLo[idx] && a <= cols.srcHi[idx]) === ((fl & 32) !== 0)) return false;
  }
  if ((fl & 64) !== 0) {
    const a = p.d0 >>> 0;
    if ((a >= cols.dstLo[idx] && a <= cols.dstHi[idx]) === ((fl & 128) !== 0)) return false;
  }
  return true;
}

export function runChainFast(host: CompiledHost, s: RunScratch, hc: HookChain, p: CompiledPacket): number {
  let chain = hc.chain;
  let list = candidates(chain, p);
  let cols = addressColumns(chain);
  let i = 0;
  let sp = 0;
  for (;;) {
    if (i >= list.length) {
      if (sp === 0) return policy(s, hc, null, chain.name);
      sp--;
      chain = s.stackChain[sp]!;
      list = s.stackList[sp]!;
      cols = addressColumns(chain);
      i = s.stackIndex[sp];
      continue;
    }
    const idx = list[i];
    // Early out on the IPv4 prefixes, from the contiguous columns (same test as the prefilter's).
    const fl = cols.flags[idx];
    if (fl !== 0 && !p.v6 && !addressesPass(cols, idx, fl, p)) {
      i++;
      continue;
    }
    const pt = cols.pktTypes[idx];
    if (pt !== 0 && p.pktType >= 0 && ((pt & (1 << p.pktType)) !== 0) === ((pt & 0x80) !== 0)) {
      i++;
      continue;
    }
    const rule = chain.rules[idx];
    const mark0 = p.mark;
    const connmark0 = p.connmark;
    const tracked0 = !p.notracked;
    const m = matchFast(host, s, rule, p);
    if (m === R_NEED) return R_NEED;
    if (p.mark !== mark0 || p.connmark !== connmark0) noteMarkChange(s, rule, p, mark0, connmark0);
    if (tracked0 && p.notracked) s.untrackedBy = rule;
    if (m === NO) {
      i++;
      continue;
    }
    switch (rule.action) {
      case A_CONTINUE:
        i++;
        break;
      case A_ACCEPT:
        s.decidingRule = rule;
        if (s.accepted) s.accepted.push(rule);
        return R_ACCEPT;
      case A_DROP:
        s.decidingRule = rule;
        return R_DROP;
      case A_REJECT:
        s.decidingRule = rule;
        return R_REJECT;
      case A_NAT:
        s.natRule = rule;
        s.natChain = hc;
        if (s.accepted) s.accepted.push(rule);
        return R_NAT;
      case A_RETURN:
        if (sp === 0) return policy(s, hc, null, chain.name);
        sp--;
        chain = s.stackChain[sp]!;
        list = s.stackList[sp]!;
        cols = addressColumns(chain);
        i = s.stackIndex[sp];
        break;
      case A_JUMP:
        if (sp >= MAX_DEPTH) {
          s.decidingRule = rule;
          s.undeterminedReason = `jump depth above ${MAX_DEPTH} (a loop the kernel would refuse)`;
          return R_UNDETERMINED;
        }
        s.stackChain[sp] = chain;
        s.stackList[sp] = list;
        s.stackIndex[sp] = i + 1;
        sp++;
        chain = rule.target!;
        list = candidates(chain, p);
        cols = addressColumns(chain);
        i = 0;
        break;
      case A_GOTO:
        chain = rule.target!;
        list = candidates(chain, p);
        cols = addressColumns(chain);
        i = 0;
        break;
      default:
        s.decidingRule = rule;
        s.undeterminedReason = rule.undeterminedReason ?? 'not modelled';
        return R_UNDETERMINED;
    }
  }
}
