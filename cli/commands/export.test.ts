import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../io.ts';
import { runCli } from '../main.ts';

const dir = mkdtempSync(join(tmpdir(), 'vw-cli-export-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd: dir };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

beforeAll(async () => {
  expect((await cli('sample', 'lab.virtwall')).code).toBe(0);
});

describe('virtwall export', () => {
  it.each(['isolated + SuSEfirewall2', 'routed + SuSEfirewall2', 'isolated + own iptables script', 'NAT'])('writes a complete, checksummed bundle of "%s" with a --json report', async (variant) => {
    const to = `out-${variant.replace(/\W+/g, '-')}`;
    const r = await cli('export', 'lab.virtwall', '--variant', variant, '--to', to, '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { target: string; dryRun: boolean; files: { path: string; bytes: number; sha256: string }[]; warnings: string[] };
    expect(report.target).toBe(join(dir, to));
    expect(report.dryRun).toBe(false);
    const rel = report.files.map((f) => f.path.slice(report.target.length + 1));
    expect(rel).toEqual(expect.arrayContaining(['README.txt', 'apply.sh', 'networks/deb.xml', 'firewall/iptables-legacy.rules', 'sysctl.d/90-virtwall.conf', 'routes/GATEWAY.txt', 'MANIFEST', 'SHA256SUMS']));
    for (const f of report.files) expect(readFileSync(f.path).length).toBe(f.bytes);
    const sums = spawnSync('sha256sum', ['-c', '--quiet', 'SHA256SUMS'], { cwd: report.target, encoding: 'utf8' });
    expect(sums.status, sums.stdout + sums.stderr).toBe(0);
  });

  it('the own-script variant exports the script and the rules the simulation ended with', async () => {
    await cli('export', 'lab.virtwall', '--variant', 'isolated + own iptables script', '--to', 'own');
    expect(existsSync(join(dir, 'own/layers/own-script/usr/local/sbin/fw.sh'))).toBe(true);
    // After the later libvirtd SIGHUP libvirt's REJECTs are back on top: the exported rules say so.
    const rules = readFileSync(join(dir, 'own/firewall/iptables-legacy.rules'), 'utf8');
    expect(rules).toMatch(/-A FORWARD -o virbr3 -j REJECT --reject-with icmp-port-unreachable/);
  });

  it('a dry run writes nothing; an SSH dry run lists the steps on the host', async () => {
    const dry = await cli('export', 'lab.virtwall', '--variant', 'NAT', '--to', 'dry', '--dry-run');
    expect(dry.stdout).toMatch(/^would write \d+ files to /);
    expect(existsSync(join(dir, 'dry'))).toBe(false);
    const ssh = await cli('export', 'lab.virtwall', '--variant', 'NAT', '--to', 'ssh://root@kvm-host:2222/root/lab', '--dry-run', '--check');
    expect(ssh.code).toBe(0);
    expect(ssh.stdout).toContain('step: upload');
    expect(ssh.stdout).toContain('sh apply.sh --check-only');
  });

  it('names what is wrong: missing flags, unknown variant, existing folder, bad ssh target', async () => {
    expect((await cli('export', 'lab.virtwall', '--to', 'x')).stderr).toContain('--variant NAME is missing');
    const unknown = await cli('export', 'lab.virtwall', '--variant', 'nope', '--to', 'x');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("no variant 'nope'");
    await cli('export', 'lab.virtwall', '--variant', 'NAT', '--to', 'twice');
    const again = await cli('export', 'lab.virtwall', '--variant', 'NAT', '--to', 'twice');
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already exists; choose another folder or allow replacing it');
    expect((await cli('export', 'lab.virtwall', '--variant', 'NAT', '--to', 'twice', '--overwrite')).code).toBe(0);
    const bad = await cli('export', 'lab.virtwall', '--variant', 'NAT', '--to', 'ssh://-oProxyCommand=x/tmp');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('is not a host name or address');
  });
});
