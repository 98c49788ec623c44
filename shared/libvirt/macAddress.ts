// MAC address parsing as libvirt does it (virMacAddrParse, src/util/virmacaddr.c):
// six hex bytes of one or two digits separated by ':' or '-'.

export function parseMac(text: string): number[] | null {
  const parts = text.split(/[:-]/);
  if (parts.length !== 6) return null;
  const bytes: number[] = [];
  for (const p of parts) {
    if (!/^[0-9a-fA-F]{1,2}$/.test(p)) return null;
    bytes.push(parseInt(p, 16));
  }
  return bytes;
}

/** The group bit (least significant bit of the first byte). */
export function isMulticastMac(bytes: readonly number[]): boolean {
  return (bytes[0] & 1) === 1;
}

export function formatMac(bytes: readonly number[]): string {
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join(':');
}
