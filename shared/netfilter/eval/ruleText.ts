// The rule text shown in traces and RuleRefs ("the rule as written"):
// iptables rules through the iptables-save printer (formatIptRule). nft
// statements: local formatting until the nft printer is committed.

import type { IptRule, NftRule, NftStatement, NftValue, NftExpr } from '../model.ts';
import { formatIptRule } from '../iptables/printIptablesSave.ts';

export function iptRuleText(chain: string, rule: IptRule): string {
  return formatIptRule(chain, rule);
}

function exprText(e: NftExpr): string {
  switch (e.kind) {
    case 'payload': return `${e.protocol} ${e.field}`;
    case 'meta': return ['iifname', 'oifname', 'iif', 'oif', 'mark', 'l4proto', 'nfproto', 'pkttype', 'skuid', 'skgid'].includes(e.key) && e.key !== 'l4proto' && e.key !== 'nfproto' ? e.key : `meta ${e.key}`;
    case 'ct': return e.direction ? `ct ${e.direction} ${e.key}` : `ct ${e.key}`;
    case 'fib': return `fib ${e.flags.join(' . ')} ${e.result}`;
    case 'raw': return e.text;
  }
}

function valueText(v: NftValue): string {
  switch (v.kind) {
    case 'literal': return v.text;
    case 'prefix': return `${v.address}/${v.length}`;
    case 'range': return `${v.from}-${v.to}`;
    case 'set': return `{ ${v.elements.map(valueText).join(', ')} }`;
    case 'setref': return `@${v.name}`;
    case 'flags': return v.items.join(',');
    case 'variable': return `$${v.name}`;
  }
}

export function nftStatementText(s: NftStatement): string {
  switch (s.kind) {
    case 'match': return `${exprText(s.left)} ${s.op === 'implicit' || s.op === '==' ? '' : `${s.op} `}${valueText(s.right)}`;
    case 'verdict': return s.chain ? `${s.verdict} ${s.chain}` : s.verdict;
    case 'reject': return s.withType ? `reject with ${s.withType}${s.code ? ` ${s.code}` : ''}` : 'reject';
    case 'nat': return `${s.type}${s.to ? ` to ${s.to}` : ''}${s.flags?.length ? ` ${s.flags.join(',')}` : ''}`;
    case 'counter': return 'counter';
    case 'log': return s.prefix !== undefined ? `log prefix ${JSON.stringify(s.prefix)}` : 'log';
    case 'limit': return `limit rate ${s.over ? 'over ' : ''}${s.rate}/${s.unit}${s.burst !== undefined ? ` burst ${s.burst} ${s.burstUnit ?? 'packets'}` : ''}`;
    case 'comment': return `comment ${JSON.stringify(s.text)}`;
    case 'set-key': return `${exprText(s.target)} set ${s.value}`;
    case 'notrack': return 'notrack';
    case 'other': return s.text;
  }
}

export function nftRuleText(rule: NftRule): string {
  return rule.statements.map(nftStatementText).join(' ');
}
