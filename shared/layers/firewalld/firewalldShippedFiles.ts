// Zone and policy files firewalld and libvirt install under /usr/lib/firewalld
// (firewalld/firewalld config/zones/*.xml, config/policies/allow-host-ipv6.xml;
// libvirt src/network/libvirt*.zone/.policy, byte-identical in Debian's 9.0
// and 11.3 packages — fixtures/libvirt/firewalld). Files in /etc/firewalld
// with the same name override them, as in firewalld. The shipped zones carry
// `<forward/>` since firewalld 1.0.0 (commit 46d91419): for older versions the
// element is dropped when the shipped files are used.

export const FIREWALLD_CONF_PATH = '/etc/firewalld/firewalld.conf';
export const ETC_ZONES_DIR = '/etc/firewalld/zones/';
export const ETC_POLICIES_DIR = '/etc/firewalld/policies/';
export const LIB_ZONES_DIR = '/usr/lib/firewalld/zones/';
export const LIB_POLICIES_DIR = '/usr/lib/firewalld/policies/';

const zone = (attrs: string, short: string, body: string[]): string =>
  [`<?xml version="1.0" encoding="utf-8"?>`, `<zone${attrs}>`, `  <short>${short}</short>`, ...body.map((b) => `  ${b}`), `</zone>`, ''].join('\n');

export const SHIPPED_ZONES: Readonly<Record<string, string>> = {
  block: zone(' target="%%REJECT%%"', 'Block', ['<description>Unsolicited incoming network packets are rejected.</description>', '<forward/>']),
  dmz: zone('', 'DMZ', ['<description>For computers in your demilitarized zone.</description>', '<service name="ssh"/>', '<forward/>']),
  drop: zone(' target="DROP"', 'Drop', ['<description>Unsolicited incoming network packets are dropped.</description>', '<forward/>']),
  external: zone('', 'External', ['<description>For use on external networks with masquerading enabled.</description>', '<service name="ssh"/>', '<masquerade/>', '<forward/>']),
  home: zone('', 'Home', ['<description>For use in home areas.</description>', '<service name="ssh"/>', '<service name="mdns"/>', '<service name="samba-client"/>', '<service name="dhcpv6-client"/>', '<forward/>']),
  internal: zone('', 'Internal', ['<description>For use on internal networks.</description>', '<service name="ssh"/>', '<service name="mdns"/>', '<service name="samba-client"/>', '<service name="dhcpv6-client"/>', '<forward/>']),
  public: zone('', 'Public', ['<description>For use in public areas.</description>', '<service name="ssh"/>', '<service name="dhcpv6-client"/>', '<forward/>']),
  trusted: zone(' target="ACCEPT"', 'Trusted', ['<description>All network connections are accepted.</description>', '<forward/>']),
  work: zone('', 'Work', ['<description>For use in work areas.</description>', '<service name="ssh"/>', '<service name="dhcpv6-client"/>', '<forward/>']),
  libvirt: `<?xml version="1.0" encoding="utf-8"?>
<zone target="ACCEPT">
  <short>libvirt</short>

  <description>
    The default policy of "ACCEPT" allows all packets to/from
    interfaces in the zone to be forwarded, while the (*low priority*)
    reject rule blocks any traffic destined for the host, except those
    services explicitly listed (that list can be modified as required
    by the local admin). This zone is intended to be used only by
    libvirt virtual networks - libvirt will add the bridge devices for
    all new virtual networks to this zone by default.
  </description>

<rule priority='32767'>
  <reject/>
</rule>
<protocol value='icmp'/>
<protocol value='ipv6-icmp'/>
<service name='dhcp'/>
<service name='dhcpv6'/>
<service name='dns'/>
<service name='ssh'/>
<service name='tftp'/>
</zone>
`,
  'libvirt-routed': `<?xml version="1.0" encoding="utf-8"?>
<zone>
  <short>libvirt-routed</short>

  <description>
    This zone is intended to be used only by routed libvirt virtual networks -
    libvirt will add the bridge devices for all new virtual networks to this
    zone by default.
  </description>
</zone>
`,
};

export const SHIPPED_POLICIES: Readonly<Record<string, string>> = {
  'allow-host-ipv6': `<?xml version="1.0" encoding="utf-8"?>
<policy target="CONTINUE" priority="-15000">
  <short>Allow host IPv6</short>
  <description>Allows basic IPv6 functionality for the host running firewalld.</description>
  <ingress-zone name="ANY" />
  <egress-zone name="HOST" />
  <rule family="ipv6">
    <icmp-type name="neighbour-advertisement" />
    <accept />
  </rule>
  <rule family="ipv6">
    <icmp-type name="neighbour-solicitation" />
    <accept />
  </rule>
  <rule family="ipv6">
    <icmp-type name="router-advertisement" />
    <accept />
  </rule>
  <rule family="ipv6">
    <icmp-type name="redirect" />
    <accept />
  </rule>
</policy>
`,
  'libvirt-routed-in': `<?xml version="1.0" encoding="utf-8"?>
<policy target="ACCEPT">
  <short>libvirt-routed-in</short>

  <description>
    This policy is used to allow routed traffic to the virtual machines.
  </description>

  <ingress-zone name="ANY" />
  <egress-zone name="libvirt-routed" />
</policy>
`,
  'libvirt-routed-out': `<?xml version="1.0" encoding="utf-8"?>
<policy target="ACCEPT">
  <short>libvirt-routed-out</short>

  <description>
    This policy is used to allow routed virtual machine traffic to the rest of
    the network.
  </description>

  <ingress-zone name="libvirt-routed" />
  <egress-zone name="ANY" />
</policy>
`,
  'libvirt-to-host': `<?xml version="1.0" encoding="utf-8"?>
<policy target="REJECT">
  <short>libvirt-to-host</short>

  <description>
    This policy is used to filter traffic from virtual machines to the
    host.
  </description>

  <ingress-zone name="libvirt-routed" />
  <egress-zone name="HOST" />

  <protocol value='icmp'/>
  <protocol value='ipv6-icmp'/>
  <service name='dhcp'/>
  <service name='dhcpv6'/>
  <service name='dns'/>
  <service name='ssh'/>
  <service name='tftp'/>
</policy>
`,
};

/** Which shipped files come from libvirt's package (present only with libvirt ≥ 5.1 / 8.10). */
export const LIBVIRT_ZONES: Readonly<Record<string, string>> = { libvirt: '5.1', 'libvirt-routed': '8.10' };
export const LIBVIRT_POLICIES: Readonly<Record<string, string>> = { 'libvirt-routed-in': '8.10', 'libvirt-routed-out': '8.10', 'libvirt-to-host': '8.10' };
