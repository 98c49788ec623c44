// libvirt's global chain setup, run once per daemon lifetime when the first
// network with rules starts or when the daemon starts with active networks
// (libvirt.md §2.1, §4.1; bridge_driver_linux.c networkSetupPrivateChains
// behind chainInitDone, reset only by firewalld's reload signal).
//
// iptables (5.1+): `--list-rules` of filter, nat, mangle, then for each
// LIBVIRT_* chain: `--new-chain` if missing and `--insert PARENT --jump CHAIN`
// if that jump is missing — IPv4 and IPv6 alike (commands.txt).
// nftables (10.4+): `nft list table ip libvirt_network`; when missing, the
// table, its base chains and the forward → guest_* jumps (v11-nftables).
// libvirt < 5.1 has no chains of its own.

import type { Family } from '../../netfilter/model.ts';
import { execLibvirtCommand, iptCommand, libvirtProvenance, nftCommand } from './libvirtExecutor.ts';
import type { LibvirtCause, LibvirtHostPort } from './libvirtHostPort.ts';
import type { LibvirtFlavour } from './libvirtVersion.ts';
import { NFT_TABLE, nftFamilyWord, nftTableSetupArgs } from './nftNetworkRules.ts';

const PRIVATE_CHAINS: readonly { table: 'filter' | 'nat' | 'mangle'; chain: string; parent: string }[] = [
  { table: 'filter', chain: 'LIBVIRT_INP', parent: 'INPUT' },
  { table: 'filter', chain: 'LIBVIRT_OUT', parent: 'OUTPUT' },
  { table: 'filter', chain: 'LIBVIRT_FWO', parent: 'FORWARD' },
  { table: 'filter', chain: 'LIBVIRT_FWI', parent: 'FORWARD' },
  { table: 'filter', chain: 'LIBVIRT_FWX', parent: 'FORWARD' },
  { table: 'nat', chain: 'LIBVIRT_PRT', parent: 'POSTROUTING' },
  { table: 'mangle', chain: 'LIBVIRT_PRT', parent: 'POSTROUTING' },
];

const LABEL = (flavour: LibvirtFlavour): string => `libvirt ${flavour.version} · chain setup`;

function setupIptables(host: LibvirtHostPort, flavour: LibvirtFlavour, cause: LibvirtCause, family: Family): void {
  const run = (args: string[], reason: string): void => {
    const r = execLibvirtCommand(host, iptCommand(flavour, family, args, reason), libvirtProvenance(LABEL(flavour), cause, reason));
    if (r.error) host.note('warning', `libvirt: ${args.join(' ')} failed: ${r.error}`);
  };
  for (const table of ['filter', 'nat', 'mangle']) run(['--table', table, '--list-rules'], 'libvirt lists the table before creating its chains');
  for (const { table, chain, parent } of PRIVATE_CHAINS) {
    const t = host.iptRuleset(family).tables.find((x) => x.name === table);
    const c = t?.chains.find((x) => x.name === chain);
    if (!c) run(['--table', table, '--new-chain', chain], `libvirt's private chain ${chain} (${table})`);
    const p = host.iptRuleset(family).tables.find((x) => x.name === table)?.chains.find((x) => x.name === parent);
    const jumps = p?.rules.some((r) => r.matches.length === 0 && r.target?.name === chain && !r.target.goto && r.target.options.length === 0);
    if (!jumps) run(['--table', table, '--insert', parent, '--jump', chain], `libvirt's jump from ${parent} to ${chain}, inserted at the top of ${parent}`);
  }
}

function setupNft(host: LibvirtHostPort, flavour: LibvirtFlavour, cause: LibvirtCause, family: Family): void {
  const fam = nftFamilyWord(family);
  execLibvirtCommand(host, nftCommand(family, ['list', 'table', fam, NFT_TABLE], 'libvirt checks for its table', true), libvirtProvenance(LABEL(flavour), cause, 'list'));
  const table = host.nftRuleset().tables.find((t) => t.family === fam && t.name === NFT_TABLE);
  // With the table present only missing chains are created, each with its jump — an assumption:
  // the captures show the table either wholly present or wholly absent.
  const created = new Set<string>();
  for (const step of nftTableSetupArgs(family)) {
    if (table) {
      if (step.chain) {
        if (table.chains.some((c) => c.name === step.chain)) continue;
        created.add(step.chain);
      } else if (step.args[0] !== 'insert' || !created.has(step.args[step.args.length - 1])) continue;
    }
    const r = execLibvirtCommand(host, nftCommand(family, step.args, step.reason), libvirtProvenance(LABEL(flavour), cause, step.reason));
    if (r.error) host.note('warning', `libvirt: nft ${step.args.join(' ')} failed: ${r.error}`);
  }
}

/** The once-per-daemon-lifetime setup for the flavour in effect. */
export function setupLibvirtChains(host: LibvirtHostPort, flavour: LibvirtFlavour, cause: LibvirtCause): void {
  if (flavour.layout === 'builtin-chains') return;
  for (const family of ['ipv4', 'ipv6'] as const) {
    if (flavour.backend === 'nftables') setupNft(host, flavour, cause, family);
    else setupIptables(host, flavour, cause, family);
  }
}
