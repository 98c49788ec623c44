// Conntrack tuple matches, simulator vs kernel: the labs of lab/ctTupleLabs.ts
// built in namespaces, every matrix cell probed; the simulator must agree with
// the kernel on each. (`--ctorigdstport`/`ct original proto-dst` after DNAT and
// REDIRECT, `--ctrepldst`/`ct reply daddr` after SNAT and masquerade, ICMP
// echo's tuple fields, a REJECT's RELATED error seeing the connection's tuple.)

import { afterAll, describe, expect, it } from 'vitest';
import { realitySkipReason } from './netns/realityGuard.ts';
import { CT_TUPLE_CASES, ctTupleLab } from './lab/ctTupleLabs.ts';
import { probeLabWorld } from './lab/probeLabWorld.ts';

const skip = realitySkipReason(['ip', 'iptables-restore', 'iptables-legacy-restore', 'nft', 'ping', 'nc', 'tcpdump']);

describe.skipIf(skip !== null)('simulator vs kernel: conntrack tuples', () => {
  let totalCells = 0;
  let mismatchCount = 0;
  afterAll(() => {
    process.stdout.write(`simulator-ct-tuples: ${CT_TUPLE_CASES.length} labs, ${totalCells} cells probed, ${mismatchCount} mismatches\n`);
  });

  CT_TUPLE_CASES.forEach((c, i) => {
    it(c.name, { timeout: 180_000 }, async () => {
      const g = ctTupleLab(c, i);
      const probed = await probeLabWorld(g, 'sct');
      // Every cell is decided: a tuple match the simulator could not read would be a condition.
      expect(probed.matrix.cells.filter((x) => x.verdict.conditions.length).map((x) => `${x.target} ${x.service}: ${x.verdict.conditions.join('; ')}`)).toEqual([]);
      totalCells += probed.cells;
      mismatchCount += probed.mismatches.length;
      expect(probed.cells).toBeGreaterThan(0);
      expect(probed.mismatches).toEqual([]);
    });
  });
});
