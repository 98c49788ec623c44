// What firewalld refuses or silently leaves out for a forward-port in a policy
// (io/policy.py check_config_dict, 2.3.1; fw_policy.py policy_base_chain_name):
//  - to an egress zone or ANY it needs to-addr (only egress HOST may redirect);
//  - an egress zone with interfaces cannot be used (PREROUTING does not know the
//    output interface yet) — firewalld refuses the policy;
//  - ingress zone → egress HOST has no nat chain in 2.3.1 (fixed in 2.3.2,
//    "allow forward ports with ingress zone and egress HOST"): nothing is forwarded.

import type { ConfigProblem } from '../layerActions.ts';
import type { FirewalldPolicy, FirewalldZone } from './firewalldXml.ts';

export function policyForwardPortProblems(policies: Map<string, FirewalldPolicy>, zones: Map<string, FirewalldZone>): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  for (const p of policies.values()) {
    const lines = [...p.forwardPorts.map((f) => ({ f: f.value, line: f.line })), ...p.richRules.flatMap((r) => (r.element?.kind === 'forward-port' ? [{ f: r.element, line: r.line }] : []))];
    for (const { f, line } of lines) {
      const at = { file: p.file, line, column: 1 };
      if (!p.egress.includes('HOST') && !f.toAddr) out.push({ severity: 'error', ...at, message: `policy ${p.name}: forward-port needs to-addr when the egress zone is ANY or a zone (firewalld refuses the policy)` });
      for (const z of p.egress.filter((x) => x !== 'HOST' && x !== 'ANY')) {
        if ((zones.get(z)?.interfaces.length ?? 0) > 0) out.push({ severity: 'error', ...at, message: `policy ${p.name}: forward-port cannot be used because egress zone ${z} has interfaces (firewalld refuses the policy)` });
      }
      if (p.egress.includes('HOST') && !p.ingress.includes('ANY')) out.push({ severity: 'warning', ...at, message: `policy ${p.name}: firewalld before 2.3.2 builds no nat chain for a zone → HOST policy; this forward-port forwards nothing` });
    }
  }
  return out;
}
