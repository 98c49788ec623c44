// Random mark rules for the generated labs (generatedLabs.ts): a packet mark or
// connection mark set at one hook and matched at a later one, with a verdict
// that differs from what the lab's other rules would give. Drawn from their own
// random stream (seeded from the lab's seed), so the labs' other choices stay
// what they were for every seed.

import { mulberry32 } from './generatedLabs.ts';

export interface MarkExtras {
  /** Rules of the mangle table (`-A CHAIN …`). */
  mangle: string[];
  /** Rules put on top of filter's built-in chains. */
  filterTop: Record<'INPUT' | 'FORWARD' | 'OUTPUT', string[]>;
  description: string;
}

export function markExtras(seed: number, bridges: string[]): MarkExtras | null {
  const rnd = mulberry32((seed ^ 0x6d61726b) >>> 0);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  if (rnd() >= 0.35) return null;
  const br = pick(bridges);
  const value = `0x${1 + Math.floor(rnd() * 3)}`;
  const what = pick(['-p tcp -m tcp --dport 443', '-p tcp -m tcp --dport 22', '-p udp -m udp --dport 53', '-p icmp', '']);
  const verdict = pick(['-j ACCEPT', '-j DROP', '-j REJECT --reject-with icmp-admin-prohibited']);
  const set = `-j MARK --set-xmark ${value}/0xffffffff`;
  const top: MarkExtras['filterTop'] = { INPUT: [], FORWARD: [], OUTPUT: [] };
  const kind = pick(['forward', 'input', 'connmark-reply', 'save-restore', 'output-postrouting', 'too-late'] as const);
  let mangle: string[] = [];
  switch (kind) {
    case 'forward':
      mangle = [`-A PREROUTING -i ${br} ${what} ${set}`];
      top.FORWARD.push(`-m mark --mark ${value} ${verdict}`);
      break;
    case 'input':
      mangle = [`-A PREROUTING -i ${br} ${what} ${set}`];
      top.INPUT.push(`-m mark --mark ${value} ${verdict}`);
      break;
    case 'connmark-reply':
      // The request sets the connection mark; only the reply (coming in from the uplink) is judged by it.
      mangle = [`-A PREROUTING -i ${br} ${what} -j CONNMARK --set-xmark ${value}/0xffffffff`];
      top.FORWARD.push(`-i eth1 -m connmark --mark ${value} ${verdict}`);
      break;
    case 'save-restore':
      mangle = ['-A PREROUTING -j CONNMARK --restore-mark --nfmask 0xffffffff --ctmask 0xffffffff', `-A PREROUTING -i ${br} ${what} ${set}`, `-A PREROUTING -m mark --mark ${value} -j CONNMARK --save-mark --nfmask 0xffffffff --ctmask 0xffffffff`];
      top.FORWARD.push(`-i eth1 -m mark --mark ${value} ${verdict}`);
      break;
    case 'output-postrouting':
      mangle = [`-A OUTPUT ${pick(['-p tcp -m tcp --sport 22', '-p tcp -m tcp --sport 443', '-p icmp'])} ${set}`, `-A POSTROUTING -m mark --mark ${value} -j DROP`];
      break;
    case 'too-late':
      mangle = [`-A POSTROUTING ${what} ${set}`];
      top.FORWARD.push(`-m mark --mark ${value} ${verdict}`);
      break;
  }
  mangle = mangle.map((r) => r.replace(/\s+/g, ' '));
  const filterText = Object.entries(top).flatMap(([c, rs]) => rs.map((r) => `-A ${c} ${r}`));
  return { mangle, filterTop: top, description: `marks (${kind}): ${[...mangle, ...filterText].join('; ')}` };
}
