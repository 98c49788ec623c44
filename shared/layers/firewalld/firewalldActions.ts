// firewalld start, reload and stop as layer actions.
//  - nftables backend: firewalld owns one table, `inet firewalld`; a start or
//    reload deletes only that table (add + delete, as nftables.py
//    _build_delete_table_rules does) and rebuilds it. iptables rules of other
//    tools (libvirt < 10.4, Docker) stay and are evaluated before it (priority
//    0 < 10): "iptables will have DROP precedence" (nftables.py comment).
//  - iptables backend: build_flush_rules flushes and deletes every chain of
//    every table — libvirt's and Docker's rules vanish — then firewalld's rules
//    are built.
// Either way firewalld then announces itself on D-Bus (NameOwnerChanged on
// start, Reloaded on reload) and libvirt re-adds its rules
// (signalLibvirtd('firewalld-reloaded'); firewall-layers.md §2 facts 2–3).

import type { Family } from '../../netfilter/model.ts';
import { ActionList, type LayerAction } from '../layerActions.ts';
import { buildFirewalldPlan } from './firewalldPlan.ts';
import { renderIptables, renderNft } from './firewalldRender.ts';
import type { FirewalldSetup } from './firewalldSetup.ts';

export interface FirewalldEnvironment {
  /** Whether `inet firewalld` exists now (to delete it first). */
  tablePresent: boolean;
  /** iptables tables present per family (flushed by the iptables backend). */
  tables: Record<Family, string[]>;
}

export function firewalldLabel(setup: FirewalldSetup): string {
  return `firewalld ${setup.version} (${setup.conf.backend})`;
}

function notesOf(out: ActionList, setup: FirewalldSetup): void {
  for (const n of setup.notes) out.note('info', `firewalld: ${n}`);
  for (const p of setup.problems.filter((x) => x.severity === 'error')) out.note('error', `${p.file}:${p.line}:${p.column}: ${p.message}`);
}

function flushIptables(out: ActionList, env: FirewalldEnvironment, why: string): void {
  for (const family of ['ipv4', 'ipv6'] as const) {
    const tables = [...new Set(['filter', 'nat', 'mangle', 'raw', ...env.tables[family]])];
    for (const t of tables) {
      out.ipt(family, `-t ${t} -F`, `${why}: every rule of table ${t} flushed (libvirt's and Docker's too)`);
      out.ipt(family, `-t ${t} -X`, `${why}: every user chain of table ${t} deleted`);
    }
    for (const c of ['INPUT', 'FORWARD', 'OUTPUT']) out.ipt(family, `-P ${c} ACCEPT`, `${why}: built-in policies ACCEPT`);
  }
}

/** `systemctl start firewalld`, `firewall-cmd --reload` (reload = true). */
export function firewalldStartActions(setup: FirewalldSetup, env: FirewalldEnvironment, reload: boolean): LayerAction[] {
  const out = new ActionList({ layer: 'firewalld', layerLabel: firewalldLabel(setup) });
  notesOf(out, setup);
  const plan = buildFirewalldPlan(setup);
  const what = reload ? 'firewall-cmd --reload' : 'firewalld start';
  if (setup.conf.backend === 'nftables') {
    if (env.tablePresent) out.nft('delete table inet firewalld', `${what}: firewalld deletes only its own table`);
    out.nft(`add table inet firewalld${plan.tableFlags.length ? ` { flags ${plan.tableFlags.join(',')}; }` : ''}`, `${what}: firewalld's table${plan.tableFlags.length ? ' (owned by firewalld: flags owner,persist)' : ''}`);
    for (const r of renderNft(plan)) out.nft(r.command, r.reason, r.rule?.file ? { file: r.rule.file, ...(r.rule.line ? { line: r.rule.line } : {}) } : undefined);
  } else {
    flushIptables(out, env, `${what} (iptables backend, build_flush_rules)`);
    for (const r of renderIptables(plan)) out.ipt(r.family, r.args, r.reason, r.rule?.file ? { file: r.rule.file, ...(r.rule.line ? { line: r.rule.line } : {}) } : undefined);
  }
  for (const f of plan.ipForward) out.sysctl(f === 'ipv4' ? 'net.ipv4.ip_forward' : 'net.ipv6.conf.all.forwarding', '1', `${what}: a forward-port with to-addr — firewalld turns on ${f === 'ipv4' ? 'IPv4' : 'IPv6'} forwarding (enable_ip_forwarding)`);
  out.signal('firewalld-reloaded', `${what}: libvirt re-adds its rules when firewalld ${reload ? 'sends Reloaded' : 'appears on D-Bus'}`);
  if (setup.conf.backend === 'iptables') out.note('info', 'firewalld (iptables backend) flushed every iptables table; Docker re-adds its rules on the Reloaded signal only if it runs (add a docker layer-reload event after this one).');
  return out.actions;
}

export function firewalldStopActions(setup: FirewalldSetup, env: FirewalldEnvironment): LayerAction[] {
  const out = new ActionList({ layer: 'firewalld', layerLabel: firewalldLabel(setup) });
  if (setup.conf.backend === 'nftables') {
    if (env.tablePresent) out.nft('delete table inet firewalld', 'firewalld stop: its table is removed');
  } else flushIptables(out, env, 'firewalld stop (iptables backend)');
  return out.actions;
}
