// Effective hosts for export tests, built from real captures: libvirt 9.0's
// iptables rules for a routed + isolated pair (fixture v9-iptables), IPv6 too,
// and libvirt 11.3's native nftables table (v11-nftables), so the bundle's
// files are checked with rules real tools produced.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LIBVIRT_FIXTURES } from '../fixtures/fixturePaths.ts';
import type { Lab } from '../../shared/lab/labModel.ts';
import { sampleProjectVariants } from '../../shared/lab/sampleLab.ts';
import { parseIptablesSave } from '../../shared/netfilter/iptables/parseIptablesSave.ts';
import { emptyNetfilterState } from '../../shared/netfilter/netfilterState.ts';
import { parseNft } from '../../shared/netfilter/nft/parseNft.ts';
import type { ExportEffectiveHost } from '../../shared/export/bundleTypes.ts';

export function fixtureText(...parts: string[]): string {
  return readFileSync(join(LIBVIRT_FIXTURES, ...parts), 'utf8');
}

export function fixtureEffectiveHost(backend: 'legacy' | 'nft' = 'legacy', withNft = true): ExportEffectiveHost {
  const state = emptyNetfilterState();
  state.iptables[backend].ipv4 = parseIptablesSave(fixtureText('v9-iptables', 'isolated-route-pair', 'ruleset.txt'), { family: 'ipv4', backend }).ruleset;
  state.iptables[backend].ipv6 = parseIptablesSave(fixtureText('v9-iptables', 'ipv6-nat-route-pair', 'ruleset6.txt'), { family: 'ipv6', backend }).ruleset;
  if (withNft) state.nft = parseNft(fixtureText('v11-nftables', 'route-single', 'ruleset.txt')).ruleset;
  return {
    state,
    sysctls: [
      { key: 'net.ipv4.ip_forward', value: '1', setBy: 'libvirt 9.0 · network deb (route) [boot]' },
      { key: 'net.ipv4.conf.all.rp_filter', value: '0' },
      { key: 'net.ipv4.conf.eth1.rp_filter', value: '0' },
    ],
    runningNetworkIds: ['net-deb'],
    notes: [],
  };
}

export function sampleVariant(name: string): { name: string; lab: Lab } {
  const v = sampleProjectVariants().find((x) => x.name === name);
  if (!v) throw new Error(`no sample variant ${name}`);
  return v;
}

/** Deterministic uuids and MACs: a fresh sequence for every bundle built with them. */
export const FIXED_IDS = {
  get newUuid(): () => string {
    let n = 0;
    return () => `0f5c6a2e-4d0b-4c55-9a43-${(++n).toString(16).padStart(12, '0')}`;
  },
  get newMac(): () => string {
    let n = 0;
    return () => `52:54:00:12:34:${(++n).toString(16).padStart(2, '0')}`;
  },
};
