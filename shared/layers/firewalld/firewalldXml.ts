// Zone and policy XML (firewalld.zone(5), firewalld.policy(5)) read into the
// structured form the generator uses, every element remembered with its line
// so a rule can say which entry of which file produced it. Unknown elements
// are warned about, never fatal. Writing goes through the positioned XML
// codec: only the edited element changes, comments and layout stay.

import { parseXmlDocument } from '../../xml/xmlCodec.ts';
import { createElement, insertChild, lineBreakOf, removeChild, setAttribute } from '../../xml/xmlEdit.ts';
import { serializeXmlDocument } from '../../xml/xmlSerialize.ts';
import { lineStarts, positionAt } from '../../xml/textPosition.ts';
import { attributeValue, childElements, firstChild, type XmlElement } from '../../xml/xmlTree.ts';
import type { ConfigProblem } from '../layerActions.ts';
import { FIREWALLD_SERVICES } from './firewalldServices.ts';

export interface Located<T> {
  value: T;
  line: number;
}

export type RichElement =
  | { kind: 'service'; name: string }
  | { kind: 'port'; port: string; protocol: string }
  | { kind: 'protocol'; value: string }
  | { kind: 'icmp-block'; name: string }
  | { kind: 'icmp-type'; name: string }
  | { kind: 'masquerade' };

export interface RichRule {
  /** `rule family="ipv4" source address="…" service name="ssh" accept`, for provenance. */
  text: string;
  line: number;
  family?: 'ipv4' | 'ipv6';
  priority: number;
  source?: { address: string; invert: boolean };
  destination?: { address: string; invert: boolean };
  element?: RichElement;
  log?: { prefix?: string };
  action?: { kind: 'accept' | 'drop' | 'reject'; type?: string };
}

/** What zones and policies have in common. */
export interface FirewalldRuleSet {
  name: string;
  file: string;
  services: Located<string>[];
  ports: Located<{ port: string; protocol: string }>[];
  protocols: Located<string>[];
  icmpBlocks: Located<string>[];
  masquerade: Located<boolean> | null;
  richRules: RichRule[];
}

export interface FirewalldZone extends FirewalldRuleSet {
  /** 'default' when the attribute is absent. */
  target: 'default' | 'ACCEPT' | 'DROP' | '%%REJECT%%' | 'REJECT';
  targetLine: number;
  interfaces: Located<string>[];
  sources: Located<string>[];
  forward: Located<boolean> | null;
  icmpBlockInversion: boolean;
}

export interface FirewalldPolicy extends FirewalldRuleSet {
  target: 'CONTINUE' | 'ACCEPT' | 'DROP' | 'REJECT';
  targetLine: number;
  priority: number;
  ingress: string[];
  egress: string[];
}

interface Reader {
  file: string;
  problems: ConfigProblem[];
  lineOf(e: XmlElement): number;
  problem(e: XmlElement | null, severity: ConfigProblem['severity'], message: string): void;
}

function reader(text: string, file: string, problems: ConfigProblem[]): Reader {
  const starts = lineStarts(text);
  const at = (e: XmlElement | null) => positionAt(starts, e?.span?.start ?? 0);
  return {
    file,
    problems,
    lineOf: (e) => at(e).line,
    problem: (e, severity, message) => problems.push({ severity, file, ...at(e), message }),
  };
}

function richRule(e: XmlElement, r: Reader): RichRule {
  const rule: RichRule = { text: '', line: r.lineOf(e), priority: 0 };
  const fam = attributeValue(e, 'family');
  if (fam === 'ipv4' || fam === 'ipv6') rule.family = fam;
  else if (fam !== undefined) r.problem(e, 'error', `rule family "${fam}" is not ipv4 or ipv6`);
  const prio = attributeValue(e, 'priority');
  if (prio !== undefined) {
    if (/^-?\d+$/.test(prio) && Math.abs(Number(prio)) <= 32767) rule.priority = Number(prio);
    else r.problem(e, 'error', `rule priority "${prio}" is not a number between -32768 and 32767`);
  }
  const parts: string[] = ['rule'];
  if (rule.family) parts.push(`family="${rule.family}"`);
  if (rule.priority) parts.push(`priority=${rule.priority}`);
  for (const c of childElements(e)) {
    const invert = attributeValue(c, 'invert') === 'True' || attributeValue(c, 'invert') === 'true';
    switch (c.name) {
      case 'source':
      case 'destination': {
        const address = attributeValue(c, 'address') ?? attributeValue(c, 'ipset') ?? '';
        rule[c.name] = { address, invert };
        parts.push(`${c.name}${invert ? ' NOT' : ''} address="${address}"`);
        break;
      }
      case 'service':
        rule.element = { kind: 'service', name: attributeValue(c, 'name') ?? '' };
        parts.push(`service name="${rule.element.name}"`);
        break;
      case 'port':
        rule.element = { kind: 'port', port: attributeValue(c, 'port') ?? '', protocol: attributeValue(c, 'protocol') ?? '' };
        parts.push(`port port="${rule.element.port}" protocol="${rule.element.protocol}"`);
        break;
      case 'protocol':
        rule.element = { kind: 'protocol', value: attributeValue(c, 'value') ?? '' };
        parts.push(`protocol value="${rule.element.value}"`);
        break;
      case 'icmp-block':
      case 'icmp-type': {
        const icmpName = attributeValue(c, 'name') ?? '';
        rule.element = { kind: c.name, name: icmpName };
        parts.push(`${c.name} name="${icmpName}"`);
        break;
      }
      case 'masquerade':
        rule.element = { kind: 'masquerade' };
        parts.push('masquerade');
        break;
      case 'log':
        rule.log = { prefix: attributeValue(c, 'prefix') };
        parts.push(`log${rule.log.prefix ? ` prefix="${rule.log.prefix}"` : ''}`);
        break;
      case 'accept':
      case 'drop':
      case 'reject': {
        const type = attributeValue(c, 'type');
        rule.action = { kind: c.name, ...(type ? { type } : {}) };
        parts.push(`${c.name}${type ? ` type="${type}"` : ''}`);
        break;
      }
      default:
        r.problem(c, 'warning', `rich rule element <${c.name}> is not modelled; the rule is read without it`);
    }
  }
  if (!rule.action && rule.element?.kind !== 'masquerade' && rule.element?.kind !== 'icmp-block' && !rule.log) r.problem(e, 'error', 'rich rule without an action (accept, drop or reject)');
  rule.text = parts.join(' ');
  return rule;
}

function readCommon(root: XmlElement, r: Reader, name: string, known: Set<string>): FirewalldRuleSet {
  const set: FirewalldRuleSet = { name, file: r.file, services: [], ports: [], protocols: [], icmpBlocks: [], masquerade: null, richRules: [] };
  for (const c of childElements(root)) {
    const line = r.lineOf(c);
    switch (c.name) {
      case 'service': {
        const s = attributeValue(c, 'name') ?? '';
        if (!FIREWALLD_SERVICES[s]) r.problem(c, 'warning', `service "${s}" is not in virtwall's service table; it opens nothing here`);
        set.services.push({ value: s, line });
        break;
      }
      case 'port': {
        const port = attributeValue(c, 'port') ?? '';
        const protocol = attributeValue(c, 'protocol') ?? '';
        if (!/^\d+(-\d+)?$/.test(port) || Number(port.split('-')[0]) > 65535) r.problem(c, 'error', `port "${port}" is not a port or range`);
        else if (!['tcp', 'udp', 'sctp', 'dccp'].includes(protocol)) r.problem(c, 'error', `port protocol "${protocol}" is not tcp, udp, sctp or dccp`);
        else set.ports.push({ value: { port, protocol }, line });
        break;
      }
      case 'protocol':
        set.protocols.push({ value: attributeValue(c, 'value') ?? '', line });
        break;
      case 'icmp-block':
        set.icmpBlocks.push({ value: attributeValue(c, 'name') ?? '', line });
        break;
      case 'masquerade':
        set.masquerade = { value: true, line };
        break;
      case 'rule':
        set.richRules.push(richRule(c, r));
        break;
      default:
        if (!known.has(c.name)) r.problem(c, 'warning', `<${c.name}> is not modelled; ignored`);
    }
  }
  return set;
}

const ZONE_TARGETS = ['default', 'ACCEPT', 'DROP', '%%REJECT%%', 'REJECT'] as const;
const POLICY_TARGETS = ['CONTINUE', 'ACCEPT', 'DROP', 'REJECT'] as const;

export function parseZoneXml(text: string, file: string, name: string): { zone: FirewalldZone | null; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const doc = parseXmlDocument(text);
  if (!doc.ok) return { zone: null, problems: [{ severity: 'error', file, line: doc.error.line, column: doc.error.column, message: doc.error.message }] };
  const root = doc.document.root;
  const r = reader(text, file, problems);
  if (root.name !== 'zone') {
    r.problem(root, 'error', `root element is <${root.name}>, not <zone>`);
    return { zone: null, problems };
  }
  const common = readCommon(root, r, name, new Set(['short', 'description', 'interface', 'source', 'forward', 'icmp-block-inversion', 'forward-port', 'source-port', 'ingress-priority', 'egress-priority']));
  const t = attributeValue(root, 'target') ?? 'default';
  const target = (ZONE_TARGETS as readonly string[]).includes(t) ? (t as FirewalldZone['target']) : 'default';
  if (target !== t) r.problem(root, 'error', `zone target "${t}" is not ACCEPT, DROP, %%REJECT%% or default`);
  const zone: FirewalldZone = {
    ...common,
    target,
    targetLine: r.lineOf(root),
    interfaces: childElements(root, 'interface').map((c) => ({ value: attributeValue(c, 'name') ?? '', line: r.lineOf(c) })),
    sources: childElements(root, 'source').map((c) => ({ value: attributeValue(c, 'address') ?? attributeValue(c, 'ipset') ?? '', line: r.lineOf(c) })),
    forward: firstChild(root, 'forward') ? { value: true, line: r.lineOf(firstChild(root, 'forward') as XmlElement) } : null,
    icmpBlockInversion: firstChild(root, 'icmp-block-inversion') !== undefined,
  };
  return { zone, problems };
}

export function parsePolicyXml(text: string, file: string, name: string): { policy: FirewalldPolicy | null; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const doc = parseXmlDocument(text);
  if (!doc.ok) return { policy: null, problems: [{ severity: 'error', file, line: doc.error.line, column: doc.error.column, message: doc.error.message }] };
  const root = doc.document.root;
  const r = reader(text, file, problems);
  if (root.name !== 'policy') {
    r.problem(root, 'error', `root element is <${root.name}>, not <policy>`);
    return { policy: null, problems };
  }
  const common = readCommon(root, r, name, new Set(['short', 'description', 'ingress-zone', 'egress-zone', 'forward-port', 'source-port']));
  const t = attributeValue(root, 'target') ?? 'CONTINUE';
  const target = (POLICY_TARGETS as readonly string[]).includes(t) ? (t as FirewalldPolicy['target']) : 'CONTINUE';
  if (target !== t) r.problem(root, 'error', `policy target "${t}" is not CONTINUE, ACCEPT, DROP or REJECT`);
  const p = attributeValue(root, 'priority') ?? '-1';
  let priority = -1;
  if (/^-?\d+$/.test(p) && Number(p) !== 0) priority = Number(p);
  else r.problem(root, 'error', `policy priority "${p}" must be a non-zero number`);
  const ingress = childElements(root, 'ingress-zone').map((c) => attributeValue(c, 'name') ?? '');
  const egress = childElements(root, 'egress-zone').map((c) => attributeValue(c, 'name') ?? '');
  if (ingress.length === 0 || egress.length === 0) r.problem(root, 'error', 'a policy needs at least one ingress-zone and one egress-zone');
  return { policy: { ...common, target, targetLine: r.lineOf(root), priority, ingress, egress }, problems };
}

/** Edits of a zone or policy file that keep everything else byte for byte. */
export type FirewalldXmlEdit =
  | { op: 'set-target'; target: string | undefined }
  | { op: 'add'; element: string; attributes: Record<string, string> }
  | { op: 'remove'; element: string; attribute: string; value: string };

export function editFirewalldXml(text: string, edit: FirewalldXmlEdit): string {
  const parsed = parseXmlDocument(text);
  if (!parsed.ok) throw new Error(`line ${parsed.error.line}, column ${parsed.error.column}: ${parsed.error.message}`);
  const doc = parsed.document;
  const root = doc.root;
  if (edit.op === 'set-target') setAttribute(root, 'target', edit.target, '"');
  else if (edit.op === 'add') {
    const exists = childElements(root, edit.element).some((c) => Object.entries(edit.attributes).every(([k, v]) => attributeValue(c, k) === v));
    if (!exists) {
      const e = createElement(edit.element);
      for (const [k, v] of Object.entries(edit.attributes)) setAttribute(e, k, v, '"');
      insertChild(root, e, null, { parentIndent: '', unit: '  ', newline: lineBreakOf(text) });
    }
  } else {
    for (const c of childElements(root, edit.element)) if (attributeValue(c, edit.attribute) === edit.value) removeChild(root, c);
  }
  return serializeXmlDocument(doc);
}
