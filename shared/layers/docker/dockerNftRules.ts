// Docker 29's experimental nftables backend (`firewall-backend: nftables`):
// its own table `ip docker-bridges` (docs.docker.com engine/network/
// firewall-nftables): a forward base chain at filter priority with no drop
// policy, per-bridge chains for traffic into and out of the bridge, and
// masquerading in a srcnat chain. Docker dispatches to the per-bridge chains
// through verdict maps keyed by interface name; they are written here as one
// `oifname`/`iifname` jump per bridge, which decides the same way for one
// bridge (the maps' element syntax is not needed by the evaluator).

import type { DockerDaemonConfig } from './dockerDaemonJson.ts';

export interface DockerNftCommand {
  command: string;
  reason: string;
}

export function dockerNftCommands(config: DockerDaemonConfig, tablePresent: boolean): DockerNftCommand[] {
  const t = 'ip docker-bridges';
  const br = 'docker0';
  const cmds: DockerNftCommand[] = [];
  const add = (command: string, reason: string): void => {
    cmds.push({ command, reason });
  };
  if (tablePresent) add(`delete table ${t}`, 'table rebuilt on daemon start');
  add(`add table ${t}`, 'Docker\'s own table');
  add(`add chain ${t} filter-FORWARD { type filter hook forward priority filter; policy accept; }`, 'forward base chain, policy accept (no drop policy)');
  add(`add chain ${t} filter-forward-in__${br}`, `traffic into ${br}`);
  add(`add chain ${t} filter-forward-out__${br}`, `traffic out of ${br}`);
  add(`add chain ${t} nat-POSTROUTING { type nat hook postrouting priority srcnat; policy accept; }`, 'masquerading');
  add(`add rule ${t} filter-FORWARD oifname "${br}" jump filter-forward-in__${br}`, `dispatch: packets to ${br}`);
  add(`add rule ${t} filter-FORWARD iifname "${br}" jump filter-forward-out__${br}`, `dispatch: packets from ${br}`);
  add(`add rule ${t} filter-forward-in__${br} ct state established,related accept`, `replies into ${br}`);
  if (config.icc) add(`add rule ${t} filter-forward-in__${br} iifname "${br}" accept`, `containers on ${br} may talk to each other (icc)`);
  add(`add rule ${t} filter-forward-in__${br} drop`, `only published ports may reach containers on ${br}`);
  add(`add rule ${t} filter-forward-out__${br} ct state established,related accept`, `replies out of ${br}`);
  add(`add rule ${t} filter-forward-out__${br} accept`, `containers on ${br} may send anywhere`);
  add(`add rule ${t} nat-POSTROUTING iifname "${br}" oifname != "${br}" ip saddr ${config.subnet} masquerade`, `masquerade ${config.subnet}`);
  return cmds;
}
