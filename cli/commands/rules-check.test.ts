import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { runCli } from '../main.ts';
import { LIBVIRT_FIXTURES } from '../../test/fixtures/fixturePaths.ts';

function io(cwd: string) {
  const out = { stdout: '', stderr: '' };
  return { out, io: { stdout: (t: string) => void (out.stdout += t), stderr: (t: string) => void (out.stderr += t), cwd } };
}

const FIX = LIBVIRT_FIXTURES;

describe('virtwall rules check', () => {
  test('an iptables-save dump: format detected, tables, chains and the total rule count; exit 0', async () => {
    const { out, io: cli } = io(FIX);
    const code = await runCli(['rules', 'check', 'v9-iptables/nat-single/ruleset.txt'], cli);
    expect(code).toBe(0);
    expect(out.stdout).toContain('v9-iptables/nat-single/ruleset.txt: iptables-save (detected)\n');
    expect(out.stdout).toContain('iptables ipv4 (nf_tables): 3 tables, 19 chains, 26 rules\n');
    expect(out.stdout).toContain('  filter: 18 rules\n    INPUT: 1\n');
    expect(out.stdout).toMatch(/total: 26 rules\n$/);
  });

  test('--json gives the same as an object', async () => {
    const { out, io: cli } = io(FIX);
    expect(await runCli(['rules', 'check', 'v11-nftables/nat-single/ruleset.txt', '--json'], cli)).toBe(0);
    const result = JSON.parse(out.stdout);
    expect(result).toMatchObject({ ok: true, format: 'nft', detected: true, totalRules: 16 });
    expect(result.rulesets[0].tables.map((t: { name: string }) => t.name)).toEqual(['ip libvirt_network', 'ip6 libvirt_network']);
  });

  test('errors as FILE:line:col: message, every bad line, exit 1; --lenient reads an excerpt and lists the skipped lines', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vw-rules-'));
    writeFileSync(join(dir, 'x.rules'), '-P INPUT ACCEPT\n-A INPUT -p tcp --dport 99999 -j ACCEPT\n...\n-A INPUT -j LOG --log-levl 4\n');
    const bad = io(dir);
    expect(await runCli(['rules', 'check', 'x.rules'], bad.io)).toBe(1);
    expect(bad.out.stdout).toBe(
      [
        'x.rules:2:25: --dport: "99999" is not a port number (0-65535) or a known service name',
        'x.rules:3:1: "..." marks left-out lines: this is an excerpt, not a complete dump (paste the full output, or read it leniently to skip such lines)',
        'x.rules:4:17: unknown option "--log-levl" (not an option of -j LOG; options like --dport need -p tcp/udp first)',
        '',
      ].join('\n'),
    );
    expect(bad.out.stderr).toBe('x.rules: 3 problems\n');

    writeFileSync(join(dir, 'y.rules'), '-P INPUT ACCEPT\n-A INPUT -i lo -j ACCEPT\n.....\n-A INPUT -j DROP\n');
    const lenient = io(dir);
    expect(await runCli(['rules', 'check', 'y.rules', '--lenient', '--format', 'iptables-S'], lenient.io)).toBe(0);
    expect(lenient.out.stdout).toContain('y.rules:3: skipped: excerpt marker');
    expect(lenient.out.stdout).toContain('total: 2 rules');
  });

  test('bad usage exits 2; an unreadable file exits 1', async () => {
    const a = io(FIX);
    expect(await runCli(['rules', 'check', 'x', '--format', 'pf'], a.io)).toBe(2);
    const b = io(FIX);
    expect(await runCli(['rules', 'check', 'no/such/file'], b.io)).toBe(1);
    expect(b.out.stdout).toContain('no/such/file: cannot read: no such file');
  });
});
