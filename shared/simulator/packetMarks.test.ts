// Marks in the flow engine: the packet mark set at one hook of a node is seen
// by its later hooks (and by no other node), the connection mark stays with the
// connection (reply too), and the path names the rule that set a mark.

import { describe, expect, it } from 'vitest';
import { parseRuleset } from '../netfilter/parseRuleset.ts';
import { buildLabWorld, guestNodeId } from './labWorld.ts';
import { simulateInWorld } from './simulateInWorld.ts';
import { runtimeFor, storyLab } from './simulatorTestkit.testkit.ts';
import type { FlowVerdict } from './flowTypes.ts';
import type { Lab } from '../lab/labModel.ts';

const FILTER = (policies: string, rules: string[]) => ['*filter', ...policies.split(' ').map((p, i) => `:${['INPUT', 'FORWARD', 'OUTPUT'][i]} ${p} [0:0]`), ...rules, 'COMMIT'];
const MANGLE = (rules: string[]) => ['*mangle', ':PREROUTING ACCEPT [0:0]', ':INPUT ACCEPT [0:0]', ':FORWARD ACCEPT [0:0]', ':OUTPUT ACCEPT [0:0]', ':POSTROUTING ACCEPT [0:0]', ...rules, 'COMMIT'];

/** The story's routed lab (guest kali 192.168.10.20 on virbr3, host eth1 192.168.90.10) with these host rules (iptables-save or nft text). */
function sim(rules: string, to: string, service: string, edit?: (l: Lab) => void): FlowVerdict {
  const lab = storyLab('route');
  lab.host.listens = ['tcp/22'];
  edit?.(lab);
  const runtime = runtimeFor(lab, null);
  runtime.netfilter = parseRuleset(rules).rulesets;
  return simulateInWorld(buildLabWorld(lab, runtime), guestNodeId('guest-kali'), { from: '192.168.10.20', to, service });
}

const marks = (v: FlowVerdict) => v.path.filter((s) => s.stage === 'mark').map((s) => `${s.direction} ${s.detail}`);

describe('packet mark (skb->mark) across the hooks of the host', () => {
  const markThenForward = [
    ...MANGLE(['-A PREROUTING -i virbr3 -p tcp -m tcp --dport 443 -j MARK --set-xmark 0x1/0xffffffff']),
    ...FILTER('ACCEPT DROP ACCEPT', ['-A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT', '-A FORWARD -m mark --mark 0x1 -j ACCEPT']),
  ].join('\n') + '\n';

  it('MARK in mangle PREROUTING opens filter FORWARD for the marked connection; the path says which rule set the mark', () => {
    const v = sim(markThenForward, '192.168.90.1', 'tcp/443');
    expect(v.guestSees).toBe('reply');
    expect(v.decidedBy?.rule).toBe('-A FORWARD -m mark --mark 0x1 -j ACCEPT');
    expect(marks(v)).toEqual(['request mark 0x1 set by mangle PREROUTING rule 1 (-A PREROUTING -i virbr3 -p tcp -m tcp --dport 443 -j MARK --set-xmark 0x1/0xffffffff; was 0x0)']);
    const at = v.path.findIndex((s) => s.stage === 'mark');
    expect(v.path[at].rule?.table).toBe('mangle');
    // The mark step follows the PREROUTING step and comes before FORWARD, where it mattered.
    expect(v.path[at - 1].stage).toBe('prerouting');
    expect(v.path.findIndex((s) => s.stage === 'forward')).toBeGreaterThan(at);
  });

  it('an unmarked connection (another port) meets the FORWARD policy', () => {
    const v = sim(markThenForward, '192.168.90.1', 'tcp/22');
    expect(v.cause).toBe('chain-policy');
    expect(marks(v)).toEqual([]);
  });

  it('a mark set only in POSTROUTING comes too late for FORWARD', () => {
    const rules = [...MANGLE(['-A POSTROUTING -p tcp -m tcp --dport 443 -j MARK --set-xmark 0x1/0xffffffff']), ...FILTER('ACCEPT DROP ACCEPT', ['-A FORWARD -m mark --mark 0x1 -j ACCEPT'])].join('\n') + '\n';
    expect(sim(rules, '192.168.90.1', 'tcp/443').cause).toBe('chain-policy');
  });

  it('PREROUTING mark reaches INPUT; the host\'s own answer starts unmarked (OUTPUT does not see it)', () => {
    const rules = [
      ...MANGLE(['-A PREROUTING -i virbr3 -p tcp -m tcp --dport 22 -j MARK --set-xmark 0x2/0xffffffff']),
      ...FILTER('DROP ACCEPT ACCEPT', ['-A INPUT -m mark --mark 0x2 -j ACCEPT', '-A OUTPUT -m mark --mark 0x2 -j DROP']),
    ].join('\n') + '\n';
    const v = sim(rules, '192.168.10.1', 'tcp/22');
    expect(v.guestSees).toBe('reply');
    expect(v.path.find((s) => s.stage === 'input')?.rule?.text).toBe('-A INPUT -m mark --mark 0x2 -j ACCEPT');
    expect(v.path.find((s) => s.stage === 'output')?.outcome).toBe('pass');
  });

  it('OUTPUT mark reaches POSTROUTING: the host\'s answer marked in OUTPUT is dropped in mangle POSTROUTING', () => {
    const rules = [...MANGLE(['-A OUTPUT -p tcp -m tcp --sport 22 -j MARK --set-xmark 0x9/0xffffffff', '-A POSTROUTING -m mark --mark 0x9 -j DROP'])].join('\n') + '\n';
    const v = sim(rules, '192.168.10.1', 'tcp/22');
    expect(v.guestSees).toBe('timeout');
    expect(v.hop).toEqual({ node: 'KVM host kvm-host', stage: 'POSTROUTING', direction: 'reply' });
    expect(marks(v)).toEqual(['reply mark 0x9 set by mangle OUTPUT rule 1 (-A OUTPUT -p tcp -m tcp --sport 22 -j MARK --set-xmark 0x9/0xffffffff; was 0x0)']);
  });

  it('the mark stays on the host: the gateway\'s `-m mark --mark 0x1 -j DROP` does not see it', () => {
    const v = sim(markThenForward, '192.168.90.1', 'tcp/443', (l) => {
      l.gateway.ruleset = '*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -m mark --mark 0x1 -j DROP\nCOMMIT\n';
    });
    expect(v.guestSees).toBe('reply');
  });
});

describe('connection mark (ct mark) kept with the connection', () => {
  // FORWARD has no ESTABLISHED rule: the reply passes only if it carries the mark restored from the connection.
  const connmark = (restore: boolean) =>
    [
      ...MANGLE([
        ...(restore ? ['-A PREROUTING -j CONNMARK --restore-mark --nfmask 0xffffffff --ctmask 0xffffffff'] : []),
        '-A PREROUTING -i virbr3 -p tcp -m tcp --dport 443 -j MARK --set-xmark 0x5/0xffffffff',
        '-A PREROUTING -m mark --mark 0x5 -j CONNMARK --save-mark --nfmask 0xffffffff --ctmask 0xffffffff',
      ]),
      ...FILTER('ACCEPT DROP ACCEPT', ['-A FORWARD -m mark --mark 0x5 -j ACCEPT']),
    ].join('\n') + '\n';

  it('CONNMARK --save-mark on the request, --restore-mark on the reply: the reply is accepted by the mark', () => {
    const v = sim(connmark(true), '192.168.90.1', 'tcp/443');
    expect(v.guestSees).toBe('reply');
    expect(marks(v)).toEqual([
      'request mark 0x5 set by mangle PREROUTING rule 2 (-A PREROUTING -i virbr3 -p tcp -m tcp --dport 443 -j MARK --set-xmark 0x5/0xffffffff; was 0x0)',
      'request connection mark 0x5 set by mangle PREROUTING rule 3 (-A PREROUTING -m mark --mark 0x5 -j CONNMARK --save-mark --nfmask 0xffffffff --ctmask 0xffffffff; was 0x0)',
      'reply mark 0x5 set by mangle PREROUTING rule 1 (-A PREROUTING -j CONNMARK --restore-mark --nfmask 0xffffffff --ctmask 0xffffffff; was 0x0)',
    ]);
  });

  it('without --restore-mark the reply is unmarked and meets the FORWARD policy', () => {
    const v = sim(connmark(false), '192.168.90.1', 'tcp/443');
    expect(v.guestSees).toBe('timeout');
    expect(v.cause).toBe('chain-policy');
    expect(v.hop?.direction).toBe('reply');
  });

  it('-m connmark matches the reply directly', () => {
    const rules = [
      ...MANGLE(['-A PREROUTING -i virbr3 -j CONNMARK --set-xmark 0x7/0xffffffff']),
      ...FILTER('ACCEPT DROP ACCEPT', ['-A FORWARD -i virbr3 -j ACCEPT', '-A FORWARD -i eth1 -m connmark --mark 0x7 -j ACCEPT']),
    ].join('\n') + '\n';
    expect(sim(rules, '192.168.90.1', 'icmp').guestSees).toBe('reply');
    expect(sim(rules.replace('--mark 0x7 -j ACCEPT', '--mark 0x8 -j ACCEPT'), '192.168.90.1', 'icmp').guestSees).toBe('timeout');
  });

  it('the REJECT\'s own ICMP error is RELATED to the connection and sees its ct mark in OUTPUT', () => {
    const rules = [
      ...MANGLE(['-A PREROUTING -i virbr3 -j CONNMARK --set-xmark 0x3/0xffffffff']),
      ...FILTER('ACCEPT ACCEPT ACCEPT', ['-A FORWARD -p tcp -j REJECT --reject-with icmp-host-prohibited', '-A OUTPUT -m connmark --mark 0x3 -j DROP']),
    ].join('\n') + '\n';
    const v = sim(rules, '192.168.90.1', 'tcp/443');
    expect(v.guestSees).toBe('timeout');
    expect(v.path.some((s) => s.stage === 'output' && s.outcome === 'drop' && s.detail.includes('-m connmark --mark 0x3'))).toBe(true);
  });
});

describe('nft: meta mark set, ct mark set, meta mark set ct mark', () => {
  const nft = (restore: boolean) => `table ip marks {
\tchain pre {
\t\ttype filter hook prerouting priority mangle; policy accept;
${restore ? '\t\tiifname "eth1" meta mark set ct mark\n' : ''}\t\tiifname "virbr3" tcp dport 443 meta mark set 0x3
\t\tmeta mark 0x3 ct mark set meta mark
\t}
\tchain forward {
\t\ttype filter hook forward priority filter; policy drop;
\t\tmeta mark 0x3 accept
\t}
}
`;

  it('the request marked in prerouting is accepted in forward, the reply by the mark restored from ct mark', () => {
    const v = sim(nft(true), '192.168.90.1', 'tcp/443');
    expect(v.guestSees).toBe('reply');
    expect(marks(v)).toEqual([
      'request mark 0x3 set by nft table ip marks chain pre rule 2 (iifname "virbr3" tcp dport 443 meta mark set 0x3; was 0x0)',
      'request connection mark 0x3 set by nft table ip marks chain pre rule 3 (meta mark 0x3 ct mark set meta mark; was 0x0)',
      'reply mark 0x3 set by nft table ip marks chain pre rule 1 (iifname "eth1" meta mark set ct mark; was 0x0)',
    ]);
  });

  it('without `meta mark set ct mark` the reply is dropped by the forward policy', () => {
    const v = sim(nft(false), '192.168.90.1', 'tcp/443');
    expect(v.guestSees).toBe('timeout');
    expect(v.hop?.direction).toBe('reply');
  });
});
