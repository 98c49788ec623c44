// A tiny reader for the pcap files tcpdump writes (`tcpdump -w`, classic format,
// link type Ethernet as on veth), decoding just what probe classification needs:
// ICMP/ICMPv6 errors with the original packet they quote, and TCP RSTs.
// Format: https://wiki.wireshark.org/Development/LibpcapFileFormat

export interface CapturedPacket {
  family: 'ipv4' | 'ipv6';
  src: string;
  dst: string;
  proto: number;
  /** TCP/UDP ports, ICMP id for echo. */
  sport?: number;
  dport?: number;
  tcpFlags?: number;
  icmpType?: number;
  icmpCode?: number;
  /** For ICMP errors: the quoted original packet's header fields. */
  quoted?: { src: string; dst: string; proto: number; sport?: number; dport?: number };
}

function ipv4(b: Uint8Array, o: number): string {
  return `${b[o]}.${b[o + 1]}.${b[o + 2]}.${b[o + 3]}`;
}

function ipv6(b: Uint8Array, o: number): string {
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((b[o + i] << 8) | b[o + i + 1]).toString(16));
  // Compress the longest run of zero groups (RFC 5952), as `ip` and ping print addresses.
  let best = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== '0') { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLen && j - i > 1) { best = i; bestLen = j - i; }
    i = j;
  }
  if (best === -1) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
}

const u16 = (b: Uint8Array, o: number): number => (b[o] << 8) | b[o + 1];

/** An IP packet (with its transport header) starting at `o`; null when too short or not IP. */
function decodeIp(b: Uint8Array, o: number, end: number, quotedOnly: boolean): CapturedPacket | null {
  if (o >= end) return null;
  const version = b[o] >> 4;
  let family: 'ipv4' | 'ipv6';
  let src: string;
  let dst: string;
  let proto: number;
  let l4: number;
  if (version === 4) {
    if (o + 20 > end) return null;
    family = 'ipv4';
    proto = b[o + 9];
    src = ipv4(b, o + 12);
    dst = ipv4(b, o + 16);
    l4 = o + (b[o] & 0x0f) * 4;
  } else if (version === 6) {
    if (o + 40 > end) return null;
    family = 'ipv6';
    proto = b[o + 6];
    src = ipv6(b, o + 8);
    dst = ipv6(b, o + 24);
    l4 = o + 40;
  } else return null;
  const p: CapturedPacket = { family, src, dst, proto };
  if ((proto === 6 || proto === 17) && l4 + 4 <= end) {
    p.sport = u16(b, l4);
    p.dport = u16(b, l4 + 2);
    if (proto === 6 && l4 + 14 <= end) p.tcpFlags = b[l4 + 13];
  }
  if ((proto === 1 || proto === 58) && l4 + 8 <= end) {
    p.icmpType = b[l4];
    p.icmpCode = b[l4 + 1];
    const isError = proto === 1 ? [3, 4, 5, 11, 12].includes(b[l4]) : b[l4] < 128;
    if (isError && !quotedOnly) {
      const q = decodeIp(b, l4 + 8, end, true);
      if (q) p.quoted = { src: q.src, dst: q.dst, proto: q.proto, ...(q.sport !== undefined ? { sport: q.sport, dport: q.dport } : {}) };
    } else {
      p.sport = u16(b, l4 + 4); // echo identifier
    }
  }
  return p;
}

/** Packets of a pcap file from byte `offset` on; returns them and the offset after the last complete record. */
export function readPcap(bytes: Uint8Array, offset = 0): { packets: CapturedPacket[]; next: number } {
  const packets: CapturedPacket[] = [];
  if (bytes.length < 24) return { packets, next: offset };
  const magic = (bytes[0] << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3];
  const le = magic === (0xd4c3b2a1 | 0) || magic === (0x4d3cb2a1 | 0);
  const rd32 = (o: number): number => (le ? (bytes[o] | (bytes[o + 1] << 8) | (bytes[o + 2] << 16) | (bytes[o + 3] << 24)) >>> 0 : ((bytes[o] << 24) | (bytes[o + 1] << 16) | (bytes[o + 2] << 8) | bytes[o + 3]) >>> 0);
  const linktype = rd32(20);
  let o = Math.max(offset, 24);
  while (o + 16 <= bytes.length) {
    const incl = rd32(o + 8);
    if (o + 16 + incl > bytes.length) break;
    const start = o + 16;
    const end = start + incl;
    let ip = start;
    if (linktype === 1) {
      const ethertype = u16(bytes, start + 12);
      ip = ethertype === 0x8100 ? start + 18 : start + 14;
    } else if (linktype === 113) ip = start + 16; // Linux cooked capture
    const p = decodeIp(bytes, ip, end, false);
    if (p) packets.push(p);
    o = end;
  }
  return { packets, next: o };
}
