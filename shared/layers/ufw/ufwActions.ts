// `ufw enable` / boot (ufw-init start), `ufw reload` and `ufw disable` as layer
// actions, following src/ufw-init-functions and backend_iptables.py of ufw
// 0.36.2 (checked against the real tool: test/reality/ufw-real.test.ts):
//  start  1. MANAGE_BUILTINS=yes: flush_builtins — every filter chain flushed
//            and every filter user chain deleted (libvirt's LIBVIRT_* too),
//            policies ACCEPT, the mangle built-ins flushed, nat PREROUTING/
//            OUTPUT/POSTROUTING flushed (IPv4 only; nat INPUT is left alone).
//         2. IPV6=no: ip6tables-restore (no --noflush) of a filter table that
//            only lets loopback through — every other IPv6 filter rule
//            (libvirt's too) is gone and the policies are DROP.
//         3. per family: if ufw's chains exist (after a disable or reload) they
//            are flushed and the secondary ones deleted, the primary chains
//            and their jumps stay where they are; otherwise the primary chains
//            are created and their jumps **appended** to INPUT/OUTPUT/FORWARD,
//            below whatever the built-ins held at that moment.
//         4. reject/track/skip-to-policy rules of the default policies, then
//            before.rules, after.rules, user.rules (iptables-restore -n), the
//            jumps to the user chains, and the built-in policies last
//            (REJECT → policy DROP plus `-j REJECT` in ufw-reject-*).
//         5. IPT_SYSCTL applied (ufw never enables forwarding itself).
//         6. the frontend's update_logging: logging chains flushed and refilled
//            for LOGLEVEL (ufwLogging.ts).
//  stop   MANAGE_BUILTINS=yes: flush_builtins only. Otherwise ufw's chains are
//         flushed and the secondary ones deleted (the empty primary chains and
//         their jumps stay), policies ACCEPT — for IPv6 too, whatever IPV6 says.
//  reload = stop + start.
// (firewall-layers.md §4 facts 1–8.)

import type { Family, Provenance } from '../../netfilter/model.ts';
import type { ConfigProblem, LayerAction } from '../layerActions.ts';
import { readIptablesRestore } from '../ownScript/iptablesRestoreFile.ts';
import { parseUfwDefaults, type UfwConfig } from './ufwConfig.ts';
import { UFW_CONF, ufwLogLevel, ufwLoggingChainsFlushed, ufwLoggingRules, type UfwLogLevel } from './ufwLogging.ts';
import {
  SHIPPED_AFTER6_RULES, SHIPPED_AFTER_RULES, SHIPPED_BEFORE6_RULES, SHIPPED_BEFORE_RULES, SHIPPED_SYSCTL, SHIPPED_USER6_RULES, SHIPPED_USER_RULES,
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
const POLICY_VARIABLE = { input: 'DEFAULT_INPUT_POLICY', output: 'DEFAULT_OUTPUT_POLICY', forward: 'DEFAULT_FORWARD_POLICY' } as const;

/** chains_command's list (ufw-init-functions): every chain ufw flushes. */
const ALL_CHAINS = ['logging-deny', 'logging-allow', 'not-local', 'user-logging-input', 'user-limit-accept', 'user-limit', 'skip-to-policy-input', 'reject-input', 'after-logging-input', 'after-input', 'user-input', 'before-input', 'before-logging-input', 'skip-to-policy-forward', 'reject-forward', 'after-logging-forward', 'after-forward', 'user-logging-forward', 'user-forward', 'before-forward', 'before-logging-forward', 'track-forward', 'track-output', 'track-input', 'skip-to-policy-output', 'reject-output', 'after-logging-output', 'after-output', 'user-logging-output', 'user-output', 'before-output', 'before-logging-output'];
/** delete_chains' list: the secondary chains it deletes (the primary ones stay). */
const SECONDARY_CHAINS = ['logging-deny', 'logging-allow', 'not-local', 'user-logging-input', 'user-logging-output', 'user-logging-forward', 'user-limit-accept', 'user-limit', 'user-input', 'user-forward', 'user-output', 'skip-to-policy-input', 'skip-to-policy-output', 'skip-to-policy-forward'];

class Out {
  readonly actions: LayerAction[] = [];
  constructor(readonly base: Provenance) {}
  ipt(family: Family, args: string, reason: string, extra: Partial<Extract<LayerAction, { kind: 'iptables' }>> = {}, prov: Provenance = {}): void {
    this.actions.push({ kind: 'iptables', family, args, provenance: { ...this.base, ...prov, reason }, ...extra });
  }
}

const prefixOf = (family: Family): 'ufw' | 'ufw6' => (family === 'ipv4' ? 'ufw' : 'ufw6');

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

/** flush_builtins (MANAGE_BUILTINS=yes): run for both families whatever IPV6 says. */
function flushBuiltins(out: Out, why: string): void {
  for (const family of ['ipv4', 'ipv6'] as const) {
    out.ipt(family, '-F', `${why}: every filter chain flushed (other tools' rules too)`);
    out.ipt(family, '-X', `${why}: every filter user chain deleted (libvirt's LIBVIRT_* chains too)`);
    for (const c of ['INPUT', 'OUTPUT', 'FORWARD']) out.ipt(family, `-P ${c} ACCEPT`, `${why}: built-in policy ACCEPT`);
    for (const c of ['INPUT', 'OUTPUT', 'FORWARD', 'PREROUTING', 'POSTROUTING']) {
      out.ipt(family, `-t mangle -F ${c}`, `${why}: mangle ${c} flushed`);
      out.ipt(family, `-t mangle -P ${c} ACCEPT`, `${why}: mangle ${c} policy ACCEPT`);
    }
  }
  for (const c of ['OUTPUT', 'PREROUTING', 'POSTROUTING']) {
    out.ipt('ipv4', `-t nat -F ${c}`, `${why}: nat ${c} flushed (libvirt's MASQUERADE too)`);
    out.ipt('ipv4', `-t nat -P ${c} ACCEPT`, `${why}: nat ${c} policy ACCEPT`);
  }
}

/** delete_chains: flush all of ufw's chains, delete the secondary ones (errors ignored). */
function deleteChains(out: Out, family: Family, why: string): void {
  const p = prefixOf(family);
  for (const c of ALL_CHAINS) out.ipt(family, `-F ${p}-${c}`, `${why}: chain ${p}-${c} flushed`, { mayFail: true });
  for (const c of SECONDARY_CHAINS) out.ipt(family, `-X ${p}-${c}`, `${why}: chain ${p}-${c} deleted (the primary chains and their jumps stay)`, { mayFail: true });
}

function startFamily(out: Out, family: Family, files: Record<string, string>, config: UfwConfig, level: UfwLogLevel, existing: string[]): void {
  const p = prefixOf(family);
  const v6 = family === 'ipv6';
  if (existing.includes(`${p}-before-logging-input`)) deleteChains(out, family, 'ufw start: chains left from before');
  else {
    for (const dir of DIRS) for (const c of PRIMARY) out.ipt(family, `-N ${p}-${c}-${dir}`, `ufw primary chain ${p}-${c}-${dir}`, { fallback: `-F ${p}-${c}-${dir}` });
    for (const dir of DIRS) for (const c of PRIMARY) out.ipt(family, `-A ${BUILTIN[dir]} -j ${p}-${c}-${dir}`, `ufw appends its chains to ${BUILTIN[dir]}, below whatever was there at start`);
  }
  const policy = { input: config.inputPolicy, output: config.outputPolicy, forward: config.forwardPolicy };
  const why = (dir: (typeof DIRS)[number]) => `${UFW_DEFAULTS_PATH}: ${POLICY_VARIABLE[dir]}="${policy[dir]}"`;
  for (const dir of DIRS) if (policy[dir] === 'REJECT') out.ipt(family, `-A ${p}-reject-${dir} -j REJECT`, `${why(dir)}: ufw implements a REJECT policy as a final REJECT rule`);
  for (const dir of DIRS) {
    if (policy[dir] !== 'ACCEPT') continue;
    out.ipt(family, `-A ${p}-track-${dir} -p tcp -m conntrack --ctstate NEW -j ACCEPT`, `${why(dir)}: new TCP connections tracked and accepted`);
    out.ipt(family, `-A ${p}-track-${dir} -p udp -m conntrack --ctstate NEW -j ACCEPT`, `${why(dir)}: new UDP flows tracked and accepted`);
  }
  for (const c of ['logging-deny', 'logging-allow', ...DIRS.map((d) => `skip-to-policy-${d}`)]) out.ipt(family, `-N ${p}-${c}`, `ufw chain ${p}-${c}`, { fallback: `-F ${p}-${c}` });
  for (const dir of DIRS) out.ipt(family, `-A ${p}-skip-to-policy-${dir} -j ${policy[dir]}`, `${why(dir)}: skip-to-policy`);
  const file = (path: string, shipped: string) => files[path] ?? shipped;
  loadRulesFile(out, family, v6 ? UFW_BEFORE6_RULES : UFW_BEFORE_RULES, file(v6 ? UFW_BEFORE6_RULES : UFW_BEFORE_RULES, v6 ? SHIPPED_BEFORE6_RULES : SHIPPED_BEFORE_RULES));
  loadRulesFile(out, family, v6 ? UFW_AFTER6_RULES : UFW_AFTER_RULES, file(v6 ? UFW_AFTER6_RULES : UFW_AFTER_RULES, v6 ? SHIPPED_AFTER6_RULES : SHIPPED_AFTER_RULES));
  for (const c of ['user-input', 'user-output', 'user-forward', 'user-logging-input', 'user-logging-output', 'user-logging-forward', 'user-limit', 'user-limit-accept']) out.ipt(family, `-N ${p}-${c}`, `ufw chain ${p}-${c}`, { fallback: `-F ${p}-${c}` });
  // No user.rules in the layer: the installed file until ufw's first enable
  // rewrites it (update_logging saves both files); ufw's chains left in the
  // kernel show that it ran before.
  const saved = existing.includes(`${p}-before-logging-input`) ? userRulesSkeleton(p, config, level) : v6 ? SHIPPED_USER6_RULES : SHIPPED_USER_RULES;
  loadRulesFile(out, family, v6 ? UFW_USER6_RULES : UFW_USER_RULES, file(v6 ? UFW_USER6_RULES : UFW_USER_RULES, saved));
  for (const dir of DIRS) out.ipt(family, `-A ${p}-before-${dir} -j ${p}-user-${dir}`, `ufw: user rules (ufw allow/deny/route …) after before${v6 ? '6' : ''}.rules`);
  for (const dir of DIRS) out.ipt(family, `-P ${BUILTIN[dir]} ${policy[dir] === 'REJECT' ? 'DROP' : policy[dir]}`, `${why(dir)}: built-in policy${policy[dir] === 'REJECT' ? ' DROP (a chain policy cannot be REJECT)' : ''}`);
}

/** IPV6=no: ip6tables-restore without --noflush replaces the whole IPv6 filter table. */
function closeIpv6(out: Out): void {
  const why = `${UFW_DEFAULTS_PATH}: IPV6=no`;
  deleteChains(out, 'ipv6', why);
  out.ipt('ipv6', '-t filter -F', `${why}: ip6tables-restore replaces the IPv6 filter table (every rule in it — libvirt's too — is gone)`);
  out.ipt('ipv6', '-t filter -X', `${why}: ip6tables-restore deletes the IPv6 filter user chains`);
  for (const c of ['INPUT', 'FORWARD', 'OUTPUT']) out.ipt('ipv6', `-P ${c} DROP`, `${why}: IPv6 closed except loopback`);
  out.ipt('ipv6', '-A INPUT -i lo -j ACCEPT', `${why}: only loopback IPv6 accepted`);
  out.ipt('ipv6', '-A OUTPUT -o lo -j ACCEPT', `${why}: only loopback IPv6 accepted`);
}

/** backend_iptables.py update_logging, run by `ufw enable`/`reload` after ufw-init. */
function updateLogging(out: Out, family: Family, config: UfwConfig, level: UfwLogLevel): void {
  const p = prefixOf(family);
  const why = `${UFW_CONF}: LOGLEVEL=${level}`;
  for (const c of ufwLoggingChainsFlushed(p)) out.ipt(family, `-F ${c}`, `${why}: logging chain ${c} refilled`);
  for (const r of ufwLoggingRules(p, config, level)) out.ipt(family, r.args, `${why}: logging rule`, r.deleteOnly ? { mayFail: true } : {});
  const limitLog = `${p}-user-limit -m limit --limit 3/minute -j LOG --log-prefix "[UFW LIMIT BLOCK] "`;
  out.ipt(family, `-D ${limitLog}`, `${why}: rate limit log rule re-added`, { mayFail: true });
  if (level !== 'off') out.ipt(family, `-I ${limitLog}`, `${why}: rate limit log rule`);
}

export function ufwStartActions(files: Record<string, string>, env: UfwEnvironment): { actions: LayerAction[]; problems: ConfigProblem[] } {
  const out = new Out({ layer: 'ufw', layerLabel: `ufw ${env.version}`.trim() });
  const { config, problems } = parseUfwDefaults(files[UFW_DEFAULTS_PATH]);
  const level = ufwLogLevel(files[UFW_CONF]);
  if (env.chains.ipv4.includes('ufw-user-input')) {
    out.actions.push({ kind: 'note', severity: 'info', text: "ufw: Firewall already started, use 'force-reload' (ufw-user-input exists; nothing changed)" });
    return { actions: out.actions, problems };
  }
  if (config.manageBuiltins) flushBuiltins(out, 'MANAGE_BUILTINS=yes (flush_builtins)');
  if (!config.ipv6) closeIpv6(out);
  const families: Family[] = config.ipv6 ? ['ipv4', 'ipv6'] : ['ipv4'];
  // After flush_builtins no user chain is left; closeIpv6 deletes ufw6's.
  for (const family of families) startFamily(out, family, files, config, level, config.manageBuiltins ? [] : env.chains[family]);
  sysctlActions(out, config.sysctlFile, files[config.sysctlFile] ?? SHIPPED_SYSCTL);
  for (const family of families) updateLogging(out, family, config, level);
  return { actions: out.actions, problems };
}

export function ufwStopActions(files: Record<string, string>, env: UfwEnvironment): LayerAction[] {
  const out = new Out({ layer: 'ufw', layerLabel: `ufw ${env.version}`.trim() });
  const { config } = parseUfwDefaults(files[UFW_DEFAULTS_PATH]);
  if (config.manageBuiltins) {
    flushBuiltins(out, 'ufw disable with MANAGE_BUILTINS=yes (flush_builtins)');
    return out.actions;
  }
  for (const family of ['ipv4', 'ipv6'] as const) {
    deleteChains(out, family, 'ufw disable');
    for (const c of ['INPUT', 'OUTPUT', 'FORWARD']) out.ipt(family, `-P ${c} ACCEPT`, 'ufw disable: built-in policies back to ACCEPT');
  }
  return out.actions;
}

/** `ufw reload`: ufw-init stop, then start (the start sees the chains the stop left). */
export function ufwReloadActions(files: Record<string, string>, env: UfwEnvironment): { actions: LayerAction[]; problems: ConfigProblem[] } {
  const stop = ufwStopActions(files, env);
  const { config } = parseUfwDefaults(files[UFW_DEFAULTS_PATH]);
  // What the stop leaves: flush_builtins deletes every chain; otherwise the primary chains stay.
  const left = (family: Family): string[] => (config.manageBuiltins ? [] : env.chains[family].filter((c) => !SECONDARY_CHAINS.some((s) => c === `${prefixOf(family)}-${s}`)));
  const start = ufwStartActions(files, { ...env, chains: { ipv4: left('ipv4'), ipv6: left('ipv6') } });
  return { actions: [...stop, ...start.actions], problems: start.problems };
}
