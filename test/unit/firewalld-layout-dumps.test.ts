// The model's firewalld rules laid out exactly as real firewalld lays them out:
// for every scenario of test/reality/layerTools/firewalldScenarios.ts, both
// backends and both pinned releases (1.3.3 Debian 12, 2.3.1 Debian 13), the
// model's `inet firewalld` table printed by the product's nft printer equals the
// real `nft list ruleset` (parsed and printed by the same printer: handles
// aside; with the nftables backend the iptables dumps are empty and so must the
// model's iptables tables be). So the chain and rule a trace names ("rule 4 of
// filter_IN_public_allow") is the one on the real host.
// FirewallBackend=iptables likewise: every table of iptables-save / ip6tables-save
// (raw and security included, *_direct chains, policy chains without "policy_",
// the RFC3964_IPv4 chain, the conntrack rule with DNAT) equals the model's.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIREWALLD_2_FIXTURES, FIREWALLD_FIXTURES } from '../fixtures/fixturePaths.ts';
import { FIREWALLD_SCENARIOS, firewalldModelSteps, type FirewalldBackend } from '../reality/layerTools/firewalldScenarios.ts';
import { firewalldLayoutDifferences } from '../reality/layerTools/firewalldLayout.ts';

const RELEASES = [
  { version: '1.3.3', dir: FIREWALLD_FIXTURES },
  { version: '2.3.1', dir: FIREWALLD_2_FIXTURES },
];

function dump(dir: string, slug: string, backend: FirewalldBackend, step: string, kind: 'nft' | 'ipv4' | 'ipv6'): string {
  // The iptables backend's nft listing is not stored (it only repeats the iptables-nft tables).
  if (kind === 'nft' && backend === 'iptables') return '';
  const file = join(dir, 'dumps', `${slug}.${backend}.${step}.${kind}.txt`);
  if (!existsSync(file)) throw new Error(`fixture missing: ${file}`);
  return readFileSync(file, 'utf8');
}

for (const { version, dir } of RELEASES) {
  describe(`firewalld ${version}: the model's ruleset is the real one line by line`, () => {
    for (const backend of ['nftables', 'iptables'] as const) {
      for (const s of FIREWALLD_SCENARIOS) {
        const steps = ['0-start', ...(s.reloadFiles ? ['1-reload'] : [])];
        it.each(steps.map((step, i) => [step, i] as const))(`FirewallBackend=${backend}, ${s.slug}, %s`, (step, i) => {
          const model = firewalldModelSteps(s, backend, version)[i];
          expect(model.refused).toEqual([]);
          const real = { nft: dump(dir, s.slug, backend, step, 'nft'), ipv4: dump(dir, s.slug, backend, step, 'ipv4'), ipv6: dump(dir, s.slug, backend, step, 'ipv6') };
          expect(firewalldLayoutDifferences(real, model.state)).toEqual([]);
        });
      }
    }
  });
}
