// One firewall command libvirtd runs, kept three ways: the text its debug log
// shows (fixtures */commands.txt, e.g. `/usr/sbin/iptables -w --table filter
// --insert LIBVIRT_INP --in-interface virbr3 --protocol tcp --destination-port
// 67 --jump ACCEPT`, `nft -ae insert rule ip libvirt_network guest_nat …
// '!=' …`), the argv words, and the parsed IptCommand/NftCommand the
// netfilter model applies. Parsing the same words the real tool gets means a
// generated rule has exactly the structure of the rule parsed from the real
// host's dump (so `--delete` by specification and printing match).

import type { Family } from '../../netfilter/model.ts';
import type { IptCommand } from '../../netfilter/iptables/iptCommand.ts';
import { parseIptablesArgs } from '../../netfilter/iptables/parseIptablesCommandLine.ts';
import type { Word } from '../../netfilter/iptables/iptTokens.ts';
import type { NftCommand } from '../../netfilter/nft/nftCommand.ts';
import { parseNftArgs } from '../../netfilter/nft/parseNftCommandLine.ts';

export interface LibvirtCommand {
  tool: 'iptables' | 'ip6tables' | 'nft';
  family: Family;
  /** argv after the program name. */
  args: string[];
  /** As the debug log prints it (program path included). */
  text: string;
  /** Why libvirt runs it, for the rule's provenance. */
  reason: string;
  /** Removal and rollback commands: a failure is ignored (libvirt's ignoreErrors). */
  ignoreErrors?: boolean;
}

/** virCommand's log quoting: words with shell metacharacters are single-quoted. */
function logWord(word: string): string {
  return /^[A-Za-z0-9_.\/:,=+@%-]+$/.test(word) ? word : `'${word}'`;
}

export function commandText(program: string, args: readonly string[]): string {
  return [program, ...args.map(logWord)].join(' ');
}

function words(args: readonly string[]): Word[] {
  return args.map((text, i) => ({ text, column: i + 1, quoted: false }));
}

/**
 * libxt_SNAT stores an address range whose ends are equal as one address: libvirt passes
 * `--to-source A-A:P-Q` for <address start='A' end='A'/>, iptables-save prints `A:P-Q`
 * (seen with real libvirt 9.0, test/reality/libvirt-generator.test.ts). The shared parser keeps
 * the text as written, so the rule is stored here the way the kernel keeps it.
 */
function collapseSnatRange(command: IptCommand): IptCommand {
  if (!('rule' in command) || !command.rule || command.rule.target?.name !== 'SNAT') return command;
  const options = command.rule.target.options.map((o) => {
    if (o.name !== 'to-source') return o;
    const m = /^([^-:]+)-([^-:]+)(:.*)?$/.exec(o.values[0] ?? '');
    return m && m[1] === m[2] ? { ...o, values: [`${m[1]}${m[3] ?? ''}`] } : o;
  });
  return { ...command, rule: { ...command.rule, target: { ...command.rule.target, options } } };
}

/** iptables argv (without `-w`) → IptCommand, as iptables parses it. */
export function parseLibvirtIpt(command: LibvirtCommand): IptCommand {
  const args = command.args[0] === '-w' ? command.args.slice(1) : command.args;
  return collapseSnatRange(parseIptablesArgs(words(args), { family: command.family }).command);
}

/** nft argv → NftCommands (empty for `list`). */
export function parseLibvirtNft(command: LibvirtCommand): NftCommand[] {
  return parseNftArgs(words(command.args), 1).commands.map((c) => c.command);
}
