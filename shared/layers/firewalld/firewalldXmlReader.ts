// Positioned reading of firewalld XML elements: line/column of any element
// for problems and provenance, and rich rules (`<rule>` elements,
// firewalld.richlanguage(5)) read into their parts with a one-line text form
// for explanations (`rule priority=32767 reject`).

import { lineStarts, positionAt } from '../../xml/textPosition.ts';
import { attributeValue, childElements, type XmlElement } from '../../xml/xmlTree.ts';
import type { ConfigProblem } from '../layerActions.ts';
import type { RichRule } from './firewalldXml.ts';
import { forwardPortText, readForwardPort } from './firewalldForwardPortXml.ts';

export interface Reader {
  file: string;
  problems: ConfigProblem[];
  lineOf(e: XmlElement): number;
  problem(e: XmlElement | null, severity: ConfigProblem['severity'], message: string): void;
}

export function reader(text: string, file: string, problems: ConfigProblem[]): Reader {
  const starts = lineStarts(text);
  const at = (e: XmlElement | null) => positionAt(starts, e?.span?.start ?? 0);
  return {
    file,
    problems,
    lineOf: (e) => at(e).line,
    problem: (e, severity, message) => problems.push({ severity, file, ...at(e), message }),
  };
}

export function richRule(e: XmlElement, r: Reader): RichRule {
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
      case 'forward-port': {
        const f = readForwardPort(c, r);
        if (f) {
          rule.element = { kind: 'forward-port', ...f };
          parts.push(`forward-port ${forwardPortText(f)}`);
        }
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
  // firewalld logs a forwarded port in the nat table (2.1.1+); that log rule is not modelled.
  if (rule.element?.kind === 'forward-port' && rule.log) r.problem(e, 'warning', 'rich rule forward-port with <log>: the DNAT is modelled, its log rule is not');
  if (!rule.action && rule.element?.kind !== 'masquerade' && rule.element?.kind !== 'icmp-block' && rule.element?.kind !== 'forward-port' && !rule.log) r.problem(e, 'error', 'rich rule without an action (accept, drop or reject)');
  rule.text = parts.join(' ');
  return rule;
}
