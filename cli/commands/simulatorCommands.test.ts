import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../main.ts';
import type { CliIo } from '../io.ts';

const dir = mkdtempSync(join(tmpdir(), 'vw-cli-sim-'));
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
  cpSync(join(import.meta.dirname, '../../shared/snapshot/testdata/isolated-netns'), join(dir, 'snap'), { recursive: true });
});

describe('virtwall simulate / matrix / compare on the sample project', () => {
  it('simulate --json: the story\'s failure with the deciding rule; exit 1', async () => {
    const r = await cli('simulate', 'lab.virtwall', '--variant', 'isolated + SuSEfirewall2', '--from', '192.168.10.20', '--to', '192.168.90.1', '--service', 'icmp', '--json');
    expect(r.code).toBe(1);
    const v = JSON.parse(r.stdout) as { guestSees: string; cause: string; decidedBy: { layer: string; rule: string }; path: unknown[]; assumptions: string[] };
    expect(v.guestSees).toBe('error:Destination Port Unreachable from 192.168.10.1');
    expect(v.decidedBy).toMatchObject({ layer: 'libvirt', rule: '-A FORWARD -i virbr3 -j REJECT --reject-with icmp-port-unreachable' });
    expect(v.path.length).toBeGreaterThan(5);
  });

  it('simulate: a working flow exits 0 and prints the headline first', async () => {
    const r = await cli('simulate', 'lab.virtwall', '--variant', 'NAT', '--from', '192.168.10.20', '--to', '203.0.113.10', '--service', 'tcp/443');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/^192\.168\.10\.20 → 203\.0\.113\.10, TCP 443: connected — accepted by/);
  });

  it('bad input: unknown variant, unknown service, missing flags are usage errors (exit 2)', async () => {
    expect(await cli('simulate', 'lab.virtwall', '--variant', 'nope', '--from', '192.168.10.20', '--to', '192.168.90.1', '--service', 'icmp')).toMatchObject({ code: 2 });
    const svc = await cli('simulate', 'lab.virtwall', '--variant', 'NAT', '--from', '192.168.10.20', '--to', '192.168.90.1', '--service', 'sctp/1');
    expect(svc.code).toBe(2);
    expect(svc.stderr).toContain('service "sctp/1": expected icmp, tcp/PORT or udp/PORT');
    expect((await cli('matrix', 'lab.virtwall')).code).toBe(2);
  });

  it('matrix --json has every cell; compare lists the forward mode and only differing cells', async () => {
    const m = JSON.parse((await cli('matrix', 'lab.virtwall', '--variant', 'NAT', '--json')).stdout) as { cells: { guestSees: string }[] };
    expect(m.cells).toHaveLength(16);
    const c = JSON.parse((await cli('compare', 'lab.virtwall', 'isolated + SuSEfirewall2', 'routed + SuSEfirewall2', '--json')).stdout) as { xml: { field: string }[]; matrix: unknown[] };
    expect(c.xml.map((x) => x.field)).toEqual(['forward.mode']);
    expect(c.matrix.length).toBeGreaterThan(0);
  });
});

describe('virtwall collect / check', () => {
  it('collect prints the script', async () => {
    const r = await cli('collect');
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('#!/bin/sh\n')).toBe(true);
  });

  it('check --json prints at least guestSees, cause, decidedBy, path, assumptions', async () => {
    const r = await cli('check', 'snap', '--from', '192.168.10.20', '--to', '192.168.90.1', '--service', 'tcp/443', '--json');
    expect(r.code).toBe(1);
    const v = JSON.parse(r.stdout) as Record<string, unknown>;
    for (const k of ['guestSees', 'cause', 'decidedBy', 'path', 'assumptions']) expect(v).toHaveProperty(k);
    expect(v.guestSees).toBe('error:Connection refused (Destination Port Unreachable from 192.168.10.1)');
  });

  it('check on a folder that is not a snapshot says so', async () => {
    const r = await cli('check', '.', '--from', '192.168.10.20', '--to', '192.168.90.1', '--service', 'icmp');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/not a snapshot folder/);
  });
});
