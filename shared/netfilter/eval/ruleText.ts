// The rule text shown in traces and RuleRefs ("the rule as written"): the
// printers' canonical forms — iptables-save's `-A CHAIN …` and nft's statement
// syntax as `nft list ruleset` shows it.

import type { IptRule, NftRule, NftStatement } from '../model.ts';
import { formatIptRule } from '../iptables/printIptablesSave.ts';
import { formatNftStatement } from '../nft/formatNftStatement.ts';
import { formatNftRule } from '../nft/printNftRuleset.ts';

export function iptRuleText(chain: string, rule: IptRule): string {
  return formatIptRule(chain, rule);
}

export function nftStatementText(s: NftStatement): string {
  return formatNftStatement(s);
}

export function nftRuleText(rule: NftRule): string {
  return formatNftRule(rule);
}
