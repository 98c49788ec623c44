// Marks, simulator vs kernel: the labs of lab/markLabs.ts built in namespaces,
// every matrix cell probed; the simulator must agree with the kernel on each.
// (The packet mark set at one hook and read at a later one, the connection mark
// across the reply and RELATED errors, nft meta/ct mark, br_netfilter.)

import { afterAll, describe, expect, it } from 'vitest';
import { realitySkipReason } from './netns/realityGuard.ts';
import { MARK_CASES, markLab } from './lab/markLabs.ts';
import { probeLabWorld } from './lab/probeLabWorld.ts';

const skip = realitySkipReason(['ip', 'iptables-restore', 'iptables-legacy-restore', 'nft', 'ping', 'nc', 'tcpdump']);

describe.skipIf(skip !== null)('simulator vs kernel: marks', () => {
  let totalCells = 0;
  let mismatchCount = 0;
  afterAll(() => {
    process.stdout.write(`simulator-marks: ${MARK_CASES.length} labs, ${totalCells} cells probed, ${mismatchCount} mismatches\n`);
  });

  MARK_CASES.forEach((c, i) => {
    it(c.name, { timeout: 180_000 }, async () => {
      const g = markLab(c, i);
      const probed = await probeLabWorld(g, 'smk');
      totalCells += probed.cells;
      mismatchCount += probed.mismatches.length;
      expect(probed.cells).toBeGreaterThan(0);
      expect(probed.mismatches).toEqual([]);
    });
  });
});
