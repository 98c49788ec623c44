// Probes from a client namespace and what the sender saw. Each probe is sent by
// the tool a user would use — ping (iputils), nc (OpenBSD netcat) for TCP, a
// connected UDP socket for UDP — and a tcpdump on the client's interface records
// what came back, so an ICMP error's exact type/code and source, or a TCP RST,
// are known, not guessed from the tool's wording. Every TCP/UDP probe gets a
// fresh source port, so conntrack always sees a new connection.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import type { NetnsLab } from './netnsLab.ts';
import { readPcap, type CapturedPacket } from './pcap.ts';

export type ProbeService = 'icmp' | 'tcp' | 'udp';

export interface Probe {
  service: ProbeService;
  dst: string;
  port?: number;
}

export interface Observation {
  probe: Probe;
  sport?: number;
  kind: 'reply' | 'icmp-error' | 'tcp-reset' | 'timeout' | 'unclear';
  /** The ICMP destination-unreachable that came back (captured). */
  icmp?: { type: number; code: number; from: string };
  /** Source of a TCP RST. */
  resetFrom?: string;
  /** What the client program said: ping's line, nc's message, the UDP socket's result. */
  client: string;
}

let nextPort = 20000 + (process.pid % 100) * 100;
function takePort(): number {
  nextPort = nextPort >= 60000 ? 20000 : nextPort + 1;
  return nextPort;
}

const UDP_CLIENT = `
const dgram = require('node:dgram');
const [list, ms] = JSON.parse(process.argv[1]);
const out = [];
let left = list.length;
if (left === 0) console.log('[]');
for (const [i, dst, port, sport] of list) {
  const s = dgram.createSocket(dst.includes(':') ? 'udp6' : 'udp4');
  let done = false;
  const finish = (r) => { if (done) return; done = true; clearTimeout(t); out[i] = r; try { s.close(); } catch {} if (--left === 0) console.log(JSON.stringify(out)); };
  const t = setTimeout(() => finish('timeout'), ms);
  s.on('error', (e) => finish('error ' + e.code));
  s.on('message', (m) => finish('reply ' + m));
  s.bind(sport, () => s.connect(port, dst, () => s.send('probe')));
}
`;

export class Prober {
  private offset = 0;

  private constructor(
    private readonly lab: NetnsLab,
    readonly ns: string,
    private readonly capture: ChildProcess,
    private readonly file: string,
    private readonly dir: string,
  ) {}

  /** Start capturing on the client's interface `iface` in namespace `ns`. */
  static async start(lab: NetnsLab, ns: string, iface: string): Promise<Prober> {
    const dir = mkdtempSync(join(tmpdir(), 'vwprobe-'));
    const file = join(dir, 'capture.pcap');
    const capture = await lab.spawnBackground(ns, ['tcpdump', '-i', iface, '-U', '-n', '-s', '256', '-w', file, 'icmp or icmp6 or tcp'], /listening on/);
    return new Prober(lab, ns, capture, file, dir);
  }

  private newPackets(): CapturedPacket[] {
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(this.file);
    } catch {
      return [];
    }
    const { packets, next } = readPcap(bytes, this.offset);
    this.offset = next;
    return packets;
  }

  /**
   * Send all probes at once; each waits up to timeoutSec for an answer (TCP: tcpTimeoutSec). TCP gets
   * longer by default: on zero-latency veth links the ICMP error for the first SYN can arrive while
   * connect() still holds the socket lock, and the kernel then only records it as a soft error
   * (TcpExtLockDroppedIcmps, seen with IPv6); the SYN retransmitted after 1 s gets it through.
   */
  async run(probes: Probe[], timeoutSec = 1, tcpTimeoutSec = 2): Promise<Observation[]> {
    const icmpDsts = probes.filter((p) => p.service === 'icmp').map((p) => p.dst);
    if (new Set(icmpDsts).size !== icmpDsts.length) throw new Error('one ICMP probe per destination per batch (errors are matched by destination)');
    this.newPackets();
    const sports = probes.map((p) => (p.service === 'icmp' ? undefined : takePort()));
    const udp = probes.map((p, i) => [i, p.dst, p.port, sports[i]] as const).filter((_, i) => probes[i].service === 'udp');
    const udpRun = udp.length
      ? this.lab.exec(this.ns, [process.execPath, '-e', UDP_CLIENT, JSON.stringify([udp, timeoutSec * 1000])], { timeoutMs: timeoutSec * 1000 + 10_000 })
      : Promise.resolve(null);
    const texts = await Promise.all(probes.map(async (p, i) => {
      if (p.service === 'icmp') {
        const r = await this.lab.exec(this.ns, ['ping', '-c', '1', '-n', '-W', String(timeoutSec), p.dst], { timeoutMs: timeoutSec * 1000 + 10_000 });
        return r.stdout.split('\n').find((l) => /bytes from|^From /.test(l))?.trim() ?? '100% packet loss';
      }
      if (p.service === 'tcp') {
        const r = await this.lab.exec(this.ns, ['nc', '-z', '-n', '-v', '-w', String(Math.ceil(tcpTimeoutSec)), '-p', String(sports[i]), p.dst, String(p.port)], { timeoutMs: tcpTimeoutSec * 1000 + 10_000 });
        return (r.stderr + r.stdout).trim().split('\n').pop() ?? '';
      }
      return '';
    }));
    const udpOut = await udpRun;
    const udpResults: string[] = udpOut ? (JSON.parse(udpOut.stdout.trim().split('\n').pop() || '[]') as string[]) : [];
    // tcpdump writes each packet as it sees it (-U), but on a busy machine it may lag the clients:
    // re-read while some answer the client reported has not shown up in the capture yet.
    const captured: CapturedPacket[] = [];
    let observed: Observation[] = [];
    for (let attempt = 0; attempt < 10; attempt++) {
      await new Promise((r) => setTimeout(r, 100));
      captured.push(...this.newPackets());
      observed = probes.map((probe, i) => classify(probe, sports[i], probe.service === 'udp' ? (udpResults[i] ?? 'no result') : texts[i], captured));
      if (!observed.some((o) => o.kind === 'unclear')) break;
    }
    return observed;
  }

  async stop(): Promise<void> {
    await this.lab.stop(this.capture);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function isUnreach(p: CapturedPacket): boolean {
  return (p.proto === 1 && p.icmpType === 3) || (p.proto === 58 && p.icmpType === 1);
}

export function classify(probe: Probe, sport: number | undefined, client: string, captured: CapturedPacket[]): Observation {
  const base = { probe, client, ...(sport !== undefined ? { sport } : {}) };
  const error = captured.find((c) => isUnreach(c) && c.quoted && (probe.service === 'icmp'
    ? (c.quoted.proto === 1 || c.quoted.proto === 58) && c.quoted.dst === probe.dst
    : c.quoted.proto === (probe.service === 'tcp' ? 6 : 17) && c.quoted.sport === sport));
  const icmp = error ? { type: error.icmpType!, code: error.icmpCode!, from: error.src } : undefined;
  if (probe.service === 'icmp') {
    if (/bytes from/.test(client)) return { ...base, kind: 'reply' };
    if (icmp) return { ...base, kind: 'icmp-error', icmp };
    return { ...base, kind: /^From /.test(client) ? 'unclear' : 'timeout' };
  }
  if (probe.service === 'tcp') {
    if (/succeeded/.test(client)) return { ...base, kind: 'reply' };
    const rst = captured.find((c) => c.proto === 6 && c.dport === sport && ((c.tcpFlags ?? 0) & 4) !== 0);
    if (icmp) return { ...base, kind: 'icmp-error', icmp };
    if (rst) return { ...base, kind: 'tcp-reset', resetFrom: rst.src };
    return { ...base, kind: /timed out/.test(client) ? 'timeout' : 'unclear' };
  }
  if (client.startsWith('reply')) return { ...base, kind: 'reply' };
  if (icmp) return { ...base, kind: 'icmp-error', icmp };
  return { ...base, kind: client === 'timeout' ? 'timeout' : 'unclear' };
}
