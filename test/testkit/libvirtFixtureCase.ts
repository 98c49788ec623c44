// Reads a captured libvirt case (test/fixtures/libvirt/<folder>/<case>) for
// the comparisons: its networks in start order, the libvirt version and
// backend of the folder, the commands libvirtd ran (commands.txt) split into
// start and teardown, and printers for the dumps as the capture normalised
// them (iptables-save header of the folder's iptables, nft list ruleset).

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LIBVIRT_FIXTURES } from '../fixtures/fixturePaths.ts';
import type { Family } from '../../shared/netfilter/model.ts';
import type { NetfilterState } from '../../shared/netfilter/netfilterState.ts';
import { printIptablesSave, withIptablesNftTableOrder } from '../../shared/netfilter/iptables/printIptablesSave.ts';
import { printNftRuleset } from '../../shared/netfilter/nft/printNftRuleset.ts';
import type { LabNetworkInfo } from '../../shared/layers/libvirt/labNetworks.ts';
import { labNetworks } from '../../shared/layers/libvirt/labNetworks.ts';

export type FixtureFolder = 'v9-iptables' | 'v11-iptables' | 'v11-nftables';

export const FOLDERS: readonly FixtureFolder[] = ['v9-iptables', 'v11-iptables', 'v11-nftables'];

export function folderSetup(folder: FixtureFolder): { version: string; backend: 'iptables' | 'nftables'; iptablesVersion: string } {
  if (folder === 'v9-iptables') return { version: '9.0', backend: 'iptables', iptablesVersion: '1.8.9' };
  return { version: '11.3', backend: folder === 'v11-nftables' ? 'nftables' : 'iptables', iptablesVersion: '1.8.11' };
}

export function caseDir(folder: string, name: string): string {
  return join(LIBVIRT_FIXTURES, folder, name);
}

export function caseNames(folder: FixtureFolder, pattern: RegExp): string[] {
  return readdirSync(join(LIBVIRT_FIXTURES, folder)).filter((n) => pattern.test(n)).sort();
}

export function readCase(folder: string, name: string, file: string): string {
  return readFileSync(join(caseDir(folder, name), file), 'utf8');
}

/** A dump as the capture stored it: an empty dump was written as a single newline. */
export function readDump(folder: string, name: string, file: string): string {
  const text = readCase(folder, name, file);
  return text === '\n' ? '' : text;
}

export function caseHas(folder: string, name: string, file: string): boolean {
  return existsSync(join(caseDir(folder, name), file));
}

/** network.xml, or network-1.xml and network-2.xml, as lab networks with ids = libvirt names. */
export function caseNetworkFiles(folder: string, name: string): string[] {
  return readdirSync(caseDir(folder, name)).filter((f) => /^network(-\d)?\.xml$/.test(f)).sort();
}

export function caseNetworks(folder: string, name: string): LabNetworkInfo[] {
  const networks = caseNetworkFiles(folder, name).map((f) => {
    const xml = readCase(folder, name, f);
    const id = /<name>([^<]+)<\/name>/.exec(xml)?.[1] ?? f;
    return { id, xml, autostart: false };
  });
  return labNetworks({ networks, host: { interfaces: [] } as never });
}

/** The firewall commands of commands.txt (no comments, no tc), split at the first shutdown. */
export function caseCommands(folder: string, name: string): { start: string[]; teardown: string[]; shutdownOrder: string[] } {
  const lines = readCase(folder, name, 'commands.txt').split('\n');
  const cut = lines.findIndex((l) => l.includes('networkShutdownNetwork'));
  const cmd = (ls: string[]) => ls.filter((l) => l !== '' && !l.startsWith('#') && !l.startsWith('tc '));
  const tail = cut < 0 ? [] : lines.slice(cut);
  const shutdownOrder = tail.flatMap((l) => /Shutting down network '([^']+)'/.exec(l)?.[1] ?? []);
  return { start: cmd(cut < 0 ? lines : lines.slice(0, cut)), teardown: cmd(tail), shutdownOrder };
}

export function printIpt(state: NetfilterState, family: Family, iptablesVersion: string): string {
  return printIptablesSave(withIptablesNftTableOrder(state.iptables.nft[family]), { header: { version: iptablesVersion, flavour: 'nf_tables' } });
}

export function printNft(state: NetfilterState, handles = false): string {
  return printNftRuleset(state.nft, { handles });
}
