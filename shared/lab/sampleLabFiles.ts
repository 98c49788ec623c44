// The config files of the sample lab's firewall layers, as the story's admin
// had them on his openSUSE Leap 42.3 host (story.md).
//
// /etc/sysconfig/SuSEfirewall2 follows the layout of the file SuSEfirewall2 3.6
// installs (openSUSE/susefirewall2 SuSEfirewall2.sysconfig: `## Type:` and
// `## Default:` metadata for YaST's sysconfig editor, numbered sections, empty
// values where the script applies its built-in default, some values unquoted).
// Only FW_DEV_EXT, FW_ROUTE and FW_FORWARD differ from the shipped file; the
// comments are shortened.

export const SUSEFIREWALL2_SYSCONFIG_PATH = '/etc/sysconfig/SuSEfirewall2';

function variable(type: string, defaultValue: string | null, comment: string[], line: string): string {
  const meta = [`## Type:\t${type}`, ...(defaultValue === null ? [] : [`## Default:\t${defaultValue}`])];
  return [...meta, '#', ...comment.map((c) => (c ? `# ${c}` : '#')), line, ''].join('\n');
}

/** A variable per built-in zone: the EXT one carries the description, the others point to it. */
function perZone(prefix: string, description: string[]): string {
  return ['EXT', 'DMZ', 'INT']
    .map((zone, i) => variable('string', null, i === 0 ? description : [`see ${prefix}EXT`], `${prefix}${zone}=""`))
    .join('\n');
}

export const SAMPLE_SUSEFIREWALL2_SYSCONFIG = [
  '# /etc/sysconfig/SuSEfirewall2',
  '#',
  '# for use with /sbin/SuSEfirewall2 version 3.6',
  '#',
  '# Configuration HELP: /usr/share/doc/packages/SuSEfirewall2/EXAMPLES or YaST',
  '',
  '## Path:\tNetwork/Firewall/SuSEfirewall2',
  '## Description:\tSuSEfirewall2 configuration',
  variable('string', 'any', ['2.)', 'Interfaces that point to the internet/untrusted networks.', 'Format: space separated list of interface or configuration names'], 'FW_DEV_EXT="eth1"'),
  variable('string', null, ['3.)', 'Interfaces that point to the internal network.'], 'FW_DEV_INT=""'),
  variable('string', null, ['4.)', 'Interfaces that point to the dmz or dialup network.'], 'FW_DEV_DMZ=""'),
  variable('yesno', 'yes', ['Put every interface present when SuSEfirewall2 runs and not listed', 'above into the zone of its ifcfg FW_ZONE= or the default zone.'], 'FW_AUTODETECT_INTERFACES="yes"'),
  variable('yesno', 'no', ['5.)', 'Should routing between the internet, dmz and internal network be', 'activated? Overrides IP_FORWARD from /etc/sysconfig/network/options.'], 'FW_ROUTE="yes"'),
  variable('yesno', 'no', ['6.)', 'Masquerade internal networks to the outside?', 'Requires: FW_DEV_INT or FW_DEV_DMZ, FW_ROUTE, FW_MASQ_DEV'], 'FW_MASQUERADE="no"'),
  variable('string', 'zone:ext', ['6a.)', 'Interfaces to masquerade on; "zone:NAME" = all interfaces of a zone.'], 'FW_MASQ_DEV="zone:ext"'),
  variable('string', '0/0', ['Networks allowed to reach the internet via masquerading.', 'Format: <source network>[,<destination network>,<protocol>[,port[:port]]'], 'FW_MASQ_NETS="0/0"'),
  variable('string', '0/0', ['Computers/networks to exclude from masquerading.'], 'FW_NOMASQ_NETS=""'),
  variable('list(yes,no,notrack)', 'no', ['7.)', 'Protect the firewall from the internal network?'], 'FW_PROTECT_FROM_INT="no"'),
  variable('string', null, ['9.)', 'TCP services _on the firewall_ accessible from untrusted networks.', 'Examples: "ssh", "123 514", "3200:3299"'], 'FW_SERVICES_EXT_TCP=""'),
  variable('string', null, ['UDP services _on the firewall_ accessible from untrusted networks.'], 'FW_SERVICES_EXT_UDP=""'),
  variable('string', null, ['IP protocols _on the firewall_ accessible from untrusted networks.'], 'FW_SERVICES_EXT_IP=""'),
  variable('string', null, ['RPC services _on the firewall_ accessible from untrusted networks.'], 'FW_SERVICES_EXT_RPC=""'),
  variable('string', null, ['Service definitions from /etc/sysconfig/SuSEfirewall2.d/services.'], 'FW_CONFIGURATIONS_EXT=""'),
  ...['DMZ', 'INT'].flatMap((zone) =>
    ['TCP', 'UDP', 'IP', 'RPC'].map((proto) => variable('string', null, [`see comments for FW_SERVICES_EXT_${proto}`], `FW_SERVICES_${zone}_${proto}=""`)),
  ),
  variable('string', null, ['see comments for FW_CONFIGURATIONS_EXT'], 'FW_CONFIGURATIONS_DMZ=""'),
  variable('string', null, ['see comments for FW_CONFIGURATIONS_EXT'], 'FW_CONFIGURATIONS_INT=""'),
  perZone('FW_SERVICES_DROP_', ['Packets to silently drop without log message', 'Format: space separated list of net,protocol[,port][,sport]']),
  perZone('FW_SERVICES_REJECT_', ['Packets to silently reject without log message', 'Format: space separated list of net,protocol[,dport][,sport]']),
  perZone('FW_SERVICES_ACCEPT_', ['Services to allow, more generic than FW_SERVICES_{IP,UDP,TCP}', 'Format: space separated list of net,protocol[,dport[,sport[,flags]]]']),
  perZone('FW_SERVICES_ACCEPT_RELATED_', ['Services to allow that conntrack considers RELATED', 'Format: space separated list of net,protocol[,sport[,dport]]']),
  variable('string', null, ['10.)', 'Trusted hosts or nets and the services they may use.', 'Format: space separated list of network[,protocol[,port]]'], 'FW_TRUSTED_NETS=""'),
  variable('string', '', ['11.)', 'Ports allowed to access unprivileged ports (>1023). Deprecated.'], 'FW_ALLOW_INCOMING_HIGHPORTS_TCP=""'),
  variable('string', '', ['See FW_ALLOW_INCOMING_HIGHPORTS_TCP'], 'FW_ALLOW_INCOMING_HIGHPORTS_UDP=""'),
  variable(
    'string',
    null,
    ['13.)', 'Which services or networks are allowed to be routed through the', 'firewall, no matter which zone they are in? Requires: FW_ROUTE', 'Format: space separated list of', '   <source network>,<destination network>[,protocol[,port[,flags]]]'],
    'FW_FORWARD="192.168.90.0/24,192.168.10.0/24 192.168.10.0/24,192.168.90.0/24"',
  ),
  variable('string', null, ['13a.)', 'same as FW_FORWARD but packets are rejected instead of accepted'], 'FW_FORWARD_REJECT=""'),
  variable('string', null, ['13b.)', 'same as FW_FORWARD but packets are dropped instead of accepted'], 'FW_FORWARD_DROP=""'),
  variable('string', null, ['14.)', 'Services from the internet forwarded to masqueraded servers.', 'Format: <source network>,<ip to forward to>,<protocol>,<port>[,redirect port,[destination ip]]'], 'FW_FORWARD_MASQ=""'),
  variable('string', null, ['15.)', 'Accesses to redirect to a local port on the firewall.'], 'FW_REDIRECT=""'),
  variable('yesno', 'yes', ['16.)', 'Log dropped packets considered critical.', 'defaults to "yes" if not set'], 'FW_LOG_DROP_CRIT=""'),
  variable('yesno', 'no', ['Log all dropped packets. defaults to "no" if not set'], 'FW_LOG_DROP_ALL=""'),
  variable('yesno', 'yes', ['Log accepted packets considered critical.', 'defaults to "yes" if not set'], 'FW_LOG_ACCEPT_CRIT=""'),
  variable('yesno', 'no', ['Log all accepted packets. defaults to "no" if not set'], 'FW_LOG_ACCEPT_ALL=""'),
  variable('string', null, ['Packets per time unit logged per rule; empty = 3/minute.'], 'FW_LOG_LIMIT=""'),
  variable('string', null, ['iptables logging option, must end with --log-prefix and a prefix.', 'only change this if you know what you are doing!'], 'FW_LOG=""'),
  variable('yesno', 'yes', ['17.)', 'Enable additional kernel TCP/IP security features', '(log_martians, rp_filter, ...). if not set defaults to "yes"'], 'FW_KERNEL_SECURITY="yes"'),
  variable('yesno', 'no', ['18.)', 'Keep the routing set on, if the firewall rules are unloaded?'], 'FW_STOP_KEEP_ROUTING_STATE="no"'),
  variable('yesno', 'yes', ['19.)', 'Allow the firewall to reply to icmp echo requests'], 'FW_ALLOW_PING_FW="yes"'),
  variable('yesno', 'no', ['19a.)', 'Allow hosts in the dmz to be pinged from other zones. Requires: FW_ROUTE'], 'FW_ALLOW_PING_DMZ="no"'),
  variable('yesno', 'no', ['19b.)', 'Allow hosts in the external zone to be pinged from other zones. Requires: FW_ROUTE'], 'FW_ALLOW_PING_EXT="no"'),
  variable('yesno', 'yes', ['21.)', 'Allow ICMP sourcequench from your ISP?'], 'FW_ALLOW_FW_SOURCEQUENCH=""'),
  perZone('FW_ALLOW_FW_BROADCAST_', ['22.)', 'Allow IP broadcasts? "yes", "no" or a list of udp ports', 'defaults to "no" if not set']),
  variable('string(yes,no)', null, ['Suppress logging of dropped broadcast packets.'], 'FW_IGNORE_FW_BROADCAST_EXT="yes"'),
  variable('string', null, ['see comments for FW_IGNORE_FW_BROADCAST_EXT'], 'FW_IGNORE_FW_BROADCAST_INT=""'),
  variable('string', null, ['see comments for FW_IGNORE_FW_BROADCAST_EXT'], 'FW_IGNORE_FW_BROADCAST_DMZ=""'),
  variable('list(yes,no,int,ext,dmz,)', 'no', ['23.)', 'Allow routing between interfaces of the same zone? Requires: FW_ROUTE="yes"'], 'FW_ALLOW_CLASS_ROUTING=""'),
  variable('string', null, ['25.)', 'Load custom rules from a file? Expert option.', 'Example: "/etc/sysconfig/scripts/SuSEfirewall2-custom"'], 'FW_CUSTOMRULES=""'),
  variable('yesno', 'no', ['26.)', 'REJECT packets instead of DROPing? Per zone: FW_REJECT_<ZONE>'], 'FW_REJECT=""'),
  variable('yesno', 'no', ['see FW_REJECT for description'], 'FW_REJECT_INT="yes"'),
  variable('string', null, ['27.)', 'Upstream tuning via HTB, e.g. "dsl0,125"'], 'FW_HTB_TUNE_DEV=""'),
  variable('list(no,drop,reject)', 'drop', ['28.)', 'What to do with IPv6 packets? Empty = detect stateful ip6tables.'], 'FW_IPv6=""'),
  variable('yesno', 'yes', ['28a.)', 'Reject outgoing IPv6 packets?'], 'FW_IPv6_REJECT_OUTGOING=""'),
  variable('list(yes,no,int,ext,dmz,)', 'no', ['29.)', 'Trust level of IPsec packets.'], 'FW_IPSEC_TRUST=""'),
  variable('string', '', ['30.)', 'Additional firewall zones besides INT, EXT and DMZ.'], 'FW_ZONES=""'),
  variable('string(no,auto)', '', ['Default firewall zone: auto, no or a zone name.', "Default to 'auto' if not set"], "FW_ZONE_DEFAULT=''"),
  variable('list(yes,no,auto,)', '', ['31.)', 'Whether to use iptables-batch. Defaults to "auto" if not set'], 'FW_USE_IPTABLES_BATCH=""'),
  variable('string', '', ['32.)', 'Additional kernel modules to load at startup'], 'FW_LOAD_MODULES='),
  variable('string', '', ['33.)', 'Bridge interfaces without IP address. Deprecated, use FW_FORWARD_ALLOW_BRIDGING'], 'FW_FORWARD_ALWAYS_INOUT_DEV='),
  variable('string', '', ['Allow traffic that is only bridged but not routed: yes, no, auto.', 'Defaults to "auto" if not set'], 'FW_FORWARD_ALLOW_BRIDGING='),
  variable('yesno', 'yes', ['Write status information to /var/run/SuSEfirewall2/status'], 'FW_WRITE_STATUS='),
  variable('yesno', 'yes', ['Allow dynamic configuration overrides in /var/run/SuSEfirewall2/override'], 'FW_RUNTIME_OVERRIDE='),
  variable('yesno', 'yes', ['Install NOTRACK target for interface lo in the raw table.'], 'FW_LO_NOTRACK='),
].join('\n');

export const OWN_SCRIPT_PATH = '/usr/local/sbin/fw.sh';

// story.md step 1: "his own iptables script (loaded by a systemd unit after
// libvirtd; it flushes every rule and allows forwarding between the networks)".
// Straight-line commands, no shell logic: this is what the own-script layer parses.
export const SAMPLE_OWN_SCRIPT = `#!/bin/sh
# /usr/local/sbin/fw.sh — run by fw.service (After=libvirtd.service)
# Start from nothing: flush and delete every chain of every table.
iptables -t filter -F
iptables -t filter -X
iptables -t nat -F
iptables -t nat -X
iptables -t mangle -F
iptables -t mangle -X
iptables -t raw -F
iptables -t raw -X
iptables -P INPUT ACCEPT
iptables -P FORWARD ACCEPT
iptables -P OUTPUT ACCEPT
# Route between the LAN and the guests' network.
iptables -A FORWARD -s 192.168.90.0/24 -d 192.168.10.0/24 -j ACCEPT
iptables -A FORWARD -s 192.168.10.0/24 -d 192.168.90.0/24 -j ACCEPT
`;
