// Collects validation problems for one network and places each at its element
// (line, column, index-free path) in the network's XML.

import type { XmlDocument } from '../xml/xmlTree.ts';
import type { NetworkProblem } from './networkProblem.ts';
import { locateElement, pathOf, positionOf, type ElementStep } from './networkXmlLocator.ts';

export class ProblemSink {
  readonly problems: NetworkProblem[] = [];

  constructor(
    private readonly doc: XmlDocument | null,
    readonly networkName: string,
  ) {}

  private add(severity: NetworkProblem['severity'], message: string, steps: readonly ElementStep[], attribute: string | undefined, when: NetworkProblem['when']): void {
    // A missing element (e.g. no <name>) is placed at its nearest existing ancestor.
    let element = undefined;
    for (let n = steps.length; this.doc && !element && n >= 0; n--) element = locateElement(this.doc, steps.slice(0, n));
    const exact = this.doc && element === locateElement(this.doc, steps);
    const at = this.doc ? positionOf(this.doc, element, exact ? attribute : undefined) : undefined;
    const problem: NetworkProblem = { severity, message };
    if (at) Object.assign(problem, at);
    if (steps.length > 0) problem.path = pathOf(steps);
    if (this.networkName) problem.network = this.networkName;
    if (when) problem.when = when;
    this.problems.push(problem);
  }

  /** libvirt refuses the definition (virsh net-define fails). */
  define(message: string, steps: readonly ElementStep[] = [], attribute?: string): void {
    this.add('error', message, steps, attribute, 'define');
  }

  /** libvirt defines it, but virsh net-start fails. */
  start(message: string, steps: readonly ElementStep[] = [], attribute?: string): void {
    this.add('error', `would fail at net-start: ${message}`, steps, attribute, 'start');
  }

  /** A mistake libvirt itself does not catch. */
  error(message: string, steps: readonly ElementStep[] = [], attribute?: string): void {
    this.add('error', message, steps, attribute, undefined);
  }

  warning(message: string, steps: readonly ElementStep[] = [], attribute?: string): void {
    this.add('warning', message, steps, attribute, undefined);
  }
}
