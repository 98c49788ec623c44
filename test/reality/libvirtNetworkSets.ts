// Seeded random sets of 1–3 libvirt networks for the generator's reality test:
// forward modes (isolated, nat, route, open), dev='eth0', IPv4 prefixes,
// IPv6 with and without <nat ipv6='yes'/>, <network ipv6='yes'>, NAT port
// and address ranges (including a one-address range and an empty port
// range), DHCP or not, DNS off, an IPv6-only isolated network. Every set is
// valid for libvirt 9.0 (subnets and bridges distinct within a set).

export interface NetworkSpec {
  name: string;
  bridge: string;
  xml: string;
}

/** mulberry32: small, deterministic. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function network(r: () => number, set: number, i: number): NetworkSpec {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const name = `vw${set}n${i}`;
  const bridge = `vwbr${i}`;
  const mode = pick(['isolated', 'nat', 'nat', 'route', 'route', 'open'] as const);
  const dev = (mode === 'nat' || mode === 'route') && r() < 0.3 ? " dev='eth0'" : '';
  const ipv6 = r() < 0.4;
  const ipv4 = mode !== 'isolated' || !ipv6 || r() < 0.7;
  const lines = ['<network>', `  <name>${name}</name>`];
  if (mode !== 'isolated') {
    const nat: string[] = [];
    if (mode === 'nat') {
      if (r() < 0.25) {
        const a = 10 + Math.floor(r() * 50);
        nat.push(`      <address start='198.51.100.${a}' end='198.51.100.${r() < 0.3 ? a : a + 5}'/>`);
      }
      if (r() < 0.35) {
        const p = pick([[10000, 20000], [2000, 2999], [5000, 5000]]);
        nat.push(`      <port start='${p[0]}' end='${p[1]}'/>`);
      }
    }
    const natIpv6 = mode === 'nat' && ipv6 && r() < 0.5;
    if (nat.length || natIpv6) lines.push(`  <forward mode='${mode}'${dev}>`, `    <nat${natIpv6 ? " ipv6='yes'" : ''}>`, ...nat, '    </nat>', '  </forward>');
    else lines.push(`  <forward mode='${mode}'${dev}/>`);
  }
  lines.push(`  <bridge name='${bridge}'/>`);
  if (!ipv6 && r() < 0.1) lines[0] = "<network ipv6='yes'>";
  if (r() < 0.15) lines.push("  <dns enable='no'/>");
  if (ipv4) {
    const small = r() < 0.2;
    const mask = small ? "netmask='255.255.255.240'" : "prefix='24'";
    const dhcp = r() < 0.6;
    if (dhcp) lines.push(`  <ip address='10.${set}.${i}.1' ${mask}>`, '    <dhcp>', `      <range start='10.${set}.${i}.2' end='10.${set}.${i}.${small ? 14 : 200}'/>`, '    </dhcp>', '  </ip>');
    else lines.push(`  <ip address='10.${set}.${i}.1' ${mask}/>`);
  }
  if (ipv6) lines.push(`  <ip family='ipv6' address='fd00:${set}:${i}::1' prefix='64'/>`);
  lines.push('</network>', '');
  return { name, bridge, xml: lines.join('\n') };
}

export function networkSets(seed: number, count: number): NetworkSpec[][] {
  const r = rng(seed);
  const sets: NetworkSpec[][] = [];
  for (let s = 1; s <= count; s++) {
    const n = 1 + Math.floor(r() * 3);
    sets.push(Array.from({ length: n }, (_, i) => network(r, s, i + 1)));
  }
  return sets;
}
