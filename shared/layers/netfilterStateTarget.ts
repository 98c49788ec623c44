// A replay target over a plain NetfilterState: iptables commands go to the
// host's iptables flavour (or the one a script forced with iptables-legacy /
// iptables-nft), nft commands to the native nft ruleset with kernel handle
// numbering; sysctls, libvirtd signals and notes are recorded in order. Used
// to see one layer's effect in isolation (tests, the layer preview) — the
// timeline fold has its own target that also lets libvirt react to signals.

import type { Family, IptRuleset, NftRuleset, Provenance } from '../netfilter/model.ts';
import { applyIptCommand, type IptCommand } from '../netfilter/iptables/iptCommand.ts';
import { applyNftCommand, newNftHandleState, type NftCommand } from '../netfilter/nft/nftCommand.ts';
import { nftCheckpoint, type NetfilterState } from '../netfilter/netfilterState.ts';
import type { NoteSeverity } from './layerActions.ts';
import type { ReplayTarget } from './layerActionReplay.ts';

/** After `-P CHAIN POLICY`: remember who set it (IptChain.policyProvenance) for explanations. */
export function recordPolicyProvenance(ruleset: IptRuleset, command: IptCommand, provenance: Provenance): void {
  if (command.op !== 'policy') return;
  const chain = ruleset.tables.find((t) => t.name === command.table)?.chains.find((c) => c.name === command.chain);
  if (chain) chain.policyProvenance = provenance;
}

export interface RecordedSysctl {
  key: string;
  value: string;
  provenance: Provenance;
}

export class NetfilterStateTarget implements ReplayTarget {
  readonly sysctls: RecordedSysctl[] = [];
  readonly signals: { signal: 'sighup' | 'firewalld-reloaded'; provenance: Provenance }[] = [];
  readonly notes: { severity: NoteSeverity; text: string }[] = [];

  constructor(
    readonly state: NetfilterState,
    private readonly flavour: 'legacy' | 'nft',
  ) {}

  ipt(family: Family, command: IptCommand, provenance: Provenance, backend?: 'legacy' | 'nft'): string | null {
    try {
      const ruleset = this.state.iptables[backend ?? this.flavour][family];
      applyIptCommand(ruleset, command, provenance);
      recordPolicyProvenance(ruleset, command, provenance);
      return null;
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
  }

  nft(command: NftCommand, provenance: Provenance): string | null {
    try {
      applyNftCommand(this.state.nft, this.state.nftHandles, command, provenance);
      return null;
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
  }

  nftCheckpoint(): () => void {
    return nftCheckpoint(this.state);
  }

  replaceIpt(family: Family, ruleset: IptRuleset, provenance: Provenance, backend?: 'legacy' | 'nft'): void {
    const b = backend ?? this.flavour;
    const tables = ruleset.tables.map((t) => ({ ...t, chains: t.chains.map((c) => ({ ...c, ...(c.policy ? { policyProvenance: provenance } : {}), rules: c.rules.map((r) => ({ ...r, provenance: { ...provenance, ...r.provenance } })) })) }));
    this.state.iptables[b][family] = { ...ruleset, family, backend: b, tables };
  }

  replaceNft(ruleset: NftRuleset, provenance: Provenance): void {
    for (const t of ruleset.tables) {
      for (const c of t.chains) {
        if (c.base) c.policyProvenance = provenance;
        for (const r of c.rules) r.provenance = { ...provenance, ...r.provenance };
      }
    }
    this.state.nft = ruleset;
    this.state.nftHandles = newNftHandleState(ruleset);
  }

  sysctl(key: string, value: string, provenance: Provenance): void {
    this.sysctls.push({ key, value, provenance });
  }

  signal(signal: 'sighup' | 'firewalld-reloaded', provenance: Provenance): void {
    this.signals.push({ signal, provenance });
  }

  note(severity: NoteSeverity, text: string): void {
    this.notes.push({ severity, text });
  }
}
