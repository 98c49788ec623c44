// Which rule to name for an accepted hook. Every base chain of the hook had to
// accept, so any of them "accepted"; the one that explains the verdict is the
// last explicit accepting rule — an empty chain's policy only means nobody
// objected (firewalld's iptables backend creates a security FORWARD with policy
// ACCEPT that runs after libvirt's filter rule accepted the guest). A NAT rule
// translates rather than filters: it is named only when no filter rule accepted
// (PREROUTING: the DNAT says more than mangle's policy); a nat chain's policy
// only means "no translation" and is named last of all.

import type { RuleRef } from '../model.ts';
import { A_NAT, type CompiledRule, type HookChain } from './compiledForm.ts';

/** `accepted`: each base chain's accepting rule or policy, in pipeline order. Null when empty. */
export function acceptingRef(accepted: readonly (CompiledRule | HookChain)[]): RuleRef | null {
  let nat: RuleRef | null = null;
  let policy: RuleRef | null = null;
  for (let i = accepted.length - 1; i >= 0; i--) {
    const x = accepted[i]!;
    if ('policyRef' in x) {
      if (!policy && x.type !== 'nat') policy = x.policyRef;
    } else if (x.action !== A_NAT) return x.ref;
    else nat ??= x.ref;
  }
  if (nat ?? policy) return nat ?? policy;
  const last = accepted[accepted.length - 1];
  return last ? ('policyRef' in last ? last.policyRef : last.ref) : null;
}
