// A LibvirtHostPort over a bare NetfilterState: libvirt alone on a host
// (the CLI's `libvirt rules`, the fixture comparisons). The timeline fold
// uses its own port that also records provenance of sysctls and event results.

import type { Family, Provenance } from '../../netfilter/model.ts';
import { applyIptCommand, type IptCommand } from '../../netfilter/iptables/iptCommand.ts';
import { applyNftCommand, type NftCommand } from '../../netfilter/nft/nftCommand.ts';
import type { NetfilterState } from '../../netfilter/netfilterState.ts';
import type { NoteSeverity } from '../layerActions.ts';
import type { LibvirtCommand } from './libvirtCommand.ts';
import type { LibvirtHostPort } from './libvirtHostPort.ts';

export class StateHostPort implements LibvirtHostPort {
  readonly notes: { severity: NoteSeverity; text: string }[] = [];
  readonly failures: string[] = [];
  readonly sysctls = new Map<string, { value: string; provenance: Provenance }>();
  readonly log: { text: string; error: string | null }[] = [];

  constructor(
    readonly state: NetfilterState,
    private readonly flavour: 'legacy' | 'nft' = 'nft',
  ) {}

  iptRuleset(family: Family) {
    return this.state.iptables[this.flavour][family];
  }

  nftRuleset() {
    return this.state.nft;
  }

  runIpt(family: Family, command: IptCommand, provenance: Provenance): string | null {
    try {
      applyIptCommand(this.iptRuleset(family), command, provenance);
      return null;
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
  }

  runNft(command: NftCommand, provenance: Provenance): { error: string | null; handle?: number } {
    try {
      const handle = applyNftCommand(this.state.nft, this.state.nftHandles, command, provenance);
      return handle === undefined ? { error: null } : { error: null, handle };
    } catch (e) {
      return { error: e instanceof Error ? e.message : String(e) };
    }
  }

  setSysctl(key: string, value: string, provenance: Provenance): void {
    this.sysctls.set(key, { value, provenance });
  }

  note(severity: NoteSeverity, text: string): void {
    this.notes.push({ severity, text });
  }

  fail(message: string): void {
    this.failures.push(message);
  }

  executed(command: LibvirtCommand, error: string | null): void {
    this.log.push({ text: command.text, error });
  }
}
