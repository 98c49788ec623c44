// Zone and policy XML (firewalld.zone(5), firewalld.policy(5)) read into the
// structured form the generator uses, every element remembered with its line
// so a rule can say which entry of which file produced it. Unknown elements
// are warned about, never fatal. Writing goes through the positioned XML
// codec (firewalldXmlEdit.ts): only the edited element changes.

import { parseXmlDocument } from '../../xml/xmlCodec.ts';
import { attributeValue, childElements, firstChild, type XmlElement } from '../../xml/xmlTree.ts';
import type { ConfigProblem } from '../layerActions.ts';
import { FIREWALLD_SERVICES } from './firewalldServices.ts';
import { reader, richRule, type Reader } from './firewalldXmlReader.ts';
import { readForwardPort, type ForwardPort } from './firewalldForwardPortXml.ts';

export type { ForwardPort } from './firewalldForwardPortXml.ts';

export { editFirewalldXml, type FirewalldXmlEdit } from './firewalldXmlEdit.ts';

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
  | { kind: 'masquerade' }
  | ({ kind: 'forward-port' } & ForwardPort);

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
  forwardPorts: Located<ForwardPort>[];
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

function readCommon(root: XmlElement, r: Reader, name: string, known: Set<string>): FirewalldRuleSet {
  const set: FirewalldRuleSet = { name, file: r.file, services: [], ports: [], protocols: [], icmpBlocks: [], masquerade: null, forwardPorts: [], richRules: [] };
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
      case 'forward-port': {
        const f = readForwardPort(c, r);
        if (f) set.forwardPorts.push({ value: f, line });
        break;
      }
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
