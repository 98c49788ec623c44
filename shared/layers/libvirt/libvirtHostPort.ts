// What libvirt's model needs from the host it runs on: run one iptables or
// nft command (the netfilter model applies it, with `--insert` semantics,
// kernel handles and iptables'/nft's own error wording), read the current
// rulesets (libvirt lists them before creating its chains), write sysctls,
// and report notes and failures. The timeline fold implements it; tests can
// implement it over a bare NetfilterState.

import type { Family, IptRuleset, NftRuleset, Provenance } from '../../netfilter/model.ts';
import type { IptCommand } from '../../netfilter/iptables/iptCommand.ts';
import type { NftCommand } from '../../netfilter/nft/nftCommand.ts';
import type { NoteSeverity } from '../layerActions.ts';
import type { LibvirtCommand } from './libvirtCommand.ts';

export interface LibvirtHostPort {
  /** The ruleset the host's `iptables`/`ip6tables` binary talks to. */
  iptRuleset(family: Family): IptRuleset;
  nftRuleset(): NftRuleset;
  /** null on success, else the tool's message. */
  runIpt(family: Family, command: IptCommand, provenance: Provenance): string | null;
  /** null error on success; `handle` of a new rule. */
  runNft(command: NftCommand, provenance: Provenance): { error: string | null; handle?: number };
  setSysctl(key: string, value: string, provenance: Provenance): void;
  note(severity: NoteSeverity, text: string): void;
  /** The current event failed (virsh's error), e.g. net-start refused. */
  fail(message: string): void;
  /** Every command libvirtd ran, in order, with its outcome (for the command log). */
  executed?(command: LibvirtCommand, error: string | null): void;
}

/** What a libvirt action is part of: stamped into every rule's provenance. */
export interface LibvirtCause {
  /** "SIGHUP to libvirtd from SuSEfirewall2 (boot: SuSEfirewall2.service)" */
  event: string;
  eventId?: string;
}
