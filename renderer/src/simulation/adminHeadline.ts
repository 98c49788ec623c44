// One line an admin reads first, built from the simulator's structured verdict
// (not from its English headline), so it follows the UI language:
// "192.168.10.20 → 192.168.90.1, ping: Destination Port Unreachable from
// 192.168.10.1 — libvirt's REJECT for isolated network deb" (issue 6 §2).
// What the tools themselves print (ping's and the TCP client's words, rule
// targets) stays as they print it.

import type { DecidedBy, FlowVerdict } from '../../../shared/simulator/flowTypes.ts';
import { t, type MessageKey } from '../i18n/i18n.svelte.ts';

const LAYER_NAMES: Record<string, string> = {
  libvirt: 'libvirt',
  susefirewall2: 'SuSEfirewall2',
  firewalld: 'firewalld',
  ufw: 'ufw',
  docker: 'Docker',
  kernel: 'kernel',
};

function serviceWords(service: string): string {
  if (service === 'icmp') return t('headline.ping');
  const m = /^(tcp|udp)\/(\d+)$/.exec(service);
  return m ? `${m[1].toUpperCase()} ${m[2]}` : service;
}

function endpoints(v: FlowVerdict): [string, string] {
  // "192.168.10.20:40000 → 203.0.113.10:443 tcp SYN": the addresses without ports.
  const m = /^([\d.]+)(?::\d+)? → ([\d.]+)(?::\d+)?(?:\s|$)/.exec(v.path[0]?.packet ?? '');
  return m ? [m[1], m[2]] : [v.request.from, v.request.to];
}

export function seesWords(v: FlowVerdict): string {
  const s = v.symptom;
  const tcp = v.request.service.startsWith('tcp');
  switch (s.kind) {
    case 'reply':
      return tcp ? t('headline.connected') : t('headline.reply');
    case 'timeout':
      return t('headline.timeout');
    case 'tcp-reset':
      return t('headline.reset', { from: s.from ?? '?' });
    default:
      return tcp && s.clientText ? t('headline.icmpTcp', { client: s.clientText, text: s.pingText ?? '', from: s.from ?? '?' }) : t('headline.icmp', { text: s.pingText ?? '', from: s.from ?? '?' });
  }
}

/** REJECT, DROP, ACCEPT, MASQUERADE, drop, policy DROP. */
export function ruleAction(d: DecidedBy): string {
  if (d.position === 0) {
    const policy = /^:\S+ (\w+)/.exec(d.rule)?.[1] ?? /policy (\w+)/.exec(d.rule)?.[1] ?? '';
    return t('headline.policy', { verdict: policy.toUpperCase() });
  }
  const target = /(?:^|\s)-[jg] (\S+)/.exec(d.rule)?.[1];
  if (target) return target;
  const verdict = /\b(accept|drop|reject|jump \S+|goto \S+|masquerade|snat|dnat)\b/.exec(d.rule)?.[1];
  return verdict ?? d.rule;
}

/** Who placed the rule: "libvirt", "SuSEfirewall2", "own iptables script (fw.service)". */
export function layerName(d: DecidedBy): string {
  if (d.layer === 'imported') return t('headline.imported');
  return LAYER_NAMES[d.layer] ?? d.layerLabel ?? d.layer;
}

/** What the rule is for: "isolated network deb", else the config entry, else table and chain. */
export function ruleSubject(d: DecidedBy): string {
  const net = /network (\S+) \(([\w-]+)\)/.exec(d.layerLabel ?? '');
  if (net) {
    const [, name, mode] = net;
    const key = `headline.net.${mode}` as MessageKey;
    return mode === 'isolated' || mode === 'route' || mode === 'nat' ? t(key, { name }) : t('headline.net.other', { name, mode });
  }
  return d.reason ?? `${d.table ?? ''} ${d.chain ?? ''}`.trim();
}

export function deciderWords(d: DecidedBy): string {
  if (d.layer === 'kernel' || d.table === undefined) return d.reason ? `${d.rule} (${d.reason})` : d.rule;
  return t('headline.decider', { who: layerName(d), action: ruleAction(d), subject: ruleSubject(d) });
}

export function adminHeadline(v: FlowVerdict): string {
  const [src, dst] = endpoints(v);
  const head = `${src} → ${dst}, ${serviceWords(v.request.service)}: ${seesWords(v)}`;
  const d = v.decidedBy;
  if (v.cause === 'ok') return d && d.table !== undefined ? `${head} — ${t('headline.acceptedBy', { decider: deciderWords(d) })}` : head;
  const why = d ? (d.layer === 'kernel' || d.table === undefined ? `${t(`cause.${v.cause}` as MessageKey)}: ${deciderWords(d)}` : deciderWords(d)) : t(`cause.${v.cause}` as MessageKey);
  return `${head} — ${why}`;
}
