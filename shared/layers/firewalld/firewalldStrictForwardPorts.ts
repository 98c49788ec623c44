// StrictForwardPorts (firewalld.conf, firewalld ≥ 2.3.0, PR firewalld#1394).
// What it changes, from firewalld 2.3.1's nftables.py/ipXtables.py
// (_build_default_rules_dnat, build_policy_forward_port_rules):
// - no (the default): INPUT, FORWARD and OUTPUT accept every DNAT'd packet
//   (`ct status dnat accept`; iptables: `--ctstate RELATED,ESTABLISHED,DNAT -j ACCEPT`),
//   so ports published by docker/podman/an own DNAT rule are reachable.
// - yes: that accept becomes `ct status dnat jump filter_<CHAIN>_dnat`, a chain
//   ending in `reject with icmpx admin-prohibited` (iptables `%%REJECT%%`);
//   each firewalld forward-port inserts `ct original proto-dst PORT accept` at
//   its top (OUTPUT for a HOST ingress policy, FORWARD with to-addr, else INPUT)
//   — by the original destination port only, whatever the zone or address.
// firewalld reads every value but no/false as yes (fw.py); releases before
// 2.3.0 log "Invalid option" and ignore the key.

import { versionAtLeast, type ConfigProblem } from '../layerActions.ts';
import type { ShellAssignment } from '../susefirewall2/shellVariableFile.ts';
import { FIREWALLD_CONF_PATH } from './firewalldShippedFiles.ts';

export function readStrictForwardPorts(assignment: ShellAssignment | undefined, version: string, problems: ConfigProblem[]): boolean {
  const value = assignment?.value;
  if (value === undefined || value === '') return false;
  const at = { file: FIREWALLD_CONF_PATH, line: assignment?.line ?? 1, column: assignment?.column ?? 1 };
  if (!versionAtLeast(version, '2.3')) {
    problems.push({ severity: 'warning', ...at, message: `firewalld ${version} does not know StrictForwardPorts (added in 2.3.0): it logs "Invalid option" and ignores it` });
    return false;
  }
  if (/^(no|false)$/i.test(value)) return false;
  if (!/^(yes|true)$/i.test(value)) problems.push({ severity: 'warning', ...at, message: `StrictForwardPorts=${value} is not yes or no; firewalld reads anything but no/false as yes` });
  return true;
}
