// sysctl.d/90-virtwall.conf: the sysctls the simulation relied on (ip_forward,
// per-interface forwarding, rp_filter, bridge-nf-call-iptables …), each with a
// comment saying who set it on the simulated timeline.
//
// Keys for interfaces whose name has a dot (VLANs: eth0.100) are written in
// the slash form: sysctl.d(5) — "If the first separator is a slash, remaining
// slashes and dots are left intact", so net/ipv4/conf/eth0.100/rp_filter is
// /proc/sys/net/ipv4/conf/eth0.100/rp_filter, while the dotted form would be
// read as …/conf/eth0/100/… .

import type { BundleFile, EffectiveSysctl } from './bundleTypes.ts';
import { ExportError } from './exportError.ts';
import { interfaceNameProblem } from './kernelNames.ts';
import { commentText } from './shellQuote.ts';

export interface ExportedSysctl {
  /** Path components under /proc/sys. */
  segments: string[];
  value: string;
  setBy?: string;
  /** As the line in the sysctl.d file names it. */
  confKey: string;
}

const SEGMENT = /^[a-z0-9_-]+$/;
const CONF_KEY = /^net\.(ipv4|ipv6)\.conf\.(.+)\.([a-z0-9_]+)$/;

function parseKey(key: string): string[] | string {
  const conf = CONF_KEY.exec(key);
  if (conf) {
    const [, family, iface, leaf] = conf;
    if (iface !== 'all' && iface !== 'default') {
      const problem = interfaceNameProblem(iface);
      if (problem) return `interface name ${JSON.stringify(iface)} ${problem}`;
    }
    return ['net', family, 'conf', iface, leaf];
  }
  const segments = key.split('.');
  if (segments.some((s) => !SEGMENT.test(s))) return 'is not a sysctl key (lowercase words separated by dots)';
  return segments;
}

export function exportedSysctls(sysctls: readonly EffectiveSysctl[]): ExportedSysctl[] {
  const errors: string[] = [];
  const out: ExportedSysctl[] = [];
  for (const s of sysctls) {
    const segments = parseKey(s.key);
    // Values the kernel takes for these keys are numbers or short words; nothing else reaches a script.
    const valueOk = /^-?[0-9A-Za-z._]+$/.test(s.value);
    if (typeof segments === 'string') errors.push(`sysctl ${JSON.stringify(s.key)}: ${segments}`);
    else if (!valueOk) errors.push(`sysctl ${s.key}: value ${JSON.stringify(s.value)} is not a number or a word`);
    else {
      const confKey = segments.some((seg) => seg.includes('.')) ? segments.join('/') : segments.join('.');
      out.push({ segments, value: s.value, setBy: s.setBy, confKey });
    }
  }
  if (errors.length) throw new ExportError(errors);
  return out;
}

export function sysctlFile(sysctls: readonly ExportedSysctl[], variantName: string): BundleFile {
  const lines = [
    `# sysctl settings of virtwall variant ${commentText(variantName)}: the values the simulation assumed at the end`,
    '# of the host\'s timeline. Persist: copy to /etc/sysctl.d/ and run `sysctl --system` (apply.sh sets them for',
    '# the running system only). Keys under net.bridge.* exist only while br_netfilter is loaded.',
  ];
  for (const s of sysctls) {
    if (s.setBy) lines.push(`# set by ${commentText(s.setBy)}`);
    lines.push(`${s.confKey} = ${s.value}`);
  }
  return { path: 'sysctl.d/90-virtwall.conf', text: `${lines.join('\n')}\n`, description: 'sysctl.d file: forwarding, rp_filter and bridge-netfilter settings the simulation relied on' };
}
