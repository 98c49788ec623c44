// The namespace harness's own tests: pcap decoding (pure, always runs) and, as
// root, a real client — router — server lab where each probe outcome the
// harness reports is provoked on purpose.

import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NetnsLab } from './netnsLab.ts';
import { readPcap } from './pcap.ts';
import { realitySkipReason } from './realityGuard.ts';
import { buildRouterTopology, ROUTER_ADDRESSES as A, type RouterTopology } from './routerTopology.ts';

function pcapOf(frames: number[][]): Uint8Array {
  const header = [0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 1, 0, 0, 0];
  const out = [...header];
  for (const f of frames) {
    const len = [f.length & 255, (f.length >> 8) & 255, 0, 0];
    out.push(0, 0, 0, 0, 0, 0, 0, 0, ...len, ...len, ...f);
  }
  return Uint8Array.from(out);
}

describe('pcap reader', () => {
  it('decodes an ICMP port unreachable and the UDP packet it quotes', () => {
    const eth = [...Array(12).fill(0), 0x08, 0x00];
    const quoted = [0x45, 0, 0, 28, 0, 0, 0, 0, 64, 17, 0, 0, 10, 9, 1, 2, 10, 9, 2, 2, 0x4e, 0x21, 0x13, 0x89, 0, 8, 0, 0];
    const ip = [0x45, 0, 0, 56, 0, 0, 0, 0, 64, 1, 0, 0, 10, 9, 1, 1, 10, 9, 1, 2];
    const icmp = [3, 3, 0, 0, 0, 0, 0, 0, ...quoted];
    const { packets, next } = readPcap(pcapOf([[...eth, ...ip, ...icmp]]));
    expect(packets).toEqual([{ family: 'ipv4', src: '10.9.1.1', dst: '10.9.1.2', proto: 1, icmpType: 3, icmpCode: 3, quoted: { src: '10.9.1.2', dst: '10.9.2.2', proto: 17, sport: 20001, dport: 5001 } }]);
    expect(next).toBeGreaterThan(24);
  });

  it('stops at a truncated record and resumes from the returned offset', () => {
    const eth = [...Array(12).fill(0), 0x08, 0x00];
    const tcp = [0x45, 0, 0, 40, 0, 0, 0, 0, 64, 6, 0, 0, 10, 9, 2, 2, 10, 9, 1, 2, 0, 80, 0x4e, 0x21, 0, 0, 0, 0, 0, 0, 0, 0, 0x50, 0x14, 0, 0, 0, 0, 0, 0];
    const full = pcapOf([[...eth, ...tcp], [...eth, ...tcp]]);
    const first = readPcap(full.slice(0, full.length - 10));
    expect(first.packets).toHaveLength(1);
    expect(first.packets[0]).toMatchObject({ proto: 6, sport: 80, dport: 20001, tcpFlags: 0x14 });
    expect(readPcap(full, first.next).packets).toHaveLength(1);
  });
});

const skip = realitySkipReason(['ip', 'ping', 'nc', 'tcpdump', 'iptables-nft']);

describe.skipIf(skip !== null)('namespace harness (root)', () => {
  let lab: NetnsLab;
  let topo: RouterTopology;

  beforeAll(async () => {
    lab = new NetnsLab('hn');
    topo = await buildRouterTopology(lab, { server: { tcp: [80], udp: [53] }, router: { tcp: [22], udp: [] } });
  });
  afterAll(async () => {
    await lab?.destroy();
  });

  it('classifies replies, RSTs, ICMP errors (type/code/source) and timeouts as the client saw them', async () => {
    await lab.execOk(topo.router, ['iptables-nft-restore'], [
      '*filter', ':INPUT ACCEPT [0:0]', ':FORWARD ACCEPT [0:0]', ':OUTPUT ACCEPT [0:0]',
      '-A FORWARD -p tcp -m tcp --dport 81 -j REJECT --reject-with icmp-host-prohibited',
      '-A FORWARD -p tcp -m tcp --dport 82 -j DROP',
      'COMMIT', '',
    ].join('\n'));
    const obs = await topo.prober.run([
      { service: 'icmp', dst: A.server.v4 },
      { service: 'icmp', dst: A.server.v6 },
      { service: 'tcp', dst: A.server.v4, port: 80 },
      { service: 'tcp', dst: A.server.v4, port: 79 },
      { service: 'tcp', dst: A.server.v4, port: 81 },
      { service: 'tcp', dst: A.server.v4, port: 82 },
      { service: 'udp', dst: A.server.v4, port: 53 },
      { service: 'udp', dst: A.server.v6, port: 54 },
      { service: 'tcp', dst: A.routerServerSide.v4, port: 22 },
    ]);
    const short = obs.map((o) => [o.kind, o.icmp ? `${o.icmp.type}/${o.icmp.code} from ${o.icmp.from}` : o.resetFrom ?? '', o.client]);
    expect(short[0].slice(0, 1)).toEqual(['reply']);
    expect(short[1].slice(0, 1)).toEqual(['reply']);
    expect(short[2].slice(0, 1)).toEqual(['reply']);
    expect(short[3]).toEqual(['tcp-reset', A.server.v4, `nc: connect to ${A.server.v4} port 79 (tcp) failed: Connection refused`]);
    expect(short[4]).toEqual(['icmp-error', `3/10 from ${A.routerClientSide.v4}`, `nc: connect to ${A.server.v4} port 81 (tcp) failed: No route to host`]);
    expect(short[5]).toEqual(['timeout', '', `nc: connect to ${A.server.v4} port 82 (tcp) timed out: Operation now in progress`]);
    expect(short[6].slice(0, 1)).toEqual(['reply']);
    expect(short[7]).toEqual(['icmp-error', `1/4 from ${A.server.v6}`, 'error ECONNREFUSED']);
    expect(short[8].slice(0, 1)).toEqual(['reply']);
  });

  it('bridges: two guests on one bridge reach each other and the bridge address', async () => {
    const own = new NetnsLab('hb');
    try {
      const host = await own.addNamespace('h');
      const g1 = await own.addNamespace('g1');
      const g2 = await own.addNamespace('g2');
      const br = own.name('br');
      await own.addBridge(host, br, ['192.168.77.1/24']);
      await own.addVeth({ ns: g1, name: own.name('e1'), addresses: ['192.168.77.10/24'] }, { ns: host, name: own.name('v1') });
      await own.addVeth({ ns: g2, name: own.name('e2'), addresses: ['192.168.77.11/24'] }, { ns: host, name: own.name('v2') });
      await own.addBridgePort(host, br, own.name('v1'));
      await own.addBridgePort(host, br, own.name('v2'));
      for (const dst of ['192.168.77.11', '192.168.77.1']) {
        const r = await own.exec(g1, ['ping', '-c', '1', '-W', '2', dst]);
        expect(r.stdout).toContain(`bytes from ${dst}`);
      }
    } finally {
      await own.destroy();
    }
  });

  it('leaves nothing behind: namespaces and background processes go with destroy()', async () => {
    const own = new NetnsLab('ho');
    const ns = await own.addNamespace('x');
    const child = await own.spawnBackground(ns, ['sleep', '600']);
    expect(execFileSync('ip', ['netns', 'list']).toString()).toContain(ns);
    await own.destroy();
    expect(execFileSync('ip', ['netns', 'list']).toString()).not.toContain(ns);
    expect(child.exitCode !== null || child.signalCode !== null).toBe(true);
  });
});
