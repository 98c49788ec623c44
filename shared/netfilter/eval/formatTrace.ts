// Human-readable trace: every visited rule in order with where it lives, the
// rule text as written, and whether it matched or which match failed and why.

import type { HookOutcome, TraceEntry } from './hookResult.ts';
import { describeOutcome } from './describeOutcome.ts';

export function formatTrace(trace: TraceEntry[]): string[] {
  const lines: string[] = [];
  let depth = 0;
  for (const e of trace) {
    const pad = '  '.repeat(depth + 1);
    switch (e.kind) {
      case 'chain':
        if (e.via === 'hook') {
          depth = 0;
          lines.push(`[${e.ruleset}] ${e.chain} (priority ${e.priority})`);
        } else if (e.via === 'return') {
          depth = Math.max(0, depth - 1);
          lines.push(`${'  '.repeat(depth + 1)}<- back in ${e.chain}`);
        } else {
          lines.push(`${pad}-> ${e.via} ${e.chain}`);
          if (e.via === 'jump') depth++;
        }
        break;
      case 'rule': {
        const head = `${pad}${String(e.ref.position).padStart(3)}  ${e.ref.text}`;
        if (e.result === 'no-match' || e.result === 'assumed-no-match') lines.push(`${head}\n${pad}       no: ${e.failed?.match}: ${e.failed?.why}`);
        else {
          const assumed = e.result === 'assumed-match' ? ` (assumed: ${e.unknown?.map((u) => `${u.match} — ${u.why}`).join('; ')})` : '';
          lines.push(`${head}\n${pad}       match${assumed}${e.effects?.length ? `; effects: ${e.effects.join(', ')}` : ''}`);
        }
        break;
      }
      case 'chain-end':
        lines.push(`${pad}(end of ${e.chain}: ${e.then === 'policy' ? 'chain policy' : 'return'})`);
        break;
      case 'policy':
        lines.push(`${pad}policy ${e.verdict.toUpperCase()}`);
        break;
      case 'skip':
        lines.push(`[${e.ruleset}] ${e.chain}: skipped — ${e.reason}`);
        break;
      case 'note':
        lines.push(`${pad}note: ${e.text}`);
        break;
    }
  }
  return lines;
}

/** Every leaf's trace, labelled with the assumptions that lead to it. */
export function formatOutcomeTraces(outcome: HookOutcome): string[] {
  const out: string[] = [];
  const walk = (o: HookOutcome): void => {
    if (o.kind === 'conditional') {
      walk(o.ifMatches);
      walk(o.ifNotMatches);
      return;
    }
    if (o.assumptions.length > 0) {
      out.push(`-- assuming ${o.assumptions.map((a) => `${a.rule.table} ${a.rule.chain} rule ${a.rule.position} ${a.matches ? 'matches' : 'does not match'}`).join(', ')}:`);
    }
    if (o.kind === 'capped') out.push(`   ${o.reason}`);
    else {
      if (o.trace) out.push(...formatTrace(o.trace));
      out.push(`=> ${describeOutcome(o)}`);
    }
  };
  walk(outcome);
  return out;
}
