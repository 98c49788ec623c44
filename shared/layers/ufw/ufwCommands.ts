// `ufw allow|deny|reject|limit …`, `ufw route …` and `ufw default …` as what ufw
// writes: rules in /etc/ufw/user.rules (chain ufw-user-input/-output/-forward,
// each preceded by its `### tuple ###` comment) or a policy in /etc/default/ufw
// (ufw.8: "ufw route" rules "take into account netfilter FORWARD chain
// conventions"; `ufw default allow|deny|reject routed`). The common forms:
//   ufw allow 22/tcp | ufw allow ssh | ufw allow in on virbr3 to any port 67 proto udp
//   ufw allow from 192.168.10.0/24 | ufw deny out 25
//   ufw route allow in on virbr3 out on eth1 [from A] [to B] [port P] [proto P]
// Anything else is an error naming the word that was not understood.

import { canonicalPort } from '../susefirewall2/sfw2Values.ts';
import { parseUfwDefaults, writeUfwDefaults, type UfwConfig } from './ufwConfig.ts';
import { UFW_CONF, ufwLogLevel, type UfwLogLevel } from './ufwLogging.ts';
import { UFW_DEFAULTS_PATH, UFW_USER6_RULES, UFW_USER_RULES, userRulesSkeleton } from './ufwShippedFiles.ts';

export type UfwCommandResult =
  | { kind: 'rules'; family: 'ipv4' | 'ipv6' | 'both'; tuple: string; lines: string[] }
  | { kind: 'default'; variable: 'DEFAULT_INPUT_POLICY' | 'DEFAULT_OUTPUT_POLICY' | 'DEFAULT_FORWARD_POLICY'; value: 'ACCEPT' | 'DROP' | 'REJECT' }
  | { kind: 'error'; message: string; column: number };

const ACTIONS: Record<string, string> = { allow: 'ACCEPT', deny: 'DROP', reject: 'REJECT', limit: 'limit' };

/** Reads one `ufw …` command line. */
export function readUfwCommand(command: string): UfwCommandResult {
  const words = command.trim().split(/\s+/);
  let i = words[0] === 'ufw' ? 1 : 0;
  const columnOf = (k: number): number => {
    let col = command.indexOf(command.trim()) + 1;
    for (let j = 0; j < k; j++) col = command.indexOf(words[j + 1], col - 1 + words[j].length) + 1;
    return col;
  };
  const fail = (k: number, message: string): UfwCommandResult => ({ kind: 'error', message, column: columnOf(Math.min(k, words.length - 1)) });

  if (words[i] === 'default') {
    const policy = { allow: 'ACCEPT', deny: 'DROP', reject: 'REJECT' }[words[i + 1] ?? ''] as 'ACCEPT' | 'DROP' | 'REJECT' | undefined;
    if (!policy) return fail(i + 1, `ufw default needs allow, deny or reject, not '${words[i + 1] ?? ''}'`);
    const dir = words[i + 2] ?? 'incoming';
    const variable = ({ incoming: 'DEFAULT_INPUT_POLICY', outgoing: 'DEFAULT_OUTPUT_POLICY', routed: 'DEFAULT_FORWARD_POLICY' } as const)[dir as 'incoming'];
    if (!variable) return fail(i + 2, `ufw default … needs incoming, outgoing or routed, not '${dir}'`);
    return { kind: 'default', variable, value: policy };
  }

  const route = words[i] === 'route';
  if (route) i++;
  const actionWord = words[i] ?? '';
  const action = ACTIONS[actionWord];
  if (!action) return fail(i, `expected allow, deny, reject or limit, not '${actionWord}'`);
  i++;
  let direction: 'in' | 'out' = 'in';
  let inIf = '';
  let outIf = '';
  let proto = '';
  let from = '';
  let fromPort = '';
  let to = '';
  let toPort = '';
  while (i < words.length) {
    const w = words[i];
    if ((w === 'in' || w === 'out') && words[i + 1] === 'on') {
      if (w === 'in') inIf = words[i + 2] ?? '';
      else outIf = words[i + 2] ?? '';
      if (!route) direction = w;
      i += 3;
    } else if (w === 'in' || w === 'out') {
      direction = w;
      i++;
    } else if (w === 'proto') {
      proto = words[i + 1] ?? '';
      if (!['tcp', 'udp', 'icmp', 'ipv6', 'esp', 'ah', 'gre', 'igmp'].includes(proto)) return fail(i + 1, `unknown protocol '${proto}'`);
      i += 2;
    } else if (w === 'from' || w === 'to') {
      const addr = words[i + 1] ?? '';
      if (w === 'from') from = addr === 'any' ? '' : addr;
      else to = addr === 'any' ? '' : addr;
      i += 2;
      if (words[i] === 'port') {
        const p = words[i + 1] ?? '';
        if (canonicalPort(p.replace(/,/g, ':')) === null && !/^[\d,:]+$/.test(p)) return fail(i + 1, `'${p}' is not a port`);
        if (w === 'from') fromPort = p;
        else toPort = p;
        i += 2;
      }
    } else if (i === words.length - 1 && /^[\w:-]+(\/(tcp|udp))?$/.test(w)) {
      // Simple syntax: `ufw allow 22/tcp`, `ufw allow ssh`.
      const [p, pr] = w.split('/');
      const port = canonicalPort(p);
      if (port === null) return fail(i, `'${w}' is not a port or service name`);
      toPort = port;
      if (pr) proto = pr;
      i++;
    } else {
      return fail(i, `'${w}' is not understood here`);
    }
  }
  const chain = route ? 'forward' : direction === 'in' ? 'input' : 'output';
  const family = [from, to].some((a) => a.includes(':')) ? 'ipv6' : [from, to].some((a) => /\d+\.\d+/.test(a)) ? 'ipv4' : 'both';
  const protos = proto ? [proto] : toPort || fromPort ? ['tcp', 'udp'] : [''];
  // The rule text as ufw's UFWRule.format_rule writes it (-i -o -p [multiport]
  // -d --dport -s --sport -j; no `-m tcp`: iptables adds it when loading) and
  // _get_rules_from_formatted splits "any protocol with a port" into tcp and udp.
  const lines: string[] = [];
  for (const pr of protos) {
    const parts = [`-A ufw-user-${chain}`];
    if (inIf) parts.push(`-i ${inIf}`);
    if (outIf) parts.push(`-o ${outIf}`);
    if (pr) parts.push(`-p ${pr}`);
    const multi = toPort.includes(',') || fromPort.includes(',') || toPort.includes(':') || fromPort.includes(':');
    if (multi && (pr === 'tcp' || pr === 'udp')) {
      if (toPort) parts.push(`-m multiport --dports ${toPort}`);
      if (fromPort) parts.push(`-m multiport --sports ${fromPort}`);
    }
    if (to) parts.push(`-d ${to}`);
    if (!multi && toPort) parts.push(`--dport ${toPort}`);
    if (from) parts.push(`-s ${from}`);
    if (!multi && fromPort) parts.push(`--sport ${fromPort}`);
    if (action === 'limit') {
      lines.push(`${parts.join(' ')} -m conntrack --ctstate NEW -m recent --set`);
      lines.push(`${parts.join(' ')} -m conntrack --ctstate NEW -m recent --update --seconds 30 --hitcount 6 -j ufw-user-limit`);
      lines.push(`${parts.join(' ')} -j ufw-user-limit-accept`);
    } else if (action === 'REJECT' && pr === 'tcp') lines.push(`${parts.join(' ')} -j REJECT --reject-with tcp-reset`);
    else lines.push(`${parts.join(' ')} -j ${action}`);
  }
  // backend_iptables.py: both interfaces → in_A!out_B; one → DIRECTION_IFACE; none → DIRECTION.
  const tupleDir = inIf && outIf ? `in_${inIf}!out_${outIf}` : inIf ? `in_${inIf}` : outIf ? `out_${outIf}` : direction;
  const tuple = `### tuple ### ${route ? 'route:' : ''}${actionWord} ${proto || 'any'} ${toPort || 'any'} ${to || '0.0.0.0/0'} ${fromPort || 'any'} ${from || '0.0.0.0/0'} ${tupleDir}`;
  return { kind: 'rules', family, tuple, lines };
}

/** Adds a command's rules to user.rules (or user6.rules with prefix ufw6) before `### END RULES ###`. */
export function addToUserRules(userRules: string | undefined, result: Extract<UfwCommandResult, { kind: 'rules' }>, prefix: 'ufw' | 'ufw6' = 'ufw', policies?: Pick<UfwConfig, 'inputPolicy' | 'outputPolicy' | 'forwardPolicy'>, level: UfwLogLevel = 'low'): string {
  const text = userRules ?? userRulesSkeleton(prefix, policies, level);
  const lines = result.lines.map((l) => (prefix === 'ufw6' ? l.replace(/^-A ufw-/, '-A ufw6-').replace(/-j ufw-/, '-j ufw6-') : l));
  // user6.rules tuples name the IPv6 "anywhere".
  const tuple = prefix === 'ufw6' ? result.tuple.replace(/ 0\.0\.0\.0\/0(?= )/g, ' ::/0') : result.tuple;
  const block = `\n${tuple}\n${lines.join('\n')}\n`;
  const marker = text.indexOf('### END RULES ###');
  if (marker < 0) return `${text}${block}`;
  const before = text.slice(0, marker).replace(/\n*$/, '\n');
  return `${before}${block}\n${text.slice(marker)}`;
}

/**
 * One `ufw …` command applied to a ufw layer's files the way ufw does it:
 * rules go to user.rules and/or user6.rules (IPv6 ones only with IPV6=yes;
 * a rule naming no address goes to both), `ufw default …` to /etc/default/ufw.
 */
export function applyUfwCommand(files: Record<string, string>, command: string): { files: Record<string, string> } | { error: string; column: number } {
  const r = readUfwCommand(command);
  if (r.kind === 'error') return { error: r.message, column: r.column };
  if (r.kind === 'default') return { files: { ...files, [UFW_DEFAULTS_PATH]: writeUfwDefaults(files[UFW_DEFAULTS_PATH], { [r.variable]: r.value }) } };
  const { config } = parseUfwDefaults(files[UFW_DEFAULTS_PATH]);
  const ipv6 = config.ipv6;
  if (r.family === 'ipv6' && !ipv6) return { error: 'IPv6 rules need IPV6=yes in /etc/default/ufw (ufw refuses them otherwise)', column: 1 };
  const level = ufwLogLevel(files[UFW_CONF]);
  const out = { ...files };
  // ufw rewrites the whole file: the LOGGING section follows today's policies and LOGLEVEL.
  if (r.family !== 'ipv6') out[UFW_USER_RULES] = withLoggingSections(addToUserRules(files[UFW_USER_RULES], r, 'ufw', config, level), 'ufw', config, level);
  if (r.family !== 'ipv4' && ipv6) out[UFW_USER6_RULES] = withLoggingSections(addToUserRules(files[UFW_USER6_RULES], r, 'ufw6', config, level), 'ufw6', config, level);
  return { files: out };
}

/** Replaces the LOGGING and RATE LIMITING sections with what ufw writes for these policies and level. */
function withLoggingSections(text: string, prefix: 'ufw' | 'ufw6', config: UfwConfig, level: UfwLogLevel): string {
  const skeleton = userRulesSkeleton(prefix, config, level);
  const section = (t: string): [number, number] => [t.indexOf('### LOGGING ###'), t.indexOf('### END RATE LIMITING ###')];
  const [a, b] = section(text);
  const [sa, sb] = section(skeleton);
  if (a < 0 || b < a) return text;
  return `${text.slice(0, a)}${skeleton.slice(sa, sb)}${text.slice(b)}`;
}
