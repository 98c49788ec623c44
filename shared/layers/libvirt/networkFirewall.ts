// Adding and removing one network's rules, as libvirt does it
// (network_iptables.c / network_nftables.c, libvirt.md §2–§4):
//   add     the first transaction's commands in order; the first failure stops
//           it, its rollback runs (removals, errors ignored) and the start
//           fails with libvirt's message. iptables: the CHECKSUM rule follows
//           as its own transaction whose errors are ignored.
//   removal < 10.4: recomputed from the definition (9.0's order);
//           ≥ 10.4: the stored list — every applied add, reversed, as
//           `--delete` (iptables) or `delete rule … handle N` (nft).

import type { LibvirtCommand } from './libvirtCommand.ts';
import { execLibvirtCommand, iptRuleCommand, libvirtProvenance, nftDeleteCommand, nftInsertCommand } from './libvirtExecutor.ts';
import type { LibvirtCause, LibvirtHostPort } from './libvirtHostPort.ts';
import { libvirtFailureMessage, type LibvirtFlavour } from './libvirtVersion.ts';
import { iptablesNetworkRules } from './iptablesNetworkRules.ts';
import { nftNetworkRules } from './nftNetworkRules.ts';
import type { NetworkFirewallFacts } from './networkFirewallFacts.ts';

export interface AddResult {
  ok: boolean;
  /** virsh's message when the start failed. */
  error?: string;
  /** ≥ 10.4: what libvirt stores in the status XML to remove these rules later. */
  storedRemoval: LibvirtCommand[];
}

function toDelete(command: LibvirtCommand): LibvirtCommand {
  const args = command.args.map((a) => (a === '--insert' ? '--delete' : a));
  return { ...command, args, text: command.text.replace(' --insert ', ' --delete '), ignoreErrors: true };
}

/**
 * libvirt checks the <nat><port> range while it builds the masquerade rules, before running any
 * command: start must be below end (observed with 9.0: `<port start='5000' end='5000'/>` makes
 * net-start fail with this message; network_iptables.c iptablesForwardMasquerade).
 */
function natPortProblem(facts: NetworkFirewallFacts): string | null {
  const { portStart: start, portEnd: end } = facts.nat;
  if (facts.mode !== 'nat' || (start === 0 && end === 0)) return null;
  const masqueraded = facts.ips.some((ip) => ip.family === 'ipv4' || facts.nat.ipv6);
  if (!masqueraded || (start < end && end < 65536)) return null;
  return `internal error: Invalid port range '${start}-${end}'.`;
}

export function addNetworkRules(host: LibvirtHostPort, flavour: LibvirtFlavour, facts: NetworkFirewallFacts, layerLabel: string, cause: LibvirtCause): AddResult {
  const stored: LibvirtCommand[] = [];
  const refused = natPortProblem(facts);
  if (refused) return { ok: false, error: refused, storedRemoval: [] };
  const run = (command: LibvirtCommand): string | null => {
    const r = execLibvirtCommand(host, command, libvirtProvenance(layerLabel, cause, command.reason));
    if (r.error) return r.error;
    if (command.tool === 'nft') {
      const m = /^insert rule (ip6?) \S+ (\S+)/.exec(command.args.slice(1).join(' '));
      if (m && r.handle !== undefined) stored.unshift(nftDeleteCommand(command.family, m[2], r.handle, command.reason));
    } else stored.unshift(toDelete(command));
    return null;
  };
  const rollback = (): void => {
    const undo = flavour.storedRemoval ? stored.slice() : removalCommands(flavour, facts, []).filter((c) => !c.args.includes('CHECKSUM'));
    for (const c of undo) execLibvirtCommand(host, c, libvirtProvenance(layerLabel, cause, 'rollback'));
  };
  const first: LibvirtCommand[] =
    flavour.backend === 'nftables' ? nftNetworkRules(facts).map(nftInsertCommand) : iptablesNetworkRules(facts, flavour.layout).add.map((r) => iptRuleCommand(flavour, r, '--insert'));
  for (const command of first) {
    const error = run(command);
    if (error) {
      rollback();
      return { ok: false, error: libvirtFailureMessage(flavour, command.text, error), storedRemoval: [] };
    }
  }
  if (flavour.backend === 'iptables') {
    for (const rule of iptablesNetworkRules(facts, flavour.layout).checksum) {
      const command = iptRuleCommand(flavour, rule, '--insert');
      const error = run(command);
      if (error) host.note('warning', `${layerLabel}: ${command.text} failed (ignored by libvirt): ${error}`);
    }
  }
  return { ok: true, storedRemoval: stored };
}

/** The removal commands libvirt runs for a network (errors ignored). */
export function removalCommands(flavour: LibvirtFlavour, facts: NetworkFirewallFacts, stored: LibvirtCommand[]): LibvirtCommand[] {
  if (flavour.storedRemoval) return stored;
  return iptablesNetworkRules(facts, flavour.layout).remove.map((r) => iptRuleCommand(flavour, r, '--delete', true));
}

export function removeNetworkRules(host: LibvirtHostPort, commands: LibvirtCommand[], layerLabel: string, cause: LibvirtCause): void {
  for (const c of commands) execLibvirtCommand(host, c, libvirtProvenance(layerLabel, cause, `remove: ${c.reason}`));
}
