// FW_CONFIGURATIONS_<ZONE>: names of service files that packages drop into
// /usr/share/SuSEfirewall2/services (admins into
// /etc/sysconfig/SuSEfirewall2.d/services, which wins). parse_configurations
// in the script sources each file and appends its variables to the zone's:
//   TCP, UDP, IP, RPC → FW_SERVICES_<ZONE>_TCP/_UDP/_IP/_RPC
//   BROADCAST         → FW_ALLOW_FW_BROADCAST_<ZONE> (unless that is `yes`)
//   RELATED           → FW_SERVICES_ACCEPT_RELATED_<ZONE>
//   MODULES           → FW_LOAD_MODULES (kernel modules; no rule)
// A name with no readable file is skipped with "config 'X' not available".
// The files come from the layer (its `files`), else from the copies below of
// files the script's own package and openssh ship.

import { parseShellVariables, lastAssignment, type ShellAssignment } from './shellVariableFile.ts';
import { canonicalPort, entriesOf, EntryChecker, type Sfw2Entry } from './sfw2Values.ts';
import type { ConfigProblem } from '../layerActions.ts';

export const SFW2_SERVICES_DIRS = ['/etc/sysconfig/SuSEfirewall2.d/services', '/usr/share/SuSEfirewall2/services'] as const;

/**
 * Service files present on a stock host: openSUSE/susefirewall2 @ 8d916dd `services/dhcp-server`
 * and `services/tftp` (variables only), and openssh's `sshd` (TCP="ssh").
 */
export const SHIPPED_SERVICE_FILES: Record<string, string> = {
  sshd: 'TCP="ssh"\n',
  'dhcp-server': 'TCP=""\nUDP="bootps"\nRPC=""\nIP=""\nBROADCAST="bootps"\n',
  tftp: 'UDP="tftp"\n',
};

export interface Sfw2ServiceFile {
  path: string;
  text: string;
}

/** Finds a service file: the layer's files in the script's directory order, then the shipped copies. */
export type Sfw2ServiceFileLookup = (name: string) => Sfw2ServiceFile | undefined;

export function serviceFileLookup(files: Record<string, string> = {}): Sfw2ServiceFileLookup {
  return (name) => {
    for (const dir of SFW2_SERVICES_DIRS) {
      const path = `${dir}/${name}`;
      if (files[path] !== undefined) return { path, text: files[path] };
    }
    const shipped = SHIPPED_SERVICE_FILES[name];
    return shipped === undefined ? undefined : { path: `${SFW2_SERVICES_DIRS[1]}/${name}`, text: shipped };
  };
}

/** What the service files of one zone add, each entry naming the file and the FW_CONFIGURATIONS_* entry. */
export interface Sfw2ZoneConfigurations {
  tcp: Sfw2Entry[];
  udp: Sfw2Entry[];
  ip: Sfw2Entry[];
  rpc: Sfw2Entry[];
  broadcast: Sfw2Entry[];
  /** RELATED values with their file's assignment (for column-accurate errors) and checker. */
  related: { assignment: ShellAssignment; check: EntryChecker; origin: string }[];
}

export function readConfigurations(list: Sfw2Entry[], lookup: Sfw2ServiceFileLookup, check: EntryChecker, problems: ConfigProblem[]): Sfw2ZoneConfigurations {
  const out: Sfw2ZoneConfigurations = { tcp: [], udp: [], ip: [], rpc: [], broadcast: [], related: [] };
  for (const e of list) {
    const file = lookup(e.text);
    if (!file) {
      check.warn(e.at, `${e.variable} entry ${e.index}: config '${e.text}' not available (no file ${SFW2_SERVICES_DIRS.map((d) => `${d}/${e.text}`).join(' or ')}); SuSEfirewall2 skips it`);
      continue;
    }
    const vars = parseShellVariables(file.text, file.path);
    problems.push(...vars.problems);
    const fileCheck = new EntryChecker(file.path, problems);
    const origin = `${e.variable} entry ${e.index} (${e.text}, ${file.path})`;
    const words = (name: string): Sfw2Entry[] => entriesOf(lastAssignment(vars, name)).map((w) => ({ ...w, origin }));
    for (const w of [...words('TCP'), ...words('UDP'), ...words('BROADCAST')]) {
      if (canonicalPort(w.text) === null) fileCheck.error(w, w.at, `'${w.text}' is not a port, port range or service name`);
    }
    out.tcp.push(...words('TCP').filter((w) => canonicalPort(w.text) !== null));
    out.udp.push(...words('UDP').filter((w) => canonicalPort(w.text) !== null));
    out.ip.push(...words('IP'));
    out.rpc.push(...words('RPC'));
    out.broadcast.push(...words('BROADCAST').filter((w) => canonicalPort(w.text) !== null));
    const related = lastAssignment(vars, 'RELATED');
    if (related && related.value.trim() !== '') out.related.push({ assignment: related, check: fileCheck, origin });
  }
  return out;
}
