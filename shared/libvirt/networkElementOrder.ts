// The order in which libvirt prints the children of each element of a network
// definition (virNetworkDefFormatBuf and helpers, src/conf/network_conf.c;
// observed in fixtures dumpxml/*/v9-inactive.xml: name, uuid, forward, bridge,
// mac, domain, ip). New elements are placed by this order.

export const NETWORK_ELEMENT_ORDER: Record<string, readonly string[]> = {
  network: ['name', 'uuid', 'title', 'description', 'metadata', 'forward', 'bridge', 'mtu', 'mac', 'domain', 'dns', 'vlan', 'bandwidth', 'port', 'ip', 'route', 'virtualport', 'portgroup'],
  forward: ['driver', 'nat', 'pf', 'interface', 'address'],
  nat: ['address', 'port'],
  dns: ['forwarder', 'txt', 'srv', 'host'],
  host: ['hostname'],
  ip: ['tftp', 'dhcp'],
  dhcp: ['range', 'host', 'bootp'],
  bandwidth: ['inbound', 'outbound'],
  portgroup: ['vlan', 'virtualport', 'bandwidth'],
  vlan: ['tag'],
};
