// Untracked packets, simulator vs kernel: the labs of lab/notrackLabs.ts built
// in namespaces, every matrix cell probed; the simulator must agree with the
// kernel on each (notrack across the host's hooks, no NAT, the reply without a
// connection, errors about an untracked packet, nft notrack before and after
// conntrack, the host's own answers notracked in OUTPUT). And one evaluator
// fact the matrix cannot reach: nft `notrack` after conntrack still untracks a
// packet conntrack refused (INVALID, no entry) — an echo reply nobody asked for.

import { afterAll, describe, expect, it } from 'vitest';
import { parseNft } from '../../shared/netfilter/nft/parseNft.ts';
import { compileHost } from '../../shared/netfilter/eval/compileHost.ts';
import { evaluateHook } from '../../shared/netfilter/eval/evaluateHook.ts';
import { NetnsLab } from './netns/netnsLab.ts';
import { realitySkipReason } from './netns/realityGuard.ts';
import { markLab } from './lab/markLabs.ts';
import { NOTRACK_CASES } from './lab/notrackLabs.ts';
import { probeLabWorld } from './lab/probeLabWorld.ts';

const skip = realitySkipReason(['ip', 'iptables-restore', 'iptables-legacy-restore', 'nft', 'ping', 'nc', 'tcpdump']);

describe.skipIf(skip !== null)('simulator vs kernel: untracked packets', () => {
  let totalCells = 0;
  let mismatchCount = 0;
  afterAll(() => {
    process.stdout.write(`simulator-notrack: ${NOTRACK_CASES.length} labs, ${totalCells} cells probed, ${mismatchCount} mismatches\n`);
  });

  NOTRACK_CASES.forEach((c, i) => {
    it(c.name, { timeout: 180_000 }, async () => {
      const g = markLab(c, i);
      const probed = await probeLabWorld(g, 'snt');
      totalCells += probed.cells;
      mismatchCount += probed.mismatches.length;
      expect(probed.cells).toBeGreaterThan(0);
      expect(probed.mismatches).toEqual([]);
    });
  });

  it('nft notrack at priority filter untracks an INVALID packet (a raw-socket echo reply), as the evaluator says', { timeout: 60_000 }, async () => {
    const ruleset = `table ip t {
\tchain out {
\t\ttype filter hook output priority filter; policy accept;
\t\ticmp type echo-reply ct state invalid counter notrack
\t\ticmp type echo-reply ct state untracked counter
\t\ticmp type echo-reply ct state invalid counter
\t}
}
`;
    const lab = new NetnsLab('snti');
    let counters: string[] = [];
    try {
      const ns = await lab.addNamespace('a');
      await lab.execOk(ns, ['ip', 'link', 'set', 'lo', 'up']);
      await lab.execOk(ns, ['nft', '-f', '-'], ruleset);
      // An ICMP echo reply (type 0) with a valid checksum, sent from a raw socket: conntrack has no echo request for it.
      const send = 'import socket,struct\nh=bytearray(struct.pack("!BBHHH",0,0,0,0x1234,1)+b"abcdefgh")\ns=sum(struct.unpack("!8H",bytes(h)))\ns=(s>>16)+(s&0xffff)\ns+=s>>16\nh[2:4]=struct.pack("!H",~s&0xffff)\nsocket.socket(socket.AF_INET,socket.SOCK_RAW,socket.IPPROTO_ICMP).sendto(bytes(h),("127.0.0.1",0))\n';
      await lab.execOk(ns, ['python3', '-c', send]);
      counters = [...(await lab.execOk(ns, ['nft', 'list', 'chain', 'ip', 't', 'out'])).matchAll(/packets (\d+)/g)].map((m) => m[1]);
    } finally {
      await lab.destroy();
    }
    expect(counters).toEqual(['1', '1', '0']);
    const o = evaluateHook(compileHost([parseNft(ruleset).ruleset]), 'output', { family: 'ipv4', src: '127.0.0.1', dst: '127.0.0.1', proto: 'icmp', icmpType: 0, ctState: 'INVALID', oif: 'lo' }, { trace: true }).outcome;
    expect(o.kind === 'final' && [o.untrackedBy?.position, o.trace?.filter((e) => e.kind === 'rule' && e.result === 'match').map((e) => e.kind === 'rule' && e.ref.position)]).toEqual([1, [1, 2]]);
  });
});
