// One nft statement / expression / value as `nft list ruleset` prints it
// (nftables src/statement.c, src/meta.c, src/ct.c; compared with nft 1.0.6 and
// the 1.1.3 fixtures under v11-nftables/). Statements the parser could not
// structure are `{ kind: 'other' }` and print back verbatim.

import type { NftExpr, NftStatement, NftValue } from '../model.ts';

/** meta keys nft prints without the `meta` keyword (src/meta.c meta_key_is_unqualified). */
const UNQUALIFIED_META = new Set(['iif', 'oif', 'iifname', 'oifname', 'iifgroup', 'oifgroup']);

export function formatNftExpr(expr: NftExpr): string {
  switch (expr.kind) {
    case 'payload':
      return `${expr.protocol} ${expr.field}`;
    case 'meta':
      return UNQUALIFIED_META.has(expr.key) ? expr.key : `meta ${expr.key}`;
    case 'ct':
      return expr.direction ? `ct ${expr.direction} ${expr.key}` : `ct ${expr.key}`;
    case 'fib':
      return `fib ${expr.flags.join(' . ')} ${expr.result}`;
    case 'raw':
      return expr.text;
  }
}

export function formatNftValue(value: NftValue): string {
  switch (value.kind) {
    case 'literal':
      return value.text;
    case 'prefix':
      return `${value.address}/${value.length}`;
    case 'range':
      return `${value.from}-${value.to}`;
    case 'set':
      return `{ ${value.elements.map(formatNftValue).join(', ')} }`;
    case 'setref':
      return `@${value.name}`;
    case 'flags':
      return value.items.join(',');
    case 'variable':
      return `$${value.name}`;
  }
}

/** A quoted string as nft prints it (`"virbr3"`, `prefix "SFW2 "`). */
export function nftQuoted(text: string): string {
  return `"${text.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

export function formatNftStatement(s: NftStatement): string {
  switch (s.kind) {
    case 'match': {
      const left = formatNftExpr(s.left);
      const right = formatNftValue(s.right);
      return s.op === 'implicit' ? `${left} ${right}` : `${left} ${s.op} ${right}`;
    }
    case 'verdict':
      if (s.verdict === 'jump' || s.verdict === 'goto') return `${s.verdict} ${s.chain ?? ''}`;
      if (s.verdict === 'queue') return s.queueNum !== undefined ? `queue num ${s.queueNum}` : 'queue';
      return s.verdict;
    case 'reject':
      if (!s.withType) return 'reject';
      if (s.withType === 'tcp reset') return 'reject with tcp reset';
      return s.code !== undefined ? `reject with ${s.withType} ${s.code}` : `reject with ${s.withType}`;
    case 'nat': {
      let text = s.type;
      if (s.family) text += ` ${s.family}`;
      if (s.to !== undefined) text += ` to ${s.to}`;
      if (s.flags?.length) text += ` ${s.flags.join(',')}`;
      return text;
    }
    case 'counter':
      return s.packets !== undefined ? `counter packets ${s.packets} bytes ${s.bytes ?? 0}` : 'counter';
    case 'log': {
      let text = 'log';
      if (s.prefix !== undefined) text += ` prefix ${nftQuoted(s.prefix)}`;
      if (s.group !== undefined) text += ` group ${s.group}`;
      if (s.level !== undefined) text += ` level ${s.level}`;
      if (s.flags?.length) text += ` flags ${s.flags.join(',')}`;
      return text;
    }
    case 'limit': {
      const rate = s.unit.includes('/') ? `${s.rate} ${s.unit}` : `${s.rate}/${s.unit}`;
      let text = `limit rate ${s.over ? 'over ' : ''}${rate}`;
      if (s.burst !== undefined) text += ` burst ${s.burst} ${s.burstUnit ?? 'packets'}`;
      return text;
    }
    case 'comment':
      return `comment ${nftQuoted(s.text)}`;
    case 'set-key':
      return `${formatNftExpr(s.target)} set ${s.value}`;
    case 'notrack':
      return 'notrack';
    case 'other':
      return s.text;
  }
}
