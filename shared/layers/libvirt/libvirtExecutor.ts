// Runs LibvirtCommands on the host port: parses the argv as iptables/nft
// would, applies it, logs it, and turns a failure into the tool's message.
// Builders for the command lines libvirt writes (fixtures */commands.txt).

import type { Family, Provenance } from '../../netfilter/model.ts';
import { commandText, parseLibvirtIpt, parseLibvirtNft, type LibvirtCommand } from './libvirtCommand.ts';
import type { LibvirtCause, LibvirtHostPort } from './libvirtHostPort.ts';
import type { LibvirtFlavour } from './libvirtVersion.ts';
import { chainName, type IptRuleSpec } from './iptablesNetworkRules.ts';
import { NFT_TABLE, nftFamilyWord, type NftRuleSpec } from './nftNetworkRules.ts';

export function iptCommand(flavour: LibvirtFlavour, family: Family, args: string[], reason: string, ignoreErrors = false): LibvirtCommand {
  const tool = family === 'ipv4' ? 'iptables' : 'ip6tables';
  const full = ['-w', ...args];
  const cmd: LibvirtCommand = { tool, family, args: full, text: commandText(`${flavour.toolPrefix}${tool}`, full), reason };
  if (ignoreErrors) cmd.ignoreErrors = true;
  return cmd;
}

export function iptRuleCommand(flavour: LibvirtFlavour, rule: IptRuleSpec, op: '--insert' | '--delete', ignoreErrors = false): LibvirtCommand {
  return iptCommand(flavour, rule.family, ['--table', rule.table, op, chainName(flavour.layout, rule.role), ...rule.spec], rule.reason, ignoreErrors);
}

export function nftCommand(family: Family, args: string[], reason: string, ignoreErrors = false): LibvirtCommand {
  const cmd: LibvirtCommand = { tool: 'nft', family, args, text: commandText('nft', args), reason };
  if (ignoreErrors) cmd.ignoreErrors = true;
  return cmd;
}

export function nftInsertCommand(rule: NftRuleSpec): LibvirtCommand {
  return nftCommand(rule.family, ['-ae', 'insert', 'rule', nftFamilyWord(rule.family), NFT_TABLE, rule.chain, ...rule.spec], rule.reason);
}

export function nftDeleteCommand(family: Family, chain: string, handle: number, reason: string): LibvirtCommand {
  return nftCommand(family, ['delete', 'rule', nftFamilyWord(family), NFT_TABLE, chain, 'handle', String(handle)], reason, true);
}

export interface ExecResult {
  error: string | null;
  handle?: number;
}

/** Runs one command; never throws (a parse problem is reported like the tool's own error). */
export function execLibvirtCommand(host: LibvirtHostPort, command: LibvirtCommand, provenance: Provenance): ExecResult {
  let result: ExecResult;
  try {
    if (command.tool === 'nft') {
      result = { error: null };
      for (const c of parseLibvirtNft(command)) {
        const r = host.runNft(c, provenance);
        if (r.error) {
          result = { error: r.error };
          break;
        }
        if (r.handle !== undefined) result.handle = r.handle;
      }
    } else {
      const error = host.runIpt(command.family, parseLibvirtIpt(command), provenance);
      result = { error: error && command.tool === 'ip6tables' ? error.replace(/^iptables:/, 'ip6tables:') : error };
    }
  } catch (e) {
    result = { error: e instanceof Error ? e.message : String(e) };
  }
  host.executed?.(command, result.error);
  return result;
}

export function libvirtProvenance(layerLabel: string, cause: LibvirtCause, reason: string): Provenance {
  const p: Provenance = { layer: 'libvirt', layerLabel, event: cause.event, reason };
  if (cause.eventId !== undefined) p.eventId = cause.eventId;
  return p;
}
