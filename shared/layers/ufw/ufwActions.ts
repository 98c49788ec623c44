// `ufw enable` / boot (ufw-init start), `ufw reload` and `ufw disable` as layer
// actions, following ufw_start/ufw_stop in src/ufw-init-functions (ufw 0.36):
//  1. /etc/ufw/sysctl.conf applied (rp_filter=1 on all/default; ip_forward only
//     if uncommented — ufw never enables forwarding itself).
//  2. MANAGE_BUILTINS=yes: the built-in chains are flushed and set to ACCEPT —
//     a flush event like SuSEfirewall2's (libvirt's rules in them are gone).
//  3. ufw's own chains are created and **appended** to INPUT/OUTPUT/FORWARD
//     after whatever the built-ins held at that moment (libvirt's rules stay
//     above; rules libvirt inserts later go above ufw's jumps too).
//  4. before.rules, user.rules, after.rules loaded with iptables-restore -n.
//  5. the default policy implemented last: DROP → policy DROP and a DROP in
//     ufw-skip-to-policy-*; REJECT → policy DROP plus `-j REJECT` in ufw-reject-*;
//     ACCEPT → policy ACCEPT plus NEW tcp/udp accepts in ufw-track-*.
// (firewall-layers.md §4 facts 1–8.)

import type { Family, Provenance } from '../../netfilter/model.ts';
import type { ConfigProblem, LayerAction } from '../layerActions.ts';
import { readIptablesRestore } from '../ownScript/iptablesRestoreFile.ts';
import { parseUfwDefaults, type UfwPolicy } from './ufwConfig.ts';
import {
  SHIPPED_AFTER6_RULES, SHIPPED_AFTER_RULES, SHIPPED_BEFORE6_RULES, SHIPPED_BEFORE_RULES, SHIPPED_SYSCTL,
  UFW_AFTER6_RULES, UFW_AFTER_RULES, UFW_BEFORE6_RULES, UFW_BEFORE_RULES, UFW_DEFAULTS_PATH, UFW_USER6_RULES, UFW_USER_RULES, userRulesSkeleton,
} from './ufwShippedFiles.ts';

export interface UfwEnvironment {
  version: string;
  /** Filter-table user chains that exist now (to clean up ufw's own on reload). */
  chains: Record<Family, string[]>;
}

const DIRS = ['input', 'output', 'forward'] as const;
const BUILTIN: Record<(typeof DIRS)[number], string> = { input: 'INPUT', output: 'OUTPUT', forward: 'FORWARD' };
const PRIMARY = ['before-logging', 'before', 'after', 'after-logging', 'reject', 'track'];

class Out {
  readonly actions: LayerAction[] = [];
  constructor(readonly base: Provenance) {}
  ipt(family: Family, args: string, reason: string, extra: Partial<Extract<LayerAction, { kind: 'iptables' }>> = {}, prov: Provenance = {}): void {
    this.actions.push({ kind: 'iptables', family, args, provenance: { ...this.base, ...prov, reason }, ...extra });
  }
}

function sysctlActions(out: Out, path: string, text: string): void {
  text.split(/\r?\n/).forEach((l, i) => {
    const t = l.trim();
    const m = /^([\w./-]+)\s*=\s*(.*)$/.exec(t);
    if (!m || t.startsWith('#')) return;
    out.actions.push({ kind: 'sysctl', key: m[1].replace(/\//g, '.'), value: m[2], provenance: { ...out.base, file: path, line: i + 1, reason: `${path}:${i + 1}: ${t} (ufw applies IPT_SYSCTL on start)` } });
  });
}

function loadRulesFile(out: Out, family: Family, path: string, text: string): void {
  const program = readIptablesRestore(text, { noflush: true });
  for (const s of program.steps) {
    const rule = s.reason === 'rule line';
    out.ipt(family, s.args, rule ? `${path}:${s.line}: ${text.split(/\r?\n/)[s.line - 1].trim()}` : `${path}:${s.line}: ${s.reason}`, { quoting: 'restore', ...(s.fallback ? { fallback: s.fallback } : {}) }, { file: path, line: s.line });
  }
  for (const e of [...program.errors, ...program.skipped]) out.actions.push({ kind: 'note', severity: 'error', text: `${path}:${e.line}: ${e.reason}` });
}

function removeUfwChains(out: Out, family: Family, p: string, existing: string[], why: string): void {
  const ours = existing.filter((c) => c.startsWith(`${p}-`));
  if (ours.length === 0) return;
  for (const dir of DIRS) for (const c of PRIMARY) out.ipt(family, `-D ${BUILTIN[dir]} -j ${p}-${c}-${dir}`, `${why}: jump removed`, { mayFail: true });
  for (const c of ours) out.ipt(family, `-F ${c}`, `${why}: chain ${c} flushed`, { mayFail: true });
  for (const c of ours) out.ipt(family, `-X ${c}`, `${why}: chain ${c} deleted`, { mayFail: true });
}

function policyRules(out: Out, family: Family, p: string, dir: (typeof DIRS)[number], policy: UfwPolicy, variable: string): void {
  const why = `${UFW_DEFAULTS_PATH}: ${variable}="${policy}"`;
  if (policy === 'ACCEPT') {
    out.ipt(family, `-A ${p}-track-${dir} -p tcp -m conntrack --ctstate NEW -j ACCEPT`, `${why}: new TCP connections tracked and accepted`);
    out.ipt(family, `-A ${p}-track-${dir} -p udp -m conntrack --ctstate NEW -j ACCEPT`, `${why}: new UDP flows tracked and accepted`);
  }
  if (policy === 'REJECT') out.ipt(family, `-A ${p}-reject-${dir} -j REJECT`, `${why}: ufw implements a REJECT policy as a final REJECT rule`);
  out.ipt(family, `-A ${p}-skip-to-policy-${dir} -j ${policy}`, `${why}: skip-to-policy`);
  out.ipt(family, `-P ${BUILTIN[dir]} ${policy === 'REJECT' ? 'DROP' : policy}`, `${why}: built-in policy${policy === 'REJECT' ? ' DROP (a chain policy cannot be REJECT)' : ''}`);
}

export function ufwStartActions(files: Record<string, string>, env: UfwEnvironment): { actions: LayerAction[]; problems: ConfigProblem[] } {
  const out = new Out({ layer: 'ufw', layerLabel: `ufw ${env.version}`.trim() });
  const { config, problems } = parseUfwDefaults(files[UFW_DEFAULTS_PATH]);
  sysctlActions(out, config.sysctlFile, files[config.sysctlFile] ?? SHIPPED_SYSCTL);
  const families: Family[] = config.ipv6 ? ['ipv4', 'ipv6'] : ['ipv4'];
  for (const family of families) {
    const p = family === 'ipv4' ? 'ufw' : 'ufw6';
    if (config.manageBuiltins) {
      for (const [table, chains] of [['filter', ['INPUT', 'FORWARD', 'OUTPUT']], ['nat', ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING']], ['mangle', ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING']]] as const) {
        for (const c of chains) {
          out.ipt(family, `-t ${table} -F ${c}`, `MANAGE_BUILTINS=yes: ufw flushes built-in chain ${table}/${c} (other tools' rules in it are deleted)`);
          if (table === 'filter') out.ipt(family, `-P ${c} ACCEPT`, 'MANAGE_BUILTINS=yes: built-in policy reset before ufw sets its own');
        }
      }
    }
    removeUfwChains(out, family, p, env.chains[family], 'ufw (re)start');
    for (const dir of DIRS) for (const c of PRIMARY) out.ipt(family, `-N ${p}-${c}-${dir}`, `ufw chain ${p}-${c}-${dir}`);
    for (const c of ['logging-deny', 'logging-allow', ...DIRS.map((d) => `skip-to-policy-${d}`), ...DIRS.map((d) => `user-${d}`)]) out.ipt(family, `-N ${p}-${c}`, `ufw chain ${p}-${c}`, { fallback: `-F ${p}-${c}` });
    for (const dir of DIRS) {
      for (const c of PRIMARY) out.ipt(family, `-A ${BUILTIN[dir]} -j ${p}-${c}-${dir}`, `ufw appends its chains to ${BUILTIN[dir]}, below whatever was there at start`);
    }
    const v6 = family === 'ipv6';
    loadRulesFile(out, family, v6 ? UFW_BEFORE6_RULES : UFW_BEFORE_RULES, files[v6 ? UFW_BEFORE6_RULES : UFW_BEFORE_RULES] ?? (v6 ? SHIPPED_BEFORE6_RULES : SHIPPED_BEFORE_RULES));
    loadRulesFile(out, family, v6 ? UFW_USER6_RULES : UFW_USER_RULES, files[v6 ? UFW_USER6_RULES : UFW_USER_RULES] ?? userRulesSkeleton(p));
    loadRulesFile(out, family, v6 ? UFW_AFTER6_RULES : UFW_AFTER_RULES, files[v6 ? UFW_AFTER6_RULES : UFW_AFTER_RULES] ?? (v6 ? SHIPPED_AFTER6_RULES : SHIPPED_AFTER_RULES));
    for (const dir of DIRS) out.ipt(family, `-A ${p}-before-${dir} -j ${p}-user-${dir}`, `ufw: user rules (ufw allow/deny/route …) after before${v6 ? '6' : ''}.rules`);
    policyRules(out, family, p, 'input', config.inputPolicy, 'DEFAULT_INPUT_POLICY');
    policyRules(out, family, p, 'output', config.outputPolicy, 'DEFAULT_OUTPUT_POLICY');
    policyRules(out, family, p, 'forward', config.forwardPolicy, 'DEFAULT_FORWARD_POLICY');
  }
  return { actions: out.actions, problems };
}

export function ufwStopActions(files: Record<string, string>, env: UfwEnvironment): LayerAction[] {
  const out = new Out({ layer: 'ufw', layerLabel: `ufw ${env.version}`.trim() });
  const { config } = parseUfwDefaults(files[UFW_DEFAULTS_PATH]);
  for (const family of config.ipv6 ? (['ipv4', 'ipv6'] as const) : (['ipv4'] as const)) {
    removeUfwChains(out, family, family === 'ipv4' ? 'ufw' : 'ufw6', env.chains[family], 'ufw disable');
    for (const c of ['INPUT', 'FORWARD', 'OUTPUT']) out.ipt(family, `-P ${c} ACCEPT`, 'ufw disable: built-in policies back to ACCEPT');
    if (config.manageBuiltins) for (const c of ['INPUT', 'FORWARD', 'OUTPUT']) out.ipt(family, `-F ${c}`, 'ufw disable with MANAGE_BUILTINS=yes: built-in chains flushed');
  }
  return out.actions;
}
