// virtwall rules trace FILE --in IF [--out IF] --src IP --dst IP --proto icmp|tcp|udp
//   [--sport N] [--dport N] [--state NEW|ESTABLISHED|RELATED|INVALID|UNTRACKED]
//   [--orig-dst IP] [--orig-dport N]
//   [--hook forward|input|output|prerouting|postrouting] [--format FORMAT] [--json]
//
// One packet through one hook of the rulesets in FILE (any format `rules check`
// reads; iptables + ip6tables dumps together, nft list output, scripts): every
// rule visited in order with why it matched or not, the verdict in one line, and
// what the sender would see. Undecidable matches (limit, unknown sets, …) give
// both outcomes. Exit 0 when the packet was evaluated, 1 on a bad FILE, 2 on
// bad usage.
//
// The connection's tuples (`ct original proto-dst`, `--ctorigdstport`): a new
// connection at PREROUTING/OUTPUT has not been translated by this host yet, so
// the packet is its own original tuple; after a DNAT (INPUT, FORWARD,
// POSTROUTING) --orig-dst/--orig-dport name what the client asked for (and
// mark the connection DNAT'd); otherwise the tuple is unknown and such
// matches are conditional.

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { RULESET_FORMATS, type RulesetFormat } from '../../shared/netfilter/detectFormat.ts';
import { parseAddress, AddressSyntaxError } from '../../shared/netfilter/eval/addressNumbers.ts';
import { compileHost } from '../../shared/netfilter/eval/compileHost.ts';
import { evaluateHook } from '../../shared/netfilter/eval/evaluateHook.ts';
import { formatOutcomeTraces } from '../../shared/netfilter/eval/formatTrace.ts';
import { outcomeLeaves } from '../../shared/netfilter/eval/hookResult.ts';
import { CONNTRACK_STATES, HOOKS, type ConntrackState, type Hook, type Packet } from '../../shared/netfilter/eval/packet.ts';
import { senderSymptom, type ProbeKind } from '../../shared/netfilter/eval/senderSymptom.ts';
import { RulesetParseError } from '../../shared/netfilter/parseError.ts';
import { parseRuleset } from '../../shared/netfilter/parseRuleset.ts';
import { UsageError, type CliCommand } from '../io.ts';
import { parseFlags } from '../parseFlags.ts';

/** A source port when none is given: a typical Linux ephemeral port (ip_local_port_range 32768–60999). */
const DEFAULT_SPORT = 40000;

function port(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) > 65535) throw new UsageError(`--${name} must be a port number 0..65535 (got '${value}')`);
  return Number(value);
}

function address(name: string, value: string | undefined): string {
  if (value === undefined) throw new UsageError(`--${name} IP is required`);
  try {
    parseAddress(value);
  } catch (e) {
    if (e instanceof AddressSyntaxError) throw new UsageError(`--${name}: ${e.message}`);
    throw e;
  }
  return value;
}

function buildPacket(values: Record<string, string>): { packet: Packet; hook: Hook; probe: ProbeKind; notes: string[] } {
  const hook = (values.hook ?? 'forward') as Hook;
  if (!HOOKS.includes(hook)) throw new UsageError(`--hook must be one of ${HOOKS.join(', ')} (got '${hook}')`);
  const proto = values.proto;
  if (proto !== 'icmp' && proto !== 'tcp' && proto !== 'udp') throw new UsageError(`--proto must be icmp, tcp or udp (got '${proto ?? ''}')`);
  const src = address('src', values.src);
  const dst = address('dst', values.dst);
  const family = src.includes(':') ? 'ipv6' : 'ipv4';
  if ((dst.includes(':') ? 'ipv6' : 'ipv4') !== family) throw new UsageError('--src and --dst must be of the same family');
  const state = (values.state ?? 'NEW').toUpperCase() as ConntrackState;
  if (!CONNTRACK_STATES.includes(state)) throw new UsageError(`--state must be one of ${CONNTRACK_STATES.join(', ')}`);
  const needsIn = hook === 'prerouting' || hook === 'input' || hook === 'forward';
  const needsOut = hook === 'forward' || hook === 'output' || hook === 'postrouting';
  if (needsIn && !values.in) throw new UsageError(`--in IF is required for the ${hook} hook`);
  if (needsOut && !values.out) throw new UsageError(`--out IF is required for the ${hook} hook`);
  const notes: string[] = [];
  const packet: Packet = { family, src, dst, proto: proto === 'icmp' && family === 'ipv6' ? 'ipv6-icmp' : proto, ctState: state, pktType: 'unicast' };
  if (values.in) packet.iif = values.in;
  if (values.out) packet.oif = values.out;
  if (proto === 'icmp') {
    if (values.sport || values.dport) throw new UsageError('--sport/--dport do not apply to icmp');
    packet.icmpType = family === 'ipv4' ? 8 : 128;
    packet.icmpCode = 0;
  } else {
    const dport = port('dport', values.dport);
    if (dport === undefined) throw new UsageError(`--dport N is required for ${proto}`);
    packet.dport = dport;
    packet.sport = port('sport', values.sport) ?? DEFAULT_SPORT;
    if (values.sport === undefined) notes.push(`source port ${DEFAULT_SPORT} assumed (give --sport to change it)`);
  }
  connectionTuples(packet, hook, values);
  return { packet, hook, probe: proto, notes };
}

/** Tuple port fields as conntrack reads them: ports, for ICMP echo type << 8 | code (the id is not known). */
function tuplePorts(packet: Packet, reply: boolean): { sport?: number; dport?: number } {
  if (packet.proto === 'tcp' || packet.proto === 'udp') return reply ? { sport: packet.dport, dport: packet.sport } : { sport: packet.sport, dport: packet.dport };
  const echo = packet.family === 'ipv4' ? (reply ? 0 : 8) : reply ? 129 : 128;
  return { dport: echo << 8 };
}

function connectionTuples(packet: Packet, hook: Hook, values: Record<string, string>): void {
  const origDst = values['orig-dst'] === undefined ? undefined : address('orig-dst', values['orig-dst']);
  const origDport = port('orig-dport', values['orig-dport']);
  if (origDst !== undefined && (origDst.includes(':') ? 'ipv6' : 'ipv4') !== packet.family) throw new UsageError('--orig-dst must be of the packet\'s family');
  if (origDport !== undefined && packet.dport === undefined) throw new UsageError('--orig-dport does not apply to icmp');
  const translated = origDst !== undefined || origDport !== undefined;
  if (!translated && !(packet.ctState === 'NEW' && (hook === 'prerouting' || hook === 'output'))) return;
  packet.ctOriginal = { src: packet.src, dst: origDst ?? packet.dst, ...tuplePorts(packet, false), ...(origDport !== undefined ? { dport: origDport } : {}) };
  packet.ctReply = { src: packet.dst, dst: packet.src, ...tuplePorts(packet, true) };
  if (translated) packet.ctStatus = ['DNAT'];
}

export const rulesTrace: CliCommand = async (args, io) => {
  const flags = parseFlags(args, { values: ['in', 'out', 'src', 'dst', 'proto', 'sport', 'dport', 'state', 'orig-dst', 'orig-dport', 'hook', 'format'], booleans: ['json'] });
  if (flags.positional.length !== 1) throw new UsageError('exactly one FILE expected');
  const file = flags.positional[0];
  const { packet, hook, probe, notes } = buildPacket(flags.values);
  const format = flags.values.format as RulesetFormat | undefined;
  if (format !== undefined && !RULESET_FORMATS.includes(format)) throw new UsageError(`--format must be one of ${RULESET_FORMATS.join(', ')} (got '${format}')`);
  let text: string;
  try {
    text = readFileSync(resolve(io.cwd, file), 'utf8');
  } catch (e) {
    io.stderr(`${file}: cannot read: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}\n`);
    return 1;
  }
  let parsed;
  try {
    parsed = parseRuleset(text, { file, ...(format ? { format } : {}) });
  } catch (e) {
    if (!(e instanceof RulesetParseError)) throw e;
    io.stderr(`${e.problems.map((p) => `${file}:${p.line}:${p.column}: ${p.message}`).join('\n')}\n`);
    return 1;
  }
  const host = compileHost(parsed.rulesets);
  const result = evaluateHook(host, hook, packet, { trace: true });
  // Who sends a REJECT's ICMP error: the rejected packet's destination when it was addressed to this
  // host (INPUT), else the primary address of the interface the error leaves by — towards the sender.
  const errorFrom = hook === 'input' ? packet.dst : `(address of ${packet.iif ?? packet.oif})`;
  const symptoms = outcomeLeaves(result.outcome).map((leaf) =>
    leaf.kind === 'capped' ? { assumptions: leaf.assumptions, sees: `undetermined: ${leaf.reason}` } : { assumptions: leaf.assumptions, sees: senderSymptom({ probe, family: packet.family, verdict: leaf.verdict, errorFrom, replyFrom: packet.dst }).explain },
  );
  const allNotes = [...notes, ...result.notes];
  if (flags.booleans.has('json')) {
    io.stdout(`${JSON.stringify({ file, format: parsed.format, hook, packet, summary: result.summary, outcome: result.outcome, senderSees: symptoms, notes: allNotes })}\n`);
    return 0;
  }
  const head = `${hook} ${packet.family} ${probe} ${packet.src}${packet.sport !== undefined ? `:${packet.sport}` : ''} -> ${packet.dst}${packet.dport !== undefined ? `:${packet.dport}` : ''} in ${packet.iif ?? '-'} out ${packet.oif ?? '-'} state ${packet.ctState}`;
  const out = [head, '', ...formatOutcomeTraces(result.outcome), ''];
  for (const s of symptoms) {
    const when = s.assumptions.length ? ` (if ${s.assumptions.map((a) => `${a.rule.table} ${a.rule.chain} rule ${a.rule.position} ${a.matches ? 'matches' : 'does not match'}`).join(', ')})` : '';
    out.push(`sender sees${when}: ${s.sees}`);
  }
  for (const n of allNotes) out.push(`note: ${n}`);
  out.push(`verdict: ${result.summary}`);
  io.stdout(`${out.join('\n')}\n`);
  return 0;
};

export default rulesTrace;
