// Random libvirt network definitions for the differential test: mostly valid,
// with the mistakes people make (ranges outside the subnet, reversed, on the
// network/broadcast address, bad MACs, prefixes out of range, IPv6 without
// family, bridge names the kernel refuses, …), so both verdicts are exercised.

import fc from 'fast-check';

const pick = <T>(...values: T[]) => fc.constantFrom(...values);
/** The first value is the common (valid) case, weighted 3:1 against all the others together. */
const mostly = <T>(usual: T, ...odd: T[]) => fc.oneof({ arbitrary: fc.constant(usual), weight: 3 * odd.length }, ...odd.map((v) => ({ arbitrary: fc.constant(v), weight: 1 })));

const third = fc.integer({ min: 1, max: 250 });

/** An <ip> for 192.168.T.0/24 (or an odd variant of it). */
const ipv4 = fc.record({
  third,
  host: mostly(1, 0, 255, 254),
  mask: fc.oneof(pick("netmask='255.255.255.0'", "prefix='24'", ''), mostly("prefix='16'", "prefix='33'", "netmask='255.0.255.0'", "netmask='255.255.255.0' prefix='24'", "prefix='0'")),
  ranges: fc.array(fc.tuple(fc.integer({ min: 2, max: 254 }), fc.integer({ min: 2, max: 254 }), mostly(0, 1, -1)), { maxLength: 2 }),
  dhcp: mostly(true, false),
  hosts: fc.array(
    fc.record({
      mac: fc.oneof(pick('52:54:00:00:00:01', '52:54:00:00:00:02', '52:54:00:AB:cd:03'), mostly(undefined, '52:54:00:zz:00:01', '01:00:5e:00:00:01')),
      name: mostly(undefined, 'vm1', '-bad', 'x'),
      last: fc.integer({ min: 2, max: 254 }),
      other: mostly(false, true),
    }),
    { maxLength: 2 },
  ),
});

const ipv6 = fc.record({
  net: fc.integer({ min: 1, max: 99 }),
  prefix: mostly("prefix='64'", "prefix='48'", '', "prefix='129'", "netmask='255.255.255.0'"),
  family: mostly(true, false),
  range: mostly<[string, string] | undefined>(undefined, ['100', '1ff'], ['100', '1ff'], ['1ff', '100'], ['100', 'outside']),
});

export function randomNetworkXml(): fc.Arbitrary<(name: string) => string> {
  return fc
    .record({
      mode: fc.oneof(
        { weight: 6, arbitrary: pick('', "<forward mode='nat'/>", "<forward mode='route'/>", "<forward mode='open'/>", '<forward/>', "<forward mode='nat' dev='eth7'/>") },
        { weight: 2, arbitrary: pick("<forward mode='nat'><nat><port start='1024' end='65535'/></nat></forward>", "<forward mode='nat'><nat ipv6='yes'><address start='198.51.100.10' end='198.51.100.20'/></nat></forward>") },
        { weight: 1, arbitrary: pick("<forward mode='nat'><nat><port start='2000' end='1000'/></nat></forward>", "<forward mode='nat'><nat><address start='198.51.100.20' end='198.51.100.10'/></nat></forward>", "<forward mode='route'><nat/></forward>") },
      ),
      bridge: fc.oneof(
        { weight: 6, arbitrary: pick(undefined, "<bridge name='virbr%d'/>", "<bridge name='vwbr0' stp='off' delay='2'/>", "<bridge name='vwbr01234567890'/>", "<bridge stp='on'/>", "<bridge name='vwbr1'/>") },
        { weight: 1, arbitrary: pick("<bridge name='vwbr012345678901'/>", "<bridge name='vw/br1'/>", "<bridge name='vw br1'/>") },
      ),
      mac: mostly(undefined, "<mac address='52:54:00:12:34:56'/>", "<mac address='52:54:00:12:34:56'/>", "<mac address='01:00:5e:00:00:01'/>", "<mac address='52:54:00:zz:00:01'/>"),
      domain: pick(undefined, "<domain name='lab.example'/>", "<domain name='lab' localOnly='yes'/>"),
      dns: mostly(undefined, "<dns><host ip='192.168.77.7'><hostname>h</hostname></host></dns>", "<dns enable='no'/>", "<dns><txt name='t' value='v'/><forwarder addr='8.8.8.8'/></dns>", "<dns><txt name='a b' value='v'/></dns>"),
      mtu: pick(undefined, undefined, "<mtu size='9000'/>"),
      extra: mostly(
        undefined,
        "<bandwidth><inbound average='1000' peak='5000' burst='1024'/><outbound average='128'/></bandwidth>",
        "<portgroup name='engineering' default='yes'/>",
        "<dns forwardPlainNames='no'><forwarder domain='corp.example' addr='10.0.0.53'/><srv service='ldap' protocol='tcp' domain='lab' target='dc' port='389' priority='10' weight='5'/></dns>",
        "<dns><srv service='ldap' protocol='tcp' port='389'/></dns>",
        "<bandwidth><inbound average='1000' floor='200'/></bandwidth>",
        "<bandwidth><outbound peak='100'/></bandwidth>",
      ),
      ipExtra: mostly(undefined, " localPtr='yes'", '/tmp', '/srv/vw-no-such-tftp-root'),
      v4: fc.option(ipv4, { nil: undefined, freq: 8 }),
      v6: fc.option(ipv6, { nil: undefined, freq: 2 }),
      route: mostly(undefined, 'reachable', 'reachable', 'unreachable'),
      uuid: mostly(undefined, '<uuid>not-a-uuid</uuid>', '<uuid>3E3FCE45-4F53-4FA7-BB32-11F34168B82B</uuid>', '<uuid>3e3fce454f534fa7bb3211f34168b82b</uuid>'),
    })
    .map((g) => (name: string) => {
      const lines = [`<network>`, `  <name>${name}</name>`];
      if (g.uuid) lines.push(`  ${g.uuid}`);
      if (g.mode) lines.push(`  ${g.mode}`);
      if (g.bridge) lines.push(`  ${g.bridge}`);
      if (g.mtu) lines.push(`  ${g.mtu}`);
      if (g.mac) lines.push(`  ${g.mac}`);
      if (g.domain) lines.push(`  ${g.domain}`);
      if (g.dns) lines.push(`  ${g.dns}`);
      if (g.extra && !(g.dns && g.extra.startsWith('<dns'))) lines.push(`  ${g.extra}`);
      if (g.v4) {
        const net = `192.168.${g.v4.third}`;
        lines.push(`  <ip address='${net}.${g.v4.host}' ${g.v4.mask}${g.ipExtra === " localPtr='yes'" ? g.ipExtra : ''}>`);
        const tftp = g.ipExtra?.startsWith('/') ? g.ipExtra : undefined;
        if (tftp) lines.push(`    <tftp root='${tftp}'/>`);
        if (g.v4.dhcp) {
          lines.push('    <dhcp>');
          for (const [a, b, skew] of g.v4.ranges) lines.push(`      <range start='${net}.${Math.min(a, b)}' end='192.168.${g.v4.third + skew}.${Math.max(a, b)}'/>`);
          if (tftp) lines.push(`      <bootp file='pxelinux.0' server='${net}.1'/>`);
          for (const h of g.v4.hosts) {
            const attrs = [h.mac && `mac='${h.mac}'`, h.name && `name='${h.name}'`, `ip='192.168.${h.other ? g.v4.third + 1 : g.v4.third}.${h.last}'`].filter(Boolean);
            lines.push(`      <host ${attrs.join(' ')}/>`);
          }
          lines.push('    </dhcp>');
        }
        lines.push('  </ip>');
      }
      if (g.v6) {
        const net = `fd00:${g.v6.net}::`;
        const family = g.v6.family ? "family='ipv6' " : '';
        if (g.v6.range) {
          const end = g.v6.range[1] === 'outside' ? `fd00:${g.v6.net + 1}::1ff` : `${net}${g.v6.range[1]}`;
          lines.push(`  <ip ${family}address='${net}1' ${g.v6.prefix}>`, '    <dhcp>', `      <range start='${net}${g.v6.range[0]}' end='${end}'/>`, '    </dhcp>', '  </ip>');
        } else lines.push(`  <ip ${family}address='${net}1' ${g.v6.prefix}/>`);
      }
      if (g.route && g.v4) {
        const gw = g.route === 'reachable' ? `192.168.${g.v4.third}.254` : '10.99.99.1';
        lines.push(`  <route address='172.20.0.0' prefix='16' gateway='${gw}'/>`);
      }
      lines.push('</network>', '');
      return lines.join('\n');
    });
}

/** Two networks meant to collide now and then: same name or uuid, same bridge, same/overlapping subnet. */
export function randomNetworkPair(): fc.Arbitrary<(prefix: string) => { names: [string, string]; xml: [string, string] }> {
  const one = fc.record({
    name: pick('a', 'b'),
    uuid: mostly(undefined, '3e3fce45-4f53-4fa7-bb32-11f34168b82b', '8a344aae-20c0-436b-b2a6-daf4d1d10e90'),
    mode: pick('', "<forward mode='nat'/>", "<forward mode='route'/>", "<forward mode='open'/>"),
    bridge: pick(undefined, 'vwbr3', 'vwbr4', 'virbr0', 'virbr%d'),
    subnet: pick<[number, number]>([10, 24], [11, 24], [0, 16], [10, 25]),
    dhcp: fc.boolean(),
  });
  return fc.tuple(one, one).map((pair) => (prefix: string) => {
    const names = pair.map((n) => `${prefix}${n.name}`) as [string, string];
    const xml = pair.map((n, k) => {
      const lines = ['<network>', `  <name>${names[k]}</name>`];
      if (n.uuid) lines.push(`  <uuid>${n.uuid}</uuid>`);
      if (n.mode) lines.push(`  ${n.mode}`);
      if (n.bridge) lines.push(`  <bridge name='${n.bridge}'/>`);
      const [third, prefixLen] = n.subnet;
      lines.push(`  <ip address='192.168.${third}.1' prefix='${prefixLen}'>`);
      if (n.dhcp) lines.push('    <dhcp>', `      <range start='192.168.${third}.100' end='192.168.${third}.120'/>`, '    </dhcp>');
      lines.push('  </ip>', '</network>', '');
      return lines.join('\n');
    }) as [string, string];
    return { names, xml };
  });
}
