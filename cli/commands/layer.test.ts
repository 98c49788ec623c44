import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../main.ts';

function io(dir: string) {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t), cwd: dir }, out, err };
}

describe('virtwall layer', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vw-layer-'));
  writeFileSync(join(dir, 'SuSEfirewall2'), 'FW_DEV_EXT="eth1"\nFW_ROUTE="yes"\nFW_FORWARD="192.168.10.0/24,192.168.90.0/24"\n');
  writeFileSync(join(dir, 'bad'), 'FW_FORWARD="192.168.10.0/33,0/0"\n');

  it('actions: prints the commands SuSEfirewall2 runs, each with its reason', async () => {
    const c = io(dir);
    expect(await runCli(['layer', 'actions', 'susefirewall2', 'SuSEfirewall2', '--version', '3.6.378', '--interface', 'eth1', '--interface', 'virbr3'], c.io)).toBe(0);
    const text = c.out.join('');
    expect(text).toContain('iptables -t filter -F    # set_basic_rules: flush every rule of table filter');
    expect(text).toContain('iptables -A forward_ext -s 192.168.10.0/24 -d 192.168.90.0/24 -m conntrack --ctstate NEW,RELATED,ESTABLISHED -j ACCEPT    # FW_FORWARD entry 1: 192.168.10.0/24,192.168.90.0/24');
    expect(text).toContain('iptables -A FORWARD -i virbr3 -j forward_ext');
    expect(text).toContain('killall -HUP libvirtd');
  });

  it('check: FILE:line:col errors and exit 1', async () => {
    const c = io(dir);
    expect(await runCli(['layer', 'check', 'susefirewall2', 'bad'], c.io)).toBe(1);
    expect(c.out.join('')).toBe("/etc/sysconfig/SuSEfirewall2:1:13: error: FW_FORWARD entry 1 (192.168.10.0/33,0/0): '192.168.10.0/33' is not a network address\n");
    const ok = io(dir);
    expect(await runCli(['layer', 'check', 'susefirewall2', 'SuSEfirewall2'], ok.io)).toBe(0);
  });

  it('refuses an unknown kind with a usage error', async () => {
    const c = io(dir);
    expect(await runCli(['layer', 'actions', 'iptables', 'x'], c.io)).toBe(2);
  });
});
