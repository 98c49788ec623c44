// SuSEfirewall2's logging switches (parse_logging in the script): which LOG
// rules are emitted and how they look in iptables-save form. The default LOG
// is `--log-level warning --log-tcp-options --log-ip-options --log-prefix SFW2`
// with the chain tag appended to the prefix, rate-limited by FW_LOG_LIMIT
// (`-m limit --limit 3/minute` → printed `3/min`) unless everything accepted is
// logged. Level warning is LOG's default, so iptables-save omits it — compare
// the seed's `-j LOG --log-prefix "SFW2-IN-ILL-TARGET " --log-tcp-options --log-ip-options`.

import type { Sfw2Config } from './sfw2Config.ts';

export interface Sfw2Logging {
  /** $LAA: log every accepted packet. */
  acceptAll: boolean;
  /** $LAC: log critical accepts (new connections). */
  acceptCrit: boolean;
  dropAll: boolean;
  dropCrit: boolean;
  /** $LDAC: drop all or critical. */
  dropAny: boolean;
  /** `-m limit --limit N/unit ` (with trailing blank) or ''. */
  limit: string;
  /** `-j LOG … --log-prefix "SFW2<tag> " …` for a tag such as `-IN-ILL-TARGET`. */
  target(tag: string): string;
}

const UNIT: Record<string, string> = { s: 'sec', sec: 'sec', second: 'sec', m: 'min', min: 'min', minute: 'min', h: 'hour', hour: 'hour', d: 'day', day: 'day' };

/** `3/minute` → `3/min`, as libxt_limit prints rates. */
export function canonicalLimit(rate: string): string {
  const m = /^(\d+)(?:\/(\w+))?$/.exec(rate.trim());
  if (!m) return rate.trim();
  return `${m[1]}/${UNIT[m[2] ?? 'sec'] ?? m[2]}`;
}

export function sfw2Logging(config: Sfw2Config): Sfw2Logging {
  const { acceptAll, acceptCrit, dropAll, dropCrit, limit, custom } = config.log;
  const limitText = limit === 'no' ? '' : `-m limit --limit ${canonicalLimit(limit || '3/minute')} `;
  const target = (tag: string): string => {
    if (custom) {
      // A custom FW_LOG is used as written; the tag is appended to it like the script does.
      const base = custom.startsWith('-j ') ? custom : `-j LOG ${custom}`;
      return `${base}${tag} `.replace(/--log-prefix (\S+) $/, (_m, p: string) => `--log-prefix "${p} "`);
    }
    return `-j LOG --log-prefix "SFW2${tag} " --log-tcp-options --log-ip-options`;
  };
  return {
    acceptAll,
    acceptCrit: !acceptAll && acceptCrit,
    dropAll,
    dropCrit: !dropAll && dropCrit,
    dropAny: dropAll || dropCrit,
    limit: acceptAll ? '' : limitText,
    target,
  };
}

/** rulelog(): `input_ext` → `INext`, `forward_int` → `FWDint`. */
export function chainTag(chain: string): string {
  if (chain.startsWith('input_')) return `IN${chain.slice('input_'.length)}`;
  if (chain.startsWith('forward_')) return `FWD${chain.slice('forward_'.length)}`;
  return chain;
}
