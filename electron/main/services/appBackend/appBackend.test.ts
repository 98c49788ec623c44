import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SAMPLE_PROJECT_NAME, SAMPLE_VARIANT_NAMES } from '../../../../shared/lab/sampleLab.ts';
import { dispatchApiCall } from './apiDispatch.ts';
import { SAMPLE_FILE_NAME } from './appBackend.ts';
import { testBackend } from './backend.testkit.ts';

const disposers: (() => void)[] = [];
afterEach(() => disposers.splice(0).forEach((d) => d()));
function setup(dir?: string) {
  const kit = testBackend(dir);
  disposers.push(kit.dispose);
  return kit;
}

describe('AppBackend: sessions and the sample lab', () => {
  it('first start: no project, firstStart true; the sample lab is written to the user data folder and opened', async () => {
    const { backend, userDataDir, sessions } = setup();
    expect(await backend.getSession()).toEqual({ project: null, recent: [], firstStart: true });
    const info = await backend.openSampleProject();
    expect(info.path).toBe(join(userDataDir, SAMPLE_FILE_NAME));
    expect(info.name).toBe(SAMPLE_PROJECT_NAME);
    expect(info.variants.map((v) => v.name)).toEqual(Object.values(SAMPLE_VARIANT_NAMES));
    const session = await backend.getSession();
    expect(session.project?.path).toBe(info.path);
    expect(session.recent).toEqual([info.path]);
    expect(sessions).toHaveLength(1);
  });

  it('a second start is not a first start, and the sample keeps the user’s edits', async () => {
    const first = testBackend();
    const sample = await first.backend.openSampleProject();
    const variant = await first.backend.getVariant(sample.variants[0].id);
    await first.backend.applyEdit(variant.id, variant.revision, { label: 'Rename host', patch: [{ op: 'replace', path: '/host/name', value: 'my-host' }] });
    first.backend.close();
    const second = setup(first.userDataDir);
    expect((await second.backend.getSession()).firstStart).toBe(false);
    const again = await second.backend.openSampleProject();
    const doc = await second.backend.getVariant(again.variants[0].id);
    expect(doc.lab.host.name).toBe('my-host');
    expect(doc.canUndo).toBe(true);
  });

  it('a damaged sample file is written again instead of failing the first screen', async () => {
    const { backend, userDataDir } = setup();
    mkdirSync(userDataDir, { recursive: true });
    writeFileSync(join(userDataDir, SAMPLE_FILE_NAME), 'not a database');
    expect((await backend.openSampleProject()).variants).toHaveLength(4);
  });

  it('opening a project that is gone fails with its path and drops it from the recent list', async () => {
    const { backend, userDataDir } = setup();
    const path = join(userDataDir, 'lab.virtwall');
    await backend.newProject(path, 'Lab');
    expect((await backend.getSession()).recent).toEqual([path]);
    backend.close();
    const { rmSync } = await import('node:fs');
    rmSync(path);
    await expect(backend.openProject(path)).rejects.toThrow(path);
    expect((await backend.getSession()).recent).toEqual([]);
  });

  it('Save As continues on the copy and puts it on top of the recent list', async () => {
    const { backend, userDataDir } = setup();
    await backend.openSampleProject();
    const copy = join(userDataDir, 'copy.virtwall');
    const info = await backend.saveProjectAs(copy);
    expect(info.path).toBe(copy);
    expect((await backend.getSession()).recent[0]).toBe(copy);
  });
});

describe('AppBackend: imports', () => {
  it('reads a text file and refuses binaries, non-UTF-8, folders and missing files with the reason', async () => {
    const { backend, userDataDir } = setup();
    mkdirSync(userDataDir, { recursive: true });
    writeFileSync(join(userDataDir, 'deb.xml'), '\uFEFF<network/>');
    expect((await backend.readTextFile(join(userDataDir, 'deb.xml'))).text).toBe('<network/>');
    writeFileSync(join(userDataDir, 'a.bin'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1]));
    await expect(backend.readTextFile(join(userDataDir, 'a.bin'))).rejects.toThrow(/binary file/);
    writeFileSync(join(userDataDir, 'latin1.txt'), Buffer.from([0x66, 0xfc, 0x72]));
    await expect(backend.readTextFile(join(userDataDir, 'latin1.txt'))).rejects.toThrow(/not UTF-8/);
    await expect(backend.readTextFile(userDataDir)).rejects.toThrow(/is a folder/);
    await expect(backend.readTextFile(join(userDataDir, 'none.xml'))).rejects.toThrow(/no such file/);
  });

  it('refuses files over 16 MiB before reading them', async () => {
    const { backend, userDataDir } = setup();
    mkdirSync(userDataDir, { recursive: true });
    const big = join(userDataDir, 'big.txt');
    writeFileSync(big, '');
    const { truncateSync } = await import('node:fs');
    truncateSync(big, 17 * 1024 * 1024);
    await expect(backend.readTextFile(big)).rejects.toThrow(/17\.0 MiB; imports are limited to 16 MiB/);
  });

  it('reads a snapshot folder as text files keyed by relative path', async () => {
    const { backend, userDataDir } = setup();
    const snap = join(userDataDir, 'snap');
    mkdirSync(join(snap, 'networks'), { recursive: true });
    writeFileSync(join(snap, 'iptables-save.txt'), '*filter\nCOMMIT\n');
    writeFileSync(join(snap, 'networks/deb.xml'), '<network/>');
    expect((await backend.readSnapshotFolder(snap)).files).toEqual({ 'iptables-save.txt': '*filter\nCOMMIT\n', 'networks/deb.xml': '<network/>' });
    await expect(backend.readSnapshotFolder(join(snap, 'iptables-save.txt'))).rejects.toThrow(/pick the snapshot folder/);
  });
});

describe('AppBackend: export (the bundle to a folder or over SSH)', () => {
  it('writes the bundle, refuses to replace silently, lists in a dry run', async () => {
    const { backend, userDataDir } = setup();
    const info = await backend.openSampleProject();
    const target = join(userDataDir, 'stick');
    const dry = await backend.exportVariant({ variantId: info.variants[0].id, target, dryRun: true });
    expect(dry.files.map((f) => f.path)).toContain(join(target, 'networks', 'deb.xml'));
    expect(dry.files.map((f) => f.path)).toContain(join(target, 'apply.sh'));
    expect(existsSync(target)).toBe(false);
    const report = await backend.exportVariant({ variantId: info.variants[0].id, target });
    const text = readFileSync(join(target, 'networks', 'deb.xml'), 'utf8');
    expect(text).toContain('<name>deb</name>');
    const xml = report.files.find((f) => f.path === join(target, 'networks', 'deb.xml'));
    expect(xml?.bytes).toBe(Buffer.byteLength(text));
    expect(xml?.sha256).toMatch(/^[0-9a-f]{64}$/);
    await expect(backend.exportVariant({ variantId: info.variants[0].id, target })).rejects.toThrow(/already exists; choose another folder or allow replacing/);
    await expect(backend.exportVariant({ variantId: info.variants[0].id, target, overwrite: true })).resolves.toBeTruthy();
    const ssh = await backend.exportVariant({ variantId: info.variants[0].id, target: 'ssh://root@kvm/tmp/lab', dryRun: true });
    expect(ssh.files.map((f) => f.path)).toContain('ssh://root@kvm/tmp/lab/apply.sh');
  });
});

describe('dispatchApiCall', () => {
  it('refuses unknown methods and bad arguments without calling the backend, and passes error codes', async () => {
    const { backend } = setup();
    expect(await dispatchApiCall(backend, 'constructor', [])).toMatchObject({ ok: false, error: { name: 'ApiArgumentError' } });
    expect(await dispatchApiCall(backend, 'getVariant', 'x')).toMatchObject({ ok: false, error: { message: 'getVariant: arguments must be an array' } });
    expect(await dispatchApiCall(backend, 'applyEdit', ['v', -1, { label: 'x', patch: [] }])).toMatchObject({ ok: false, error: { name: 'ApiArgumentError' } });
    expect(await dispatchApiCall(backend, 'getVariant', ['v'])).toEqual({ ok: false, error: { name: 'StoreError', message: 'no project is open', code: 'no-project' } });
    expect(await dispatchApiCall(backend, 'getSession', [])).toMatchObject({ ok: true, value: { project: null } });
  });
});
