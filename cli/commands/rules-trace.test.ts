import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { runCli } from '../main.ts';
import { FIREWALLD_2_FIXTURES, LIBVIRT_FIXTURES } from '../../test/fixtures/fixturePaths.ts';

function io(cwd: string) {
  const out = { stdout: '', stderr: '' };
  return { out, io: { stdout: (t: string) => void (out.stdout += t), stderr: (t: string) => void (out.stderr += t), cwd } };
}

const FIX = LIBVIRT_FIXTURES;
const GUEST_TO_GW = ['--in', 'virbr3', '--out', 'eth1', '--src', '192.168.10.50', '--dst', '192.168.90.1'];

describe('virtwall rules trace', () => {
  test("isolated network (libvirt 9): the trace names every rule and why it failed; libvirt's REJECT decides", async () => {
    const { out, io: cli } = io(FIX);
    const code = await runCli(['rules', 'trace', 'v9-iptables/isolated-single/ruleset.txt', ...GUEST_TO_GW, '--proto', 'icmp'], cli);
    expect(code).toBe(0);
    expect(out.stdout).toContain('forward ipv4 icmp 192.168.10.50 -> 192.168.90.1 in virbr3 out eth1 state NEW\n');
    expect(out.stdout).toContain('  -A LIBVIRT_FWX -i virbr3 -o virbr3 -j ACCEPT\n           no: -o virbr3: packet goes out on eth1\n');
    expect(out.stdout).toContain('sender sees: ICMP type 3 code 3 (Destination Port Unreachable) from (address of virbr3); ping prints "From (address of virbr3) icmp_seq=1 Destination Port Unreachable"\n');
    expect(out.stdout).toMatch(/verdict: rejected \(icmp-port-unreachable\) by filter LIBVIRT_FWO rule 1: -A LIBVIRT_FWO -i virbr3 -j REJECT --reject-with icmp-port-unreachable\n$/);
  });

  test('nft backend (libvirt 11), NAT network: guest → gateway passes; an unsolicited packet back is rejected', async () => {
    const { out, io: cli } = io(FIX);
    expect(await runCli(['rules', 'trace', 'v11-nftables/nat-single/ruleset.txt', ...GUEST_TO_GW, '--proto', 'tcp', '--dport', '443', '--sport', '40000'], cli)).toBe(0);
    expect(out.stdout).toMatch(/verdict: accepted/);
    const back = io(FIX);
    const args = ['--in', 'eth1', '--out', 'virbr3', '--src', '192.168.90.1', '--dst', '192.168.10.50', '--proto', 'tcp', '--dport', '22'];
    expect(await runCli(['rules', 'trace', 'v11-nftables/nat-single/ruleset.txt', ...args, '--json'], back.io)).toBe(0);
    const r = JSON.parse(back.out.stdout);
    expect(r.summary).toBe('rejected (port-unreachable) by ip libvirt_network guest_input rule 2: oif "virbr3" counter reject');
    expect(r.senderSees[0].sees).toContain('connect() fails: "Connection refused"');
    expect(r.notes).toContain('source port 40000 assumed (give --sport to change it)');
  });

  test('an undecidable match gives both outcomes, each with what the sender sees', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vw-trace-'));
    writeFileSync(join(dir, 'limit.rules'), '*filter\n:INPUT DROP [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -p tcp -m tcp --dport 22 -m limit --limit 3/min -j ACCEPT\n-A INPUT -j REJECT --reject-with icmp-host-prohibited\nCOMMIT\n');
    const { out, io: cli } = io(dir);
    expect(await runCli(['rules', 'trace', 'limit.rules', '--hook', 'input', '--in', 'eth0', '--src', '10.0.0.5', '--dst', '10.0.0.1', '--proto', 'tcp', '--dport', '22'], cli)).toBe(0);
    expect(out.stdout).toContain('sender sees (if filter INPUT rule 1 does not match): ICMP type 3 code 10 (Destination Host Prohibited) from 10.0.0.1; connect() fails: "No route to host"\n');
    expect(out.stdout).toMatch(/verdict: accepted if filter INPUT rule 1 \(-m limit --limit 3\/min\) matches, rejected \(icmp-host-prohibited\) otherwise\n$/);
  });

  test('firewalld StrictForwardPorts (real 2.3.1 dump): --orig-dst/--orig-dport give the connection\'s original tuple; without them it is conditional', async () => {
    const strict = 'dumps/forward-ports-strict.nftables.0-start.nft.txt';
    const args = ['--in', 'eth1', '--out', 'virbr3', '--src', '203.0.113.9', '--dst', '192.168.10.50', '--proto', 'tcp', '--dport', '22', '--sport', '40000'];
    const trace = async (extra: string[]) => {
      const { out, io: cli } = io(FIREWALLD_2_FIXTURES);
      expect(await runCli(['rules', 'trace', strict, ...args, ...extra, '--json'], cli)).toBe(0);
      return JSON.parse(out.stdout) as { summary: string; packet: { ctOriginal?: unknown; ctStatus?: string[] } };
    };
    const forwarded = await trace(['--orig-dst', '192.168.90.10', '--orig-dport', '2222']);
    expect(forwarded.packet).toMatchObject({ ctOriginal: { src: '203.0.113.9', dst: '192.168.90.10', sport: 40000, dport: 2222 }, ctStatus: ['DNAT'] });
    expect(forwarded.summary).toMatch(/^accepted by inet firewalld filter_FORWARD_dnat rule \d+: ct original proto-dst 2222 accept/);
    expect((await trace(['--orig-dst', '192.168.90.10', '--orig-dport', '2299'])).summary).toMatch(/^rejected \(icmpx admin-prohibited\) by inet firewalld filter_FORWARD_dnat/);
    const bad = io(FIREWALLD_2_FIXTURES);
    expect(await runCli(['rules', 'trace', strict, ...args, '--orig-dst', 'fd00::1'], bad.io)).toBe(2);
    expect(bad.out.stderr).toContain('--orig-dst must be of the packet\'s family');
  });

  test('a new connection at prerouting is its own original tuple', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vw-trace-'));
    writeFileSync(join(dir, 'pre.nft'), 'table ip t {\n\tchain pre {\n\t\ttype filter hook prerouting priority mangle; policy accept;\n\t\tmeta l4proto tcp ct original proto-dst 22 ct reply ip saddr 10.0.0.1 drop\n\t}\n}\n');
    const { out, io: cli } = io(dir);
    expect(await runCli(['rules', 'trace', 'pre.nft', '--hook', 'prerouting', '--in', 'eth0', '--src', '10.0.0.5', '--dst', '10.0.0.1', '--proto', 'tcp', '--dport', '22'], cli)).toBe(0);
    expect(out.stdout).toMatch(/verdict: dropped by ip t pre rule 1/);
  });

  test('bad input: usage errors exit 2, unreadable rules exit 1 with FILE:line:col', async () => {
    const noPort = io(FIX);
    expect(await runCli(['rules', 'trace', 'v9-iptables/nat-single/ruleset.txt', ...GUEST_TO_GW, '--proto', 'tcp'], noPort.io)).toBe(2);
    expect(noPort.out.stderr).toContain('--dport N is required for tcp');
    const badIp = io(FIX);
    expect(await runCli(['rules', 'trace', 'v9-iptables/nat-single/ruleset.txt', '--in', 'a', '--out', 'b', '--src', '300.1.1.1', '--dst', '10.0.0.1', '--proto', 'icmp'], badIp.io)).toBe(2);
    expect(badIp.out.stderr).toContain('--src: "300.1.1.1"');
    const dir = mkdtempSync(join(tmpdir(), 'vw-trace-'));
    writeFileSync(join(dir, 'bad.rules'), '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp --dport 99999 -j ACCEPT\nCOMMIT\n');
    const bad = io(dir);
    expect(await runCli(['rules', 'trace', 'bad.rules', ...GUEST_TO_GW, '--proto', 'icmp'], bad.io)).toBe(1);
    expect(bad.out.stderr).toMatch(/^bad\.rules:3:\d+: /);
  });
});
