// What `-j CT --notrack`, `-j NOTRACK` and nft `notrack` do to the packet: it
// gets the "untracked" conntrack (IP_CT_UNTRACKED), so later rules of this and
// the later hooks read ctstate UNTRACKED, conntrack never creates an entry for
// it and NAT never sees it. Only a packet without a conntrack yet: the kernel
// ignores notrack once conntrack attached an entry (xt_CT.c xt_ct_target and
// nft_ct.c nft_notrack_eval: "Previously seen (loopback or untracked)? Ignore."),
// i.e. in a chain after the conntrack hook (prerouting/output priority > -200,
// forward/input/postrouting) — except for a packet conntrack refused (INVALID,
// no entry), which it does untrack.

import { CT_UNTRACKED, type CompiledPacket } from './compiledPacket.ts';

export function untrack(p: CompiledPacket): void {
  if (p.hasCt || p.ct === CT_UNTRACKED) return;
  p.notracked = true;
  p.ct = CT_UNTRACKED;
}
