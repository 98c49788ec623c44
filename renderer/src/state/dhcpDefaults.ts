// virt-manager's DHCP defaults for a network (peers.md §1.1, createnet.py):
// IPv4 start = network + size/2, end = network + size − 2 (a /24 gives
// .128–.254); IPv6 start = network + 256, end = network + 511.

import type { IpConfig } from '../../../shared/libvirt/networkModel.ts';
import { ipAddressing } from '../../../shared/libvirt/networkAddressing.ts';

function bytesToBigInt(bytes: number[]): bigint {
  return bytes.reduce((n, b) => (n << 8n) | BigInt(b), 0n);
}

function bigIntToText(n: bigint, family: 'ipv4' | 'ipv6'): string {
  if (family === 'ipv4') return [24n, 16n, 8n, 0n].map((s) => String((n >> s) & 255n)).join('.');
  const groups: string[] = [];
  for (let s = 112n; s >= 0n; s -= 16n) groups.push(((n >> s) & 0xffffn).toString(16));
  // Shorten the longest run of zero groups as RFC 5952 does.
  const text = groups.join(':');
  const runs = [...text.matchAll(/(^|:)0(:0)+(:|$)/g)].sort((a, b) => b[0].length - a[0].length);
  return runs.length ? text.replace(runs[0][0], '::') : text;
}

export function defaultDhcpRange(ip: IpConfig): { start: string; end: string } | null {
  const a = ipAddressing(ip, 0);
  if (!a) return null;
  const base = bytesToBigInt(a.parsed.subnet.network.toByteArray());
  if (a.family === 'ipv4') {
    const size = 1n << BigInt(32 - a.prefix);
    if (size < 8n) return null;
    return { start: bigIntToText(base + size / 2n, 'ipv4'), end: bigIntToText(base + size - 2n, 'ipv4') };
  }
  return { start: bigIntToText(base + 256n, 'ipv6'), end: bigIntToText(base + 511n, 'ipv6') };
}
