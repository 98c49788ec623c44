// The `virtwall` command table: "group subcommand" → module. Modules are loaded
// lazily so `virtwall validate` does not pay for the SQLite driver.

import type { CliCommand } from './io.ts';

export interface CommandEntry {
  /** Words of the command, e.g. ['xml', 'canonical']. */
  words: string[];
  usage: string;
  summary: string;
  load: () => Promise<CliCommand>;
}

export const COMMANDS: CommandEntry[] = [
  // Entries are added by each feature (see cli/commands/*.ts).
  { words: ['project', 'new'], usage: 'project new FILE [--name NAME]', summary: 'create a project file with one variant (the default lab)', load: async () => (await import('./commands/projectNew.ts')).projectNew },
  { words: ['project', 'info'], usage: 'project info FILE [--json]', summary: 'show what a project file holds (read-only)', load: async () => (await import('./commands/projectInfo.ts')).projectInfo },
  { words: ['project', 'variants'], usage: 'project variants FILE [--json]', summary: 'list the variants of a project (name and id)', load: async () => (await import('./commands/projectVariants.ts')).projectVariants },
  { words: ['validate'], usage: 'validate FILE.xml... [--json] [--host-interface NAME[=CIDR,...]]...', summary: 'check libvirt network XML as libvirt would (define and start); files together = one project', load: async () => (await import('./commands/validate.ts')).validate },
  { words: ['xml', 'canonical'], usage: 'xml canonical FILE.xml [--used-bridge NAME]... [--uuid UUID] [--mac MAC]', summary: 'print what virsh net-dumpxml --inactive shows after net-define', load: async () => (await import('./commands/xmlCanonical.ts')).xmlCanonical },
  { words: ['sample'], usage: 'sample FILE [--force]', summary: 'write the sample project (the story\'s lab in four variants)', load: async () => (await import('./commands/sample.ts')).sample },
  { words: ['rules', 'check'], usage: 'rules check FILE [--format iptables-save|iptables-S|iptables-commands|nft|nft-script] [--table TABLE] [--lenient] [--json]', summary: 'parse a firewall dump or script; print tables, chains and the rule count, or FILE:line:col errors', load: async () => (await import('./commands/rules-check.ts')).rulesCheck },
  { words: ['layer', 'actions'], usage: 'layer actions susefirewall2|firewalld|ufw|docker|own-script|raw-ruleset FILE[=HOSTPATH]... [--event start|init|reload|stop] [--version V] [--interface NAME]... [--ip-forward 0|1] [--libvirt VERSION] [--libvirtd-stopped] [--json]', summary: 'what a firewall layer runs at one event, as shell lines with the reason of each', load: async () => (await import('./commands/layer.ts')).layerActions },
  { words: ['layer', 'check'], usage: 'layer check KIND FILE[=HOSTPATH]... [--version V] [--json]', summary: 'every problem in a firewall layer\'s config files (FILE:line:col)', load: async () => (await import('./commands/layer.ts')).layerCheck },
  { words: ['rules', 'trace'], usage: 'rules trace FILE --in IF [--out IF] --src IP --dst IP --proto icmp|tcp|udp [--sport N] [--dport N] [--state NEW|ESTABLISHED|RELATED|INVALID] [--orig-dst IP] [--orig-dport N] [--hook forward|input|output|prerouting|postrouting] [--json]', summary: 'one packet through one hook: every rule visited, the verdict, what the sender sees', load: async () => (await import('./commands/rules-trace.ts')).rulesTrace },
  { words: ['collect'], usage: 'collect', summary: 'print the read-only snapshot script to run as root on a real host (writes a folder for check / import)', load: async () => (await import('./commands/collect.ts')).collect },
  { words: ['check'], usage: 'check SNAPSHOT_DIR --from IP --to IP --service icmp|tcp/PORT|udp/PORT [--no-return-route] [--json]', summary: 'simulate one flow on a host as found (a collect folder): what the guest sees and which rule decided', load: async () => (await import('./commands/check.ts')).check },
  { words: ['libvirt', 'rules'], usage: 'libvirt rules [--libvirt 9.0|11.3|4.10] [--backend iptables|nftables] [--family ipv4|ipv6] [--commands] NETWORK.xml...', summary: 'the rules libvirt adds when the networks start in the given order (iptables-save or nft list ruleset text)', load: async () => (await import('./commands/libvirt-rules.ts')).libvirtRules },
  { words: ['export'], usage: 'export PROJECT --variant NAME --to DIR|ssh://user@host[:port]/path [--dry-run] [--overwrite] [--check [--check-arg ARG]...] [--identity FILE] [--known-hosts FILE] [--ssh-option K=V]... [--confirm-timeout N] [--json]', summary: 'write the variant\'s bundle (networks, firewall, sysctl, routes, apply.sh) to a folder or a host', load: async () => (await import('./commands/export.ts')).exportCommand },
  { words: ['simulate'], usage: 'simulate PROJECT --variant NAME --from GUEST_IP --to IP --service icmp|tcp/PORT|udp/PORT [--upto-event ID] [--json]', summary: 'one flow in a variant: what the guest sees, which rule of which layer decided, the path both ways', load: async () => (await import('./commands/simulate.ts')).simulate },
  { words: ['matrix'], usage: 'matrix PROJECT --variant NAME [--json]', summary: 'every guest × gateway/internet/host/guests/network gateways × services of a variant', load: async () => (await import('./commands/matrix.ts')).matrix },
  { words: ['compare'], usage: 'compare PROJECT VARIANT_A VARIANT_B [--json]', summary: 'what differs between two variants: network XML, effective rules per hook, reachability cells', load: async () => (await import('./commands/compare.ts')).compare },
];
