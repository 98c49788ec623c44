// Whether firewalld's nftables table is created `{ flags owner,persist; }`.
// Table ownership came with firewalld 2.2.0 (PR firewalld#1357,
// NftablesTableOwner=yes by default). Even then firewalld only *probes* for it
// (firewall/core/nftables.py _probe_support_table_owner, read in Debian 13's
// 2.3.1): it adds a probe table with flags ["owner", "persist"] through
// libnftables' JSON API and lists it back; if that fails or either flag is
// missing — nftables < 1.1.0 does not know `persist` (Debian 12's nft 1.0.6
// refuses `flags owner,persist`), nor does a kernel before 6.9 — it sets
// supports_table_owner = False and builds `add table inet firewalld` with no
// flags at all (never `owner` alone: without persist the table would vanish
// with firewalld's netlink socket). fw.py then only logs "Configuration has
// NftablesTableOwner=True, but it's not supported by nftables".
// The host's nftables version is the layer setting `nftables` (e.g. "1.0.6");
// without it the nft that ships with that firewalld release is assumed to
// support the flags (Debian 13: firewalld 2.3.1 with nft 1.1.3).

import { versionAtLeast, type ConfigProblem } from '../layerActions.ts';
import type { ShellAssignment } from '../susefirewall2/shellVariableFile.ts';
import { FIREWALLD_CONF_PATH } from './firewalldShippedFiles.ts';

/** The first firewalld release with NftablesTableOwner. */
export const TABLE_OWNER_SINCE = '2.2';
/** The first nftables release that knows the `persist` table flag. */
export const NFT_PERSIST_SINCE = '1.1.0';

export interface TableOwnerDecision {
  flags: string[];
  /** Why there are no flags although firewalld would want them (a note for the trace). */
  note?: string;
}

export function firewalldTableFlags(version: string, assignment: ShellAssignment | undefined, nftVersion: string | undefined, problems: ConfigProblem[]): TableOwnerDecision {
  const value = assignment?.value;
  if (!versionAtLeast(version, TABLE_OWNER_SINCE)) {
    if (value) problems.push({ severity: 'warning', file: FIREWALLD_CONF_PATH, line: assignment?.line ?? 1, column: assignment?.column ?? 1, message: `firewalld ${version} does not know NftablesTableOwner (added in 2.2.0): it logs "Invalid option" and ignores it` });
    return { flags: [] };
  }
  // fw.py: anything but no/false (any case) is yes.
  if (value && /^(no|false)$/i.test(value)) return { flags: [] };
  if (nftVersion && !versionAtLeast(nftVersion, NFT_PERSIST_SINCE)) {
    return { flags: [], note: `nftables ${nftVersion} on this host has no "persist" table flag (added in ${NFT_PERSIST_SINCE}): firewalld ${version}'s probe fails and it creates inet firewalld without table ownership` };
  }
  return { flags: ['owner', 'persist'] };
}
