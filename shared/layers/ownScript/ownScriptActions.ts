// The admin's own firewall script as layer actions: iptables/ip6tables
// (-legacy/-nft) commands, iptables-restore and nft -f of files that are part
// of the layer, nft commands, sysctl writes (`sysctl -w`, `echo 1 >
// /proc/sys/…`, `modprobe br_netfilter`), and libvirtd reloads (`systemctl
// reload libvirtd`, `killall -HUP libvirtd`). Every other line is listed as
// skipped with its line number and the reason, never dropped silently.
// Formats (layer setting `format`): 'sh' (default), 'iptables-restore',
// 'ip6tables-restore', 'nft' (an `nft -f` file).

import type { Family, Provenance } from '../../netfilter/model.ts';
import type { LayerAction } from '../layerActions.ts';
import { splitShellWords } from '../../netfilter/iptables/iptTokens.ts';
import { readIptablesRestore } from './iptablesRestoreFile.ts';
import { readShellScript, type ScriptCommand, type SkippedLine } from './shellScript.ts';

export type OwnScriptFormat = 'sh' | 'iptables-restore' | 'ip6tables-restore' | 'nft';

export interface OwnScriptInput {
  /** Path of the script (provenance `file`). */
  file: string;
  text: string;
  format: OwnScriptFormat;
  /** For the restore formats: `--noflush`. */
  noflush?: boolean;
  /** Other files of the layer by path (rules files the script loads). */
  files: Record<string, string>;
  layerLabel: string;
}

export interface OwnScriptProgram {
  actions: LayerAction[];
  skipped: SkippedLine[];
}

const IPTABLES = /^(?:.*\/)?(ip6?tables)(?:-(legacy|nft))?$/;
const RESTORE = /^(?:.*\/)?(ip6?tables)(?:-(legacy|nft))?-restore$/;
const SAVE_OR_LIST = /(^|\s)(-L|--list|-S|--list-rules|-C|--check|-nvL|-nL|-vnL|-vL|-V|--version|-h|--help)(\s|$)/;

function restoreActions(text: string, file: string, family: Family, noflush: boolean, base: Provenance, backend?: 'legacy' | 'nft'): OwnScriptProgram {
  const program = readIptablesRestore(text, { noflush });
  const actions: LayerAction[] = program.steps.map((s) => ({
    kind: 'iptables',
    family,
    args: s.args,
    provenance: { ...base, file, line: s.line, reason: s.reason === 'rule line' ? `${file}:${s.line}` : `${file}:${s.line}: ${s.reason}` },
    ...(s.fallback ? { fallback: s.fallback } : {}),
    ...(backend ? { backend } : {}),
    quoting: 'restore' as const,
  }));
  for (const e of program.errors) actions.push({ kind: 'note', severity: 'error', text: `${file}:${e.line}: ${e.reason}` });
  return { actions, skipped: [...program.skipped, ...program.errors] };
}

/** `sysctl -w a=b c=d`, `sysctl a=b`, `sysctl -p FILE` (FILE from the layer). */
function sysctlActions(cmd: ScriptCommand, input: OwnScriptInput, prov: Provenance): OwnScriptProgram | null {
  const words = cmd.args.split(/\s+/).filter(Boolean).map((w) => w.replace(/^(['"])(.*)\1$/, '$2'));
  const p = words.indexOf('-p') >= 0 ? words.indexOf('-p') : words.indexOf('--load');
  if (p >= 0) {
    const path = words[p + 1] ?? '/etc/sysctl.conf';
    const content = input.files[path];
    if (content === undefined) return null;
    const actions: LayerAction[] = [];
    content.split(/\r?\n/).forEach((l, i) => {
      const m = /^\s*([\w./-]+)\s*=\s*(.*?)\s*$/.exec(l);
      if (m && !l.trim().startsWith('#') && !l.trim().startsWith(';')) actions.push({ kind: 'sysctl', key: m[1].replace(/\//g, '.'), value: m[2], provenance: { ...prov, file: path, line: i + 1, reason: `${path}:${i + 1}: ${l.trim()} (sysctl -p, ${input.file}:${cmd.line})` } });
    });
    return { actions, skipped: [] };
  }
  const pairs = words.filter((w) => w.includes('='));
  if (pairs.length === 0) return null;
  return {
    actions: pairs.map((w) => {
      const [k, ...v] = w.split('=');
      return { kind: 'sysctl', key: k.replace(/\//g, '.'), value: v.join('='), provenance: { ...prov, reason: `${input.file}:${cmd.line}: ${cmd.text}` } } as LayerAction;
    }),
    skipped: [],
  };
}

function commandActions(cmd: ScriptCommand, input: OwnScriptInput, base: Provenance): OwnScriptProgram | string {
  const prov: Provenance = { ...base, file: input.file, line: cmd.line, reason: `${input.file}:${cmd.line}: ${cmd.text}` };
  const ipt = IPTABLES.exec(cmd.program);
  if (ipt) {
    if (SAVE_OR_LIST.test(` ${cmd.args} `)) return 'lists or checks rules; no effect on the ruleset';
    const family: Family = ipt[1] === 'ip6tables' ? 'ipv6' : 'ipv4';
    const backend = ipt[2] as 'legacy' | 'nft' | undefined;
    return { actions: [{ kind: 'iptables', family, args: cmd.args, provenance: prov, ...(backend ? { backend } : {}), ...(cmd.mayFail ? { mayFail: true } : {}) }], skipped: [] };
  }
  const restore = RESTORE.exec(cmd.program);
  if (restore) {
    const words = cmd.args.split(/\s+/).filter(Boolean);
    const noflush = words.includes('-n') || words.includes('--noflush');
    const path = cmd.stdin ?? words.filter((w) => !w.startsWith('-')).at(-1);
    if (!path || input.files[path] === undefined) return `reads ${path ?? 'standard input'}, which is not a file of this layer (add it to the layer to model it)`;
    const family: Family = restore[1] === 'ip6tables' ? 'ipv6' : 'ipv4';
    return restoreActions(input.files[path], path, family, noflush, { ...base }, restore[2] as 'legacy' | 'nft' | undefined);
  }
  if (/^(?:.*\/)?nft$/.test(cmd.program)) {
    // The words nft gets from sh (quotes and `\;` resolved); nft joins its argv with spaces and parses that.
    let words: string[];
    try {
      words = splitShellWords(cmd.args).filter((w) => !w.operator).map((w) => w.text);
    } catch (e) {
      return `cannot read the arguments: ${(e as Error).message}`;
    }
    const f = words.indexOf('-f') >= 0 ? words.indexOf('-f') : words.indexOf('--file');
    if (f >= 0) {
      const path = words[f + 1];
      if (!path || input.files[path] === undefined) return `nft -f ${path ?? ''}: not a file of this layer (add it to the layer to model it)`;
      return { actions: [{ kind: 'nft-script', text: input.files[path], file: path, firstLine: 1, provenance: { ...base, file: path } }], skipped: [] };
    }
    const options: string[] = [];
    while (words[0]?.startsWith('-')) options.push(words.shift() as string);
    if (options.some((o) => o === '-c' || o === '--check')) return 'nft -c only checks the syntax; no effect';
    const command = words.join(' ');
    if (/^(list|monitor|describe)\b/.test(command)) return 'lists the ruleset; no effect';
    return { actions: [{ kind: 'nft', command, provenance: prov, ...(cmd.mayFail ? { mayFail: true } : {}) }], skipped: [] };
  }
  if (/^(?:.*\/)?sysctl$/.test(cmd.program)) return sysctlActions(cmd, input, prov) ?? 'sysctl without key=value or with a file that is not part of this layer';
  if (/^(echo|printf)$/.test(cmd.program) && cmd.stdout?.startsWith('/proc/sys/')) {
    const value = cmd.args.split(/\s+/).filter((w) => !/^-[ne]+$/.test(w)).join(' ').replace(/^(['"])(.*)\1$/, '$2').trim();
    const key = cmd.stdout.slice('/proc/sys/'.length).replace(/\//g, '.');
    return { actions: [{ kind: 'sysctl', key, value, provenance: prov }], skipped: [] };
  }
  if (/^(?:.*\/)?modprobe$/.test(cmd.program) && /\bbr_netfilter\b/.test(cmd.args)) {
    // Loading br_netfilter turns bridge-nf-call-iptables on (its default is 1 once loaded).
    return { actions: [{ kind: 'sysctl', key: 'net.bridge.bridge-nf-call-iptables', value: '1', provenance: { ...prov, reason: `${prov.reason} (loading br_netfilter enables bridge-nf-call-iptables)` } }], skipped: [] };
  }
  if ((/^systemctl$/.test(cmd.program) && /\b(reload|try-reload-or-restart)\s+libvirtd/.test(cmd.args)) || (/^(killall|pkill)$/.test(cmd.program) && /-(HUP|1|SIGHUP)\b.*libvirtd/.test(cmd.args))) {
    return { actions: [{ kind: 'signal-libvirtd', signal: 'sighup', provenance: prov }], skipped: [] };
  }
  if (/^systemctl$/.test(cmd.program) && /\brestart\s+libvirtd/.test(cmd.args)) return 'restarting libvirtd from a script is not modelled here; add a libvirtd-restart event to the timeline';
  if (/^(?:.*\/)?ip6?tables(-legacy|-nft)?-save$/.test(cmd.program)) return 'prints the ruleset; no effect';
  return 'not a firewall command';
}

export function ownScriptActions(input: OwnScriptInput): OwnScriptProgram {
  const base: Provenance = { layer: 'own-script', layerLabel: input.layerLabel };
  if (input.format === 'iptables-restore' || input.format === 'ip6tables-restore') {
    return restoreActions(input.text, input.file, input.format === 'ip6tables-restore' ? 'ipv6' : 'ipv4', input.noflush ?? false, base);
  }
  if (input.format === 'nft') {
    return { actions: [{ kind: 'nft-script', text: input.text, file: input.file, firstLine: 1, provenance: { ...base, file: input.file } }], skipped: [] };
  }
  const script = readShellScript(input.text);
  const actions: LayerAction[] = [];
  const skipped: SkippedLine[] = [...script.skipped];
  const conditional: number[] = [];
  for (const cmd of script.commands) {
    const result = commandActions(cmd, input, base);
    if (typeof result === 'string') {
      skipped.push({ line: cmd.line, text: cmd.text, reason: result });
      continue;
    }
    if (cmd.conditional) conditional.push(cmd.line);
    actions.push(...result.actions);
    skipped.push(...result.skipped);
  }
  if (conditional.length > 0) {
    actions.unshift({ kind: 'note', severity: 'warning', text: `${input.file}: lines ${conditional.join(', ')} are inside shell control flow; virtwall runs them once, unconditionally` });
  }
  skipped.sort((a, b) => a.line - b.line);
  return { actions, skipped };
}
