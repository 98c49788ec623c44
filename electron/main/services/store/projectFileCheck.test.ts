import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { ProjectFileError } from './projectFileCheck.ts';
import { bytes, driver, tempFolder, testStore } from './store.testkit.ts';
import { sampleProjectVariants } from '../../../../shared/lab/sampleLab.ts';

const tmp = tempFolder('check');
afterAll(() => tmp.remove());

const sidecars = (path: string) => ['-wal', '-shm', '-journal'].filter((s) => existsSync(path + s));

/** Opens `path` with a fresh store; expects a refusal and the file unchanged byte for byte. */
function refusal(path: string): string {
  const existed = existsSync(path);
  const before = existed && statSync(path).isFile() ? bytes(path) : null;
  const sidecarsBefore = sidecars(path);
  const store = testStore();
  let message = '';
  try {
    store.open(path);
    store.close();
  } catch (err) {
    expect(err).toBeInstanceOf(ProjectFileError);
    message = (err as Error).message;
  }
  expect(message, 'open should have been refused').not.toBe('');
  expect(message.startsWith(`${path}: `)).toBe(true);
  if (before) expect(bytes(path).equals(before)).toBe(true);
  else expect(existsSync(path)).toBe(existed);
  expect(sidecars(path), 'no -wal/-shm left behind').toEqual(sidecarsBefore);
  return message.slice(path.length + 2);
}

function sampleProject(name: string): string {
  const path = tmp.file(name);
  const store = testStore();
  store.create(path, 'sample', { variants: sampleProjectVariants() });
  store.close(); // checkpoints: everything is in the main file, no -wal left
  expect(existsSync(path + '-wal')).toBe(false);
  return path;
}

describe('opening files that are not (usable) virtwall projects changes nothing', () => {
  it('a missing file is not created', () => {
    expect(refusal(tmp.file('missing.virtwall'))).toBe('does not exist');
  });

  it('an empty file', () => {
    const path = tmp.file('empty.virtwall');
    writeFileSync(path, '');
    expect(refusal(path)).toBe('is empty — not a virtwall project');
  });

  it('a text file', () => {
    const path = tmp.file('notes.virtwall');
    writeFileSync(path, '<network>\n  <name>deb</name>\n</network>\n');
    expect(refusal(path)).toBe('is not a virtwall project: it is not an SQLite database (it looks like a text file starting with "<network>")');
  });

  it('a binary file that is not SQLite', () => {
    const path = tmp.file('image.virtwall');
    writeFileSync(path, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0xff, 0xfe]));
    expect(refusal(path)).toBe('is not a virtwall project: it is not an SQLite database (its first bytes are 89504e470d0a1a0a)');
  });

  it("another application's SQLite database", () => {
    const path = tmp.file('other.sqlite');
    const db = new driver(path);
    db.exec('CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES (\'x\')');
    db.close();
    expect(refusal(path)).toBe('is an SQLite database but not a virtwall project (application_id 0x00000000, a virtwall project has 0x5657414c)');
  });

  it('a project written by a newer virtwall', () => {
    const path = sampleProject('newer.virtwall');
    const db = new driver(path);
    db.pragma('user_version = 99');
    db.close();
    expect(refusal(path)).toBe('was written by a newer virtwall (file format 99; this virtwall reads formats up to 1) — open it with a newer virtwall');
  });

  it('a damaged project (a page overwritten)', () => {
    const path = sampleProject('damaged.virtwall');
    const content = readFileSync(path);
    const pageSize = content.readUInt16BE(16);
    expect(content.length / pageSize).toBeGreaterThan(4);
    content.fill(0xab, pageSize * 3, pageSize * 4);
    writeFileSync(path, content);
    expect(refusal(path)).toMatch(/^is damaged: /);
  });

  it('a truncated project', () => {
    const path = sampleProject('truncated.virtwall');
    const content = readFileSync(path);
    const pageSize = content.readUInt16BE(16);
    writeFileSync(path, content.subarray(0, pageSize * 2));
    expect(refusal(path)).toMatch(/^is damaged: /);
  });

  it('a folder', () => {
    const path = tmp.file('folder.virtwall');
    mkdirSync(path);
    expect(refusal(path)).toBe('is a folder, not a virtwall project file');
  });

  it('a read-only open of a good project leaves it byte-for-byte unchanged too', () => {
    const path = sampleProject('good.virtwall');
    const before = bytes(path);
    const store = testStore();
    expect(store.open(path, { readOnly: true }).variants).toHaveLength(4);
    store.close();
    expect(bytes(path).equals(before)).toBe(true);
    expect(sidecars(path)).toEqual([]);
  });

  it("a read-only open while the app has the project open leaves the app's -wal/-shm alone", () => {
    const path = sampleProject('shared.virtwall');
    const app = testStore();
    const id = app.open(path).variants[0].id;
    const reader = testStore();
    expect(reader.open(path, { readOnly: true }).variants).toHaveLength(4);
    reader.close();
    expect(sidecars(path)).toEqual(['-wal', '-shm']);
    expect(app.applyEdit(id, 0, { label: 'still works', patch: [{ op: 'replace', path: '/host/name', value: 'x' }] }).revision).toBe(1);
    app.close();
    expect(sidecars(path)).toEqual([]);
  });
});
