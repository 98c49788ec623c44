// The bundle's apply.sh on a real kernel (issue 7 §5): each sample variant is
// built in network namespaces from the simulator's world (test/reality/lab),
// with the host namespace holding the lab's interfaces (eth1, virbr3) but no
// rules. Then, inside the host namespace:
//   1. `sh apply.sh --skip-networks` without confirmation rolls back: rules,
//      sysctls and routes are exactly as before (a marker rule survives);
//   2. `sh apply.sh --yes --skip-networks` loads the bundle, and every matrix
//      cell probed with the real kernel equals the simulator's verdict.
// Networks are skipped here (no libvirtd in the namespace); export-tools.test.ts
// defines them in a real throwaway libvirtd.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { buildExportBundle } from '../../shared/export/buildExportBundle.ts';
import { effectiveHostForExport } from '../../shared/export/effectiveHostForExport.ts';
import { FIXED_IDS } from '../testkit/exportFixtures.ts';
import { sampleProjectVariants } from '../../shared/lab/sampleLab.ts';
import { foldTimeline } from '../../shared/layers/timeline/foldTimeline.ts';
import { runtimeFromFold } from '../../shared/simulator/labRuntime.ts';
import { buildLabWorld } from '../../shared/simulator/labWorld.ts';
import { computeMatrix } from '../../shared/simulator/matrix.ts';
import { writeBundleFolder } from '../../electron/main/services/exportWriter/writeBundleFolder.ts';
import { probeMatrix } from './lab/compareMatrix.ts';
import { realizeWorld } from './lab/worldNamespaces.ts';
import { NetnsLab } from './netns/netnsLab.ts';
import { realitySkipReason } from './netns/realityGuard.ts';

const skip = realitySkipReason(['ip', 'iptables-legacy-restore', 'iptables-legacy-save', 'ip6tables-legacy-restore', 'nft', 'ping', 'nc', 'tcpdump', 'sha256sum', 'virt-xml-validate']);
const scratch = mkdtempSync(join(tmpdir(), 'vw-export-apply-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/**
 * iptables-save without comments and counters, and without tables that filter nothing (no rule,
 * every policy ACCEPT): a legacy table, once loaded in a namespace, cannot be unloaded, so a
 * rollback leaves a table the host did not have as such an empty table — the same as none.
 */
async function kernelRules(lab: NetnsLab, ns: string, tool: string): Promise<string> {
  const out = await lab.execOk(ns, [tool]);
  const blocks = out
    .split('\n')
    .filter((l) => !l.startsWith('#'))
    .map((l) => l.replace(/ \[\d+:\d+\]$/, ''))
    .join('\n')
    .split(/(?=^\*)/m);
  return blocks.filter((b) => !b.split('\n').every((l) => l === '' || l === 'COMMIT' || /^\*\w+$/.test(l) || /^:\S+ ACCEPT$/.test(l))).join('');
}

async function hostFacts(lab: NetnsLab, ns: string): Promise<Record<string, string>> {
  const read = async (argv: string[]) => (await lab.execOk(ns, argv)).trim();
  return {
    ipv4: await kernelRules(lab, ns, 'iptables-legacy-save'),
    ipv6: await kernelRules(lab, ns, 'ip6tables-legacy-save'),
    routes: await read(['ip', 'route', 'show']),
    forward: await read(['cat', '/proc/sys/net/ipv4/ip_forward']),
    rpAll: await read(['cat', '/proc/sys/net/ipv4/conf/all/rp_filter']),
    rpBridge: await read(['cat', '/proc/sys/net/ipv4/conf/virbr3/rp_filter']),
  };
}

describe.skipIf(skip !== null)('apply.sh in a namespace host', () => {
  let lab: NetnsLab | null = null;
  afterEach(async () => {
    await lab?.destroy();
    lab = null;
  });

  for (const variant of sampleProjectVariants()) {
    it(`${variant.name}: rollback restores the host; applied, the kernel answers every matrix cell as simulated`, async () => {
      const host = foldTimeline(variant.lab);
      const world = buildLabWorld(variant.lab, runtimeFromFold(variant.lab, host));
      const matrix = computeMatrix(world, variant.lab.services);
      const bundle = buildExportBundle(variant.lab, effectiveHostForExport(host), { variantName: variant.name, ...FIXED_IDS });
      const dir = join(scratch, variant.name.replace(/\W+/g, '-'));
      await writeBundleFolder(bundle, dir);

      lab = new NetnsLab('exp');
      const realized = await realizeWorld(lab, world, { hostRulesets: [], probedPorts: { tcp: [22, 443], udp: [53] } });
      const hostNs = realized.ns.get(world.hostId);
      if (!hostNs) throw new Error('no host namespace');
      await lab.execOk(hostNs, ['iptables-legacy', '-A', 'INPUT', '-s', '198.51.100.99', '-j', 'DROP']);
      const before = await hostFacts(lab, hostNs);
      expect(before.ipv4).toContain('-A INPUT -s 198.51.100.99/32 -j DROP');

      const unconfirmed = await lab.exec(hostNs, ['sh', join(dir, 'apply.sh'), '--skip-networks', '--confirm-timeout', '1', '--state-dir', join(dir, '.state1')], { timeoutMs: 60_000 });
      expect(unconfirmed.code, unconfirmed.stdout + unconfirmed.stderr).toBe(3);
      expect(await hostFacts(lab, hostNs)).toEqual(before);

      const applied = await lab.exec(hostNs, ['sh', join(dir, 'apply.sh'), '--yes', '--skip-networks', '--state-dir', join(dir, '.state2')], { timeoutMs: 60_000 });
      expect(applied.code, applied.stdout + applied.stderr).toBe(0);
      expect((await hostFacts(lab, hostNs)).ipv4).not.toContain('198.51.100.99');

      const { cells, mismatches } = await probeMatrix(lab, realized, matrix);
      expect(cells).toBeGreaterThan(10);
      expect(mismatches).toEqual([]);
    });
  }
});
