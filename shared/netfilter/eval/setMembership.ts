// Set membership for `-m set --match-set NAME src|dst` (ipset) and nft `@set`
// references: decided when the elements are known (listed in the nft dump, or
// given in EvalContext.sets), an UNKNOWN step otherwise — a set's contents are
// never guessed.

import type { Family } from '../model.ts';
import { AddressSyntaxError, parseNet, parseRange } from './addressNumbers.ts';
import type { Step } from './compiledForm.ts';
import { portRange, type CompileContext } from './compileContext.ts';
import { addrStep, portStep, unknownStep, type AddrElement } from './matchSteps.ts';

/** Elements as address elements, or null when some element is not an address/CIDR/range. */
export function addressElements(elements: string[]): AddrElement[] | null {
  const out: AddrElement[] = [];
  try {
    for (const raw of elements) {
      const e = raw.trim();
      const dash = e.indexOf('-');
      if (dash > 0 && !e.includes('/')) out.push({ kind: 'range', v: parseRange(e.slice(0, dash), e.slice(dash + 1)) });
      else out.push({ kind: 'net', v: parseNet(e) });
    }
  } catch (err) {
    if (err instanceof AddressSyntaxError) return null;
    throw err;
  }
  return out;
}

export function portElements(elements: string[]): [number, number][] | null {
  const out: [number, number][] = [];
  for (const e of elements) {
    const r = portRange(e);
    if (!r) return null;
    out.push(r);
  }
  return out;
}

export function setMembershipStep(name: string, flags: string, negated: boolean, text: string, ctx: CompileContext, family: Family): Step {
  const elements = ctx.sets[name];
  if (!elements) return unknownStep(text, `contents of ipset ${name} not given`);
  const dims = flags.split(',');
  if (dims.length !== 1) return unknownStep(text, `multi-dimension ipset ${name} (${flags}) not modelled`);
  const which = dims[0] === 'dst' ? 'dst' : 'src';
  const addrs = addressElements(elements);
  if (addrs) {
    const own = addrs.filter((a) => a.v.family === family);
    return addrStep(which, family, own, negated, text);
  }
  const ports = portElements(elements);
  if (ports) return portStep(which === 'src' ? 'sport' : 'dport', ports, negated, text, null);
  return unknownStep(text, `elements of ipset ${name} are neither addresses nor ports`);
}
