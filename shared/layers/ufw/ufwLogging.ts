// ufw's logging rules, as backend_iptables.py _get_logging_rules (ufw 0.36)
// builds them for LOGLEVEL (/etc/ufw/ufw.conf, default "low"). `ufw enable` and
// `ufw reload` run them after ufw-init (update_logging: the before-/after-
// logging and logging-deny/-allow chains are flushed first), and ufw writes
// the same rules into the LOGGING section of user.rules / user6.rules. At
// "low" a LOG rule ends an after-logging chain only where that direction's
// policy blocks (DROP/REJECT) — so with DEFAULT_FORWARD_POLICY="ACCEPT" there
// is none for forward (checked against real ufw 0.36.2, test/reality/ufw-real.test.ts).

import type { UfwConfig } from './ufwConfig.ts';

export type UfwLogLevel = 'off' | 'low' | 'medium' | 'high' | 'full';
const LEVEL: Record<UfwLogLevel, number> = { off: 0, low: 100, medium: 200, high: 300, full: 400 };
const DIRS = ['input', 'output', 'forward'] as const;
const LIMIT = '-m limit --limit 3/min --limit-burst 10';

export const UFW_CONF = '/etc/ufw/ufw.conf';

/** LOGLEVEL from ufw.conf (ufw treats an unknown level as "low"). */
export function ufwLogLevel(ufwConf: string | undefined): UfwLogLevel {
  const m = /^\s*LOGLEVEL=["']?(\w+)/m.exec(ufwConf ?? '');
  const v = m?.[1] as UfwLogLevel | undefined;
  return v && v in LEVEL ? v : 'low';
}

export interface UfwLoggingRule {
  /** The iptables arguments as ufw writes them into user.rules (quoted prefix). */
  args: string;
  /** `-D …`: run, but neither written to the file nor required to succeed. */
  deleteOnly?: boolean;
}

/** The rules of one family's chains (prefix ufw or ufw6), in ufw's order. */
export function ufwLoggingRules(prefix: 'ufw' | 'ufw6', config: Pick<UfwConfig, 'inputPolicy' | 'outputPolicy' | 'forwardPolicy'>, level: UfwLogLevel): UfwLoggingRule[] {
  const n = LEVEL[level];
  const out: UfwLoggingRule[] = [];
  const userChains = DIRS.map((d) => `${prefix}-user-logging-${d}`);
  if (level === 'off') {
    for (const c of userChains) out.push({ args: `-I ${c} -j RETURN` });
    return out;
  }
  for (const c of userChains) out.push({ args: `-D ${c} -j RETURN`, deleteOnly: true });
  const largs = n < LEVEL.high ? ` ${LIMIT}` : '';
  const policy = { input: config.inputPolicy, output: config.outputPolicy, forward: config.forwardPolicy };
  for (const d of DIRS) {
    const c = `${prefix}-after-logging-${d}`;
    if (policy[d] !== 'ACCEPT') out.push({ args: `-A ${c} -j LOG --log-prefix "[UFW BLOCK] "${largs}` });
    else if (n >= LEVEL.medium) out.push({ args: `-A ${c} -j LOG --log-prefix "[UFW ALLOW] "${largs}` });
  }
  for (const kind of ['deny', 'allow'] as const) {
    const c = `${prefix}-logging-${kind}`;
    if (kind === 'deny') {
      if (n < LEVEL.medium) out.push({ args: `-I ${c} -m conntrack --ctstate INVALID -j RETURN${largs}` });
      else out.push({ args: `-A ${c} -m conntrack --ctstate INVALID -j LOG --log-prefix "[UFW AUDIT INVALID] "${largs}` });
    }
    out.push({ args: `-A ${c} -j LOG --log-prefix "[UFW ${kind === 'deny' ? 'BLOCK' : 'ALLOW'}] "${largs}` });
  }
  if (n >= LEVEL.medium) {
    const audit = n < LEVEL.high ? ` -m conntrack --ctstate NEW ${LIMIT}` : n < LEVEL.full ? ` ${LIMIT}` : '';
    for (const d of DIRS) out.push({ args: `-I ${prefix}-before-logging-${d} -j LOG --log-prefix "[UFW AUDIT] "${audit}` });
  }
  return out;
}

/** The chains update_logging flushes before adding the rules (not the user-logging ones). */
export function ufwLoggingChainsFlushed(prefix: 'ufw' | 'ufw6'): string[] {
  return [...DIRS.map((d) => `${prefix}-before-logging-${d}`), ...DIRS.map((d) => `${prefix}-after-logging-${d}`), `${prefix}-logging-deny`, `${prefix}-logging-allow`];
}

/** The RATE LIMITING section ufw writes (the LOG line is left out at LOGLEVEL off). */
export function ufwRateLimitRules(prefix: 'ufw' | 'ufw6', level: UfwLogLevel): string[] {
  return [...(level === 'off' ? [] : [`-A ${prefix}-user-limit -m limit --limit 3/minute -j LOG --log-prefix "[UFW LIMIT BLOCK] "`]), `-A ${prefix}-user-limit -j REJECT`, `-A ${prefix}-user-limit-accept -j ACCEPT`];
}
