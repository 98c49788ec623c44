// The NAT variables of SuSEfirewall2 as the script builds them (IPv4 only),
// in iptables-save form:
//  - redirect_rules (FW_REDIRECT, after accept_services): mangle PREROUTING
//    marks the packet (mark_redir=1), nat PREROUTING REDIRECTs it to a local
//    port, and every input_<zone> accepts marked packets — so the local port
//    needs no FW_SERVICES entry.
//  - forward_masquerading_rules (FW_FORWARD_MASQ, only with FW_ROUTE=yes and
//    FW_MASQUERADE=yes, after masquerading_rules): per FW_MASQ_DEV device a nat
//    PREROUTING DNAT `-i dev`, a MASQUERADE back out of dev when FW_MASQ_NETS
//    is not exactly "0/0" (the script cannot tell whether the source is
//    already masqueraded), and in every forward_<zone> an ACCEPT for the
//    translated packets (no state match) plus one for the replies.
// Script read: openSUSE/susefirewall2 @ 0033047 (a 3.6 revision from 2011; the later revisions the
// story's 3.6.312 comes from were not readable — their drop_all differs, these functions were not checked).

import type { ActionList } from '../layerActions.ts';
import type { Sfw2Config } from './sfw2Config.ts';
import { chainTag, type Sfw2Logging } from './sfw2Logging.ts';
import { entryWhy, saveNetwork } from './sfw2Values.ts';

/** mark_redir of the script. */
const MARK_REDIR = '0x1';

const net = (flag: '-s' | '-d', value: string | undefined): string => {
  if (!value || value === '0/0') return '';
  const saved = saveNetwork(value);
  return saved.startsWith('!') ? `! ${flag} ${saved.slice(1)} ` : `${flag} ${saved} `;
};

/** FW_REDIRECT's nat/mangle rules, then (when any entry was installed) every input_* accepts marked packets. */
export function redirectRules(out: ActionList, config: Sfw2Config, zones: string[], log: Sfw2Logging): void {
  for (const r of config.redirect) {
    const why = entryWhy(r.entry);
    const m = `${net('-s', r.source)}${net('-d', r.destination)}-p ${r.protocol} ${r.port ? `-m ${r.protocol} --dport ${r.port} ` : ''}`;
    out.ipt('ipv4', `-t mangle -A PREROUTING ${m}-j MARK --set-xmark ${MARK_REDIR}/0xffffffff`, `${why}: mark the packet so input_* accepts it after the redirect`);
    out.ipt('ipv4', `-t nat -A PREROUTING ${m}-j REDIRECT${r.toPort ? ` --to-ports ${r.toPort}` : ''}`, `${why}: redirect to ${r.toPort ? `local port ${r.toPort}` : 'the host itself'} (transparent proxy)`);
  }
  if (config.redirect.length === 0) return;
  const why = `FW_REDIRECT (${config.redirect.map((r) => r.entry.text).join(' ')}): redirected packets (mark ${MARK_REDIR}) reach the local port`;
  for (const zone of zones) {
    const chain = `input_${zone}`;
    if (log.acceptCrit) out.ipt('ipv4', `-A ${chain} ${log.limit}-m mark --mark ${MARK_REDIR} -m conntrack --ctstate NEW ${log.target(`-${chainTag(chain)}-ACC-REDIR`)}`, why);
    if (log.acceptAll) out.ipt('ipv4', `-A ${chain} -m mark --mark ${MARK_REDIR} -m conntrack --ctstate NEW,RELATED,ESTABLISHED ${log.target(`-${chainTag(chain)}-ACC-REDIR`)}`, why);
    out.ipt('ipv4', `-A ${chain} -m conntrack --ctstate NEW,RELATED,ESTABLISHED -m mark --mark ${MARK_REDIR} -j ACCEPT`, why);
  }
}

/** forward_masquerading_rules: DNAT on the masquerading devices, forward accepts in every forward_<zone>. */
export function forwardMasqueradingRules(out: ActionList, config: Sfw2Config, zones: string[], masqDevs: string[], log: Sfw2Logging): void {
  for (const fm of config.forwardMasq) {
    const why = entryWhy(fm.entry);
    const target = saveNetwork(fm.target);
    const p = fm.protocol;
    const toPort = fm.targetPort.replace(':', '-');
    for (const dev of masqDevs) {
      out.ipt(
        'ipv4',
        `-t nat -A PREROUTING ${net('-s', fm.source)}${fm.localAddress ? `-d ${saveNetwork(fm.localAddress)} ` : ''}-i ${dev} -p ${p} -m ${p} --dport ${fm.port} -j DNAT --to-destination ${fm.target}:${toPort}`,
        `${why}: ${p} port ${fm.port} arriving on ${dev}${fm.localAddress ? ` for ${fm.localAddress}` : ''} is forwarded to ${fm.target}:${toPort}`,
      );
      if (config.values.FW_MASQ_NETS !== '0/0') {
        out.ipt('ipv4', `-t nat -A POSTROUTING ${net('-s', fm.source)}-d ${target} -o ${dev} -p ${p} -m ${p} --dport ${fm.targetPort} -j MASQUERADE`, `${why}: FW_MASQ_NETS is not 0/0, so the forwarded connection is masqueraded when it leaves through ${dev} again`);
      }
    }
    for (const zone of zones) {
      const chain = `forward_${zone}`;
      const m = `${net('-s', fm.source)}-d ${target} -p ${p} `;
      if (log.acceptCrit) out.ipt('ipv4', `-A ${chain} ${m}${log.limit}-m ${p} --dport ${fm.targetPort} -m conntrack --ctstate NEW ${log.target(`-${chainTag(chain)}-ACC-REVMASQ`)}`, why);
      if (log.acceptAll) out.ipt('ipv4', `-A ${chain} ${m}-m ${p} --dport ${fm.targetPort} ${log.target(`-${chainTag(chain)}-ACC-REVMASQ`)}`, why);
      out.ipt('ipv4', `-A ${chain} ${m}-m ${p} --dport ${fm.targetPort} -j ACCEPT`, `${why}: the forwarded connection to ${fm.target} port ${fm.targetPort} may pass`);
      out.ipt('ipv4', `-A ${chain} -s ${target} ${net('-d', fm.source)}-p ${p} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`, `${why} (replies)`);
    }
  }
}
