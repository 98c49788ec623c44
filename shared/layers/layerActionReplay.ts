// Replays a layer's actions onto a target (the timeline context of the fold,
// or a plain NetfilterState in tests): iptables argument text is parsed into
// IptCommand with the netfilter parser (so the rule has exactly the structure
// a parsed dump of the real host has), nft command text into NftCommand, dumps
// into rulesets. A command the parser or the kernel model refuses is reported
// as a failed step with the tool's message, like the real tool's stderr;
// `fallback` runs instead when given, `mayFail` failures are only noted.

import type { Family, IptRuleset, NftRuleset, Provenance } from '../netfilter/model.ts';
import type { IptCommand } from '../netfilter/iptables/iptCommand.ts';
import { parseIptablesArgs } from '../netfilter/iptables/parseIptablesCommandLine.ts';
import { splitRestoreWords, splitShellWords } from '../netfilter/iptables/iptTokens.ts';
import { parseIptablesSave } from '../netfilter/iptables/parseIptablesSave.ts';
import type { NftCommand } from '../netfilter/nft/nftCommand.ts';
import { parseNft } from '../netfilter/nft/parseNft.ts';
import { parseNftScriptCommands } from '../netfilter/nft/parseNftScript.ts';
import { RulesetParseError, TokenProblem } from '../netfilter/parseError.ts';
import type { LayerAction, NoteSeverity } from './layerActions.ts';

/** Where replayed actions go. Each apply returns null on success or the tool's error message. */
export interface ReplayTarget {
  ipt(family: Family, command: IptCommand, provenance: Provenance, backend?: 'legacy' | 'nft'): string | null;
  nft(command: NftCommand, provenance: Provenance): string | null;
  /** Before a batch of nft commands: returns what undoes it when one fails (netfilterState.ts nftCheckpoint). */
  nftCheckpoint(): () => void;
  replaceIpt(family: Family, ruleset: IptRuleset, provenance: Provenance, backend?: 'legacy' | 'nft'): void;
  replaceNft(ruleset: NftRuleset, provenance: Provenance): void;
  sysctl(key: string, value: string, provenance: Provenance): void;
  signal(signal: 'sighup' | 'firewalld-reloaded', provenance: Provenance): void;
  note(severity: NoteSeverity, text: string): void;
}

/** nft text → commands with the 1-based line of each (the nft script parser). */
export type NftScriptParser = (text: string, file: string) => { commands: { command: NftCommand; line: number }[]; errors: { line: number; column: number; message: string }[] };
/** `nft list ruleset` text → ruleset. */
export type NftRulesetParser = (text: string, file: string) => NftRuleset;

export interface ReplayOptions {
  nftScript?: NftScriptParser;
  nftRuleset?: NftRulesetParser;
}

/** The netfilter parsers (shared/netfilter/nft): `nft -f` scripts and `nft list ruleset` output. */
export const NETFILTER_PARSERS: Required<ReplayOptions> = {
  nftScript: (text, file) => {
    try {
      return { commands: parseNftScriptCommands(text, { file }).commands, errors: [] };
    } catch (e) {
      if (e instanceof RulesetParseError) return { commands: [], errors: e.problems };
      throw e;
    }
  },
  nftRuleset: (text, file) => parseNft(text, { file, lenient: true }).ruleset,
};

export interface ReplayStep {
  action: LayerAction;
  ok: boolean;
  message?: string;
}

/**
 * Parses iptables/ip6tables arguments into commands — several when `-s a,b` lists addresses, as
 * iptables expands them (throws RulesetParseError / TokenProblem with a column).
 */
export function iptablesArgsToCommands(args: string, family: Family, quoting: 'shell' | 'restore' = 'shell'): IptCommand[] {
  const words = quoting === 'restore' ? splitRestoreWords(args) : splitShellWords(args).filter((w) => !w.operator);
  return parseIptablesArgs(words, { family }).commands;
}

function errorText(e: unknown): string {
  if (e instanceof TokenProblem) return `${e.message} (column ${e.column})`;
  if (e instanceof RulesetParseError) return e.problems.map((p) => `${p.message} (column ${p.column})`).join('; ');
  return e instanceof Error ? e.message : String(e);
}

export function replayLayerActions(actions: LayerAction[], target: ReplayTarget, options: ReplayOptions = NETFILTER_PARSERS): ReplayStep[] {
  const steps: ReplayStep[] = [];
  const tool = (f: Family) => (f === 'ipv4' ? 'iptables' : 'ip6tables');
  for (const action of actions) {
    switch (action.kind) {
      case 'iptables': {
        const run = (args: string): string | null => {
          try {
            for (const command of iptablesArgsToCommands(args, action.family, action.quoting)) {
              const m = target.ipt(action.family, command, action.provenance, action.backend);
              if (m) return m;
            }
            return null;
          } catch (e) {
            return `${tool(action.family)} ${args}: ${errorText(e)}`;
          }
        };
        let message = run(action.args);
        if (message && action.fallback) message = run(action.fallback);
        if (message && action.mayFail) {
          steps.push({ action, ok: true, message: `ignored failure (|| true): ${message}` });
          continue;
        }
        if (message) target.note('error', `${action.provenance.layerLabel ?? action.provenance.layer}: ${tool(action.family)} ${action.args} failed: ${message}`);
        steps.push({ action, ok: message === null, ...(message ? { message } : {}) });
        break;
      }
      case 'nft':
      case 'nft-script': {
        if (!options.nftScript) {
          target.note('error', `${action.provenance.layerLabel ?? ''}: nft commands cannot be applied (no nft script parser available)`);
          steps.push({ action, ok: false, message: 'no nft parser' });
          break;
        }
        const text = action.kind === 'nft' ? action.command : action.text;
        const file = action.kind === 'nft-script' ? action.file : (action.provenance.file ?? 'nft');
        const parsed = options.nftScript(text, file);
        const messages: string[] = parsed.errors.map((e) => `${file}:${e.line}:${e.column}: ${e.message}`);
        // One nft invocation is one kernel transaction: a command the kernel refuses undoes the batch.
        const rollback = parsed.commands.length > 1 ? target.nftCheckpoint() : null;
        let refused = false;
        for (const { command, line } of parsed.commands) {
          const prov: Provenance = action.kind === 'nft-script' ? { ...action.provenance, file, line: action.firstLine + line - 1, reason: action.provenance.reason ?? `${file}:${action.firstLine + line - 1}` } : action.provenance;
          const m = target.nft(command, prov);
          if (m) messages.push(action.kind === 'nft-script' ? `${file}:${action.firstLine + line - 1}: ${m}` : m);
          refused ||= m !== null;
        }
        if (refused && rollback) {
          rollback();
          messages.push(`the whole batch (${parsed.commands.length} commands) was undone`);
        }
        const failed = messages.length > 0 && !(action.kind === 'nft' && action.mayFail);
        if (failed) target.note('error', `${action.provenance.layerLabel ?? action.provenance.layer}: nft ${action.kind === 'nft' ? action.command : `-f ${file}`} failed: ${messages.join('; ')}`);
        steps.push({ action, ok: !failed, ...(messages.length ? { message: messages.join('; ') } : {}) });
        break;
      }
      case 'iptables-replace': {
        try {
          const parsed = parseIptablesSave(action.text, { family: action.family, lenient: true, ...(action.provenance.file ? { file: action.provenance.file } : {}), ...(action.backend ? { backend: action.backend } : {}) });
          for (const s of parsed.skipped) target.note('warning', `${action.provenance.file ?? 'dump'}:${s.line}: skipped (${s.reason}): ${s.text}`);
          target.replaceIpt(action.family, parsed.ruleset, action.provenance, action.backend);
          steps.push({ action, ok: true });
        } catch (e) {
          target.note('error', `${action.provenance.layerLabel ?? 'imported ruleset'}: ${errorText(e)}`);
          steps.push({ action, ok: false, message: errorText(e) });
        }
        break;
      }
      case 'nft-replace': {
        if (!options.nftRuleset) {
          target.note('error', 'an nft ruleset cannot be imported (no nft parser available)');
          steps.push({ action, ok: false, message: 'no nft parser' });
          break;
        }
        try {
          target.replaceNft(options.nftRuleset(action.text, action.provenance.file ?? 'nft'), action.provenance);
          steps.push({ action, ok: true });
        } catch (e) {
          target.note('error', `${action.provenance.layerLabel ?? 'imported ruleset'}: ${errorText(e)}`);
          steps.push({ action, ok: false, message: errorText(e) });
        }
        break;
      }
      case 'sysctl':
        target.sysctl(action.key, action.value, action.provenance);
        steps.push({ action, ok: true });
        break;
      case 'signal-libvirtd':
        target.signal(action.signal, action.provenance);
        steps.push({ action, ok: true });
        break;
      case 'note':
        target.note(action.severity, action.text);
        steps.push({ action, ok: true });
        break;
    }
  }
  return steps;
}
