// Network identifiers as libvirt reads and prints them (src/util/viruuid.c).

/** libvirt formats a uuid as lowercase 8-4-4-4-12 whatever dashes/case the input used (virUUIDFormat). */
export function canonicalUuid(uuid: string): string | null {
  const hex = uuid.trim().replace(/-/g, '').toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(hex)) return null;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
