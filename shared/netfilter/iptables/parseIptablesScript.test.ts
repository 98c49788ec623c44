import { describe, expect, test } from 'vitest';
import { parseIptablesScript } from './parseIptablesScript.ts';
import { RulesetParseError } from '../parseError.ts';

const SCRIPT = `#!/bin/sh
# own firewall
IPT=/sbin/iptables
WAN=eth0
LAN="192.168.10.0/24"
sysctl -w net.ipv4.ip_forward=1
$IPT -F
$IPT -P FORWARD DROP
$IPT -A FORWARD -i $WAN -o virbr3 -d $LAN \\
     -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
iptables -C FORWARD -s "$LAN" -j ACCEPT 2>/dev/null || iptables -I FORWARD -s "$LAN" -j ACCEPT
ip6tables -A INPUT -p ipv6-icmp -j ACCEPT; echo done
if [ -x /usr/sbin/nft ]; then
  iptables-legacy -t nat -A POSTROUTING -s \${LAN} -o $WAN -j MASQUERADE
fi
cat <<EOF > /etc/motd
iptables -A this is not a command
EOF
`;

describe('parseIptablesScript', () => {
  const { commands, skipped } = parseIptablesScript(SCRIPT, { file: 'fw.sh' });

  test('finds every iptables/ip6tables command in order, with its line, variables resolved', () => {
    expect(commands.map((c) => [c.line, c.family, c.command.op])).toEqual([
      [7, 'ipv4', 'flush'],
      [8, 'ipv4', 'policy'],
      [9, 'ipv4', 'append'],
      [11, 'ipv4', 'check'],
      [11, 'ipv4', 'insert'],
      [12, 'ipv6', 'append'],
      [14, 'ipv4', 'append'],
    ]);
    expect(commands[2].command).toMatchObject({ chain: 'FORWARD', rule: { matches: [{ options: [{ name: 'destination', values: ['192.168.10.0/24'] }, { name: 'in-interface', values: ['eth0'] }, { name: 'out-interface', values: ['virbr3'] }] }, { module: 'conntrack' }] } });
    expect(commands[2].command.op === 'append' && commands[2].command.rule.provenance).toEqual({ file: 'fw.sh', line: 9 });
    expect(commands[6]).toMatchObject({ backend: 'legacy', command: { table: 'nat', chain: 'POSTROUTING' } });
    expect(commands[4].text).toBe('iptables -I FORWARD -s "$LAN" -j ACCEPT');
  });

  test('other lines are listed as skipped, not errors; here-document bodies are not read', () => {
    expect(skipped.map((s) => s.line)).toEqual([3, 4, 5, 6, 12, 13, 15, 16]);
    expect(skipped.find((s) => s.line === 6)?.reason).toContain('"sysctl"');
    expect(skipped.some((s) => s.text.includes('this is not a command'))).toBe(false);
  });

  test('a variable whose value cannot be known is a problem with its column (skipped when lenient)', () => {
    const text = 'for p in 22 80; do\n  iptables -A INPUT -p tcp --dport $p -j ACCEPT\ndone\nIF=$(ip route | head -1)\niptables -A INPUT -i $IF -j ACCEPT\n';
    try {
      parseIptablesScript(text);
      throw new Error('accepted');
    } catch (e) {
      expect((e as RulesetParseError).problems.map((p) => [p.line, p.column])).toEqual([[2, 36], [5, 22]]);
    }
    expect(parseIptablesScript(text, { lenient: true }).commands).toHaveLength(0);
  });

  test('bad iptables commands are problems, all of them', () => {
    try {
      parseIptablesScript('iptables -A INPUT -p tcp --dport 99999 -j ACCEPT\necho ok\niptables -Q\n');
      throw new Error('accepted');
    } catch (e) {
      expect((e as RulesetParseError).problems.map((p) => p.line)).toEqual([1, 3]);
    }
  });
});
