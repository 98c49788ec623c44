import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readFixture } from '../../test/testkit/libvirtFixtures.ts';
import { SEED_XML } from '../../shared/libvirt/seedNetwork.testkit.ts';
import type { CliIo } from '../io.ts';
import { runCli } from '../main.ts';

const dir = mkdtempSync(join(tmpdir(), 'vw-cli-validate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function put(name: string, text: string): string {
  writeFileSync(join(dir, name), text);
  return name;
}

async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd: dir };
  return { code: await runCli(argv, io), stdout, stderr };
}

describe('virtwall validate', () => {
  it('rejects the seed XML for its DHCP range: file:line:col: error: message, exit 1', async () => {
    const r = await cli('validate', put('deb.xml', SEED_XML));
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('deb.xml:9:36: error: range 192.168.10.10 - 192.168.50.254 is not entirely within network 192.168.10.1/24\n');
    expect(r.stderr).toBe('1 file: 1 error, 0 warnings\n');
  });

  it('exits 0 for a valid file, printing warnings', async () => {
    const ok = await cli('validate', put('ok.xml', readFixture('validation', 'valid-baseline', 'network.xml')));
    expect(ok).toMatchObject({ code: 0, stdout: '' });
    const warned = await cli('validate', put('unknown.xml', readFixture('validation', 'unknown-element', 'network.xml')));
    expect(warned.code).toBe(0);
    expect(warned.stdout).toBe("unknown.xml:5:3: warning: unknown element <frobnicate> is ignored by libvirt (virt-xml-validate rejects it)\n");
  });

  it('--json prints exactly {"files":[{"file","problems":[{severity,message,line,column,path}]}]}', async () => {
    const r = await cli('validate', 'deb.xml', 'ok.xml', '--json');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(
      JSON.stringify({
        files: [
          { file: 'deb.xml', problems: [{ severity: 'error', message: 'range 192.168.10.10 - 192.168.50.254 is not entirely within network 192.168.10.1/24', line: 9, column: 36, path: 'ip/dhcp/range' }] },
          { file: 'ok.xml', problems: [] },
        ],
      }) + '\n',
    );
  });

  it('validates files given together as one project (a pair case: the second start fails)', async () => {
    const a = put('a.xml', readFixture('validation', 'overlapping-subnets-identical', 'network.xml'));
    const b = put('b.xml', readFixture('validation', 'overlapping-subnets-identical', 'network-2.xml'));
    const r = await cli('validate', a, b);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^b\.xml:5:7: error: would fail at net-start: Network is already in use by interface virbr3/);
    expect((await cli('validate', a)).code).toBe(0);
  });

  it('checks against host interfaces given with --host-interface', async () => {
    const r = await cli('validate', 'ok.xml', '--host-interface', 'eth0=192.168.10.7/24', '--json');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).files[0].problems[0].message).toBe("would fail at net-start: Network is already in use by interface eth0 (the host's eth0 is on 192.168.10.0/24)");
  });

  it('reports a missing file and a non-XML file as errors of those files, not a crash', async () => {
    const r = await cli('validate', 'nope.xml', put('junk.xml', 'this is not xml'), 'ok.xml', '--json');
    expect(r.code).toBe(1);
    const files = JSON.parse(r.stdout).files as { file: string; problems: { severity: string; message: string; line?: number }[] }[];
    expect(files.map((f) => f.file)).toEqual(['nope.xml', 'junk.xml', 'ok.xml']);
    expect(files[0].problems).toEqual([{ severity: 'error', message: 'cannot read nope.xml: no such file' }]);
    expect(files[1].problems[0]).toMatchObject({ severity: 'error', line: 1 });
    expect(files[1].problems[0].message).toMatch(/^XML is not well-formed/);
    expect(files[2].problems).toEqual([]);
    const human = await cli('validate', 'nope.xml');
    expect(human.stdout).toBe('nope.xml: error: cannot read nope.xml: no such file\n');
  });

  it('is a usage error without files', async () => {
    expect((await cli('validate')).code).toBe(2);
  });
});

describe('virtwall xml canonical', () => {
  it('prints the canonical form (debian-default equals v9-inactive.xml given its uuid and mac)', async () => {
    const expected = readFixture('dumpxml', 'debian-default', 'v9-inactive.xml');
    const uuid = /<uuid>([^<]+)</.exec(expected)![1];
    const mac = /<mac address='([^']+)'/.exec(expected)![1];
    const r = await cli('xml', 'canonical', put('default.xml', readFixture('dumpxml', 'debian-default', 'network.xml')), '--uuid', uuid, '--mac', mac);
    expect(r).toEqual({ code: 0, stdout: expected, stderr: '' });
  });

  it('generates a random v4 uuid and a 52:54:00 mac, and takes the first bridge name not in use', async () => {
    const r = await cli('xml', 'canonical', put('min.xml', '<network><name>min</name></network>'), '--used-bridge', 'virbr0');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^<network>\n  <name>min<\/name>\n  <uuid>[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}<\/uuid>\n  <bridge name='virbr1' stp='on' delay='0'\/>\n  <mac address='52:54:00(:[0-9a-f]{2}){3}'\/>\n<\/network>\n$/);
  });

  it('prints FILE:line:col: message and exits 1 when libvirt would refuse the file', async () => {
    const r = await cli('xml', 'canonical', 'deb.xml');
    expect(r).toEqual({ code: 1, stdout: '', stderr: 'deb.xml:9:36: range 192.168.10.10 - 192.168.50.254 is not entirely within network 192.168.10.1/24\n' });
    const bad = await cli('xml', 'canonical', put('bad.xml', readFixture('validation', 'not-well-formed', 'network.xml')));
    expect(bad).toEqual({ code: 1, stdout: '', stderr: 'bad.xml:4:1: XML is not well-formed: Opening and ending tag mismatch: bridge line 3 and network\n' });
    expect((await cli('xml', 'canonical', 'missing.xml')).stderr).toBe('missing.xml: cannot read missing.xml: no such file\n');
  });
});
