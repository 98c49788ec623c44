import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../main.ts';
import type { CliIo } from '../io.ts';

const dir = mkdtempSync(join(tmpdir(), 'vw-cli-project-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd: dir };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

describe('virtwall sample', () => {
  it('writes the sample project; `project variants --json` prints exactly {"variants":[{"name","id"}]}', async () => {
    expect((await cli('sample', 'lab.virtwall')).code).toBe(0);
    const listed = await cli('project', 'variants', 'lab.virtwall', '--json');
    expect(listed.code).toBe(0);
    const parsed = JSON.parse(listed.stdout) as { variants: { name: string; id: string }[] };
    expect(Object.keys(parsed)).toEqual(['variants']);
    expect(parsed.variants.map((v) => v.name)).toEqual(['isolated + SuSEfirewall2', 'routed + SuSEfirewall2', 'isolated + own iptables script', 'NAT']);
    for (const v of parsed.variants) {
      expect(Object.keys(v)).toEqual(['name', 'id']);
      expect(v.id).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect(listed.stdout).toBe(JSON.stringify(parsed) + '\n');
  });

  it('refuses to overwrite an existing file unless --force, which replaces it', async () => {
    const path = join(dir, 'twice.virtwall');
    writeFileSync(path, 'precious');
    const refused = await cli('sample', 'twice.virtwall');
    expect(refused).toMatchObject({ code: 1, stderr: `virtwall sample: ${path} already exists (use --force to replace it)\n` });
    expect(readFileSync(path, 'utf8')).toBe('precious');
    expect((await cli('sample', 'twice.virtwall', '--force')).code).toBe(0);
    expect(JSON.parse((await cli('project', 'info', 'twice.virtwall', '--json')).stdout).name).toBe('KVM lab — openSUSE with SuSEfirewall2');
  });
});

describe('virtwall project new / info / variants', () => {
  it('creates a project named after the file (or --name) with one variant', async () => {
    const created = await cli('project', 'new', 'office.virtwall');
    expect(created).toMatchObject({ code: 0, stdout: `created ${join(dir, 'office.virtwall')}: project "office" with variant "Variant 1"\n` });
    expect((await cli('project', 'new', 'named.virtwall', '--name', 'Lab at home')).code).toBe(0);
    const info = JSON.parse((await cli('project', 'info', 'named.virtwall', '--json')).stdout);
    expect(info).toMatchObject({ path: join(dir, 'named.virtwall'), name: 'Lab at home', schemaVersion: 1, appVersion: '0.1.0' });
    expect(info.variants).toHaveLength(1);
    expect(Object.keys(info.variants[0]).sort()).toEqual(['id', 'name', 'position', 'updatedAt']);
  });

  it('refuses to create over an existing file', async () => {
    await cli('project', 'new', 'exists.virtwall');
    const again = await cli('project', 'new', 'exists.virtwall');
    expect(again).toMatchObject({ code: 1, stderr: `virtwall project new: ${join(dir, 'exists.virtwall')} already exists\n` });
  });

  it('info prints a readable summary and does not touch the file', async () => {
    await cli('sample', 'readable.virtwall');
    const path = join(dir, 'readable.virtwall');
    const before = readFileSync(path);
    const out = await cli('project', 'info', 'readable.virtwall');
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('project:  KVM lab — openSUSE with SuSEfirewall2\n');
    expect(out.stdout).toContain('variants: 4\n');
    expect(out.stdout).toMatch(/ {2}4\. NAT {2}\(id [0-9a-f-]{36}, changed /);
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(existsSync(path + '-wal') || existsSync(path + '-shm')).toBe(false);
    const plain = await cli('project', 'variants', 'readable.virtwall');
    expect(plain.stdout.split('\n').filter(Boolean).map((l) => l.split('\t')[1])).toEqual(['isolated + SuSEfirewall2', 'routed + SuSEfirewall2', 'isolated + own iptables script', 'NAT']);
  });

  it('names the file and the problem for something that is not a project (exit 1), and usage errors exit 2', async () => {
    writeFileSync(join(dir, 'notes.virtwall'), 'just notes\n');
    const text = await cli('project', 'info', 'notes.virtwall');
    expect(text).toMatchObject({ code: 1, stderr: `virtwall project info: ${join(dir, 'notes.virtwall')}: is not a virtwall project: it is not an SQLite database (it looks like a text file starting with "just notes")\n` });
    const missing = await cli('project', 'variants', 'nope.virtwall');
    expect(missing).toMatchObject({ code: 1, stderr: `virtwall project variants: ${join(dir, 'nope.virtwall')}: does not exist\n` });
    expect(existsSync(join(dir, 'nope.virtwall'))).toBe(false);
    expect((await cli('project', 'info')).code).toBe(2);
    expect((await cli('project', 'info', 'a', 'b')).code).toBe(2);
    expect((await cli('project', 'new', 'x.virtwall', '--colour', 'red')).stderr).toContain('unknown option --colour');
  });
});
