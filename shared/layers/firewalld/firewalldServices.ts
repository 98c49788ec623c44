// The service definitions zones and policies refer to by name
// (/usr/lib/firewalld/services/NAME.xml in firewalld/firewalld config/services):
// ports, protocols and, for a few, a fixed destination (dhcpv6-client only
// accepts replies to link-local addresses, mdns only the multicast group).
// The common ones are listed; an unknown name is reported by the zone reader.

export interface ServicePort {
  port: string;
  protocol: 'tcp' | 'udp' | 'sctp' | 'dccp';
}

export interface ServiceDefinition {
  ports: ServicePort[];
  protocols?: string[];
  destination?: { ipv4?: string; ipv6?: string };
}

const tcp = (...ports: string[]): ServicePort[] => ports.map((port) => ({ port, protocol: 'tcp' }));
const udp = (...ports: string[]): ServicePort[] => ports.map((port) => ({ port, protocol: 'udp' }));

export const FIREWALLD_SERVICES: Readonly<Record<string, ServiceDefinition>> = {
  ssh: { ports: tcp('22') },
  dhcp: { ports: udp('67') },
  dhcpv6: { ports: udp('547') },
  'dhcpv6-client': { ports: udp('546'), destination: { ipv6: 'fe80::/64' } },
  dns: { ports: [...tcp('53'), ...udp('53')] },
  'dns-over-tls': { ports: tcp('853') },
  http: { ports: tcp('80') },
  https: { ports: tcp('443') },
  http3: { ports: udp('443') },
  tftp: { ports: udp('69') },
  mdns: { ports: udp('5353'), destination: { ipv4: '224.0.0.251', ipv6: 'ff02::fb' } },
  'samba-client': { ports: udp('137', '138') },
  samba: { ports: [...udp('137', '138'), ...tcp('139', '445')] },
  cockpit: { ports: tcp('9090') },
  ntp: { ports: udp('123') },
  nfs: { ports: tcp('2049') },
  'libvirt': { ports: tcp('16509') },
  'libvirt-tls': { ports: tcp('16514') },
  'vnc-server': { ports: tcp('5900-5903') },
  rdp: { ports: tcp('3389') },
  ftp: { ports: tcp('21') },
  smtp: { ports: tcp('25') },
  submission: { ports: tcp('587') },
  imap: { ports: tcp('143') },
  imaps: { ports: tcp('993') },
  pop3: { ports: tcp('110') },
  pop3s: { ports: tcp('995') },
  ldap: { ports: tcp('389') },
  ldaps: { ports: tcp('636') },
  kerberos: { ports: [...tcp('88'), ...udp('88')] },
  ipp: { ports: tcp('631') },
  'ipp-client': { ports: udp('631') },
  mysql: { ports: tcp('3306') },
  postgresql: { ports: tcp('5432') },
  redis: { ports: tcp('6379') },
  snmp: { ports: udp('161') },
  syslog: { ports: udp('514') },
  wireguard: { ports: udp('51820') },
  openvpn: { ports: udp('1194') },
  ipsec: { ports: udp('500', '4500'), protocols: ['ah', 'esp'] },
  'docker-registry': { ports: tcp('5000') },
  'kube-apiserver': { ports: tcp('6443') },
};
